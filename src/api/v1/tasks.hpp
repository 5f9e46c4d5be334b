// SPDX-License-Identifier: AGPL-3.0-or-later
/// The task CRUD resource (spec §2.5): create in a project, read one (also by per-project index), full-replace
/// update, soft delete. Used by routes.cpp; the custom task endpoints are declared in handlers.hpp.
#pragma once
#include <string>

#include "api/crud.hpp"
#include "models/tasks.hpp"

namespace vicugna::api::v1 {

/// /projects/{project}/tasks (create), /tasks/{projecttask}, /projects/{project}/tasks/by-index/{index}.
struct TaskResource {
    struct Model {
        std::int64_t project_id = 0;   ///< create: the project from the path
        std::int64_t task_id = 0;
        std::string project_ref;       ///< by-index: a project id or identifier
        std::int64_t index = 0;        ///< by-index: the per-project index
        models::TaskInput input;       ///< create/update body
        models::TaskExpand expand;     ///< read: ?expand=
        models::Task task;             ///< the answer
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<std::optional<models::Permission>> can_read(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> read_one(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

}  // namespace vicugna::api::v1
