// SPDX-License-Identifier: AGPL-3.0-or-later
/// multipart/form-data bodies (RFC 7578) split into their parts. The parsing itself is GMime's
/// (libgmime-3.0); this is the one seam to swap it.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vicugna::util {

/// One part of a form: the field name, the filename ("" for plain fields), the part's declared
/// Content-Type ("" when absent) and the raw bytes.
struct FormPart {
    std::string name;
    std::string filename;
    std::string content_type;
    std::string bytes;
};

/// The body is not multipart/form-data or cannot be split into parts.
class NotMultipart : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Splits `body` by the boundary named in `content_type` (the request's Content-Type header).
/// Throws NotMultipart when the type is not multipart/form-data or the body is not a multipart.
std::vector<FormPart> parse_multipart_form(std::string_view content_type, std::string_view body);

/// The last path element of an uploaded filename, as Go's multipart.Part.FileName does (RFC 7578 §4.2:
/// directory information must not be used): "a/b/c.txt" → "c.txt", "dir/" → "dir", "/" → "/".
std::string file_base_name(std::string_view filename);

}  // namespace vicugna::util
