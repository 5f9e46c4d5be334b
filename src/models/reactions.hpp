// SPDX-License-Identifier: AGPL-3.0-or-later
/// Reactions on tasks and comments (table `reactions`).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

/// Vikunja's entity_kind column: 0 task, 1 comment.
enum class ReactionKind : int { Task = 0, Comment = 1 };

/// value (an emoji) → the users who reacted with it; keys sorted, as Go writes a map.
using ReactionMap = std::map<std::string, std::vector<User>>;

/// The reactions map, or null when there are none (Vikunja's nil map).
void write_reactions(util::json::Writer& w, const ReactionMap& reactions);

/// The reactions of each entity of one kind (entity id → map); one query for the whole page.
asio::awaitable<std::map<std::int64_t, ReactionMap>> reactions_for(db::Tx& tx, ReactionKind kind,
                                                                   const std::vector<std::int64_t>& entity_ids);

/// One reaction as the reaction routes see it.
struct Reaction {
    std::string kind_name;  ///< the path's {entitykind}: "tasks" or "comments"
    std::int64_t entity_id = 0;
    std::string value;
    User user;
    Timestamp created{};
};

/// "tasks" → Task, "comments" → Comment; anything else throws InvalidReactionEntityKind (4025).
ReactionKind reaction_kind_from_path(std::string_view name);

/// The task whose permissions govern the entity: the task itself, or the comment's task
/// (TaskCommentDoesNotExist, 4015, for a missing comment).
asio::awaitable<std::int64_t> reaction_task_id(db::Tx& tx, ReactionKind kind, std::int64_t entity_id);

/// Adds the user's reaction; nothing happens when it already exists (Vikunja answers 201 either way).
asio::awaitable<void> add_reaction(db::Tx& tx, std::int64_t user_id, ReactionKind kind, Reaction& reaction);
/// Removes the user's reaction with that value, if any.
asio::awaitable<void> remove_reaction(db::Tx& tx, std::int64_t user_id, ReactionKind kind, const Reaction& reaction);

/// The Reaction object: user, value, created.
void write_reaction(util::json::Writer& w, const Reaction& reaction);

}  // namespace vicugna::models
