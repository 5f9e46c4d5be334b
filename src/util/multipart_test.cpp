// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/multipart.hpp"

#include <gtest/gtest.h>

#include "util/mime.hpp"

namespace vicugna::util {
namespace {

std::string part(const std::string& boundary, const std::string& disposition, const std::string& bytes,
                 const std::string& type = "") {
    std::string out = "--" + boundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n";
    if (!type.empty()) out += "Content-Type: " + type + "\r\n";
    return out + "\r\n" + bytes + "\r\n";
}

TEST(Multipart, SplitsPartsAndKeepsEveryByte) {
    // Every byte value, CRLFs and a line that starts like the boundary: none of it may be altered.
    std::string binary;
    for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
    binary += "\r\n--b0undar\r\n\r\n\r";
    std::string body = "preamble\r\n" + part("b0undary", R"(name="files"; filename="a.bin")", binary,
                                             "application/octet-stream") +
                       part("b0undary", R"(name="files"; filename="d/b.txt")", "hello") +
                       part("b0undary", R"(name="title")", "plain field") + "--b0undary--\r\n";
    auto parts = parse_multipart_form("multipart/form-data; boundary=b0undary", body);
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0].name, "files");
    EXPECT_EQ(parts[0].filename, "a.bin");
    EXPECT_EQ(parts[0].content_type, "application/octet-stream");
    EXPECT_EQ(parts[0].bytes, binary);
    EXPECT_EQ(parts[1].filename, "d/b.txt");
    EXPECT_EQ(parts[1].content_type, "");
    EXPECT_EQ(parts[1].bytes, "hello");
    EXPECT_EQ(parts[2].name, "title");
    EXPECT_EQ(parts[2].filename, "");
    EXPECT_EQ(parts[2].bytes, "plain field");
}

TEST(Multipart, DecodesQuotedAndUtf8Filenames) {
    std::string body = part("B", R"(name="files"; filename="my \"1\".txt")", "x") +
                       part("B", "name=\"files\"; filename=\"\xC3\xA9t\xC3\xA9.txt\"", "y") + "--B--\r\n";
    auto parts = parse_multipart_form("Multipart/Form-Data; boundary=\"B\"", body);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].filename, "my \"1\".txt");
    EXPECT_EQ(parts[1].filename, "\xC3\xA9t\xC3\xA9.txt");
}

TEST(Multipart, RefusesWhatIsNotMultipartFormData) {
    EXPECT_THROW(parse_multipart_form("application/json", "{}"), NotMultipart);
    EXPECT_THROW(parse_multipart_form("", "x"), NotMultipart);
    EXPECT_THROW(parse_multipart_form("multipart/form-data", "--B\r\n\r\nx\r\n--B--"), NotMultipart);
    EXPECT_THROW(parse_multipart_form("multipart/form-data; boundary=B\r\nX-Injected: 1", "x"), NotMultipart);
    EXPECT_TRUE(parse_multipart_form("multipart/form-data; boundary=B", "no parts at all").empty());
}

TEST(Multipart, FileBaseNameDropsDirectoriesLikeGo) {
    EXPECT_EQ(file_base_name("a/b/c.txt"), "c.txt");
    EXPECT_EQ(file_base_name("c.txt"), "c.txt");
    EXPECT_EQ(file_base_name("dir/"), "dir");
    EXPECT_EQ(file_base_name("/"), "/");
    EXPECT_EQ(file_base_name("C:\\x\\y.txt"), "C:\\x\\y.txt");  // Linux paths only, as filepath.Base on Linux
}

TEST(Mime, SniffsFromContentOnly) {
    EXPECT_EQ(sniff_mime(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "image/png");
    EXPECT_EQ(sniff_mime("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n"), "application/pdf");
    EXPECT_EQ(sniff_mime("just some words\n"), "text/plain");
    EXPECT_EQ(sniff_mime(""), "text/plain");
}

TEST(Mime, AttachmentDispositionMatchesGoFormatMediaType) {
    EXPECT_EQ(attachment_disposition("x.bin"), "attachment; filename=x.bin");
    EXPECT_EQ(attachment_disposition("a b.txt"), "attachment; filename=\"a b.txt\"");
    EXPECT_EQ(attachment_disposition("q\"\\.txt"), "attachment; filename=\"q\\\"\\\\.txt\"");
    EXPECT_EQ(attachment_disposition(""), "attachment; filename=\"\"");
    EXPECT_EQ(attachment_disposition("\xC3\xA9 t.txt"), "attachment; filename*=utf-8''%C3%A9%20t.txt");
    EXPECT_EQ(attachment_disposition("a\r\nb"), "attachment; filename*=utf-8''a%0D%0Ab");
}

}  // namespace
}  // namespace vicugna::util
