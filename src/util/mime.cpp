// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/mime.hpp"

#include <magic.h>

#include <algorithm>
#include <memory>
#include <type_traits>

namespace vicugna::util {
namespace {

/// Enough for every signature libmagic's database checks near the start of a file (zip-based office
/// formats included) without scanning whole uploads.
constexpr std::size_t kSniffBytes = 64 * 1024;

struct MagicClose {
    void operator()(magic_t m) const { magic_close(m); }
};

/// libmagic handles are not thread-safe: one per thread, loaded on first use. nullptr if the database
/// cannot be loaded (then every file is application/octet-stream).
magic_t thread_magic() {
    thread_local std::unique_ptr<std::remove_pointer_t<magic_t>, MagicClose> handle = [] {
        std::unique_ptr<std::remove_pointer_t<magic_t>, MagicClose> m(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
        if (m && magic_load(m.get(), nullptr) != 0) m.reset();
        return m;
    }();
    return handle.get();
}

bool is_tspecial(unsigned char c) {
    return std::string_view("()<>@,;:\\\"/[]?=").find(static_cast<char>(c)) != std::string_view::npos;
}
bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char c : s) {
        if (c <= ' ' || c >= 0x7f || is_tspecial(c)) return false;
    }
    return true;
}

}  // namespace

std::string sniff_mime(std::string_view bytes) {
    constexpr std::string_view kUnknown = "application/octet-stream";
    // Go's mimetype calls empty input text/plain; libmagic would say application/x-empty.
    if (bytes.empty()) return "text/plain";
    magic_t m = thread_magic();
    if (!m) return std::string(kUnknown);
    const char* type = magic_buffer(m, bytes.data(), std::min(bytes.size(), kSniffBytes));
    return type && *type ? std::string(type) : std::string(kUnknown);
}

std::string attachment_disposition(std::string_view filename) {
    bool needs_encoding = false;
    for (unsigned char c : filename) needs_encoding |= (c < ' ' || c > '~') && c != '\t';
    std::string out = "attachment; filename";
    if (needs_encoding) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        out += "*=utf-8''";
        for (unsigned char c : filename) {
            if (c <= ' ' || c >= 0x7f || c == '*' || c == '\'' || c == '%' || is_tspecial(c)) {
                out += '%';
                out += kHex[c >> 4];
                out += kHex[c & 0x0f];
            } else {
                out += static_cast<char>(c);
            }
        }
        return out;
    }
    out += '=';
    if (is_token(filename)) return out + std::string(filename);
    out += '"';
    for (char c : filename) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

}  // namespace vicugna::util
