// SPDX-License-Identifier: AGPL-3.0-or-later
/// Task relations (table `task_relations`): every relation is stored twice, once from each side, with the
/// inverse kind on the other row (Vikunja: pkg/models/task_relation.go).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

struct TaskRelation {
    std::int64_t task_id = 0;
    std::int64_t other_task_id = 0;
    std::string relation_kind;
    std::int64_t created_by_id = 0;
    User created_by;
    Timestamp created{};
};

/// The kind seen from the other task (subtask↔parenttask, related↔related, duplicateof↔duplicates,
/// blocking↔blocked, precedes↔follows, copiedfrom↔copiedto); nothing for an invalid kind.
std::optional<std::string_view> inverse_relation_kind(std::string_view kind);

/// The TaskRelation object: task_id, other_task_id, relation_kind, created_by, created.
void write_task_relation(util::json::Writer& w, const TaskRelation& relation);

/// Stores the relation and its inverse. Throws RelationTasksCannotBeTheSame (4010), RelationAlreadyExists (4008)
/// and, for subtask/parenttask, RelationCycle (4023). The kind must be valid.
asio::awaitable<void> create_task_relation(db::Tx& tx, const Doer& doer, TaskRelation& relation);
/// Removes the relation and its inverse. Throws RelationDoesNotExist (4009).
asio::awaitable<void> delete_task_relation(db::Tx& tx, const Doer& doer, const TaskRelation& relation);

}  // namespace vicugna::models
