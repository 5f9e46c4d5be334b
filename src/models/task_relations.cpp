// SPDX-License-Identifier: AGPL-3.0-or-later
// Task relations (Vikunja: pkg/models/task_relation.go, task_relation_permissions.go).
#include "models/task_relations.hpp"

#include <array>
#include <utility>

#include "api/errors.hpp"
#include "models/events.hpp"
#include "models/task_comments.hpp"

namespace vicugna::models {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kInverse{{
    {"subtask", "parenttask"},
    {"parenttask", "subtask"},
    {"related", "related"},
    {"duplicateof", "duplicates"},
    {"duplicates", "duplicateof"},
    {"blocking", "blocked"},
    {"blocked", "blocking"},
    {"precedes", "follows"},
    {"follows", "precedes"},
    {"copiedfrom", "copiedto"},
    {"copiedto", "copiedfrom"},
}};

constexpr std::string_view kExists =
    "SELECT 1 FROM task_relations WHERE task_id = ? AND other_task_id = ? AND relation_kind = ?";
constexpr std::string_view kInsert =
    "INSERT INTO task_relations (task_id, other_task_id, relation_kind, created_by_id, created) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kDelete =
    "DELETE FROM task_relations WHERE (task_id = ? AND other_task_id = ? AND relation_kind = ?) "
    "OR (task_id = ? AND other_task_id = ? AND relation_kind = ?)";
// Every task that reaches `start` through rows of one kind pointing at it (Vikunja: checkTaskRelationCycle walks
// the same edges one query per node). UNION drops repeated ids, so an existing cycle cannot loop.
constexpr std::string_view kReaches = R"(
WITH RECURSIVE up(id) AS (
    SELECT CAST(? AS BIGINT)
    UNION
    SELECT r.task_id FROM task_relations r JOIN up ON r.other_task_id = up.id WHERE r.relation_kind = ?
)
SELECT 1 FROM up WHERE id = ?)";

}  // namespace

std::optional<std::string_view> inverse_relation_kind(std::string_view kind) {
    for (const auto& [k, inverse] : kInverse) {
        if (k == kind) return inverse;
    }
    return std::nullopt;
}

void write_task_relation(util::json::Writer& w, const TaskRelation& r) {
    w.start_object();
    w.key("task_id").integer(r.task_id);
    w.key("other_task_id").integer(r.other_task_id);
    w.key("relation_kind").string(r.relation_kind);
    w.key("created_by");
    if (r.created_by.id == 0) {
        w.null();
    } else {
        w.start_object();
        write_user(w, r.created_by);
        w.end_object();
    }
    w.key("created").time(r.created);
    w.end_object();
}

namespace {

asio::awaitable<void> emit_relation_event(db::Tx& tx, const Doer& doer, std::string_view name,
                                         const TaskRelation& relation) {
    std::vector<EventExtra> extras{{"relation", 0, [&relation](util::json::Writer& w) { write_task_relation(w, relation); }}};
    co_await emit_task_event(tx, doer, name, relation.task_id, extras);
}

}  // namespace

asio::awaitable<void> create_task_relation(db::Tx& tx, const Doer& doer, TaskRelation& r) {
    if (r.task_id == r.other_task_id) throw api::Error(api::ErrorCode::RelationTasksCannotBeTheSame);
    // The inverse row exists whenever the relation does, so one direction is enough to ask.
    auto existing = co_await tx.query(kExists, r.task_id, r.other_task_id, r.relation_kind);
    if (!existing.empty()) throw api::Error(api::ErrorCode::RelationAlreadyExists);
    if (r.relation_kind == "subtask" || r.relation_kind == "parenttask") {
        auto cycle = co_await tx.query(kReaches, r.task_id, r.relation_kind, r.other_task_id);
        if (!cycle.empty()) throw api::Error(api::ErrorCode::RelationCycle);
    }
    auto inverse = std::string(*inverse_relation_kind(r.relation_kind));
    r.created_by = co_await doer_as_user(tx, doer);
    r.created_by_id = doer.id();
    r.created = util::now();
    co_await tx.exec(kInsert, r.task_id, r.other_task_id, r.relation_kind, r.created_by_id, r.created);
    co_await tx.exec(kInsert, r.other_task_id, r.task_id, inverse, r.created_by_id, r.created);
    co_await emit_relation_event(tx, doer, "task.relation.created", r);
}

asio::awaitable<void> delete_task_relation(db::Tx& tx, const Doer& doer, const TaskRelation& r) {
    auto existing = co_await tx.query(kExists, r.task_id, r.other_task_id, r.relation_kind);
    if (existing.empty()) throw api::Error(api::ErrorCode::RelationDoesNotExist);
    auto inverse = std::string(inverse_relation_kind(r.relation_kind).value_or(""));
    co_await tx.exec(kDelete, r.task_id, r.other_task_id, r.relation_kind, r.other_task_id, r.task_id, inverse);
    co_await emit_relation_event(tx, doer, "task.relation.deleted", r);
}

}  // namespace vicugna::models
