// SPDX-License-Identifier: AGPL-3.0-or-later
// Task assignees (Vikunja: pkg/models/task_assignees.go).
#include "models/task_assignees.hpp"

namespace vicugna::models {

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

}  // namespace vicugna::models
