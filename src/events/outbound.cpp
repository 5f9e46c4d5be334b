// SPDX-License-Identifier: AGPL-3.0-or-later
// TEMPORARY (branch wt-hooks): only the SSRF guard that webhook creation needs, so this branch links and its tests
// run. The real outbound.cpp (libcurl sender, signatures) replaces this file when the branches merge.
#include "events/outbound.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>

namespace vicugna::events {
namespace {

bool nonroutable_v4(std::uint32_t a) {
    auto in = [a](std::uint32_t net, int bits) { return bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) ||
           in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0000000, 24) || in(0xC0000200, 24) ||
           in(0xC0A80000, 16) || in(0xC6120000, 15) || in(0xC6336400, 24) || in(0xCB007100, 24) ||
           in(0xE0000000, 4) || in(0xF0000000, 4);
}

bool nonroutable_v6(const in6_addr& a) {
    const auto* b = a.s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a)) return nonroutable_v4((b[12] << 24) | (b[13] << 16) | (b[14] << 8) | b[15]);
    return IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_LOOPBACK(&a) || (b[0] & 0xfe) == 0xfc ||  // unique local
           (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff ||                             // link-local, multicast
           (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8);                       // documentation
}

}  // namespace

bool is_nonroutable_address(std::string_view ip) {
    std::string text(ip);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return nonroutable_v4(ntohl(v4.s_addr));
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return nonroutable_v6(v6);
    return true;
}

std::optional<std::string> refuse_target(std::string_view url, bool allow_nonroutable) {
    std::string_view rest;
    if (url.starts_with("http://")) rest = url.substr(7);
    else if (url.starts_with("https://")) rest = url.substr(8);
    else return "target_url must be an absolute http or https URL";
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    std::string host;
    if (authority.starts_with("[")) {
        host = authority.substr(1, authority.find(']') - 1);
    } else {
        host = authority.substr(0, authority.find(':'));
    }
    if (host.empty()) return "target_url must be an absolute http or https URL";
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || !found) {
        return "the host of target_url does not resolve: " + host;
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
    if (allow_nonroutable) return std::nullopt;
    for (const addrinfo* a = list.get(); a; a = a->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const void* addr = a->ai_family == AF_INET
                               ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr)
                               : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr);
        if (!inet_ntop(a->ai_family, addr, text, sizeof text) || is_nonroutable_address(text)) {
            return "target_url resolves to a private, loopback, link-local or otherwise non-routable address, which "
                   "outgoingrequests.allownonroutableips does not allow: " + host;
        }
    }
    return std::nullopt;
}

}  // namespace vicugna::events
