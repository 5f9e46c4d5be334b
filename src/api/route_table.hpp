// SPDX-License-Identifier: AGPL-3.0-or-later
/// The API's routes and the API-token permission groups derived from them (Vikunja's api_routes rules).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "http/router.hpp"

namespace vicugna::api {

class RouteTable {
public:
    /// `path` uses "{param}" placeholders, named as upstream ("/api/v1/tasks/{projecttask}").
    void add(http::Verb method, std::string_view path, Handler handler, Access access, bool upload = false);
    /// A route beside v1 that API tokens may use exactly when they may use the v1 route (`v1_method`, `v1_path`).
    void add_alias(http::Verb method, std::string_view path, Handler handler, Access access, http::Verb v1_method,
                   std::string_view v1_path);
    http::Router<Route>::Match match(http::Verb method, std::string_view path) const {
        return router_.match(method, path);
    }
    const std::vector<Route>& routes() const { return routes_; }

private:
    http::Router<Route> router_;
    std::vector<Route> routes_;
};

/// group → permission → (method, pattern), computed once from the authenticated routes.
class TokenRoutes {
public:
    explicit TokenRoutes(const RouteTable& table);
    /// Every group and permission of a token exists (else 14002).
    bool valid(const rapidjson::Value& permissions) const;
    /// The token's permissions include exactly this (method, pattern).
    bool allows(const std::string& permissions_json, http::Verb method, const std::string& pattern) const;
    /// `GET /routes`: {group: {permission: {path, method}}}.
    std::string to_json() const;

private:
    struct Detail {
        std::string path;
        std::string method;
    };
    std::map<std::string, std::map<std::string, Detail>> groups_;
};

/// Registers every v1 route (api/v1/routes.cpp).
void register_v1_routes(RouteTable& table, const config::Config& config);

}  // namespace vicugna::api
