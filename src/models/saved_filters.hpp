// SPDX-License-Identifier: AGPL-3.0-or-later
/// Saved filters (table `saved_filters`): a stored task query owned by one user, shown as the pseudo-project
/// −id−1 with its own four views (Vikunja: pkg/models/saved_filters.go).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

struct SavedFilter {
    std::int64_t id = 0;
    std::string filters;  ///< normalised TaskCollection JSON {s, sort_by, order_by, filter, filter_include_nulls}
    std::string title;
    std::string description;
    std::int64_t owner_id = 0;
    User owner;
    bool is_favorite = false;
    Timestamp created{};
    Timestamp updated{};
};

/// The SavedFilter object: id, filters, title, description, owner, is_favorite, created, updated.
void write_saved_filter(util::json::Writer& w, const SavedFilter& filter);

/// The writable fields from a request body (title, description, filters, is_favorite) with Vikunja's struct
/// validation: title 1–250 runes and `filters` present (412 code 2002). Wrong types → BadInput (400 2004).
SavedFilter saved_filter_from_json(const util::json::Object& in);

/// Vikunja's owner-only rule for reading, updating and deleting: a link share gets 11002, a missing filter
/// 11001; anyone but the owner gets false.
asio::awaitable<bool> can_use_saved_filter(db::Tx& tx, const Doer& doer, std::int64_t filter_id);

/// Checks the filter string (task_filter errors 40xx), inserts the filter owned by `doer` and creates the
/// pseudo-project's views (List, Gantt, Table, Kanban with its buckets; no default `done = false` on List);
/// the matching tasks go into the kanban view's default bucket. `default_timezone` is service.timezone, which
/// resolves dates in the filter. Fills id, owner and times.
asio::awaitable<void> create_saved_filter(db::Tx& tx, const db::Dialect& dialect, const Doer& doer,
                                          SavedFilter& filter, const std::string& default_timezone);

/// The filter with its owner; nullopt when it does not exist.
asio::awaitable<std::optional<SavedFilter>> load_saved_filter(db::Tx& tx, std::int64_t filter_id);

/// Writes title, description, filters and is_favorite (after checking the filter string), puts newly matching
/// tasks into the kanban view's default bucket and returns the stored result in `filter`. `doer` is the owner.
asio::awaitable<void> update_saved_filter(db::Tx& tx, const db::Dialect& dialect, const Doer& doer,
                                          SavedFilter& filter, const std::string& default_timezone);

/// Deletes the filter and its pseudo-project's views (with their buckets, task_buckets and task_positions).
asio::awaitable<void> delete_saved_filter(db::Tx& tx, std::int64_t filter_id);

}  // namespace vicugna::models
