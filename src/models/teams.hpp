// SPDX-License-Identifier: AGPL-3.0-or-later
/// Teams and their members (tables `teams`, `team_members`; Vikunja: pkg/models/teams.go, team_members.go).
/// What a team grants on projects lives in `team_projects` (models/project_shares.hpp) and is read by access.cpp.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

/// A member as a team lists it: the public user and whether they administer the team.
struct TeamUser {
    User user;
    bool admin = false;
};

struct Team {
    std::int64_t id = 0;
    std::string name;
    std::string description;
    std::string external_id;  ///< set by OIDC/LDAP team sync; such teams' members cannot be removed by hand
    bool is_public = false;
    std::int64_t created_by_id = 0;
    std::optional<User> created_by;  ///< null once the creator has left the team (Vikunja finds it among members)
    std::vector<TeamUser> members;   ///< ordered by user id
    Timestamp created{};
    Timestamp updated{};
    std::optional<Permission> permission;  ///< the team's grant, in a project's share list only
};

/// The Team object: id, name, description, external_id, created_by, members (User + admin), created, updated,
/// is_public (Vikunja's field order), then `permission` when the team is listed as a project share.
void write_team(util::json::Writer& w, const Team& team);
/// A team from a row holding the `teams` columns by their names (members not loaded).
Team team_from_row(const db::Row& row);

/// The team_members row as the member routes answer it.
struct TeamMember {
    std::int64_t id = 0;
    std::int64_t team_id = 0;
    std::string username;
    std::int64_t user_id = 0;
    bool admin = false;
    std::optional<Timestamp> created;  ///< unset (Go's zero time) only in the not-a-member toggle answer
};

/// The TeamMember object: id, username, admin, created.
void write_team_member(util::json::Writer& w, const TeamMember& member);

/// The team with its creator and members, or nothing.
asio::awaitable<std::optional<Team>> find_team(db::Tx& tx, std::int64_t id);
/// Throws TeamDoesNotExist (6002) unless the team exists.
asio::awaitable<void> require_team(db::Tx& tx, std::int64_t id);
/// Fills members and created_by of each team (one query for all of them).
asio::awaitable<void> load_team_members(db::Tx& tx, std::vector<Team>& teams);

/// The caller's membership, or nothing (always nothing for a link share).
asio::awaitable<std::optional<TeamMember>> find_membership(db::Tx& tx, std::int64_t team_id, std::int64_t user_id);
/// Whether the caller is an admin member of the team (never a link share).
asio::awaitable<bool> is_team_admin(db::Tx& tx, const Doer& doer, std::int64_t team_id);

/// `GET /teams`: the teams the user is a member of (plus every public team when `include_public`), by id,
/// name searched case-insensitively; with members. limit 0 = all.
asio::awaitable<std::pair<std::vector<Team>, std::int64_t>> list_teams(db::Tx& tx, std::int64_t user_id,
                                                                       bool include_public, const std::string& search,
                                                                       std::int64_t limit, std::int64_t offset);

/// Inserts the team and makes `creator` its first, admin member; reloads it.
asio::awaitable<void> insert_team(db::Tx& tx, const User& creator, Team& team);
/// Writes name, is_public and a non-empty description (Vikunja's update skips empty strings), then reloads it.
asio::awaitable<void> update_team(db::Tx& tx, Team& team);
/// Deletes the team, its members and every project share it holds.
asio::awaitable<void> delete_team(db::Tx& tx, std::int64_t id);

/// Adds the user to the team. Throws UserIsMemberOfTeam (6005).
asio::awaitable<TeamMember> add_team_member(db::Tx& tx, std::int64_t team_id, const User& user, bool admin);
/// Removes the user from the team (a no-op when they are not in it), then drops their task assignments and
/// subscriptions in the team's projects they can no longer read. Throws TeamDoesNotExist (6002),
/// CannotRemoveUserFromExternalTeam (6010), CannotDeleteLastTeamMember (6006).
asio::awaitable<void> remove_team_member(db::Tx& tx, std::int64_t team_id, std::int64_t user_id);
/// Flips the member's admin flag and returns the stored member. A user who is not in the team is answered as
/// Vikunja does: nothing is written and the member comes back with id 0 and admin set.
asio::awaitable<TeamMember> toggle_team_admin(db::Tx& tx, std::int64_t team_id, const User& user);

}  // namespace vicugna::models
