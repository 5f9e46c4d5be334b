// SPDX-License-Identifier: AGPL-3.0-or-later
/// The request pipeline in front of every handler: request id, CORS, routing, authentication, the one place
/// errors are caught and rendered, and the access log.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <memory>

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
    void add_cors(const http::Request& request, http::Response& response) const;
    bool origin_allowed(std::string_view origin) const;

    Services& services_;
    RouteTable table_;
    std::unique_ptr<TokenRoutes> token_routes_;
};

}  // namespace vicugna::api
