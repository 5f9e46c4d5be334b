// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeding endpoints for end-to-end tests (Vikunja: pkg/routes/api/v1/testing.go), mounted only with a testing token.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "api/v1/handlers.hpp"

namespace vicugna::api::v1 {
namespace {

// Every table of the schema, so a seed can only touch real tables (the name is pasted into SQL).
const std::set<std::string, std::less<>> kTables = {
    "users", "projects", "project_views", "buckets", "tasks", "task_positions", "task_buckets", "task_reminders",
    "task_assignees", "labels", "label_tasks", "task_relations", "task_attachments", "task_comments",
    "task_unread_statuses", "files", "teams", "team_members", "team_projects", "users_projects", "link_shares",
    "saved_filters", "subscriptions", "favorites", "reactions", "api_tokens", "webhooks", "notifications", "sessions",
    "user_tokens", "totp", "unsplash_photos", "oauth_codes", "time_entries", "migration_status", "license_status",
    "webhook_deliveries", "webhook_delivery_attempts", "periodic_jobs", "idempotency_keys"};

/// Rows are raw: dates arrive as RFC 3339 text, and Vikunja's zero date or "" means NULL.
bool is_time_column(std::string_view c) {
    return c == "created" || c == "updated" || c == "reminder" || c == "last_active" || c == "start_time" ||
           c == "end_time" || c == "window_start" || c.ends_with("_at") || c.ends_with("_date") ||
           c == "deletion_last_reminder_sent" || c == "locked_until";
}

db::Value to_value(std::string_view column, const rapidjson::Value& v) {
    if (v.IsNull()) return {};
    if (v.IsBool()) return v.GetBool();
    if (v.IsInt64()) return v.GetInt64();
    if (v.IsNumber()) return v.GetDouble();
    if (v.IsString()) {
        std::string s(v.GetString(), v.GetStringLength());
        if (is_time_column(column)) {
            auto t = util::parse_time(s);
            if (!t || util::is_zero_time(*t)) return {};
            return *t;
        }
        return s;
    }
    return util::json::stringify(v);  // JSON columns may also be sent as objects
}

http::Response failure(const std::string& what) {
    util::json::Writer w;
    w.start_object().key("error").boolean(true).key("message").string(what).end_object();
    return json(500, w.take());
}

void write_value(util::json::Writer& w, const db::Value& v) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) w.null();
            else if constexpr (std::is_same_v<T, std::int64_t>) w.integer(x);
            else if constexpr (std::is_same_v<T, double>) w.number(x);
            else if constexpr (std::is_same_v<T, bool>) w.boolean(x);
            else if constexpr (std::is_same_v<T, std::string>) w.string(x);
            else w.time(x);
        },
        v);
}

}  // namespace

asio::awaitable<http::Response> testing_seed(Context& ctx) {
    const std::string& table = ctx.params.at("table");
    if (!kTables.count(table)) co_return failure("unknown table " + table);
    rapidjson::Document rows;
    rows.Parse(ctx.request.body.data(), ctx.request.body.size());
    if (rows.HasParseError() || !rows.IsArray()) co_return failure("the body must be a JSON array of rows");
    bool truncate = ctx.request.query_value("truncate").value_or("true") != "false";
    try {
        auto tx = co_await ctx.begin(db::TxMode::Write);
        auto probe = co_await tx->query("SELECT * FROM " + table + " LIMIT 0");
        const auto& columns = probe.columns();
        if (truncate) {
            co_await tx->exec("DELETE FROM " + table);
            if (table == "users") co_await tx->exec("DELETE FROM notifications");
        }
        bool explicit_ids = false;
        for (const auto& row : rows.GetArray()) {
            if (!row.IsObject()) co_return failure("every row must be a JSON object");
            std::string names, marks;
            std::vector<db::Value> values;
            for (const auto& m : row.GetObject()) {
                std::string_view name(m.name.GetString(), m.name.GetStringLength());
                // Unknown columns are dropped, as Vikunja does.
                if (std::find(columns.begin(), columns.end(), name) == columns.end()) continue;
                names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
                marks += marks.empty() ? "?" : ", ?";
                values.push_back(to_value(name, m.value));
                explicit_ids = explicit_ids || name == "id";
            }
            if (values.empty()) continue;
            co_await tx->run("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")", std::move(values));
        }
        // Only after a truncate or explicit ids: a plain read (no rows, no truncate) must not move the sequence
        // under a concurrent transaction that already drew ids from it (the webhook outbox is read that way).
        if (auto reset = ctx.db().dialect().reset_id_sequence; !reset.empty() && (truncate || explicit_ids) &&
            std::find(columns.begin(), columns.end(), "id") != columns.end() && table != "sessions") {
            std::string sql(reset);
            for (auto pos = sql.find("{table}"); pos != std::string::npos; pos = sql.find("{table}")) {
                sql.replace(pos, 7, table);
            }
            co_await tx->query(sql);
        }
        auto all = co_await tx->query("SELECT * FROM " + table);
        co_await tx->commit();
        util::json::Writer w;
        w.start_array();
        for (auto r : all) {
            w.start_object();
            for (std::size_t i = 0; i < r.columns().size(); ++i) {
                w.key(r.columns()[i]);
                write_value(w, r.values()[i]);
            }
            w.end_object();
        }
        w.end_array();
        co_return json(201, w.take());
    } catch (const std::exception& e) {
        spdlog::warn("test seed of {} failed: {}", table, e.what());
        co_return failure(e.what());
    }
}

asio::awaitable<http::Response> testing_truncate_all(Context& ctx) {
    auto tx = co_await ctx.begin(db::TxMode::Write);
    for (const auto& table : kTables) co_await tx->exec("DELETE FROM " + table);
    co_await tx->commit();
    co_return message("ok");
}

}  // namespace vicugna::api::v1
