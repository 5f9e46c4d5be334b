// SPDX-License-Identifier: AGPL-3.0-or-later
/// Task lists (Vikunja's TaskCollection): `GET /tasks`, `GET /projects/{p}/tasks` and
/// `GET /projects/{p}/views/{v}/tasks` with search, sorting, the filter language, views, kanban buckets,
/// the Favorites pseudo-project and saved filters.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/buckets.hpp"
#include "models/tasks.hpp"
#include "util/json.hpp"

namespace vicugna::models {

/// The query of one task list request (spec §1.6).
struct TaskListParams {
    std::int64_t project_id = 0;  ///< 0: every project the caller can read (GET /tasks)
    std::int64_t view_id = 0;     ///< 0: no view
    std::string search;
    std::vector<std::string> sort_by;
    std::vector<std::string> order_by;
    std::string filter;
    std::string filter_timezone;
    bool filter_include_nulls = false;
    std::vector<std::string> expand;
    std::int64_t limit = 0;  ///< tasks per page (per bucket for kanban); 0 = everything
    std::int64_t offset = 0;
};

/// A flat task page, or the buckets of a kanban view each with its page of tasks.
struct TaskListResult {
    bool is_buckets = false;
    std::vector<Task> tasks;
    std::vector<Bucket> buckets;  ///< `tasks` holds the rendered task array ("" when none: omitted)
    std::int64_t total = 0;       ///< matching tasks (flat) or buckets (kanban)
    std::int64_t count() const {
        return is_buckets ? static_cast<std::int64_t>(buckets.size()) : static_cast<std::int64_t>(tasks.size());
    }
};

/// Runs the list with Vikunja's checks in Vikunja's order: saved filter (11001/11002/403), view (3014),
/// sort (4014/4026/4016), filter (40xx/2003), expand (412 2002), project access (3001/7003).
/// `service_timezone` resolves date math when neither the request nor a saved filter names a zone.
asio::awaitable<TaskListResult> list_tasks(db::Tx& tx, const db::Dialect& dialect, const Doer& doer,
                                           TaskListParams params, const std::string& service_timezone);

/// The response body: [Task] or [Bucket].
void write_task_list(util::json::Writer& w, const TaskListResult& result);

}  // namespace vicugna::models
