// SPDX-License-Identifier: AGPL-3.0-or-later
/// What every handler receives: the shared services, the request, path parameters and who is calling.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authenticate.hpp"
#include "auth/password.hpp"
#include "config/config.hpp"
#include "db/counters.hpp"
#include "db/database.hpp"
#include "http/message.hpp"
#include "models/access.hpp"
#include "models/idempotency.hpp"
#include "util/json.hpp"

namespace vicugna::models {
class FileStore;
}  // namespace vicugna::models

namespace vicugna::api {

namespace asio = boost::asio;

class TokenRoutes;

/// Long-lived services shared by all requests (owned by app::App).
struct Services {
    const config::Config& config;
    db::Database& db;
    db::Counters& counters;  ///< rate limits and failed-login counts, shared by every process
    auth::PasswordHasher& hasher;
    const models::FileStore& files;  ///< stored files' bytes (files.basepath)
    std::string jwt_secret;
    const TokenRoutes* token_routes = nullptr;
};

using auth::Auth;

enum class Access {
    Public,   ///< no authentication
    User,     ///< a user JWT or an API token holding this route's permission; a link share gets 403 code 1023
    Shared,   ///< as User, and link shares too (the project and task routes; each model checks the share's reach)
    Testing,  ///< the raw service.testingtoken in Authorization (only mounted when it is set)
};

struct Context;
using Handler = asio::awaitable<http::Response> (*)(Context&);

struct Route {
    Handler handler = nullptr;
    Access access = Access::Public;
    http::Verb method = http::Verb::get;
    std::string pattern;  ///< Vikunja's form, "/api/v1/tasks/:projecttask" (API-token permissions match on it)
    /// The v1 route whose API-token permission this one uses: itself, or for a route beside v1 (the manual's
    /// dialect) the v1 route it stands for, so the dialect adds no permission groups of its own.
    http::Verb token_method = http::Verb::get;
    std::string token_pattern;
    bool upload = false;  ///< takes files: the body limit is files.maxsize + 2 MB
};

/// Go's strconv.ParseBool, which Vikunja's flags follow: "1", "t", "T", "true", "TRUE", "True" and their false
/// forms; anything else is nullopt.
std::optional<bool> parse_go_bool(std::string_view value);

struct Context {
    Services& services;
    http::Request& request;
    const Route& route;
    std::map<std::string, std::string> params;
    Auth auth;
    /// The read transaction authentication used, handed to a GET handler's first read (one per request).
    std::unique_ptr<db::Tx> pending_read;
    /// A write request's Idempotency-Key (dispatch.cpp): the handler's first write transaction claims it.
    const models::IdempotentRequest* idempotency = nullptr;
    bool idempotency_claimed = false;

    const config::Config& config() const { return services.config; }
    db::Database& db() const { return services.db; }
    /// Opens the handler's transaction: a read reuses authentication's; a write first ends it (on SQLite a
    /// lingering read snapshot would only hold back the WAL checkpoint). The first write transaction claims the
    /// request's Idempotency-Key, so the change and the claim commit together (409 90003 when another request
    /// with the key got there first).
    asio::awaitable<std::unique_ptr<db::Tx>> begin(db::TxMode mode);
    const models::FileStore& files() const { return services.files; }
    /// A path parameter as an id; a non-number is Vikunja's 400 code 2004.
    std::int64_t id_param(const std::string& name) const;
    /// A query flag as Go's strconv.ParseBool reads it ("1", "t", "true", …); absent or anything else is false.
    bool query_flag(const std::string& key) const;
    /// The JSON body as an object ({} when empty); malformed → 400 code 2004.
    util::json::Body body() const;
    /// The caller as the models see it.
    models::Doer doer() const;
    /// The caller's address after applying service.ipextractionmethod and trustedproxies.
    std::string client_ip() const;
};

/// A JSON response with the given status.
http::Response json(unsigned status, std::string body);
/// {"message": "…"} with 200, Vikunja's answer to deletes and actions.
http::Response message(std::string_view text, unsigned status = 200);

}  // namespace vicugna::api
