// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/webhooks.hpp"

#include <algorithm>

#include "api/errors.hpp"
#include "events/outbound.hpp"
#include "events/outbox.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kSelectWebhooks =
    "SELECT w.id, w.target_url, w.events, w.project_id, w.user_id, w.secret, w.basic_auth_user, "
    "w.basic_auth_password, w.created_by_id, w.created, w.updated, ";
constexpr std::string_view kFromWebhooks = " FROM webhooks w LEFT JOIN users u ON u.id = w.created_by_id ";
constexpr std::string_view kInsertWebhook =
    "INSERT INTO webhooks (target_url, events, project_id, user_id, secret, basic_auth_user, basic_auth_password, "
    "created_by_id, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kUpdateEvents = "UPDATE webhooks SET events = ?, updated = ? WHERE id = ?";
// Webhooks still telling their receivers (the project.deleted just queued) stay until the worker is done with
// them (models/webhook_deliveries.cpp removes them then), as in Vikunja the project's webhooks hear its deletion.
constexpr std::string_view kProjectWebhookIds =
    "SELECT id FROM webhooks WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = webhooks.id"
    " AND d.status = 'pending') AND project_id IN ";
constexpr std::string_view kUserWebhookIds = "SELECT id FROM webhooks WHERE user_id = ? AND project_id IS NULL";
constexpr std::string_view kDeleteAttempts =
    "DELETE FROM webhook_delivery_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id IN ";
constexpr std::string_view kDeleteDeliveries = "DELETE FROM webhook_deliveries WHERE webhook_id IN ";
constexpr std::string_view kDeleteWebhooks = "DELETE FROM webhooks WHERE id IN ";

constexpr std::string_view kSelectDeliveries =
    "SELECT id, uuid, webhook_id, event_name, payload, status, attempts, last_status_code, last_latency_ms, "
    "last_error, next_attempt_at, delivered_at, created, updated FROM webhook_deliveries ";
constexpr std::string_view kSelectAttempts =
    "SELECT attempt, status_code, latency_ms, error, created FROM webhook_delivery_attempts WHERE delivery_id = ? "
    "ORDER BY attempt, id";
// The claim (locked_until) is left alone: a delivery being sent right now is not sent twice at once.
constexpr std::string_view kRedeliver =
    "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, final_attempt = attempts + ?, "
    "updated = ? WHERE id = ?";

// The columns' widths (VARCHAR(255)): longer values would not fit on PostgreSQL.
constexpr std::size_t kMaxColumn = 255;

// Stored as Vikunja's xorm JSON column: ["task.created","task.updated"]. The event matcher reads it with LIKE.
std::string events_json(const std::vector<std::string>& events) {
    util::json::Writer w;
    w.start_array();
    for (const auto& e : events) w.string(e);
    w.end_array();
    return w.take();
}

std::vector<std::string> events_from_json(const std::string& text) {
    std::vector<std::string> events;
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsArray()) return events;
    for (const auto& v : doc.GetArray()) {
        if (v.IsString()) events.emplace_back(v.GetString(), v.GetStringLength());
    }
    return events;
}

Webhook webhook_from_row(const db::Row& row) {
    Webhook h;
    h.id = row.get<std::int64_t>("id");
    h.target_url = row.get<std::string>("target_url");
    h.events = events_from_json(row.get<std::string>("events"));
    h.project_id = row.get<std::int64_t>("project_id");
    h.user_id = row.get<std::int64_t>("user_id");
    h.secret = row.get<std::string>("secret");
    h.basic_auth_user = row.get<std::string>("basic_auth_user");
    h.basic_auth_password = row.get<std::string>("basic_auth_password");
    h.created_by_id = row.get<std::int64_t>("created_by_id");
    auto creator = public_user_from_row(row, "u_");
    if (creator.id != 0) h.created_by = std::move(creator);
    h.created = row.get<Timestamp>("created");
    h.updated = row.get<Timestamp>("updated");
    return h;
}

asio::awaitable<std::vector<Webhook>> select_webhooks(db::Tx& tx, std::string_view where, std::vector<db::Value> args) {
    std::string sql = std::string(kSelectWebhooks) + public_user_columns("u", "u_") + std::string(kFromWebhooks) +
                      std::string(where);
    std::vector<Webhook> hooks;
    for (auto row : co_await tx.run(sql, std::move(args))) hooks.push_back(webhook_from_row(row));
    co_return hooks;
}

std::vector<std::string> strings_in(const util::json::Object& in, const char* key) {
    std::vector<std::string> out;
    const auto* v = in.get(key);
    if (!v || v->IsNull()) return out;
    if (!v->IsArray()) throw util::json::BadInput(std::string("field ") + key + " must be an array of strings");
    for (const auto& item : v->GetArray()) {
        if (!item.IsString()) throw util::json::BadInput(std::string("field ") + key + " must be an array of strings");
        out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
}

DeliveryAttempt attempt_from_row(const db::Row& row) {
    DeliveryAttempt a;
    a.attempt = row.get<std::int64_t>("attempt");
    a.status_code = row.get<std::optional<std::int64_t>>("status_code");
    a.latency_ms = row.get<std::int64_t>("latency_ms");
    a.error = row.get<std::optional<std::string>>("error");
    a.created = row.get<Timestamp>("created");
    return a;
}

WebhookDelivery delivery_from_row(const db::Row& row) {
    WebhookDelivery d;
    d.id = row.get<std::int64_t>("id");
    d.uuid = row.get<std::string>("uuid");
    d.webhook_id = row.get<std::int64_t>("webhook_id");
    d.event_name = row.get<std::string>("event_name");
    d.payload = row.get<std::string>("payload");
    d.status = row.get<std::string>("status");
    d.attempts = row.get<std::int64_t>("attempts");
    d.last_status_code = row.get<std::optional<std::int64_t>>("last_status_code");
    d.last_latency_ms = row.get<std::optional<std::int64_t>>("last_latency_ms");
    d.last_error = row.get<std::optional<std::string>>("last_error");
    d.next_attempt_at = row.get<Timestamp>("next_attempt_at");
    d.delivered_at = row.get<std::optional<Timestamp>>("delivered_at");
    d.created = row.get<Timestamp>("created");
    d.updated = row.get<Timestamp>("updated");
    return d;
}

void write_optional(util::json::Writer& w, const std::optional<std::int64_t>& v) {
    if (v) w.integer(*v);
    else w.null();
}

void write_optional(util::json::Writer& w, const std::optional<std::string>& v) {
    if (v) w.string(*v);
    else w.null();
}

void write_delivery_fields(util::json::Writer& w, const WebhookDelivery& d) {
    w.key("id").integer(d.id);
    w.key("uuid").string(d.uuid);
    w.key("webhook_id").integer(d.webhook_id);
    w.key("event_name").string(d.event_name);
    w.key("status").string(d.status);
    w.key("attempts").integer(d.attempts);
    w.key("last_status_code");
    write_optional(w, d.last_status_code);
    w.key("last_latency_ms");
    write_optional(w, d.last_latency_ms);
    w.key("last_error");
    write_optional(w, d.last_error);
    w.key("next_attempt_at").time(d.next_attempt_at);
    w.key("delivered_at");
    if (d.delivered_at) w.time(d.delivered_at);
    else w.null();
    w.key("created").time(d.created);
    w.key("updated").time(d.updated);
}

}  // namespace

void write_webhook(util::json::Writer& w, const Webhook& hook) {
    w.start_object();
    w.key("id").integer(hook.id);
    w.key("target_url").string(hook.target_url);
    w.key("events").start_array();
    for (const auto& e : hook.events) w.string(e);
    w.end_array();
    w.key("project_id").integer(hook.project_id);
    w.key("user_id").integer(hook.user_id);
    w.key("secret").string("");
    w.key("basic_auth_user").string("");
    w.key("basic_auth_password").string("");
    w.key("created_by");
    if (hook.created_by) {
        w.start_object();
        write_user(w, *hook.created_by);
        w.end_object();
    } else {
        w.null();
    }
    w.key("created").time(hook.created);
    w.key("updated").time(hook.updated);
    w.end_object();
}

Webhook webhook_from_json(const util::json::Object& in) {
    Webhook h;
    h.target_url = in.string("target_url").value_or("");
    h.events = strings_in(in, "events");
    h.secret = in.string("secret").value_or("");
    h.basic_auth_user = in.string("basic_auth_user").value_or(in.string("basicauthuser").value_or(""));
    h.basic_auth_password = in.string("basic_auth_password").value_or(in.string("basicauthpassword").value_or(""));
    return h;
}

void validate_webhook_events(const std::vector<std::string>& events, const std::vector<std::string>& allowed) {
    if (events.empty()) api::invalid_field("events", "non zero value required");
    for (const auto& e : events) {
        if (std::find(allowed.begin(), allowed.end(), e) == allowed.end()) {
            api::invalid_field("events", e + " is not an event these webhooks can subscribe to");
        }
    }
}

void validate_webhook(const Webhook& hook, const std::vector<std::string>& allowed) {
    if (hook.target_url.empty()) api::invalid_field("target_url", "non zero value required");
    if (hook.target_url.size() > kMaxColumn || !events::is_http_url(hook.target_url)) {
        api::invalid_field("target_url", "must be an http:// or https:// URL of at most 255 characters");
    }
    validate_webhook_events(hook.events, allowed);
    const std::pair<const char*, const std::string*> limited[] = {
        {"secret", &hook.secret}, {"basic_auth_user", &hook.basic_auth_user},
        {"basic_auth_password", &hook.basic_auth_password}};
    for (auto [name, value] : limited) {
        if (value->size() > kMaxColumn) api::invalid_field(name, "at most 255 bytes");
    }
}

asio::awaitable<std::optional<Webhook>> find_webhook(db::Tx& tx, std::int64_t id) {
    std::vector<db::Value> args{id};
    auto hooks = co_await select_webhooks(tx, "WHERE w.id = ?", std::move(args));
    if (hooks.empty()) co_return std::nullopt;
    co_return std::move(hooks[0]);
}

asio::awaitable<std::pair<std::vector<Webhook>, std::int64_t>> list_project_webhooks(db::Tx& tx,
                                                                                     std::int64_t project_id,
                                                                                     std::int64_t limit,
                                                                                     std::int64_t offset) {
    auto count = co_await tx.query("SELECT COUNT(*) FROM webhooks WHERE project_id = ?", project_id);
    std::string where = "WHERE w.project_id = ? ORDER BY w.id";
    std::vector<db::Value> args{project_id};
    if (limit > 0) {
        where += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    auto hooks = co_await select_webhooks(tx, where, std::move(args));
    co_return std::pair{std::move(hooks), count[0].get<std::int64_t>(0)};
}

asio::awaitable<std::vector<Webhook>> list_user_webhooks(db::Tx& tx, std::int64_t user_id) {
    std::vector<db::Value> args{user_id};
    co_return co_await select_webhooks(tx, "WHERE w.user_id = ? AND w.project_id IS NULL ORDER BY w.id",
                                       std::move(args));
}

asio::awaitable<void> insert_webhook(db::Tx& tx, Webhook& hook) {
    hook.created = hook.updated = util::now();
    std::optional<std::int64_t> project_id, user_id;
    if (hook.project_id != 0) project_id = hook.project_id;
    if (hook.user_id != 0) user_id = hook.user_id;
    auto rows = co_await tx.query(kInsertWebhook, hook.target_url, events_json(hook.events), project_id, user_id,
                                  hook.secret, hook.basic_auth_user, hook.basic_auth_password, hook.created_by_id,
                                  hook.created, hook.updated);
    hook.id = rows[0].get<std::int64_t>(0);
    std::vector<std::int64_t> creator{hook.created_by_id};
    auto users = co_await load_public_users(tx, creator);
    if (auto it = users.find(hook.created_by_id); it != users.end()) hook.created_by = it->second;
}

asio::awaitable<void> update_webhook_events(db::Tx& tx, Webhook& hook) {
    hook.updated = util::now();
    co_await tx.exec(kUpdateEvents, events_json(hook.events), hook.updated, hook.id);
}

asio::awaitable<void> delete_webhooks(db::Tx& tx, const std::vector<std::int64_t>& ids) {
    if (ids.empty()) co_return;
    std::vector<db::Value> args(ids.begin(), ids.end());
    auto in = db::placeholders(ids.size());
    co_await tx.run(std::string(kDeleteAttempts) + in + ")", args);
    co_await tx.run(std::string(kDeleteDeliveries) + in, args);
    co_await tx.run(std::string(kDeleteWebhooks) + in, std::move(args));
}

asio::awaitable<void> delete_project_webhooks(db::Tx& tx, const std::vector<std::int64_t>& project_ids) {
    if (project_ids.empty()) co_return;
    std::vector<db::Value> args(project_ids.begin(), project_ids.end());
    std::vector<std::int64_t> ids;
    for (auto row : co_await tx.run(std::string(kProjectWebhookIds) + db::placeholders(project_ids.size()), args)) {
        ids.push_back(row.get<std::int64_t>(0));
    }
    co_await delete_webhooks(tx, ids);
}

asio::awaitable<void> delete_user_webhooks(db::Tx& tx, std::int64_t user_id) {
    std::vector<std::int64_t> ids;
    for (auto row : co_await tx.query(kUserWebhookIds, user_id)) ids.push_back(row.get<std::int64_t>(0));
    co_await delete_webhooks(tx, ids);
}

// ---- Delivery log ----

void write_delivery(util::json::Writer& w, const WebhookDelivery& d) {
    w.start_object();
    write_delivery_fields(w, d);
    w.end_object();
}

void write_delivery_detail(util::json::Writer& w, const WebhookDelivery& d, const std::vector<DeliveryAttempt>& log) {
    w.start_object();
    write_delivery_fields(w, d);
    // The body as sent, embedded as JSON; a stored body that is not JSON (never written by us) as a string.
    rapidjson::Document payload;
    payload.Parse(d.payload.data(), d.payload.size());
    w.key("payload");
    if (payload.HasParseError()) w.string(d.payload);
    else w.raw(d.payload);
    w.key("attempt_log").start_array();
    for (const auto& a : log) {
        w.start_object();
        w.key("attempt").integer(a.attempt);
        w.key("status_code");
        write_optional(w, a.status_code);
        w.key("latency_ms").integer(a.latency_ms);
        w.key("error");
        write_optional(w, a.error);
        w.key("created").time(a.created);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

asio::awaitable<std::pair<std::vector<WebhookDelivery>, std::int64_t>> list_deliveries(db::Tx& tx,
                                                                                       std::int64_t webhook_id,
                                                                                       std::int64_t limit,
                                                                                       std::int64_t offset) {
    auto count = co_await tx.query("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?", webhook_id);
    std::string sql = std::string(kSelectDeliveries) + "WHERE webhook_id = ? ORDER BY id DESC";
    std::vector<db::Value> args{webhook_id};
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<WebhookDelivery> deliveries;
    for (auto row : co_await tx.run(sql, std::move(args))) deliveries.push_back(delivery_from_row(row));
    co_return std::pair{std::move(deliveries), count[0].get<std::int64_t>(0)};
}

asio::awaitable<std::optional<WebhookDelivery>> find_delivery(db::Tx& tx, std::int64_t webhook_id, std::int64_t id) {
    static const std::string sql = std::string(kSelectDeliveries) + "WHERE id = ? AND webhook_id = ?";
    auto rows = co_await tx.query(sql, id, webhook_id);
    if (rows.empty()) co_return std::nullopt;
    co_return delivery_from_row(rows[0]);
}

asio::awaitable<std::vector<DeliveryAttempt>> list_delivery_attempts(db::Tx& tx, std::int64_t delivery_id) {
    std::vector<DeliveryAttempt> attempts;
    for (auto row : co_await tx.query(kSelectAttempts, delivery_id)) attempts.push_back(attempt_from_row(row));
    co_return attempts;
}

asio::awaitable<WebhookDelivery> redeliver(db::Tx& tx, WebhookDelivery d, std::int64_t max_attempts) {
    auto now = util::now();
    co_await tx.exec(kRedeliver, now, max_attempts, now, d.id);
    tx.after_commit(events::notify_outbox);
    d.status = "pending";
    d.next_attempt_at = d.updated = now;
    co_return d;
}

}  // namespace vicugna::models
