// SPDX-License-Identifier: AGPL-3.0-or-later
/// The operations manual's integration dialect (ops manual part 7; not Vikunja's, docs/api-compat.md): `POST /tasks`
/// with the project in the body and labels by name, `PUT /tasks/{id}` that changes only the keys it is given, and
/// `GET /tasks/search` with plain query parameters. Each is a thin layer over the v1 task resource and task list,
/// so permissions, validation, errors, notifications and events are v1's.
#pragma once
#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <vector>

#include "api/v1/tasks.hpp"
#include "models/labels.hpp"

namespace vicugna::api::v1 {

/// POST /tasks (create) and PUT /tasks/{projecttask} (merge update).
struct DialectTaskResource {
    struct Model : TaskResource::Model {
        rapidjson::Document body;  ///< the request body in v1's form, except dates that may lack a zone
        std::optional<std::vector<models::LabelRef>> labels;  ///< `labels` when given: the task's new label set
        std::string service_timezone;  ///< for dates without a zone when the user has no time zone setting
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// GET /tasks/search: `done`, `project_id`, `labels` (names or ids; comma-separated or repeated), `priority`,
/// `due_before`/`due_after`, `s`, `sort_by`/`order_by`, `page`/`per_page`, compiled to a v1 filter and task list.
asio::awaitable<http::Response> tasks_search(Context& ctx);

}  // namespace vicugna::api::v1
