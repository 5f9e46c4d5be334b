// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/events.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "events/outbox.hpp"
#include "models/project.hpp"
#include "models/tasks.hpp"
#include "models/user.hpp"
#include "util/crypto.hpp"
#include "util/time.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kTaskCompleted = "task.completed";

/// Vikunja's `time`: RFC 3339 with nanoseconds (UTC here; Vikunja writes the server's local time).
std::string time_with_nanoseconds() {
    auto now = std::chrono::system_clock::now();
    auto seconds = std::chrono::floor<std::chrono::seconds>(now);
    auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now - seconds).count();
    std::string text = util::to_rfc3339(util::Timestamp(seconds));  // "…:SSZ"
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%09lld", static_cast<long long>(nanos));
    text.insert(text.size() - 1, fraction);
    return text;
}

/// The webhooks an event reaches: those of `project_id` and its ancestors, and the project-less webhooks of
/// `user_id` (user-directed events) or of every user who can read the project (other events).
asio::awaitable<std::vector<std::int64_t>> matching_webhooks(db::Tx& tx, std::string_view name,
                                                             std::int64_t project_id, std::int64_t user_id) {
    if (!events::outbox_listened()) co_return std::vector<std::int64_t>{};  // webhooks.enabled is off
    // Two index lookups (the project chain's webhooks, then the project-less ones) rather than one OR.
    static const std::string sql = std::string(project_chain_cte()) +
        "SELECT id, user_id, project_id FROM webhooks WHERE project_id IN (SELECT id FROM chain) AND events LIKE ?"
        " UNION ALL SELECT id, user_id, project_id FROM webhooks"
        " WHERE project_id IS NULL AND user_id IS NOT NULL AND events LIKE ?";
    std::string pattern = "%\"" + std::string(name) + "\"%";
    auto rows = co_await tx.query(sql, project_id, pattern, pattern);
    std::vector<std::int64_t> ids;
    bool user_directed = is_user_directed_event(name);
    for (const auto& row : rows) {
        auto id = row.get<std::int64_t>("id");
        if (!row.is_null("project_id")) {
            ids.push_back(id);
            continue;
        }
        auto owner = row.get<std::int64_t>("user_id");
        if (user_directed) {
            if (owner == user_id) ids.push_back(id);
            continue;
        }
        if (project_id == 0) continue;
        Doer hook_owner;
        hook_owner.user_id = owner;
        auto access = co_await project_access(tx, hook_owner, project_id);
        if (access.can_read()) ids.push_back(id);
    }
    co_return ids;
}

/// One delivery row per webhook, all with the same body: Vikunja's {event_name, time, data} plus the manual's
/// {event, timestamp, user_id}. The worker is woken once the change commits.
asio::awaitable<void> queue_deliveries(db::Tx& tx, const std::vector<std::int64_t>& webhook_ids, std::string_view name,
                                       std::int64_t user_id, std::string_view data_json) {
    auto now = util::now();
    util::json::Writer w;
    w.start_object();
    w.key("event_name").string(name);
    w.key("time").string(time_with_nanoseconds());
    w.key("data").raw(data_json);
    w.key("event").string(name);
    w.key("timestamp").time(now);
    w.key("user_id").integer(user_id);
    w.end_object();
    std::string body = w.take();
    static const std::string sql =
        "INSERT INTO webhook_deliveries (webhook_id, uuid, event_name, payload, status, attempts, final_attempt,"
        " next_attempt_at, created, updated) VALUES (?, ?, ?, ?, 'pending', 0, 0, ?, ?, ?)";
    for (auto id : webhook_ids) {
        co_await tx.exec(sql, id, util::uuid_v4(), name, body, now, now, now);
    }
    tx.after_commit(events::notify_outbox);
}

asio::awaitable<void> write_extras(db::Tx& tx, util::json::Writer& w, const std::vector<EventExtra>& extras) {
    for (const auto& extra : extras) {
        if (extra.write) {
            w.key(extra.key);
            extra.write(w);
            continue;
        }
        co_await write_event_user(tx, w, extra.key, extra.user_id);
    }
}

/// {task (with buckets), extras…, doer, project}; empty when the task no longer exists.
asio::awaitable<std::string> task_event_data(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                             const std::vector<EventExtra>& extras) {
    TaskExpand expand;
    expand.buckets = true;
    std::vector<std::int64_t> ids{task_id};
    auto tasks = co_await load_tasks(tx, doer, ids, expand);
    if (tasks.empty()) co_return std::string();
    util::json::Writer w;
    w.start_object();
    w.key("task");
    write_task(w, tasks[0]);
    co_await write_extras(tx, w, extras);
    co_await write_event_user(tx, w, "doer", doer.id());
    co_await write_event_project(tx, w, doer, tasks[0].project_id);
    w.end_object();
    co_return w.take();
}

asio::awaitable<std::int64_t> project_of_task(db::Tx& tx, std::int64_t task_id) {
    auto rows = co_await tx.query("SELECT project_id FROM tasks WHERE id = ?", task_id);
    co_return rows.empty() ? 0 : rows[0].get<std::int64_t>("project_id");
}

}  // namespace

asio::awaitable<void> write_event_user(db::Tx& tx, util::json::Writer& w, std::string_view key, std::int64_t user_id) {
    std::vector<std::int64_t> ids{user_id};
    auto users = co_await load_public_users(tx, ids);
    w.key(key);
    if (auto it = users.find(user_id); it != users.end()) {
        w.start_object();
        write_user(w, it->second);
        w.end_object();
    } else {
        w.null();
    }
}

asio::awaitable<void> write_event_project(db::Tx& tx, util::json::Writer& w, const Doer& doer,
                                          std::int64_t project_id) {
    auto project = co_await load_project(tx, doer, project_id);
    w.key("project");
    if (project) {
        write_project(w, *project);
    } else {
        w.null();
    }
}

const std::vector<std::string>& webhook_event_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all{
            "task.created", "task.updated", "task.deleted", "task.assignee.created", "task.assignee.deleted",
            "task.comment.created", "task.comment.edited", "task.comment.deleted", "task.attachment.created",
            "task.attachment.deleted", "task.relation.created", "task.relation.deleted", "project.updated",
            "project.deleted", "project.shared.user", "project.shared.team", "task.reminder.fired", "task.overdue",
            "tasks.overdue", std::string(kTaskCompleted)};
        std::sort(all.begin(), all.end());
        return all;
    }();
    return names;
}

const std::vector<std::string>& user_webhook_event_names() {
    static const std::vector<std::string> names{std::string(kTaskCompleted), "task.overdue", "task.reminder.fired",
                                                "tasks.overdue"};
    return names;
}

bool is_user_directed_event(std::string_view name) {
    return name == "task.reminder.fired" || name == "task.overdue" || name == "tasks.overdue";
}

asio::awaitable<void> emit_task_event(db::Tx& tx, const Doer& doer, std::string_view name, std::int64_t task_id,
                                      const std::vector<EventExtra>& extras) {
    if (!events::outbox_listened()) co_return;  // webhooks off: not even the task's project is read
    auto project_id = co_await project_of_task(tx, task_id);
    if (project_id == 0) co_return;
    auto hooks = co_await matching_webhooks(tx, name, project_id, 0);
    if (hooks.empty()) co_return;
    auto data = co_await task_event_data(tx, doer, task_id, extras);
    if (data.empty()) co_return;
    co_await queue_deliveries(tx, hooks, name, doer.id(), data);
}

asio::awaitable<void> emit_task_updated(db::Tx& tx, const Doer& doer, std::int64_t task_id, bool was_done) {
    if (!events::outbox_listened()) co_return;
    auto state = co_await tx.query("SELECT project_id, done FROM tasks WHERE id = ?", task_id);
    if (state.empty()) co_return;
    auto project_id = state[0].get<std::int64_t>("project_id");
    auto updated = co_await matching_webhooks(tx, "task.updated", project_id, 0);
    std::vector<std::int64_t> completed;
    if (!was_done && state[0].get<bool>("done")) completed = co_await matching_webhooks(tx, kTaskCompleted, project_id, 0);
    if (updated.empty() && completed.empty()) co_return;
    // A completion is also an update: one payload for both.
    std::vector<EventExtra> none;
    auto data = co_await task_event_data(tx, doer, task_id, none);
    if (data.empty()) co_return;
    if (!updated.empty()) co_await queue_deliveries(tx, updated, "task.updated", doer.id(), data);
    if (!completed.empty()) co_await queue_deliveries(tx, completed, kTaskCompleted, doer.id(), data);
}

asio::awaitable<void> emit_project_event(db::Tx& tx, const Doer& doer, std::string_view name,
                                         std::int64_t project_id, const std::vector<EventExtra>& extras) {
    auto hooks = co_await matching_webhooks(tx, name, project_id, 0);
    if (hooks.empty()) co_return;
    auto project = co_await load_project(tx, doer, project_id);
    if (!project) co_return;
    util::json::Writer w;
    w.start_object();
    w.key("project");
    write_project(w, *project);
    co_await write_extras(tx, w, extras);
    co_await write_event_user(tx, w, "doer", doer.id());
    w.end_object();
    auto data = w.take();
    co_await queue_deliveries(tx, hooks, name, doer.id(), data);
}

asio::awaitable<std::vector<std::int64_t>> user_event_webhooks(db::Tx& tx, std::string_view name,
                                                               std::int64_t user_id, std::int64_t project_id) {
    return matching_webhooks(tx, name, project_id, user_id);
}

asio::awaitable<void> queue_user_event(db::Tx& tx, const std::vector<std::int64_t>& webhook_ids, std::string_view name,
                                       std::int64_t user_id, std::string_view data_json) {
    return queue_deliveries(tx, webhook_ids, name, user_id, data_json);
}

}  // namespace vicugna::models
