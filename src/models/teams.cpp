// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/teams.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "api/errors.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kTeamColumns =
    "SELECT teams.id, teams.name, teams.description, teams.external_id, teams.is_public, teams.created_by_id, "
    "teams.created, teams.updated FROM teams";
constexpr std::string_view kTeamExists = "SELECT 1 FROM teams WHERE id = ?";
constexpr std::string_view kInsertTeam =
    "INSERT INTO teams (name, description, created_by_id, is_public, created, updated) VALUES (?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view kUpdateTeam = "UPDATE teams SET name = ?, is_public = ?, updated = ? WHERE id = ?";
constexpr std::string_view kUpdateTeamDescription = "UPDATE teams SET description = ? WHERE id = ?";
constexpr std::string_view kDeleteTeamRows[] = {
    "DELETE FROM team_projects WHERE team_id = ?",
    "DELETE FROM team_members WHERE team_id = ?",
    "DELETE FROM teams WHERE id = ?",
};

constexpr std::string_view kMembership =
    "SELECT id, team_id, user_id, admin, created FROM team_members WHERE team_id = ? AND user_id = ?";
constexpr std::string_view kIsTeamAdmin =
    "SELECT 1 FROM team_members WHERE team_id = ? AND user_id = ? AND admin = ?";
constexpr std::string_view kInsertMember =
    "INSERT INTO team_members (team_id, user_id, admin, created) VALUES (?, ?, ?, ?) RETURNING id";
constexpr std::string_view kCountMembers = "SELECT COUNT(*) FROM team_members WHERE team_id = ?";
constexpr std::string_view kDeleteMember = "DELETE FROM team_members WHERE team_id = ? AND user_id = ?";
// What a removed member keeps on the team's projects they can no longer read (Vikunja's
// CleanupTaskAssignmentsAfterTeamRemoval): assignments and task and project subscriptions (entity types 3 and 2).
constexpr std::string_view kTeamProjectIds = "SELECT project_id FROM team_projects WHERE team_id = ?";
constexpr std::string_view kDropAssignments =
    "DELETE FROM task_assignees WHERE user_id = ? AND task_id IN (SELECT id FROM tasks WHERE project_id IN ";
constexpr std::string_view kDropTaskSubscriptions =
    "DELETE FROM subscriptions WHERE user_id = ? AND entity_type = 3 AND entity_id IN "
    "(SELECT id FROM tasks WHERE project_id IN ";
constexpr std::string_view kDropProjectSubscriptions =
    "DELETE FROM subscriptions WHERE user_id = ? AND entity_type = 2 AND entity_id IN ";
constexpr std::string_view kSetMemberAdmin = "UPDATE team_members SET admin = ? WHERE team_id = ? AND user_id = ?";

// The teams a user is in (parameter: the user), and the same plus every public team (the user, then true).
constexpr std::string_view kMemberTeams = " WHERE teams.id IN (SELECT team_id FROM team_members WHERE user_id = ?)";
constexpr std::string_view kMemberOrPublicTeams =
    " WHERE (teams.id IN (SELECT team_id FROM team_members WHERE user_id = ?) OR teams.is_public = ?)";
constexpr std::string_view kNameLike = " AND LOWER(teams.name) LIKE ?";

TeamMember member_from_row(const db::Row& row) {
    TeamMember m;
    m.id = row.get<std::int64_t>("id");
    m.team_id = row.get<std::int64_t>("team_id");
    m.user_id = row.get<std::int64_t>("user_id");
    m.admin = row.get<bool>("admin");
    m.created = row.get<Timestamp>("created");
    return m;
}

}  // namespace

Team team_from_row(const db::Row& row) {
    Team t;
    t.id = row.get<std::int64_t>("id");
    t.name = row.get<std::string>("name");
    t.description = row.get<std::string>("description");
    t.external_id = row.get<std::string>("external_id");
    t.is_public = row.get<bool>("is_public");
    t.created_by_id = row.get<std::int64_t>("created_by_id");
    t.created = row.get<Timestamp>("created");
    t.updated = row.get<Timestamp>("updated");
    return t;
}

void write_team(util::json::Writer& w, const Team& team) {
    w.start_object();
    w.key("id").integer(team.id);
    w.key("name").string(team.name);
    w.key("description").string(team.description);
    w.key("external_id").string(team.external_id);
    w.key("created_by");
    if (team.created_by) {
        w.start_object();
        write_user(w, *team.created_by);
        w.end_object();
    } else {
        w.null();
    }
    w.key("members").start_array();
    for (const auto& member : team.members) {
        w.start_object();
        write_user(w, member.user);
        w.key("admin").boolean(member.admin);
        w.end_object();
    }
    w.end_array();
    w.key("created").time(team.created);
    w.key("updated").time(team.updated);
    w.key("is_public").boolean(team.is_public);
    if (team.permission) w.key("permission").integer(static_cast<int>(*team.permission));
    w.end_object();
}

void write_team_member(util::json::Writer& w, const TeamMember& member) {
    w.start_object();
    w.key("id").integer(member.id);
    w.key("username").string(member.username);
    w.key("admin").boolean(member.admin);
    w.key("created").time(member.created);
    w.end_object();
}

asio::awaitable<void> load_team_members(db::Tx& tx, std::vector<Team>& teams) {
    if (teams.empty()) co_return;
    std::vector<db::Value> ids;
    for (const auto& t : teams) ids.emplace_back(t.id);
    std::string sql = "SELECT tm.team_id, tm.admin, " + public_user_columns("u", "u_") +
                      " FROM team_members tm JOIN users u ON u.id = tm.user_id WHERE tm.team_id IN " +
                      db::placeholders(ids.size()) + " ORDER BY u.id";
    std::map<std::int64_t, std::vector<TeamUser>> members;
    for (auto row : co_await tx.run(sql, std::move(ids))) {
        members[row.get<std::int64_t>("team_id")].push_back(
            TeamUser{public_user_from_row(row, "u_"), row.get<bool>("admin")});
    }
    for (auto& team : teams) {
        team.members = std::move(members[team.id]);
        auto creator = std::find_if(team.members.begin(), team.members.end(),
                                    [&](const TeamUser& m) { return m.user.id == team.created_by_id; });
        if (creator != team.members.end()) team.created_by = creator->user;
    }
}

asio::awaitable<std::optional<Team>> find_team(db::Tx& tx, std::int64_t id) {
    static const std::string sql = std::string(kTeamColumns) + " WHERE teams.id = ?";
    auto rows = co_await tx.query(sql, id);
    if (rows.empty()) co_return std::nullopt;
    std::vector<Team> teams{team_from_row(rows[0])};
    co_await load_team_members(tx, teams);
    co_return std::move(teams[0]);
}

asio::awaitable<void> require_team(db::Tx& tx, std::int64_t id) {
    auto rows = co_await tx.query(kTeamExists, id);
    if (rows.empty()) throw api::Error(api::ErrorCode::TeamDoesNotExist);
}

asio::awaitable<std::optional<TeamMember>> find_membership(db::Tx& tx, std::int64_t team_id, std::int64_t user_id) {
    auto rows = co_await tx.query(kMembership, team_id, user_id);
    if (rows.empty()) co_return std::nullopt;
    co_return member_from_row(rows[0]);
}

asio::awaitable<bool> is_team_admin(db::Tx& tx, const Doer& doer, std::int64_t team_id) {
    if (doer.is_link_share()) co_return false;
    auto rows = co_await tx.query(kIsTeamAdmin, team_id, doer.user_id, true);
    co_return !rows.empty();
}

asio::awaitable<std::pair<std::vector<Team>, std::int64_t>> list_teams(db::Tx& tx, std::int64_t user_id,
                                                                       bool include_public, const std::string& search,
                                                                       std::int64_t limit, std::int64_t offset) {
    std::string where = std::string(include_public ? kMemberOrPublicTeams : kMemberTeams);
    std::vector<db::Value> args{user_id};
    if (include_public) args.emplace_back(true);
    if (!search.empty()) {
        where += kNameLike;
        args.emplace_back(db::lowercase_like_pattern(search));
    }
    auto count = co_await tx.run("SELECT COUNT(*) FROM teams" + where, args);
    std::string sql = std::string(kTeamColumns) + where + " ORDER BY teams.id";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<Team> teams;
    for (auto row : co_await tx.run(sql, std::move(args))) teams.push_back(team_from_row(row));
    co_await load_team_members(tx, teams);
    co_return std::pair{std::move(teams), count[0].get<std::int64_t>(0)};
}

asio::awaitable<void> insert_team(db::Tx& tx, const User& creator, Team& team) {
    auto now = util::now();
    auto rows = co_await tx.query(kInsertTeam, team.name, team.description, creator.id, team.is_public, now, now);
    team.id = rows[0].get<std::int64_t>(0);
    co_await add_team_member(tx, team.id, creator, true);
    auto stored = co_await find_team(tx, team.id);
    team = std::move(*stored);
}

asio::awaitable<void> update_team(db::Tx& tx, Team& team) {
    co_await tx.exec(kUpdateTeam, team.name, team.is_public, util::now(), team.id);
    if (!team.description.empty()) co_await tx.exec(kUpdateTeamDescription, team.description, team.id);
    auto stored = co_await find_team(tx, team.id);
    if (!stored) throw api::Error(api::ErrorCode::TeamDoesNotExist);
    team = std::move(*stored);
}

asio::awaitable<void> delete_team(db::Tx& tx, std::int64_t id) {
    for (auto sql : kDeleteTeamRows) co_await tx.exec(sql, id);
}

asio::awaitable<TeamMember> add_team_member(db::Tx& tx, std::int64_t team_id, const User& user, bool admin) {
    auto existing = co_await find_membership(tx, team_id, user.id);
    if (existing) throw api::Error(api::ErrorCode::UserIsMemberOfTeam);
    TeamMember member;
    member.team_id = team_id;
    member.user_id = user.id;
    member.username = user.username;
    member.admin = admin;
    member.created = util::now();
    auto rows = co_await tx.query(kInsertMember, team_id, user.id, admin, *member.created);
    member.id = rows[0].get<std::int64_t>(0);
    co_return member;
}

asio::awaitable<void> remove_team_member(db::Tx& tx, std::int64_t team_id, std::int64_t user_id) {
    auto team = co_await find_team(tx, team_id);
    if (!team) throw api::Error(api::ErrorCode::TeamDoesNotExist);
    if (!team->external_id.empty()) throw api::Error(api::ErrorCode::CannotRemoveUserFromExternalTeam);
    auto count = co_await tx.query(kCountMembers, team_id);
    if (count[0].get<std::int64_t>(0) == 1) throw api::Error(api::ErrorCode::CannotDeleteLastTeamMember);
    co_await tx.exec(kDeleteMember, team_id, user_id);

    Doer former_member;
    former_member.user_id = user_id;
    std::vector<db::Value> unreadable;
    auto team_projects = co_await tx.query(kTeamProjectIds, team_id);
    for (auto row : team_projects) {
        auto project_id = row.get<std::int64_t>(0);
        auto access = co_await project_access(tx, former_member, project_id);
        if (!access.can_read()) unreadable.emplace_back(project_id);
    }
    if (unreadable.empty()) co_return;
    auto in_list = db::placeholders(unreadable.size());
    auto with_user = [&] {
        std::vector<db::Value> args{user_id};
        args.insert(args.end(), unreadable.begin(), unreadable.end());
        return args;
    };
    co_await tx.run(std::string(kDropAssignments) + in_list + ")", with_user());
    co_await tx.run(std::string(kDropTaskSubscriptions) + in_list + ")", with_user());
    co_await tx.run(std::string(kDropProjectSubscriptions) + in_list, with_user());
}

asio::awaitable<TeamMember> toggle_team_admin(db::Tx& tx, std::int64_t team_id, const User& user) {
    auto stored = co_await find_membership(tx, team_id, user.id);
    TeamMember member = stored.value_or(TeamMember{});
    member.admin = !member.admin;
    member.username = user.username;
    if (stored) co_await tx.exec(kSetMemberAdmin, member.admin, team_id, user.id);
    co_return member;
}

}  // namespace vicugna::models
