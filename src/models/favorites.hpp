// SPDX-License-Identifier: AGPL-3.0-or-later
/// Per-user favourites of tasks and projects (table `favorites`; Vikunja: pkg/models/favorites.go).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>

#include "db/database.hpp"
#include "models/access.hpp"

namespace vicugna::models {

/// Vikunja's `favorites.kind` column.
enum class FavoriteKind : int { Task = 1, Project = 2 };

/// Whether `doer` marked the entity as favourite (link shares have no favourites).
asio::awaitable<bool> is_favorite(db::Tx& tx, const Doer& doer, FavoriteKind kind, std::int64_t entity_id);
/// Marks or unmarks the entity as `doer`'s favourite; a no-op for link shares and when nothing changes.
asio::awaitable<void> set_favorite(db::Tx& tx, const Doer& doer, FavoriteKind kind, std::int64_t entity_id,
                                   bool favorite);

}  // namespace vicugna::models
