// SPDX-License-Identifier: AGPL-3.0-or-later
// Registration, login, token refresh and logout (Vikunja: pkg/routes/api/v1/login.go, user_register.go).
#include "api/v1/handlers.hpp"

#include "api/errors.hpp"
#include "auth/authenticate.hpp"
#include "models/link_shares.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace vicugna::api::v1 {
namespace {

constexpr std::string_view kRefreshCookie = "vikunja_refresh_token";
constexpr int kFailedLoginNotifyAt = 3;  // Vikunja notifies the user at the third wrong password
constexpr std::string_view kInsertFailedLoginNotification =
    "INSERT INTO notifications (notifiable_id, notification, name, subject_id, project_id, created) "
    "VALUES (?, ?, 'failed.login.attempt', 0, 0, ?)";

/// Vikunja limits unauthenticated auth routes per IP and minute: ratelimit.noauthlimit for register, login and
/// link-share auth, ratelimit.tokenrefreshlimit for token refresh.
asio::awaitable<void> limit_per_ip(Context& ctx, std::string_view kind, std::int64_t limit) {
    auto hits = co_await ctx.services.counters.hit(std::string(kind) + ":" + ctx.client_ip(), std::chrono::seconds(60));
    if (hits > limit) throw Error(ErrorCode::TooManyRequests);
}

std::string cookie_path(const config::Config& c) {
    std::string base;
    if (auto scheme = c.service_publicurl.find("://"); scheme != std::string::npos) {
        if (auto slash = c.service_publicurl.find('/', scheme + 3); slash != std::string::npos) {
            base = c.service_publicurl.substr(slash);
        }
    }
    if (base.empty() || base.back() != '/') base += '/';
    return base + "api/v1/user/token/refresh";
}

/// HttpOnly refresh cookie; Secure + SameSite=None behind https, SameSite=Lax otherwise (Vikunja HEAD).
std::string refresh_cookie(const config::Config& c, const std::string& value, std::int64_t max_age) {
    std::string cookie = std::string(kRefreshCookie) + "=" + value + "; Path=" + cookie_path(c) +
                         "; Max-Age=" + std::to_string(max_age) + "; HttpOnly";
    cookie += c.service_publicurl.rfind("https://", 0) == 0 ? "; Secure; SameSite=None" : "; SameSite=Lax";
    return cookie;
}

std::string read_cookie(const http::Request& req, std::string_view name) {
    std::string_view header = req.header("Cookie");
    while (!header.empty()) {
        auto semi = header.find(';');
        std::string_view pair = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
            return std::string(pair.substr(name.size() + 1));
        }
    }
    return {};
}

http::Response token_response(const std::string& jwt) {
    util::json::Writer w;
    w.start_object().key("token").string(jwt).end_object();
    return json(200, w.take());
}

bool plausible_email(const std::string& email) {
    auto at = email.find('@');
    return at != std::string::npos && at > 0 && at + 1 < email.size() && email.find(' ') == std::string::npos &&
           email.size() <= 250;
}

}  // namespace

models::UserSettings default_user_settings(const config::Config& c) {
    models::UserSettings s;
    s.language = c.defaultsettings_language;
    s.timezone = c.defaultsettings_timezone.empty() ? c.service_timezone : c.defaultsettings_timezone;
    s.discoverable_by_name = c.defaultsettings_discoverable_by_name;
    s.discoverable_by_email = c.defaultsettings_discoverable_by_email;
    s.email_reminders_enabled = c.defaultsettings_email_reminders_enabled;
    s.overdue_tasks_reminders_enabled = c.defaultsettings_overdue_tasks_reminders_enabled;
    s.overdue_tasks_reminders_time = c.defaultsettings_overdue_tasks_reminders_time;
    s.week_start = static_cast<int>(c.defaultsettings_week_start);
    return s;
}

asio::awaitable<http::Response> register_user(Context& ctx) {
    const auto& c = ctx.config();
    if (!c.service_enableregistration || !c.auth_local_enabled) throw Error(ErrorCode::NotFound);
    co_await limit_per_ip(ctx, "noauth", c.ratelimit_noauthlimit);
    auto body = ctx.body();
    auto in = body.object();
    std::string username = in.string("username").value_or("");
    std::string password = in.string("password").value_or("");
    std::string email = in.string("email").value_or("");
    std::string language = in.string("language").value_or("");
    if (username.empty() || password.empty() || email.empty()) throw Error(ErrorCode::NoUsernamePassword);
    // Vikunja validates the fields first (412/2002), then reserved names (1026), then uniqueness.
    models::validate_password(password);
    if (!plausible_email(email)) invalid_field("email", "email is not a valid email address");
    models::validate_language(language);
    models::validate_new_username(username);

    // Hash before the write transaction: bcrypt takes ~100 ms and must not hold the writer.
    models::User user;
    user.username = username;
    user.email = email;
    user.password_hash = co_await ctx.services.hasher.hash(password);
    user.settings = default_user_settings(c);
    if (!language.empty()) user.settings.language = language;

    auto tx = co_await ctx.begin(db::TxMode::Write);
    user = co_await models::create_account(*tx, std::move(user));
    co_await tx->commit();

    util::json::Writer w;
    w.start_object();
    models::write_user(w, user);
    w.end_object();
    co_return json(200, w.take());
}

asio::awaitable<http::Response> login(Context& ctx) {
    const auto& c = ctx.config();
    if (!c.auth_local_enabled) throw Error(ErrorCode::NotFound);
    co_await limit_per_ip(ctx, "noauth", c.ratelimit_noauthlimit);
    std::optional<util::json::Body> body;
    try {
        body.emplace(ctx.request.body);
    } catch (const util::json::BadInput&) {
        co_return message("Please provide a username and password.", 400);
    }
    auto in = body->object();
    std::string username = in.string("username").value_or("");
    std::string password = in.string("password").value_or("");
    bool long_token = in.boolean("long_token").value_or(false);
    if (username.empty() || password.empty()) throw Error(ErrorCode::NoUsernamePassword);

    std::optional<models::User> user;
    {
        auto tx = co_await ctx.begin(db::TxMode::Read);
        user = co_await models::find_user_for_login(*tx, username);
    }
    if (!user) {
        // Hash anyway so the answer takes as long as for a real user (no username probing by timing).
        co_await ctx.services.hasher.hash(password);
        throw Error(ErrorCode::WrongUsernameOrPassword);
    }
    if (!user->is_local()) throw Error(ErrorCode::AccountIsNotLocal);
    if (user->status == models::UserStatus::EmailConfirmationRequired) throw Error(ErrorCode::EmailNotConfirmed);
    bool password_ok = co_await ctx.services.hasher.verify(password, user->password_hash);
    if (!password_ok) {
        // Vikunja notifies the owner at the third wrong password, then counts afresh.
        std::string key = "failed-login:" + std::to_string(user->id);
        auto failures = co_await ctx.services.counters.hit(key, std::chrono::hours(1));
        if (failures >= kFailedLoginNotifyAt) {
            util::json::Writer n;
            n.start_object().key("user").start_object();
            models::write_user(n, *user);
            n.end_object().end_object();
            auto tx = co_await ctx.begin(db::TxMode::Write);
            co_await tx->exec(kInsertFailedLoginNotification, user->id, n.take(), util::now());
            co_await tx->commit();
            co_await ctx.services.counters.reset(key);
        }
        throw Error(ErrorCode::WrongUsernameOrPassword);
    }
    // Status is revealed only to someone who knows the password (Vikunja checks it after the hash).
    if (user->status == models::UserStatus::Disabled) throw Error(ErrorCode::AccountDisabled);
    if (user->status == models::UserStatus::Locked) throw Error(ErrorCode::AccountLocked);
    if (user->bot_owner_id != 0) throw Error(ErrorCode::AccountIsBot);

    auto tx = co_await ctx.begin(db::TxMode::Write);
    // Two-factor login is not offered yet: an account that enrolled elsewhere must not bypass it.
    if (!(co_await tx->query("SELECT 1 FROM totp WHERE user_id = ? AND enabled = TRUE", user->id)).empty()) {
        throw Error(ErrorCode::InvalidTotpPasscode);
    }
    std::string device_info(ctx.request.header("User-Agent"));
    auto [session, refresh] = co_await models::create_session(*tx, user->id, device_info, ctx.client_ip(), long_token);
    co_await tx->commit();

    auto res = token_response(auth::issue_user_jwt(ctx.services.jwt_secret, user->id, user->username, user->is_admin,
                                                   session.id, c.service_jwtttlshort));
    res.set_header("Set-Cookie", refresh_cookie(c, refresh, long_token ? c.service_jwtttllong : c.service_jwtttl));
    co_return res;
}

asio::awaitable<http::Response> refresh_token(Context& ctx) {
    const auto& c = ctx.config();
    co_await limit_per_ip(ctx, "refresh", c.ratelimit_tokenrefreshlimit);
    std::string token = read_cookie(ctx.request, kRefreshCookie);
    if (token.empty()) co_return message("No refresh token provided.", 401);
    auto tx = co_await ctx.begin(db::TxMode::Write);
    auto rotated = co_await models::rotate_session(*tx, token, c.service_jwtttl, c.service_jwtttllong);
    if (!rotated) {
        co_await tx->commit();  // keeps the deletion of an idle-expired session
        co_return message("The refresh token is invalid or expired.", 401);
    }
    auto& [session, refresh] = *rotated;
    auto user = co_await models::find_user_by_id(*tx, session.user_id);
    if (!user || user->status == models::UserStatus::Disabled || user->status == models::UserStatus::Locked) {
        co_await models::delete_session(*tx, session.user_id, session.id);
        co_await tx->commit();
        auto res = message("The refresh token is invalid or expired.", 401);
        res.set_header("Set-Cookie", refresh_cookie(c, "", 0));
        co_return res;
    }
    co_await tx->commit();
    auto res = token_response(auth::issue_user_jwt(ctx.services.jwt_secret, user->id, user->username, user->is_admin,
                                                   session.id, c.service_jwtttlshort));
    res.set_header("Set-Cookie",
                   refresh_cookie(c, refresh, session.is_long_session ? c.service_jwtttllong : c.service_jwtttl));
    co_return res;
}

// Renews link-share tokens only; link shares arrive with sharing, so every caller here holds a user token.
asio::awaitable<http::Response> renew_token(Context& ctx) {
    // A link share renews its token here (it has no refresh cookie); authentication has just re-read the share.
    if (ctx.auth.link_share) {
        util::json::Writer w;
        w.start_object();
        w.key("token").string(
            auth::issue_link_share_jwt(ctx.services.jwt_secret, *ctx.auth.link_share, ctx.config().service_jwtttl));
        w.end_object();
        co_return json(200, w.take());
    }
    co_return message("User tokens cannot be renewed via this endpoint. Use POST /user/token/refresh with a refresh "
                      "token.",
                      400);
}

asio::awaitable<http::Response> logout(Context& ctx) {
    if (!ctx.auth.session_id.empty()) {
        auto tx = co_await ctx.begin(db::TxMode::Write);
        co_await models::delete_session(*tx, ctx.auth.user_id, ctx.auth.session_id);
        co_await tx->commit();
    }
    auto res = message("Successfully logged out.");
    res.set_header("Set-Cookie", refresh_cookie(ctx.config(), "", 0));
    co_return res;
}

asio::awaitable<http::Response> link_share_auth(Context& ctx) {
    co_await limit_per_ip(ctx, "noauth", ctx.config().ratelimit_noauthlimit);
    auto hash = ctx.params.at("share");
    auto body = ctx.body();
    auto password = body.object().string("password").value_or("");
    std::optional<models::LinkShare> share;
    {
        auto tx = co_await ctx.begin(db::TxMode::Read);
        share = co_await models::find_link_share_by_hash(*tx, hash);
    }
    if (!share) throw Error(ErrorCode::LinkShareDoesNotExist);
    if (share->sharing_type == models::SharingType::WithPassword) {
        if (password.empty()) throw Error(ErrorCode::LinkSharePasswordRequired);
        bool matches = co_await ctx.services.hasher.verify(password, share->password_hash);
        if (!matches) throw Error(ErrorCode::LinkSharePasswordInvalid);
    }
    // Vikunja's answer: the token, the share (creator not loaded: null) and its project id.
    util::json::Writer w;
    w.start_object();
    w.key("token").string(auth::issue_link_share_jwt(ctx.services.jwt_secret, *share, ctx.config().service_jwtttl));
    models::write_link_share(w, *share);
    w.key("project_id").integer(share->project_id);
    w.end_object();
    co_return json(200, w.take());
}

}  // namespace vicugna::api::v1
