// SPDX-License-Identifier: AGPL-3.0-or-later
/// Task assignees (table `task_assignees`): the batch loader used by task lists and the assignee routes.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/user.hpp"

namespace vicugna::models {

/// The assignees of each task (task id → users in assignment order); one query for the whole page.
asio::awaitable<std::map<std::int64_t, std::vector<User>>> assignees_for_tasks(db::Tx& tx,
                                                                               const std::vector<std::int64_t>& task_ids);

/// One page of a task's assignees in assignment order; `search` matches the username. limit 0 = all.
asio::awaitable<std::pair<std::vector<User>, std::int64_t>> list_task_assignees(db::Tx& tx, std::int64_t task_id,
                                                                               const std::string& search,
                                                                               std::int64_t limit,
                                                                               std::int64_t offset);
/// Assigns the user to the task of project `project_id`, subscribes them to it (unless a subscription already
/// covers it) and notifies the task's subscribers (task.assigned). The user must exist (1005) and be able to read
/// the project (7003); an existing assignment is UserAlreadyAssigned (4021).
asio::awaitable<Timestamp> assign_user(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                       std::int64_t project_id, std::int64_t user_id);
/// Removes the assignment, if any.
asio::awaitable<void> unassign_user(db::Tx& tx, const Doer& doer, std::int64_t task_id, std::int64_t user_id);
/// Makes `user_ids` the task's whole assignee set (each new one checked as in assign_user, in the given order).
asio::awaitable<void> replace_task_assignees(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                             std::int64_t project_id, const std::vector<std::int64_t>& user_ids);

}  // namespace vicugna::models
