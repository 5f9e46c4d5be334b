// SPDX-License-Identifier: AGPL-3.0-or-later
/// CRUD resources for labels, assignees, comments, relations and reactions (Vikunja: pkg/models/label*.go,
/// task_assignees*.go, task_comment*.go, task_relation*.go, reaction*.go). Each is one line per verb in routes.cpp.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "api/crud.hpp"
#include "models/labels.hpp"
#include "models/reactions.hpp"
#include "models/task_assignees.hpp"
#include "models/task_comments.hpp"
#include "models/task_relations.hpp"
#include "models/user.hpp"

namespace vicugna::api::v1 {

using models::Doer;
using models::Permission;

/// Whether the route takes a model body (PUT create, POST update): only those are validated, as in Vikunja.
bool writes_body(const Context& ctx);
/// Vikunja's validation of a label body (412 2002 naming the field).
void validate_label(const models::Label& l);
/// Characters (UTF-8 code points), as govalidator's runelength counts.
std::size_t rune_count(std::string_view s);

/// Vikunja's Task.CanUpdate (Project.CanWrite on the task's project): 4002 for a missing task, and 3008 instead of
/// an answer once the project is archived (only for callers who can see it).
asio::awaitable<bool> can_write_task(db::Tx& tx, const Doer& doer, std::int64_t task_id);

/// /labels and /labels/{label}.
struct LabelResource {
    using Model = models::Label;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<std::optional<Permission>> can_read(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> read_one(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::Label>> read_all(db::Tx& tx, const Doer& doer, Model& m,
                                                               const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// A label on a task (Vikunja: LabelTask): /tasks/{projecttask}/labels[/{label}].
struct LabelTask {
    std::int64_t task_id = 0;
    std::int64_t label_id = 0;
    util::Timestamp created{};
};
struct LabelTaskResource {
    using Model = LabelTask;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::Label>> read_all(db::Tx& tx, const Doer& doer, Model& m,
                                                               const crud::ListQuery& q);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::Label& label);
};

/// POST /tasks/{projecttask}/labels/bulk: the whole label set (Vikunja: LabelTaskBulk). The answer echoes the
/// labels as sent, as Vikunja does.
struct LabelTaskBulk {
    std::int64_t task_id = 0;
    std::vector<models::Label> labels;
    bool labels_null = true;
};
struct LabelTaskBulkResource {
    using Model = LabelTaskBulk;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// An assignment (Vikunja: TaskAssginee): /tasks/{projecttask}/assignees[/{user}].
struct TaskAssignee {
    std::int64_t task_id = 0;
    std::int64_t project_id = 0;  ///< found by the permission check
    std::int64_t user_id = 0;
    util::Timestamp created{};
};
struct TaskAssigneeResource {
    using Model = TaskAssignee;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::User>> read_all(db::Tx& tx, const Doer& doer, Model& m,
                                                              const crud::ListQuery& q);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::User& user);
};

/// POST /tasks/{projecttask}/assignees/bulk (Vikunja: BulkAssignees); echoes the users as sent.
struct BulkAssignees {
    std::int64_t task_id = 0;
    std::int64_t project_id = 0;  ///< found by the permission check
    std::vector<models::User> assignees;
    bool assignees_null = true;
};
struct BulkAssigneesResource {
    using Model = BulkAssignees;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// /tasks/{task}/comments[/{commentid}] (mounted only with service.enabletaskcomments).
struct TaskCommentResource {
    using Model = models::TaskComment;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<std::optional<Permission>> can_read(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> read_one(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::TaskComment>> read_all(db::Tx& tx, const Doer& doer, Model& m,
                                                                     const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// PUT /tasks/{task}/relations and DELETE /tasks/{task}/relations/{relationKind}/{otherTask}.
struct TaskRelationResource {
    using Model = models::TaskRelation;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// PUT /{entitykind}/{entityid}/reactions and POST …/reactions/delete (the GET is reactions_list, a map).
struct ReactionResource {
    using Model = models::Reaction;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

}  // namespace vicugna::api::v1
