// SPDX-License-Identifier: AGPL-3.0-or-later
/// Signed outbound HTTP for webhooks: the SSRF guard, the signatures and one blocking POST with libcurl.
/// Knows nothing of the database or the models (design C.1: events/ depends on util/ only).
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vicugna::events {

struct OutboundOptions {
    bool allow_nonroutable = false;  ///< outgoingrequests.allownonroutableips
    std::string proxy_url;           ///< outgoingrequests.proxyurl ("" = direct)
    std::string proxy_password;
    long timeout_seconds = 30;       ///< webhooks.timeoutseconds
    std::string user_agent;          ///< "Vikunja/<version>"
    const std::atomic<bool>* cancel = nullptr;  ///< set to abort sends in progress (shutdown)
};

/// An absolute http:// or https:// URL with a host, as libcurl (the sender) parses it: no spaces or control
/// characters (Vikunja: govalidator's "url" plus an "http" prefix).
bool is_http_url(std::string_view url);

/// Why `url` may not be a webhook target, or nullopt when it may: it must be an absolute http(s) URL whose host
/// resolves, and unless `allow_nonroutable` no address it resolves to may be private, loopback, link-local,
/// shared (CGNAT), multicast, reserved or a cloud metadata address. Resolves the name (blocking).
std::optional<std::string> refuse_target(std::string_view url, bool allow_nonroutable);

/// True for addresses a webhook may not reach unless allowed (IPv4 or IPv6 text form; IPv4-mapped IPv6 is
/// judged as its IPv4 address). Unparseable text counts as non-routable.
bool is_nonroutable_address(std::string_view ip);

struct OutboundRequest {
    std::string url;
    std::string body;
    std::string secret;              ///< "" = unsigned
    std::string basic_auth_user;     ///< both set = Authorization: Basic
    std::string basic_auth_password;
    std::string delivery_id;         ///< X-Vicugna-Delivery
};

struct OutboundResult {
    std::optional<int> status;  ///< the response's status; nullopt when none came
    std::int64_t latency_ms = 0;
    std::string error;          ///< "" on success (status < 400); otherwise why, with the start of the response body
    bool ok() const { return error.empty(); }
};

/// Sends one POST with Vikunja's headers (Content-Type, User-Agent, X-Vikunja-Signature) and ours
/// (X-Vicugna-Delivery, X-Vicugna-Timestamp, X-Vicugna-Signature: t=<unix>,v1=<hex HMAC of "t.body">). Redirects
/// are not followed; the guard is applied again to the address actually connected to. Blocking: run it on a
/// worker thread.
OutboundResult post_webhook(const OutboundRequest& request, const OutboundOptions& options);

}  // namespace vicugna::events
