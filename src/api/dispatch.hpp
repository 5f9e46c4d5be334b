// SPDX-License-Identifier: AGPL-3.0-or-later
/// The request pipeline in front of every handler: request id, CORS, routing, authentication, the one place
/// errors are caught and rendered, and the access log.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>

#include "api/context.hpp"
#include "api/route_table.hpp"
#include "http/message.hpp"

namespace vicugna::api {

class Api {
public:
    explicit Api(Services& services);
    ~Api();

    asio::awaitable<http::Response> handle(http::Request& request);
    /// JSON routes get service.maxbodybytes; upload routes files.maxsize + 2 MB (Vikunja's limit).
    std::uint64_t body_limit(http::Verb method, std::string_view path) const;
    const RouteTable& routes() const { return table_; }

private:
    asio::awaitable<http::Response> route(http::Request& request);
    asio::awaitable<void> authenticate(Context& ctx);
    /// The request's Idempotency-Key, when it is a write of a known caller that carries one (else nullopt, and no
    /// query is made). A key over 255 characters or with non-printable ones → 400 90001.
    std::optional<models::IdempotentRequest> idempotent_request(const Context& ctx) const;
    /// Answers a stored response again, or runs the handler with the key to claim and stores its answer.
    asio::awaitable<http::Response> run_idempotent(Context& ctx, const models::IdempotentRequest& request);
    void add_cors(const http::Request& request, http::Response& response) const;
    bool origin_allowed(std::string_view origin) const;

    Services& services_;
    RouteTable table_;
    std::unique_ptr<TokenRoutes> token_routes_;
};

}  // namespace vicugna::api
