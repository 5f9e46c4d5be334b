// SPDX-License-Identifier: AGPL-3.0-or-later
/// Projects shared with users and teams (tables `users_projects`, `team_projects`; Vikunja:
/// pkg/models/project_users.go, project_team.go). access.cpp reads these rows; this file only writes and lists them.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/teams.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

/// One share row: with a user (`username`/`user_id`) or with a team (`team_id`).
struct ProjectShare {
    std::int64_t id = 0;
    std::int64_t project_id = 0;
    std::int64_t user_id = 0;
    std::string username;
    std::int64_t team_id = 0;
    std::int64_t permission = 0;  ///< as sent; checked by validate_share_permission
    std::optional<Timestamp> created;  ///< unset (Go's zero time) when an update found no share row
    std::optional<Timestamp> updated;
};

/// ProjectUser: id, username, permission, created, updated.
void write_project_user(util::json::Writer& w, const ProjectShare& share);
/// TeamProject: id, team_id, permission, created, updated.
void write_project_team(util::json::Writer& w, const ProjectShare& share);

/// Vikunja's Permission.isValid: 0, 1 or 2, else InvalidPermission (9001).
void validate_share_permission(std::int64_t permission);

/// A user the project is shared with, and the permission.
struct SharedUser {
    User user;
    Permission permission = Permission::Read;
};
/// `GET /projects/{id}/users`: by user id, username searched case-insensitively. limit 0 = all.
asio::awaitable<std::pair<std::vector<SharedUser>, std::int64_t>> list_project_users(db::Tx& tx,
                                                                                     std::int64_t project_id,
                                                                                     const std::string& search,
                                                                                     std::int64_t limit,
                                                                                     std::int64_t offset);
/// `GET /projects/{id}/teams`: teams with members and `permission`, by team id, name searched case-insensitively.
asio::awaitable<std::pair<std::vector<Team>, std::int64_t>> list_project_teams(db::Tx& tx, std::int64_t project_id,
                                                                               const std::string& search,
                                                                               std::int64_t limit,
                                                                               std::int64_t offset);

/// Shares the project with share.user_id. Throws UserAlreadyHasAccess (7002) for the project's owner and for a
/// user who already has a direct share (team grants do not count, as in Vikunja).
asio::awaitable<void> share_with_user(db::Tx& tx, const Doer& doer, ProjectShare& share);
/// Sets the permission of an existing user share (no row: nothing changes) and reloads it.
asio::awaitable<void> update_user_share(db::Tx& tx, ProjectShare& share);
/// Throws UserDoesNotHaveAccessToProject (7003) when there is no direct share.
asio::awaitable<void> unshare_user(db::Tx& tx, std::int64_t project_id, std::int64_t user_id);

/// Shares the project with share.team_id. Throws TeamAlreadyHasAccess (6004).
asio::awaitable<void> share_with_team(db::Tx& tx, const Doer& doer, ProjectShare& share);
/// Sets the permission of an existing team share (no row: nothing changes) and reloads it.
asio::awaitable<void> update_team_share(db::Tx& tx, ProjectShare& share);
/// Throws TeamDoesNotHaveAccessToProject (6007) when the team has no share.
asio::awaitable<void> unshare_team(db::Tx& tx, std::int64_t project_id, std::int64_t team_id);

}  // namespace vicugna::models
