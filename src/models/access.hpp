// SPDX-License-Identifier: AGPL-3.0-or-later
/// Who is acting (Doer) and what they may do with a project: the one permission model every resource asks.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// Vikunja's permission levels; the JSON and the x-max-permission header carry the number.
enum class Permission : int { Read = 0, Write = 1, Admin = 2 };

/// The caller as the models see it: a user, or a link share acting as the pseudo-user -share_id.
struct Doer {
    std::int64_t user_id = 0;
    std::string username;
    std::int64_t link_share_id = 0;          ///< non-zero for a link share
    std::int64_t link_share_project_id = 0;  ///< the only project a link share reaches
    Permission link_share_permission = Permission::Read;

    bool is_link_share() const { return link_share_id != 0; }
    /// The id written to created_by_id / owner columns: link shares are negative (Vikunja's convention).
    std::int64_t id() const { return is_link_share() ? -link_share_id : user_id; }
};

/// Favorites pseudo-project (spec §2.8b) and the saved-filter pseudo-project ids (filter n ↔ project −n−1).
constexpr std::int64_t kFavoritesProjectId = -1;
inline bool is_saved_filter_project(std::int64_t project_id) { return project_id < -1; }
inline std::int64_t saved_filter_id_of(std::int64_t project_id) { return -project_id - 1; }
inline std::int64_t project_id_of_saved_filter(std::int64_t filter_id) { return -filter_id - 1; }

/// What the caller may do with one project.
struct ProjectAccess {
    std::int64_t project_id = 0;
    bool exists = false;
    std::optional<Permission> permission;  ///< highest grant through the project or an ancestor; empty = none
    bool archived = false;                 ///< the project or one of its ancestors is archived
    bool pseudo = false;                   ///< Favorites or a saved filter (no real row in `projects`)

    bool can_read() const { return permission.has_value(); }
    /// Writes are refused while archived (Vikunja: archived projects are read-only).
    bool can_write() const { return permission && *permission >= Permission::Write && !archived; }
    /// The x-max-permission value: archived projects are read-only for everyone.
    std::optional<Permission> max_permission() const {
        if (!permission) return std::nullopt;
        return archived ? Permission::Read : *permission;
    }
};

/// The caller's access to `project_id`: owner of it or of any ancestor → Admin; otherwise the nearest level of
/// the parent chain that shares it with the user (directly or through a team); a link share reaches its own
/// project only (not the projects below it, as Vikunja).
/// Handles the pseudo-projects (Favorites: read for every user; a saved filter: admin for its owner).
/// Never throws for a missing project: `exists` is false.
asio::awaitable<ProjectAccess> project_access(db::Tx& tx, const Doer& doer, std::int64_t project_id);

/// A task's project and the caller's access to it. Soft-deleted tasks do not exist.
struct TaskAccess {
    std::int64_t task_id = 0;
    std::int64_t project_id = 0;
    ProjectAccess project;
};
/// Throws api::Error TaskDoesNotExist (404) when the task does not exist.
asio::awaitable<TaskAccess> task_access(db::Tx& tx, const Doer& doer, std::int64_t task_id);

/// Ids of every project the caller can read (owned, shared, or below one of those; a link share: its own project
/// only), archived ones included.
/// One query; used by lists (`GET /projects`, `GET /tasks`, labels visibility).
asio::awaitable<std::vector<std::int64_t>> readable_project_ids(db::Tx& tx, const Doer& doer);

/// The same set as readable_project_ids for use inside one statement: `sql` starts it with
/// `WITH RECURSIVE reachable(id, depth) AS (…) `, after which the statement tests `IN (SELECT id FROM reachable)`;
/// `args` are the CTE's parameters, which come before the statement's own. Users only: for a link share the set
/// would also hold the projects below its own.
struct ReadableProjectsCte {
    std::string_view sql;
    std::vector<db::Value> args;
};
ReadableProjectsCte readable_projects_cte(const Doer& doer);

/// `WITH RECURSIVE chain(id, parent_project_id, depth) AS (…) `: the project bound to its one `?` (depth 0) and its
/// ancestors, nearest first; prefix it to a statement that reads `chain`.
std::string_view project_chain_cte();

/// Every project the caller can read, with the permission project_access would give (archived state not
/// applied). One query; used by `GET /projects` for the page and `expand=permissions`.
asio::awaitable<std::map<std::int64_t, Permission>> readable_project_permissions(db::Tx& tx, const Doer& doer);

}  // namespace vicugna::models
