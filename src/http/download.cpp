// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/download.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <optional>
#include <utility>

#include "util/mime.hpp"

namespace vicugna::http {
namespace {

/// RFC 7231 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(util::Timestamp t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

std::optional<util::Timestamp> parse_http_date(std::string_view text) {
    std::tm tm{};
    std::string copy(text);
    const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0') return std::nullopt;
    return util::Timestamp(std::chrono::seconds(timegm(&tm)));
}

/// One "bytes=a-b", "bytes=a-" or "bytes=-n" range of a `size`-byte body as [first, last]; nullopt for a header
/// that is absent or not a single byte range (then the whole file is sent, as RFC 9110 allows).
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_range(std::string_view header, std::uint64_t size,
                                                                   bool& unsatisfiable) {
    constexpr std::string_view kPrefix = "bytes=";
    if (!header.starts_with(kPrefix) || header.find(',') != std::string_view::npos) return std::nullopt;
    header.remove_prefix(kPrefix.size());
    auto dash = header.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto number = [](std::string_view t, std::uint64_t& out) {
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
        return !t.empty() && ec == std::errc() && p == t.data() + t.size();
    };
    std::uint64_t a = 0, b = 0;
    bool has_a = number(header.substr(0, dash), a), has_b = number(header.substr(dash + 1), b);
    if (!has_a && has_b) {  // the last b bytes
        if (b == 0 || size == 0) {
            unsatisfiable = true;
            return std::nullopt;
        }
        return std::make_pair(size - std::min(b, size), size - 1);
    }
    if (!has_a || (dash + 1 < header.size() && !has_b) || (has_b && b < a)) return std::nullopt;
    if (a >= size) {
        unsatisfiable = true;
        return std::nullopt;
    }
    return std::make_pair(a, has_b ? std::min(b, size - 1) : size - 1);
}

/// What Go's http.ServeContent adds: 304 for an unchanged If-Modified-Since, 206/416 for a Range.
void apply_conditions(const Request& request, Response& res, util::Timestamp modified) {
    res.set_header("Accept-Ranges", "bytes");
    auto since = parse_http_date(request.header("If-Modified-Since"));
    if (since && modified <= *since) {
        res.status = 304;
        res.body.clear();
        return;
    }
    bool unsatisfiable = false;
    std::uint64_t size = res.body.size();
    auto range = parse_range(request.header("Range"), size, unsatisfiable);
    if (unsatisfiable) {
        res.status = 416;
        res.body.clear();
        res.set_header("Content-Range", "bytes */" + std::to_string(size));
    } else if (range) {
        res.status = 206;
        res.body = res.body.substr(range->first, range->second - range->first + 1);
        res.set_header("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                            std::to_string(range->second) + "/" + std::to_string(size));
    }
}

}  // namespace

Response file_download(const Request& request, std::string bytes, std::string_view mime, std::string_view filename,
                       util::Timestamp modified) {
    Response res;
    res.body = std::move(bytes);
    res.content_type = mime.empty() ? "application/octet-stream" : std::string(mime);
    res.set_header("Content-Disposition", util::attachment_disposition(filename));
    // Never let the browser guess another type than the one sniffed on upload.
    res.set_header("X-Content-Type-Options", "nosniff");
    // Downloads may be cached but must be revalidated (Vikunja overrides the global no-store the same way).
    res.set_header("Cache-Control", "no-cache");
    res.set_header("Last-Modified", http_date(modified));
    apply_conditions(request, res, modified);
    return res;
}

}  // namespace vicugna::http
