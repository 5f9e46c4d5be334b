// SPDX-License-Identifier: AGPL-3.0-or-later
#include "events/outbound.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>

#include "util/crypto.hpp"

namespace vicugna::events {
namespace {

/// IPv4 ranges a webhook may not reach: "this network", private, CGNAT, loopback, link-local (incl. the cloud
/// metadata address 169.254.169.254), IETF protocol assignments, benchmarking, multicast, reserved, broadcast.
bool nonroutable_v4(std::uint32_t a /* host order */) {
    struct Range { std::uint32_t net; int bits; };
    static constexpr std::array<Range, 12> ranges{{
        {0x00000000, 8},  {0x0A000000, 8},  {0x64400000, 10}, {0x7F000000, 8},
        {0xA9FE0000, 16}, {0xAC100000, 12}, {0xC0000000, 24}, {0xC0A80000, 16},
        {0xC6120000, 15}, {0xE0000000, 4},  {0xF0000000, 4},  {0xC0000200, 24},
    }};
    for (const auto& r : ranges) {
        std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
        if ((a & mask) == r.net) return true;
    }
    return false;
}

bool nonroutable_v6(const in6_addr& a) {
    const unsigned char* b = a.s6_addr;
    static constexpr unsigned char zero[16] = {};
    if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach the embedded IPv4 address.
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static constexpr unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (std::memcmp(b, mapped, 12) == 0 || std::memcmp(b, nat64, 12) == 0) {
        std::uint32_t v4 = (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) | (std::uint32_t{b[14]} << 8) | b[15];
        return nonroutable_v4(v4);
    }
    if ((b[0] & 0xfe) == 0xfc) return true;                   // fc00::/7 unique local (incl. AWS fd00:ec2::254)
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;   // fe80::/10 link-local
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;   // fec0::/10 site-local (deprecated)
    if (b[0] == 0xff) return true;                            // multicast
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // 2001:db8::/32 documentation
    return false;
}

bool nonroutable_sockaddr(const sockaddr* sa) {
    if (sa->sa_family == AF_INET) return nonroutable_v4(ntohl(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr.s_addr));
    if (sa->sa_family == AF_INET6) return nonroutable_v6(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr);
    return true;
}

struct UrlParts {
    std::string scheme, host;
};

/// The scheme and host of an absolute URL, parsed by libcurl (the same parser that sends the request).
std::optional<UrlParts> parse_url(std::string_view url) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
    std::string text(url);
    if (!handle || curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return std::nullopt;
    UrlParts parts;
    for (auto [part, out] : {std::pair{CURLUPART_SCHEME, &parts.scheme}, std::pair{CURLUPART_HOST, &parts.host}}) {
        char* value = nullptr;
        if (curl_url_get(handle.get(), part, &value, 0) != CURLUE_OK) return std::nullopt;
        *out = value;
        curl_free(value);
    }
    // IPv6 literals come back in brackets.
    if (parts.host.size() > 2 && parts.host.front() == '[') parts.host = parts.host.substr(1, parts.host.size() - 2);
    return parts;
}

/// The parts of an absolute http(s) URL with a host; nullopt for anything else.
std::optional<UrlParts> http_url_parts(std::string_view url) {
    // libcurl reads "http:///x" as the host "x"; a target names its host right after "//".
    auto authority = url.find("://");
    if (authority == std::string_view::npos || url.substr(authority + 3).starts_with('/')) return std::nullopt;
    auto parts = parse_url(url);
    if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->host.empty()) return std::nullopt;
    return parts;
}

/// libcurl's open-socket hook: refuses to connect to a non-routable address, whatever name or redirect led there.
curl_socket_t open_guarded_socket(void* allow, curlsocktype, curl_sockaddr* address) {
    if (!*static_cast<bool*>(allow) && nonroutable_sockaddr(&address->addr)) return CURL_SOCKET_BAD;
    return socket(address->family, address->socktype, address->protocol);
}

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
    auto* body = static_cast<std::string*>(out);
    constexpr std::size_t kKeep = 4096;  // the start of an error response is logged, the rest is dropped
    std::size_t n = size * count;
    if (body->size() < kKeep) body->append(data, std::min(n, kKeep - body->size()));
    return n;
}

/// libcurl's progress hook: a non-zero answer aborts the transfer (the worker is shutting down).
int abort_when_cancelled(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return cancel && static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

/// refuse_target; through a proxy a name this host cannot resolve passes, since the proxy resolves it (only
/// names that resolve here to forbidden addresses are refused).
std::optional<std::string> check_target(std::string_view url, bool allow_nonroutable, bool through_proxy) {
    auto parts = http_url_parts(url);
    if (!parts) return "target_url must be an absolute http or https URL";
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(parts->host.c_str(), nullptr, &hints, &found) != 0 || !found) {
        if (through_proxy) return std::nullopt;
        return "the host of target_url does not resolve: " + parts->host;
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
    if (allow_nonroutable) return std::nullopt;
    for (const addrinfo* a = list.get(); a; a = a->ai_next) {
        if (nonroutable_sockaddr(a->ai_addr)) {
            return "target_url resolves to a private, loopback, link-local or otherwise non-routable address, "
                   "which outgoingrequests.allownonroutableips does not allow: " + parts->host;
        }
    }
    return std::nullopt;
}

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

bool is_nonroutable_address(std::string_view ip) {
    std::string text(ip);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return nonroutable_v4(ntohl(v4.s_addr));
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return nonroutable_v6(v6);
    return true;
}

bool is_http_url(std::string_view url) { return http_url_parts(url).has_value(); }

std::optional<std::string> refuse_target(std::string_view url, bool allow_nonroutable) {
    return check_target(url, allow_nonroutable, /*through_proxy=*/false);
}

OutboundResult post_webhook(const OutboundRequest& request, const OutboundOptions& options) {
    static CurlGlobal global;
    OutboundResult result;
    auto started = std::chrono::steady_clock::now();
    auto finish = [&](std::string error) {
        result.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        result.error = std::move(error);
        return result;
    };
    // The name is checked on every attempt (it may resolve elsewhere now). Through a proxy the proxy connects, so
    // this check is the guard; without one the open-socket hook also checks the address actually connected to.
    if (auto refused = check_target(request.url, options.allow_nonroutable, !options.proxy_url.empty())) {
        return finish(*refused);
    }

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return finish("cannot create an HTTP client");
    std::string timestamp = std::to_string(std::time(nullptr));
    std::vector<std::string> header_lines{
        "Content-Type: application/json",
        "X-Vicugna-Delivery: " + request.delivery_id,
        "X-Vicugna-Timestamp: " + timestamp,
        "Expect:",  // no 100-continue round trip
    };
    if (!request.secret.empty()) {
        header_lines.push_back("X-Vikunja-Signature: " + util::to_hex(util::hmac_sha256(request.secret, request.body)));
        header_lines.push_back("X-Vicugna-Signature: t=" + timestamp + ",v1=" +
                               util::to_hex(util::hmac_sha256(request.secret, timestamp + "." + request.body)));
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
    for (const auto& line : header_lines) headers.reset(curl_slist_append(headers.release(), line.c_str()));

    bool allow = options.allow_nonroutable || !options.proxy_url.empty();
    std::string response;
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, options.timeout_seconds);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_guarded_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &allow);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, abort_when_cancelled);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options.cancel));
    if (!request.basic_auth_user.empty() && !request.basic_auth_password.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, request.basic_auth_user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, request.basic_auth_password.c_str());
    }
    curl_easy_setopt(h, CURLOPT_PROXY, options.proxy_url.c_str());  // "" = no proxy, also none from the environment
    if (!options.proxy_password.empty()) curl_easy_setopt(h, CURLOPT_PROXYPASSWORD, options.proxy_password.c_str());

    CURLcode code = curl_easy_perform(h);
    if (code != CURLE_OK) return finish(curl_easy_strerror(code));
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
    if (status >= 400) return finish("HTTP " + std::to_string(status) + ": " + response);
    return finish("");
}

}  // namespace vicugna::events
