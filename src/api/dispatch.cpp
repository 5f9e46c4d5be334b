// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/dispatch.hpp"

#include <boost/beast/core/string.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>

#include "api/errors.hpp"
#include "util/crypto.hpp"

namespace vicugna::api {
namespace {

constexpr std::string_view kApiPrefix = "/api/v1";
constexpr std::string_view kExposedHeaders =
    "x-pagination-total-pages, x-pagination-result-count, x-max-permission, Authorization, Content-Type, "
    "Idempotent-Replayed";

/// Unique per request and cheap: a random per-process prefix and a counter (no CSPRNG call per request).
std::string new_request_id() {
    static const std::string prefix = util::random_hex(8);
    static std::atomic<std::uint64_t> counter{0};
    return prefix + "-" + std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
}

/// The answer as the idempotency record keeps it: status, the handler's headers and Content-Type, body.
models::IdempotentResponse to_stored(const http::Response& response) {
    util::json::Writer w;
    w.start_object();
    w.key("Content-Type").string(response.content_type);
    for (const auto& [name, value] : response.headers) w.key(name).string(value);
    w.end_object();
    return {static_cast<int>(response.status), w.take(), response.body};
}

/// The stored answer again, marked as a replay.
http::Response replay(const models::IdempotentResponse& stored) {
    http::Response res;
    res.status = static_cast<unsigned>(stored.status);
    res.body = stored.body;
    rapidjson::Document headers;
    headers.Parse(stored.headers_json.data(), stored.headers_json.size());
    if (headers.IsObject()) {
        for (const auto& h : headers.GetObject()) {
            std::string name(h.name.GetString(), h.name.GetStringLength());
            std::string value(h.value.IsString() ? h.value.GetString() : "");
            if (name == "Content-Type") {
                res.content_type = value;
            } else {
                res.set_header(name, value);
            }
        }
    }
    res.set_header("Idempotent-Replayed", "true");
    return res;
}

bool is_api_path(std::string_view path) {
    return path == kApiPrefix || path.starts_with(std::string(kApiPrefix) + "/");
}

/// "http://localhost:*" matches any port on that host.
bool origin_matches(std::string_view origin, std::string_view rule) {
    if (rule == "*") return true;
    if (rule.ends_with(":*")) {
        std::string_view base = rule.substr(0, rule.size() - 1);  // keep the colon
        if (!origin.starts_with(base)) return false;
        std::string_view port = origin.substr(base.size());
        return !port.empty() && port.find_first_not_of("0123456789") == std::string_view::npos;
    }
    if (rule.ends_with('/')) rule.remove_suffix(1);
    return origin == rule;
}

}  // namespace

Api::Api(Services& services) : services_(services) {
    register_v1_routes(table_, services.config);
    token_routes_ = std::make_unique<TokenRoutes>(table_);
    services_.token_routes = token_routes_.get();
}

Api::~Api() = default;

std::uint64_t Api::body_limit(http::Verb method, std::string_view path) const {
    auto match = table_.match(method, path);
    if (match.route && match.route->upload) {
        return static_cast<std::uint64_t>(services_.config.files_maxsize) + 2 * 1024 * 1024;
    }
    return static_cast<std::uint64_t>(services_.config.service_maxbodybytes);
}

bool Api::origin_allowed(std::string_view origin) const {
    const auto& c = services_.config;
    if (!c.cors_enable || origin.empty()) return false;
    for (const auto& rule : c.cors_origins) {
        if (origin_matches(origin, rule)) return true;
    }
    return !c.service_publicurl.empty() && origin_matches(origin, c.service_publicurl);
}

void Api::add_cors(const http::Request& request, http::Response& response) const {
    std::string_view origin = request.header("Origin");
    if (!origin_allowed(origin)) return;
    response.set_header("Access-Control-Allow-Origin", std::string(origin));
    response.set_header("Access-Control-Allow-Credentials", "true");
    response.set_header("Access-Control-Expose-Headers", std::string(kExposedHeaders));
    response.set_header("Vary", "Origin");
}

asio::awaitable<http::Response> Api::handle(http::Request& request) {
    std::string request_id(request.header("X-Request-Id"));
    if (request_id.empty() || request_id.size() > 200) request_id = new_request_id();

    http::Response response;
    try {
        response = co_await route(request);
    } catch (const Error& e) {
        response = render(e);
    } catch (const util::json::BadInput& e) {
        response = render(Error(ErrorCode::InvalidModel, std::string("Invalid model provided: ") + e.what() + "."));
    } catch (const db::Error& e) {
        // Database trouble is the server's problem: log the cause, never show it.
        spdlog::error("request {} {} failed: database {}: {}", request_id, request.path, services_.db.describe(),
                      e.what());
        response = render(Error(e.unavailable() ? ErrorCode::ServiceUnavailable : ErrorCode::Internal));
    } catch (const std::exception& e) {
        spdlog::error("request {} {} failed: {}", request_id, request.path, e.what());
        response = render(Error(ErrorCode::Internal));
    }

    // Downloads set their own Cache-Control (no-cache); everything else under /api/v1 is no-store.
    bool has_cache_control = std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
        return boost::beast::iequals(h.first, "Cache-Control");
    });
    if (is_api_path(request.path) && !has_cache_control) response.set_header("Cache-Control", "no-store");
    response.set_header("X-Request-Id", request_id);
    if (services_.config.cors_enable) add_cors(request, response);

    auto latency = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request.received);
    if (services_.config.log_http != "off") {
        spdlog::info("request_id={} ip={} method={} path={} status={} latency_ms={:.3f}", request_id,
                     request.remote_ip, std::string(boost::beast::http::to_string(request.method)), request.path,
                     response.status, latency.count());
    }
    co_return response;
}

asio::awaitable<http::Response> Api::route(http::Request& request) {
    // CORS preflight: answered for every path, before routing and authentication.
    if (request.method == http::Verb::options && !request.header("Access-Control-Request-Method").empty()) {
        http::Response res;
        res.status = 204;
        res.content_type.clear();
        if (origin_allowed(request.header("Origin"))) {
            res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD");
            res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id, Idempotency-Key");
            if (services_.config.cors_maxage > 0) {
                res.set_header("Access-Control-Max-Age", std::to_string(services_.config.cors_maxage));
            }
        }
        co_return res;
    }
    if (request.body_too_large) throw Error(ErrorCode::FileTooLarge);

    auto match = table_.match(request.method, request.path);
    if (!match.route) {
        if (!match.path_known) throw Error(ErrorCode::NotFound);
        http::Response res = render(Error(ErrorCode::MethodNotAllowed));
        std::string allow;
        for (auto verb : match.allowed) allow += (allow.empty() ? "" : ", ") + std::string(boost::beast::http::to_string(verb));
        res.set_header("Allow", allow);
        co_return res;
    }
    Context ctx{services_, request, *match.route, std::move(match.params), {}};
    co_await authenticate(ctx);
    auto idempotent = idempotent_request(ctx);
    if (!idempotent) co_return co_await match.route->handler(ctx);
    co_return co_await run_idempotent(ctx, *idempotent);
}

std::optional<models::IdempotentRequest> Api::idempotent_request(const Context& ctx) const {
    std::string_view key = ctx.request.header("Idempotency-Key");
    bool writes = ctx.route.method == http::Verb::put || ctx.route.method == http::Verb::post ||
                  ctx.route.method == http::Verb::patch;
    // Only a known caller has keys of its own.
    bool authenticated = ctx.route.access == Access::User || ctx.route.access == Access::Shared;
    if (key.empty() || !writes || !authenticated) return std::nullopt;
    // Printable ASCII only: the key is stored as text, which PostgreSQL checks for valid UTF-8.
    bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    if (key.size() > 255 || !printable) throw Error(ErrorCode::IdempotencyKeyInvalid);
    models::IdempotentRequest r;
    r.user_id = ctx.auth.user_id;
    r.api_token_id = ctx.auth.api_token_id;
    r.link_share_id = ctx.auth.link_share ? ctx.auth.link_share->id : 0;
    r.key = std::string(key);
    std::string method(boost::beast::http::to_string(ctx.request.method));
    r.request_hash = util::to_hex(util::sha256(method + '\n' + ctx.request.path + '\n' + ctx.request.body));
    return r;
}

// Idempotency-Key (ours): a write request retried with the same key gets the first answer again instead of
// changing anything twice. The handler's first write transaction claims the key (Context::begin), so a change and
// its claim commit or roll back together: two requests with one key never both change anything, whichever process
// serves them, and a request that failed leaves the key free for its retry.
asio::awaitable<http::Response> Api::run_idempotent(Context& ctx, const models::IdempotentRequest& request) {
    {
        auto tx = co_await ctx.begin(db::TxMode::Read);
        auto found = co_await models::find_idempotency_key(*tx, request);
        if (found && !found->same_request) throw Error(ErrorCode::IdempotencyKeyReused);
        if (found && !found->response) throw Error(ErrorCode::IdempotencyKeyInProgress);
        if (found) co_return replay(*found->response);
    }
    ctx.idempotency = &request;
    auto response = co_await ctx.route.handler(ctx);
    if (!ctx.idempotency_claimed) co_return response;  // the handler changed nothing
    try {
        auto tx = co_await services_.db.begin(db::TxMode::Write);
        auto stored = to_stored(response);
        co_await models::store_idempotent_response(*tx, request, stored);
        co_await tx->commit();
    } catch (const std::exception& e) {
        // The change is committed and its answer goes out; a retry gets 409 until the key expires.
        spdlog::error("request {}: storing the answer of Idempotency-Key failed: {}", ctx.request.path, e.what());
    }
    co_return response;
}

asio::awaitable<void> Api::authenticate(Context& ctx) {
    switch (ctx.route.access) {
        case Access::Public: co_return;
        case Access::Testing: {
            // Vikunja compares the raw header with the configured token (no "Bearer").
            std::string_view given = ctx.request.header("Authorization");
            if (services_.config.service_testingtoken.empty() ||
                !util::constant_time_equal(given, services_.config.service_testingtoken)) {
                throw Error(ErrorCode::TestingForbidden);
            }
            co_return;
        }
        case Access::User:
        case Access::Shared: break;
    }
    std::string_view header = ctx.request.header("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || !std::equal(kBearer.begin(), kBearer.end(), header.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
        throw Error(ErrorCode::InvalidToken);
    }
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto auth = co_await auth::authenticate_bearer(*tx, services_.jwt_secret, services_.config.service_enablelinksharing,
                                                   header.substr(kBearer.size()));
    if (!auth) throw Error(ErrorCode::InvalidToken);
    // Link shares reach only the routes that work on their project; refusing the rest here means no user-only
    // handler ever sees a caller without a user id.
    if (auth->kind == Auth::Kind::LinkShare && ctx.route.access != Access::Shared) {
        throw Error(ErrorCode::NotAllowedAsLinkShare);
    }
    // A GET handler's first read reuses this transaction. Other methods write, and may first do slow work
    // (bcrypt, staging an upload) during which no connection or snapshot should be held.
    if (ctx.route.method == http::Verb::get) ctx.pending_read = std::move(tx);
    // An API token reaches only the exact (method, route) pairs its permissions name; any valid token may use
    // the self-test (Vikunja: pkg/routes/api_tokens.go).
    if (auth->api_token_id && ctx.route.pattern != "/api/v1/token/test" && !token_routes_->allows(auth->api_token_permissions, ctx.route.token_method, ctx.route.token_pattern)) {
        throw Error(ErrorCode::InvalidToken);
    }
    ctx.auth = std::move(*auth);
}

}  // namespace vicugna::api
