// SPDX-License-Identifier: AGPL-3.0-or-later
// multipart/form-data through GMime: the body is framed as a MIME entity (its Content-Type line, a blank
// line, the body) and handed to GMime's parser; each leaf part's Content-Disposition gives name and filename.
#include "util/multipart.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace vicugna::util {
namespace {

struct GObjectUnref {
    void operator()(gpointer p) const {
        if (p) g_object_unref(p);
    }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

bool is_form_data(std::string_view content_type) {
    constexpr std::string_view kType = "multipart/form-data";
    if (content_type.size() < kType.size()) return false;
    return std::equal(kType.begin(), kType.end(), content_type.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
    });
}

std::string text_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

/// The decoded content of a leaf part (form parts normally carry no transfer encoding: bytes as sent).
std::string part_bytes(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) return {};
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    if (g_mime_data_wrapper_write_to_stream(content, out.get()) < 0) throw NotMultipart("unreadable part");
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

FormPart to_form_part(GMimeObject* object) {
    FormPart p;
    if (GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object)) {
        p.name = text_or_empty(g_mime_content_disposition_get_parameter(disposition, "name"));
        p.filename = text_or_empty(g_mime_content_disposition_get_parameter(disposition, "filename"));
    }
    if (g_mime_object_get_header(object, "Content-Type")) {
        char* type = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(object));
        p.content_type = text_or_empty(type);
        g_free(type);
    }
    if (GMIME_IS_PART(object)) p.bytes = part_bytes(GMIME_PART(object));
    return p;
}

}  // namespace

std::vector<FormPart> parse_multipart_form(std::string_view content_type, std::string_view body) {
    if (!is_form_data(content_type) || content_type.find_first_of("\r\n") != std::string_view::npos) {
        throw NotMultipart("not multipart/form-data");
    }
    init_gmime();
    std::string head = "Content-Type: " + std::string(content_type) + "\r\n\r\n";
    GPtr<GMimeStream> stream(g_mime_stream_cat_new());
    GPtr<GMimeStream> head_stream(g_mime_stream_mem_new_with_buffer(head.data(), head.size()));
    GPtr<GMimeStream> body_stream(g_mime_stream_mem_new_with_buffer(body.data(), body.size()));
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(stream.get()), head_stream.get());
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(stream.get()), body_stream.get());

    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GPtr<GMimeObject> root(g_mime_parser_construct_part(parser.get(), nullptr));
    if (!root || !GMIME_IS_MULTIPART(root.get()) || !g_mime_object_get_content_type_parameter(root.get(), "boundary")) {
        throw NotMultipart("no multipart body");
    }

    GMimeMultipart* multipart = GMIME_MULTIPART(root.get());
    std::vector<FormPart> parts;
    int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) parts.push_back(to_form_part(g_mime_multipart_get_part(multipart, i)));
    return parts;
}

std::string file_base_name(std::string_view filename) {
    while (filename.size() > 1 && filename.back() == '/') filename.remove_suffix(1);
    if (filename == "/") return "/";
    auto slash = filename.rfind('/');
    return std::string(slash == std::string_view::npos ? filename : filename.substr(slash + 1));
}

}  // namespace vicugna::util
