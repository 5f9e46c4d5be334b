// SPDX-License-Identifier: AGPL-3.0-or-later
/// File downloads as Vikunja sends them (pkg/web/files WriteFileDownload on Go's http.ServeContent).
#pragma once
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "util/time.hpp"

namespace vicugna::http {

/// A stored file as a response: its Content-Type (application/octet-stream when unknown),
/// `Content-Disposition: attachment` with the name, `X-Content-Type-Options: nosniff`, `Cache-Control: no-cache`
/// (which replaces the API's no-store), Last-Modified, and http.ServeContent's answers to If-Modified-Since
/// (304) and to one byte Range (206, or 416 when it lies outside the file; several ranges get the whole file).
Response file_download(const Request& request, std::string bytes, std::string_view mime, std::string_view filename,
                       util::Timestamp modified);

}  // namespace vicugna::http
