// SPDX-License-Identifier: AGPL-3.0-or-later
// The current user: profile, password, general settings, sessions (Vikunja: pkg/routes/api/v1/user_*.go).
#include <date/tz.h>

#include "api/errors.hpp"
#include "api/pagination.hpp"
#include "api/v1/handlers.hpp"
#include "models/link_shares.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace vicugna::api::v1 {
namespace {

asio::awaitable<models::User> current_user(Context& ctx, db::Tx& tx) {
    if (ctx.auth.link_share) co_return models::link_share_user(*ctx.auth.link_share);
    auto user = co_await models::find_user_by_id(tx, ctx.auth.user_id);
    if (!user) throw Error(ErrorCode::UserDoesNotExist);
    co_return *user;
}

/// The settings handler's validation failures are 400 in Vikunja (not the generic 412).
[[noreturn]] void invalid_setting(const std::string& field, const std::string& reason) {
    throw Error(ErrorCode::InvalidDataBadRequest, {}, {field + ": " + reason});
}

}  // namespace

asio::awaitable<http::Response> user_show(Context& ctx) {
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto user = co_await current_user(ctx, *tx);
    util::json::Writer w;
    w.start_object();
    models::write_user_with_settings(w, user);
    w.end_object();
    co_return json(200, w.take());
}

asio::awaitable<http::Response> user_change_password(Context& ctx) {
    auto body = ctx.body();
    auto in = body.object();
    std::string old_password = in.string("old_password").value_or("");
    std::string new_password = in.string("new_password").value_or("");
    if (new_password.empty()) throw Error(ErrorCode::EmptyNewPassword);
    if (old_password.empty()) throw Error(ErrorCode::EmptyOldPassword);
    models::validate_password(new_password, "new_password");

    models::User user;
    {
        auto tx = co_await ctx.begin(db::TxMode::Read);
        user = co_await current_user(ctx, *tx);
    }
    if (!user.is_local()) throw Error(ErrorCode::AccountIsNotLocal);
    bool password_ok = co_await ctx.services.hasher.verify(old_password, user.password_hash);
    if (!password_ok) {
        throw Error(ErrorCode::WrongUsernameOrPassword);
    }
    std::string hash = co_await ctx.services.hasher.hash(new_password);
    auto tx = co_await ctx.begin(db::TxMode::Write);
    co_await models::update_user_password(*tx, user.id, hash);
    // A new password logs out every session (Vikunja does the same).
    co_await models::delete_user_sessions(*tx, user.id);
    co_await tx->commit();
    co_return message("The password was updated successfully.");
}

asio::awaitable<http::Response> user_settings_general(Context& ctx) {
    auto body = ctx.body();
    auto in = body.object();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    auto user = co_await current_user(ctx, *tx);
    // Vikunja writes the whole settings object: absent fields become their zero value.
    models::UserSettings s;
    s.name = in.string("name").value_or("");
    s.email_reminders_enabled = in.boolean("email_reminders_enabled").value_or(false);
    s.discoverable_by_name = in.boolean("discoverable_by_name").value_or(false);
    s.discoverable_by_email = in.boolean("discoverable_by_email").value_or(false);
    s.overdue_tasks_reminders_enabled = in.boolean("overdue_tasks_reminders_enabled").value_or(false);
    s.overdue_tasks_reminders_time = in.string("overdue_tasks_reminders_time").value_or("");
    s.default_project_id = in.integer("default_project_id").value_or(0);
    s.week_start = static_cast<int>(in.integer("week_start").value_or(0));
    s.language = in.string("language").value_or("");
    s.timezone = in.string("timezone").value_or("");
    s.frontend_settings = in.raw("frontend_settings").value_or("");
    if (s.week_start < 0 || s.week_start > 6) invalid_setting("week_start", "week_start must be between 0 and 6");
    if (!util::minute_of_day(s.overdue_tasks_reminders_time)) {
        invalid_setting("overdue_tasks_reminders_time", "a time like 9:00 is required");
    }
    if (!s.timezone.empty() && !util::find_time_zone(s.timezone)) throw Error(ErrorCode::InvalidTimezone);
    if (s.default_project_id != 0) {
        auto owned = co_await tx->query("SELECT 1 FROM projects WHERE id = ? AND owner_id = ?", s.default_project_id,
                                        user.id);
        if (owned.empty()) throw Error(ErrorCode::ProjectDoesNotExist);
    }
    co_await models::update_user_settings(*tx, user.id, s);
    co_await tx->commit();
    co_return message("The settings were updated successfully.");
}

asio::awaitable<http::Response> user_timezones(Context&) {
    util::json::Writer w;
    w.start_array();
    const auto& tzdb = date::get_tzdb();
    for (const auto& zone : tzdb.zones) w.string(zone.name());
    w.end_array();
    co_return json(200, w.take());
}

asio::awaitable<http::Response> user_sessions(Context& ctx) {
    auto paging = read_paging(ctx);
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto sessions = co_await models::list_sessions(*tx, ctx.auth.user_id);
    auto total = static_cast<std::int64_t>(sessions.size());
    util::json::Writer w;
    w.start_array();
    std::int64_t count = 0;
    for (std::int64_t i = paging.offset(); i < total && (paging.limit() == 0 || count < paging.limit()); ++i, ++count) {
        models::write_session(w, sessions[static_cast<std::size_t>(i)]);
    }
    w.end_array();
    auto res = json(200, w.take());
    set_pagination(res, paging, total, count);
    co_return res;
}

asio::awaitable<http::Response> user_session_delete(Context& ctx) {
    auto tx = co_await ctx.begin(db::TxMode::Write);
    const std::string& id = ctx.params.at("session");
    bool deleted = co_await models::delete_session(*tx, ctx.auth.user_id, id);
    if (!deleted) {
        // Someone else's session is forbidden; an unknown one does not exist (Vikunja's answers).
        auto found = co_await tx->query("SELECT 1 FROM sessions WHERE id = ?", id);
        bool exists = !found.empty();
        throw Error(exists ? ErrorCode::GenericForbidden : ErrorCode::SessionNotFound);
    }
    co_await tx->commit();
    co_return message("Successfully deleted.");
}

asio::awaitable<http::Response> users_search(Context& ctx) {
    auto search = ctx.request.query_value("s").value_or("");
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto users = co_await models::search_users(*tx, search, ctx.auth.user_id);
    util::json::Writer w;
    w.start_array();
    for (const auto& user : users) {
        w.start_object();
        models::write_user(w, user);
        w.end_object();
    }
    w.end_array();
    co_return json(200, w.take());
}

}  // namespace vicugna::api::v1
