// SPDX-License-Identifier: AGPL-3.0-or-later
/// Task assignees (table `task_assignees`).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <vector>

#include "db/database.hpp"
#include "models/user.hpp"

namespace vicugna::models {

/// The assignees of each task (task id → users in assignment order); one query for the whole page.
asio::awaitable<std::map<std::int64_t, std::vector<User>>> assignees_for_tasks(db::Tx& tx,
                                                                               const std::vector<std::int64_t>& task_ids);

}  // namespace vicugna::models
