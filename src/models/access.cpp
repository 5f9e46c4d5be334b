// SPDX-License-Identifier: AGPL-3.0-or-later
// The permission model (Vikunja: pkg/models/project_permissions.go, checkPermissionsForProjects).
#include "models/access.hpp"

#include <algorithm>

#include "api/errors.hpp"

namespace vicugna::models {
namespace {

// The caller's direct and team grants on the project row aliased `p` (two parameters: the user id twice).
constexpr std::string_view kGrantsOfP =
    "(SELECT MAX(up.permission) FROM users_projects up WHERE up.project_id = p.id AND up.user_id = ?) AS user_grant, "
    "(SELECT MAX(tp.permission) FROM team_projects tp JOIN team_members tm ON tm.team_id = tp.team_id "
    "WHERE tp.project_id = p.id AND tm.user_id = ?) AS team_grant";

// One level: a project by id, or a task's project (so a task check is one point lookup when the project is
// top-level, as most are; the recursive query below costs several times as much).
constexpr std::string_view kLevelColumns = "SELECT p.id, p.parent_project_id, p.owner_id, p.is_archived, ";
constexpr std::string_view kByProjectId = " FROM projects p WHERE p.id = ?";
constexpr std::string_view kByTaskId =
    " FROM projects p WHERE p.id = (SELECT project_id FROM tasks WHERE id = ? AND deleted_at IS NULL)";

// The ancestors of a nested project, nearest first. The depth bound stops a corrupted cycle from looping; parents
// are kept acyclic on write.
constexpr std::string_view kAncestorChain =
    "WITH RECURSIVE chain(id, parent_project_id, depth) AS ("
    " SELECT id, parent_project_id, 0 FROM projects WHERE id = ?"
    " UNION ALL"
    " SELECT p.id, p.parent_project_id, chain.depth + 1 FROM projects p JOIN chain ON p.id = chain.parent_project_id"
    " WHERE chain.depth < 64) ";
constexpr std::string_view kAncestorsByDepth = " FROM chain JOIN projects p ON p.id = chain.id ORDER BY chain.depth";

constexpr std::string_view kSavedFilterOwner = "SELECT owner_id FROM saved_filters WHERE id = ?";

// Every project the caller reaches directly, then everything below those (four parameters: user, link-share
// project, user, user).
constexpr std::string_view kReachable = R"(
WITH RECURSIVE reachable(id, depth) AS (
    SELECT id, 0 FROM projects WHERE owner_id = ? OR id = ?
        OR id IN (SELECT project_id FROM users_projects WHERE user_id = ?)
        OR id IN (SELECT tp.project_id FROM team_projects tp JOIN team_members tm ON tm.team_id = tp.team_id
                  WHERE tm.user_id = ?)
    UNION
    SELECT p.id, reachable.depth + 1 FROM projects p JOIN reachable ON p.parent_project_id = reachable.id
    WHERE reachable.depth < 64
)
)";
constexpr std::string_view kReachableIds = "SELECT DISTINCT id FROM reachable";
// The same set as levels with their grants (the chain walk then happens in memory).
constexpr std::string_view kInReachable = " FROM projects p WHERE p.id IN (SELECT id FROM reachable)";

/// A project level: id, parent, owner, archived flag and the caller's grants (see kGrantsOfP).
const std::string& level_columns() {
    static const std::string columns = std::string(kLevelColumns) + std::string(kGrantsOfP);
    return columns;
}

Permission clamp(std::int64_t grant) {
    return static_cast<Permission>(std::clamp<std::int64_t>(grant, 0, 2));
}

asio::awaitable<ProjectAccess> chain_access(db::Tx& tx, const Doer& doer, std::string_view start, std::int64_t id) {
    static const std::string by_project = level_columns() + std::string(kByProjectId);
    static const std::string by_task = level_columns() + std::string(kByTaskId);
    static const std::string ancestors = std::string(kAncestorChain) + level_columns() + std::string(kAncestorsByDepth);
    // A link share has no user grants; -1 matches no user row.
    std::int64_t user = doer.is_link_share() ? -1 : doer.user_id;
    const std::string& sql = start == kByTaskId ? by_task : by_project;
    auto level = co_await tx.query(sql, user, user, id);
    ProjectAccess access;
    if (level.empty()) co_return access;
    access.project_id = level[0].get<std::int64_t>("id");
    access.exists = true;
    std::optional<Permission> nearest_grant;
    auto visit = [&](const db::Row& row) {
        access.archived = access.archived || row.get<bool>("is_archived");
        if (!doer.is_link_share() && row.get<std::int64_t>("owner_id") == doer.user_id) {
            access.permission = Permission::Admin;
        }
        auto direct = row.get<std::optional<std::int64_t>>("user_grant");
        auto team = row.get<std::optional<std::int64_t>>("team_grant");
        if (!nearest_grant && (direct || team)) {
            nearest_grant = clamp(std::max(direct.value_or(0), team.value_or(0)));
        }
    };
    visit(level[0]);
    if (auto parent = level[0].get<std::int64_t>("parent_project_id"); parent > 0) {
        auto chain = co_await tx.query(ancestors, parent, user, user);
        for (auto row : chain) visit(row);
    }
    if (doer.is_link_share()) {
        // A link share reaches its own project only, not the projects below it (as Vikunja).
        if (access.project_id == doer.link_share_project_id) access.permission = doer.link_share_permission;
    } else if (!access.permission) {
        access.permission = nearest_grant;
    }
    co_return access;
}

}  // namespace

asio::awaitable<std::map<std::int64_t, Permission>> readable_project_permissions(db::Tx& tx, const Doer& doer) {
    std::int64_t user = doer.is_link_share() ? -1 : doer.user_id;
    std::int64_t share_project = doer.is_link_share() ? doer.link_share_project_id : 0;
    static const std::string sql = std::string(kReachable) + level_columns() + std::string(kInReachable);
    auto rows = co_await tx.query(sql, user, share_project, user, user, user, user);
    struct Level {
        std::int64_t parent = 0;
        bool owned = false;
        std::optional<Permission> grant;
    };
    std::map<std::int64_t, Level> levels;
    for (auto row : rows) {
        Level l;
        l.parent = row.get<std::int64_t>("parent_project_id");
        l.owned = !doer.is_link_share() && row.get<std::int64_t>("owner_id") == doer.user_id;
        auto id = row.get<std::int64_t>("id");
        auto direct = row.get<std::optional<std::int64_t>>("user_grant");
        auto team = row.get<std::optional<std::int64_t>>("team_grant");
        if (doer.is_link_share() && id == doer.link_share_project_id) {
            l.grant = doer.link_share_permission;
        } else if (direct || team) {
            l.grant = clamp(std::max(direct.value_or(0), team.value_or(0)));
        }
        levels.emplace(id, l);
    }
    // The same walk as chain_access: ownership anywhere up the chain is admin, else the nearest grant.
    // Ancestors outside the set grant nothing (they would be readable otherwise).
    std::map<std::int64_t, Permission> result;
    for (const auto& [id, level] : levels) {
        if (doer.is_link_share() && id != doer.link_share_project_id) continue;  // its own project only
        std::optional<Permission> nearest;
        bool owned = false;
        auto it = levels.find(id);
        for (int depth = 0; it != levels.end() && depth <= 64; ++depth) {
            owned = owned || it->second.owned;
            if (!nearest) nearest = it->second.grant;
            it = levels.find(it->second.parent);
        }
        if (owned) {
            result[id] = Permission::Admin;
        } else if (nearest) {
            result[id] = *nearest;
        }
    }
    co_return result;
}

asio::awaitable<ProjectAccess> project_access(db::Tx& tx, const Doer& doer, std::int64_t project_id) {
    ProjectAccess access;
    access.project_id = project_id;
    if (project_id == kFavoritesProjectId) {
        // Every user has a (read-only) Favorites pseudo-project; link shares have none.
        access.exists = access.pseudo = true;
        if (!doer.is_link_share()) access.permission = Permission::Read;
        co_return access;
    }
    if (is_saved_filter_project(project_id)) {
        auto rows = co_await tx.query(kSavedFilterOwner, saved_filter_id_of(project_id));
        access.pseudo = true;
        access.exists = !rows.empty();
        if (access.exists && !doer.is_link_share() && rows[0].get<std::int64_t>(0) == doer.user_id) {
            access.permission = Permission::Admin;
        }
        co_return access;
    }

    co_return co_await chain_access(tx, doer, kByProjectId, project_id);
}

asio::awaitable<TaskAccess> task_access(db::Tx& tx, const Doer& doer, std::int64_t task_id) {
    TaskAccess access;
    access.project = co_await chain_access(tx, doer, kByTaskId, task_id);
    if (!access.project.exists) throw api::Error(api::ErrorCode::TaskDoesNotExist);
    access.task_id = task_id;
    access.project_id = access.project.project_id;
    co_return access;
}

std::string_view project_chain_cte() { return kAncestorChain; }

ReadableProjectsCte readable_projects_cte(const Doer& doer) {
    std::int64_t user = doer.is_link_share() ? -1 : doer.user_id;
    std::int64_t share_project = doer.is_link_share() ? doer.link_share_project_id : 0;
    return {kReachable, {user, share_project, user, user}};
}

asio::awaitable<std::vector<std::int64_t>> readable_project_ids(db::Tx& tx, const Doer& doer) {
    auto cte = readable_projects_cte(doer);
    static const std::string sql = std::string(kReachable) + std::string(kReachableIds);
    auto rows = co_await tx.run(sql, std::move(cte.args));
    std::vector<std::int64_t> ids;
    ids.reserve(rows.size());
    for (auto row : rows) {
        auto id = row.get<std::int64_t>(0);
        if (!doer.is_link_share() || id == doer.link_share_project_id) ids.push_back(id);
    }
    co_return ids;
}

}  // namespace vicugna::models
