// SPDX-License-Identifier: AGPL-3.0-or-later
/// Reactions on tasks and comments (table `reactions`).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "db/database.hpp"
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

}  // namespace vicugna::models
