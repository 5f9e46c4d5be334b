// SPDX-License-Identifier: AGPL-3.0-or-later
// Task assignees (Vikunja: pkg/models/task_assignees.go).
#include "models/task_assignees.hpp"

#include <set>

#include "api/errors.hpp"
#include "models/access.hpp"
#include "models/events.hpp"
#include "models/notifications.hpp"
#include "models/subscriptions.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kAssigned = "SELECT 1 FROM task_assignees WHERE task_id = ? AND user_id = ?";
constexpr std::string_view kAssigneeIds = "SELECT user_id FROM task_assignees WHERE task_id = ?";
constexpr std::string_view kInsert = "INSERT INTO task_assignees (task_id, user_id, created) VALUES (?, ?, ?)";
constexpr std::string_view kDelete = "DELETE FROM task_assignees WHERE task_id = ? AND user_id = ?";
constexpr std::string_view kTouchProject = "UPDATE projects SET updated = ? WHERE id = ?";

}  // namespace

asio::awaitable<std::map<std::int64_t, std::vector<User>>> assignees_for_tasks(db::Tx& tx,
                                                                               const std::vector<std::int64_t>& task_ids) {
    std::map<std::int64_t, std::vector<User>> out;
    if (task_ids.empty()) co_return out;
    std::string sql = "SELECT task_assignees.task_id, " + public_user_columns("u", "u_") +
                      " FROM task_assignees JOIN users u ON u.id = task_assignees.user_id"
                      " WHERE task_assignees.task_id IN " + db::placeholders(task_ids.size()) +
                      " ORDER BY task_assignees.id";
    std::vector<db::Value> args(task_ids.begin(), task_ids.end());
    for (auto row : co_await tx.run(sql, std::move(args))) {
        out[row.get<std::int64_t>("task_id")].push_back(public_user_from_row(row, "u_"));
    }
    co_return out;
}

asio::awaitable<std::pair<std::vector<User>, std::int64_t>> list_task_assignees(db::Tx& tx, std::int64_t task_id,
                                                                               const std::string& search,
                                                                               std::int64_t limit,
                                                                               std::int64_t offset) {
    std::string from = " FROM task_assignees JOIN users u ON u.id = task_assignees.user_id"
                       " WHERE task_assignees.task_id = ?";
    std::vector<db::Value> args{task_id};
    if (!search.empty()) {
        std::string pattern = "%";
        for (char c : search) pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        from += " AND LOWER(u.username) LIKE ?";
        args.emplace_back(pattern + "%");
    }
    auto count_sql = "SELECT COUNT(*)" + from;
    auto count = co_await tx.run(count_sql, args);
    std::string sql = "SELECT " + public_user_columns("u", "u_") + from + " ORDER BY task_assignees.id";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<User> users;
    for (auto row : co_await tx.run(sql, std::move(args))) users.push_back(public_user_from_row(row, "u_"));
    co_return std::pair{std::move(users), count[0].get<std::int64_t>(0)};
}

asio::awaitable<Timestamp> assign_user(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                       std::int64_t project_id, std::int64_t user_id) {
    auto user = co_await find_user_by_id(tx, user_id);
    if (!user) throw api::Error(api::ErrorCode::UserDoesNotExist);
    Doer assignee;
    assignee.user_id = user_id;
    auto access = co_await project_access(tx, assignee, project_id);
    if (!access.can_read()) throw api::Error(api::ErrorCode::UserDoesNotHaveAccessToProject);
    auto assigned = co_await tx.query(kAssigned, task_id, user_id);
    if (!assigned.empty()) throw api::Error(api::ErrorCode::UserAlreadyAssigned);
    auto created = util::now();
    co_await tx.exec(kInsert, task_id, user_id, created);
    // Assignees hear about the task from now on (Vikunja subscribes them; an existing subscription, also one
    // through the project, is fine).
    Subscription follow{0, SubscriptionEntity::Task, task_id, user_id, created};
    try {
        co_await subscribe(tx, follow);
    } catch (const api::Error& e) {
        if (e.code() != api::ErrorCode::SubscriptionAlreadyExists) throw;
    }
    co_await notify_task_assigned(tx, doer, task_id, user_id);
    co_await tx.exec(kTouchProject, created, project_id);
    std::vector<EventExtra> extras{{"assignee", user_id, {}}};
    co_await emit_task_event(tx, doer, "task.assignee.created", task_id, extras);
    co_return created;
}

asio::awaitable<void> unassign_user(db::Tx& tx, const Doer& doer, std::int64_t task_id, std::int64_t user_id) {
    co_await tx.exec(kDelete, task_id, user_id);
    std::vector<EventExtra> extras{{"assignee", user_id, {}}};
    co_await emit_task_event(tx, doer, "task.assignee.deleted", task_id, extras);
}

asio::awaitable<void> replace_task_assignees(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                             std::int64_t project_id, const std::vector<std::int64_t>& user_ids) {
    std::set<std::int64_t> current;
    for (auto row : co_await tx.query(kAssigneeIds, task_id)) current.insert(row.get<std::int64_t>(0));
    std::set<std::int64_t> wanted(user_ids.begin(), user_ids.end());
    for (auto id : current) {
        if (!wanted.count(id)) co_await unassign_user(tx, doer, task_id, id);
    }
    // Like Vikunja, a user listed twice is assigned by the first entry and refused (4021) by the second.
    for (auto id : user_ids) {
        if (!current.count(id)) co_await assign_user(tx, doer, task_id, project_id, id);
    }
}

}  // namespace vicugna::models
