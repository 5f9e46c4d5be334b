// SPDX-License-Identifier: AGPL-3.0-or-later
/// MIME types of stored files: sniffed from the bytes with libmagic (clients send every upload as
/// application/octet-stream), and the Content-Disposition header of downloads.
#pragma once
#include <string>
#include <string_view>

namespace vicugna::util {

/// The MIME type of `bytes` ("image/png", "application/pdf", "text/plain", …) judged by content only,
/// never by a name (Vikunja: gabriel-vasile/mimetype, which also reads only the first bytes).
/// "application/octet-stream" when nothing matches.
std::string sniff_mime(std::string_view bytes);

/// `attachment; filename=…` formatted as Go's mime.FormatMediaType does (what Vikunja sends): a bare token,
/// a quoted string with `"` and `\` escaped, or RFC 2231 `filename*=utf-8''…` for non-ASCII and controls.
std::string attachment_disposition(std::string_view filename);

}  // namespace vicugna::util
