// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/context.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <charconv>

#include "api/errors.hpp"

namespace vicugna::api {
namespace {

/// `ip` equals `rule` or lies in the CIDR `rule`.
bool ip_matches(const std::string& ip, const std::string& rule) {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(ip, ec);
    if (ec) return false;
    if (addr.is_v6() && addr.to_v6().is_v4_mapped()) addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
    auto slash = rule.find('/');
    if (slash == std::string::npos) {
        auto r = asio::ip::make_address(rule, ec);
        return !ec && r == addr;
    }
    if (addr.is_v4()) {
        auto net = asio::ip::make_network_v4(rule, ec);
        return !ec && asio::ip::make_network_v4(addr.to_v4(), net.prefix_length()).canonical() == net.canonical();
    }
    auto net = asio::ip::make_network_v6(rule, ec);
    return !ec && asio::ip::make_network_v6(addr.to_v6(), net.prefix_length()).canonical() == net.canonical();
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

}  // namespace

asio::awaitable<std::unique_ptr<db::Tx>> Context::begin(db::TxMode mode) {
    auto pending = std::move(pending_read);
    if (mode == db::TxMode::Read && pending) co_return std::move(pending);
    pending.reset();
    auto tx = co_await services.db.begin(mode);
    if (mode == db::TxMode::Write && idempotency && !idempotency_claimed) {
        bool claimed = co_await models::claim_idempotency_key(*tx, *idempotency);
        if (!claimed) throw Error(ErrorCode::IdempotencyKeyInProgress);
        idempotency_claimed = true;
    }
    co_return tx;
}

std::int64_t Context::id_param(const std::string& name) const {
    auto it = params.find(name);
    std::int64_t v = 0;
    if (it != params.end()) {
        auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
        if (ec == std::errc() && p == it->second.data() + it->second.size()) return v;
    }
    throw Error(ErrorCode::InvalidModel, "Invalid model provided: " + name + " must be a number.");
}

std::optional<bool> parse_go_bool(std::string_view v) {
    if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") return true;
    if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") return false;
    return std::nullopt;
}

bool Context::query_flag(const std::string& key) const {
    auto v = request.query_value(key);
    return v && parse_go_bool(*v).value_or(false);
}

models::Doer Context::doer() const {
    models::Doer d;
    d.user_id = auth.user_id;
    d.username = auth.username;
    if (auth.link_share) {
        d.link_share_id = auth.link_share->id;
        d.link_share_project_id = auth.link_share->project_id;
        d.link_share_permission = auth.link_share->permission;
    }
    return d;
}

util::json::Body Context::body() const {
    try {
        return util::json::Body(request.body);
    } catch (const util::json::BadInput& e) {
        throw Error(ErrorCode::InvalidModel, std::string("Invalid model provided: ") + e.what() + ".");
    }
}

std::string Context::client_ip() const {
    const auto& c = services.config;
    if (c.service_ipextractionmethod == "direct") return request.remote_ip;
    // Forwarding headers are believed only from configured proxies; anyone else could forge them.
    bool trusted = false;
    for (const auto& rule : c.service_trustedproxies) trusted = trusted || ip_matches(request.remote_ip, rule);
    if (!trusted) return request.remote_ip;
    // A header value that is not an address is ignored, as Echo's extractors do.
    auto address = [&](const std::string& text) {
        boost::system::error_code ec;
        asio::ip::make_address(text, ec);
        return !ec && !text.empty();
    };
    if (c.service_ipextractionmethod == "realip") {
        auto real = trim(request.header("X-Real-Ip"));
        return address(real) ? real : request.remote_ip;
    }
    // X-Forwarded-For: client, proxy1, proxy2 — the nearest untrusted hop is the client.
    std::string xff(request.header("X-Forwarded-For"));
    std::vector<std::string> hops;
    for (std::size_t start = 0; start <= xff.size();) {
        auto comma = xff.find(',', start);
        auto hop = trim(std::string_view(xff).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!hop.empty()) hops.push_back(hop);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        if (!address(*it)) return request.remote_ip;
        bool hop_trusted = false;
        for (const auto& rule : c.service_trustedproxies) hop_trusted = hop_trusted || ip_matches(*it, rule);
        if (!hop_trusted) return *it;
    }
    return hops.empty() ? request.remote_ip : hops.front();
}

http::Response json(unsigned status, std::string body) {
    http::Response res;
    res.status = status;
    res.body = std::move(body);
    return res;
}

http::Response message(std::string_view text, unsigned status) {
    util::json::Writer w;
    w.start_object().key("message").string(text).end_object();
    return json(status, w.take());
}

}  // namespace vicugna::api
