// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/task_reminders.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/access.hpp"
#include "models/events.hpp"
#include "models/project.hpp"
#include "models/subscriptions.hpp"
#include "models/tasks.hpp"
#include "util/json.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kReminderFired = "task.reminder.fired";
constexpr std::string_view kTaskOverdue = "task.overdue";
constexpr std::string_view kTasksOverdue = "tasks.overdue";

// Whether any webhook at all subscribes to the event: the jobs stop here on most instances and minutes.
constexpr std::string_view kAnyWebhook = "SELECT 1 FROM webhooks WHERE events LIKE ? LIMIT 1";

constexpr std::string_view kDueReminders =
    "SELECT r.task_id, r.reminder, r.relative_period, r.relative_to, t.project_id, t.created_by_id"
    " FROM task_reminders r JOIN tasks t ON t.id = r.task_id"
    " WHERE r.reminder >= ? AND r.reminder < ? AND t.done = FALSE AND t.deleted_at IS NULL"
    " ORDER BY r.reminder, r.id";
constexpr std::string_view kAssignees = "SELECT user_id FROM task_assignees WHERE task_id = ? ORDER BY id";
// Vikunja reminds active accounts only (not disabled, locked or unconfirmed).
constexpr std::string_view kActiveUsers = "SELECT id FROM users WHERE (status IS NULL OR status = 0) AND id IN ";
constexpr std::string_view kOverdueCandidates =
    "SELECT id, timezone, overdue_tasks_reminders_time FROM users WHERE status IS NULL OR status = 0 ORDER BY id";
// Appended to readable_projects_cte: the projects the user follows and every project below them.
constexpr std::string_view kFollowedProjects = R"(, followed(id, depth) AS (
    SELECT entity_id, 0 FROM subscriptions WHERE user_id = ? AND entity_type = ?
    UNION
    SELECT p.id, followed.depth + 1 FROM projects p JOIN followed ON p.parent_project_id = followed.id
    WHERE followed.depth < 64
)
)";
constexpr std::string_view kOverdueTasks =
    "SELECT t.id FROM tasks t JOIN projects p ON p.id = t.project_id"
    " WHERE t.done = FALSE AND t.deleted_at IS NULL AND p.is_archived = FALSE"
    " AND t.due_date IS NOT NULL AND t.due_date < ? AND t.project_id IN (SELECT id FROM reachable)"
    " AND (t.created_by_id = ? OR t.id IN (SELECT task_id FROM task_assignees WHERE user_id = ?)"
    " OR t.id IN (SELECT entity_id FROM subscriptions WHERE user_id = ? AND entity_type = ?)"
    " OR t.project_id IN (SELECT id FROM followed))"
    " ORDER BY t.due_date, t.id";

asio::awaitable<bool> any_webhook_for(db::Tx& tx, std::string_view event) {
    std::string pattern = "%\"" + std::string(event) + "\"%";
    auto rows = co_await tx.query(kAnyWebhook, pattern);
    co_return !rows.empty();
}

Doer user_doer(std::int64_t user_id) {
    Doer doer;
    doer.user_id = user_id;
    return doer;
}

/// Vikunja's getTaskUsersForTasks: the task's creator, assignees and subscribers, each once, who can still read
/// the task and whose account is active.
asio::awaitable<std::vector<std::int64_t>> task_users(db::Tx& tx, std::int64_t task_id, std::int64_t project_id,
                                                      std::int64_t creator_id) {
    std::vector<std::int64_t> candidates{creator_id};
    auto assignees = co_await tx.query(kAssignees, task_id);
    for (auto row : assignees) candidates.push_back(row.get<std::int64_t>(0));
    std::vector<std::int64_t> users;
    for (auto id : candidates) {
        // Link shares create tasks under negative ids; they are nobody to remind.
        if (id <= 0 || std::find(users.begin(), users.end(), id) != users.end()) continue;
        auto user = user_doer(id);
        auto access = co_await project_access(tx, user, project_id);
        if (access.can_read()) users.push_back(id);
    }
    // subscribers() already keeps only those who can read the task.
    auto followers = co_await subscribers(tx, task_id, project_id);
    for (auto id : followers) {
        if (std::find(users.begin(), users.end(), id) == users.end()) users.push_back(id);
    }
    std::string sql = std::string(kActiveUsers) + db::placeholders(users.size());
    std::vector<db::Value> args(users.begin(), users.end());
    std::set<std::int64_t> active;
    auto rows = co_await tx.run(sql, std::move(args));
    for (auto row : rows) active.insert(row.get<std::int64_t>(0));
    std::erase_if(users, [&](std::int64_t id) { return !active.count(id); });
    co_return users;
}

asio::awaitable<std::string> reminder_data(db::Tx& tx, std::int64_t user_id, std::int64_t task_id,
                                           const TaskReminder& reminder) {
    auto doer = user_doer(user_id);
    std::vector<std::int64_t> ids{task_id};
    auto tasks = co_await load_tasks(tx, doer, ids);
    if (tasks.empty()) co_return std::string();
    util::json::Writer w;
    w.start_object();
    w.key("task");
    write_task(w, tasks[0]);
    co_await write_event_user(tx, w, "user", user_id);
    co_await write_event_project(tx, w, doer, tasks[0].project_id);
    w.key("reminder");
    write_task_reminder(w, reminder);
    w.end_object();
    co_return w.take();
}

/// A user's time zone: their own setting, else the server's default, else UTC (nullptr).
const date::time_zone* zone_of(std::string_view name, std::string_view fallback) {
    const auto* zone = util::find_time_zone(name);
    return zone ? zone : util::find_time_zone(fallback);
}

/// The users whose overdue reminder time is `minute` in their time zone.
asio::awaitable<std::vector<std::int64_t>> users_at_minute(db::Tx& tx, std::int64_t minute,
                                                           std::string_view default_timezone) {
    auto instant = util::Timestamp(std::chrono::minutes(minute));
    std::vector<std::int64_t> users;
    auto rows = co_await tx.query(kOverdueCandidates);
    for (auto row : rows) {
        auto wanted = util::minute_of_day(row.get<std::string>("overdue_tasks_reminders_time"));
        if (!wanted) continue;
        auto zone = zone_of(row.get<std::string>("timezone"), default_timezone);
        auto local = zone ? zone->to_local(instant) : date::local_seconds(instant.time_since_epoch());
        auto time_of_day = local - date::floor<date::days>(local);
        if (std::chrono::duration_cast<std::chrono::minutes>(time_of_day).count() == *wanted) {
            users.push_back(row.get<std::int64_t>("id"));
        }
    }
    co_return users;
}

asio::awaitable<std::vector<std::int64_t>> overdue_task_ids(db::Tx& tx, std::int64_t user_id, util::Timestamp before) {
    auto cte = readable_projects_cte(user_doer(user_id));
    static const std::string sql = std::string(cte.sql) + std::string(kFollowedProjects) + std::string(kOverdueTasks);
    auto project = static_cast<std::int64_t>(SubscriptionEntity::Project);
    auto task = static_cast<std::int64_t>(SubscriptionEntity::Task);
    std::vector<db::Value> own{user_id, project, before, user_id, user_id, user_id, task};
    auto args = std::move(cte.args);
    args.insert(args.end(), own.begin(), own.end());
    auto rows = co_await tx.run(sql, std::move(args));
    std::vector<std::int64_t> ids;
    for (auto row : rows) ids.push_back(row.get<std::int64_t>(0));
    co_return ids;
}

/// task.overdue for each task and tasks.overdue for all of them, to the webhooks that want them.
asio::awaitable<void> send_overdue(db::Tx& tx, std::int64_t user_id, const std::vector<std::int64_t>& task_ids) {
    auto doer = user_doer(user_id);
    auto tasks = co_await load_tasks(tx, doer, task_ids);
    std::map<std::int64_t, std::optional<Project>> projects;
    for (const auto& task : tasks) {
        if (projects.count(task.project_id)) continue;
        auto project = co_await load_project(tx, doer, task.project_id);
        projects.emplace(task.project_id, std::move(project));
    }
    auto write_project_or_null = [&](util::json::Writer& w, std::int64_t project_id) {
        const auto& project = projects[project_id];
        if (project) {
            write_project(w, *project);
        } else {
            w.null();
        }
    };
    for (const auto& task : tasks) {
        auto hooks = co_await user_event_webhooks(tx, kTaskOverdue, user_id, task.project_id);
        if (hooks.empty()) continue;
        util::json::Writer w;
        w.start_object();
        w.key("task");
        write_task(w, task);
        co_await write_event_user(tx, w, "user", user_id);
        w.key("project");
        write_project_or_null(w, task.project_id);
        w.end_object();
        auto data = w.take();
        co_await queue_user_event(tx, hooks, kTaskOverdue, user_id, data);
    }
    auto hooks = co_await user_event_webhooks(tx, kTasksOverdue, user_id, 0);
    if (hooks.empty() || tasks.empty()) co_return;
    util::json::Writer w;
    w.start_object();
    w.key("tasks").start_array();
    for (const auto& task : tasks) write_task(w, task);
    w.end_array();
    co_await write_event_user(tx, w, "user", user_id);
    // Only the projects of this user's tasks (Vikunja's map holds those of every user reminded that minute).
    w.key("projects").start_object();
    for (const auto& [id, project] : projects) {
        w.key(std::to_string(id));
        write_project_or_null(w, id);
    }
    w.end_object();
    w.end_object();
    auto data = w.take();
    co_await queue_user_event(tx, hooks, kTasksOverdue, user_id, data);
}

}  // namespace

asio::awaitable<void> fire_task_reminders(db::Tx& tx, std::int64_t minute) {
    auto reminders_on = co_await any_webhook_for(tx, kReminderFired);
    if (!reminders_on) co_return;
    auto from = util::Timestamp(std::chrono::minutes(minute));
    auto to = util::Timestamp(std::chrono::minutes(minute + 1));
    auto rows = co_await tx.query(kDueReminders, from, to);
    std::set<std::pair<std::int64_t, std::int64_t>> sent;  // (task, user)
    for (auto row : rows) {
        auto task_id = row.get<std::int64_t>("task_id");
        auto project_id = row.get<std::int64_t>("project_id");
        TaskReminder reminder;
        reminder.reminder = row.get<util::Timestamp>("reminder");
        reminder.relative_period = row.get<std::int64_t>("relative_period");
        reminder.relative_to = row.get<std::string>("relative_to");
        auto users = co_await task_users(tx, task_id, project_id, row.get<std::int64_t>("created_by_id"));
        for (auto user_id : users) {
            if (!sent.emplace(task_id, user_id).second) continue;
            auto hooks = co_await user_event_webhooks(tx, kReminderFired, user_id, project_id);
            if (hooks.empty()) continue;
            auto data = co_await reminder_data(tx, user_id, task_id, reminder);
            if (!data.empty()) co_await queue_user_event(tx, hooks, kReminderFired, user_id, data);
        }
    }
}

asio::awaitable<void> fire_overdue_reminders(db::Tx& tx, std::int64_t minute, std::string_view default_timezone) {
    auto single_on = co_await any_webhook_for(tx, kTaskOverdue);
    auto batch_on = co_await any_webhook_for(tx, kTasksOverdue);
    if (!single_on && !batch_on) co_return;
    auto at = util::Timestamp(std::chrono::minutes(minute));
    auto users = co_await users_at_minute(tx, minute, default_timezone);
    for (auto user_id : users) {
        auto task_ids = co_await overdue_task_ids(tx, user_id, at);
        if (!task_ids.empty()) co_await send_overdue(tx, user_id, task_ids);
    }
}

}  // namespace vicugna::models
