// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/project_shares.hpp"

#include <algorithm>

#include "api/errors.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kProjectOwner = "SELECT owner_id FROM projects WHERE id = ?";
// Sharing changes the project's `updated` (Vikunja: updateProjectLastUpdated).
constexpr std::string_view kTouchProject = "UPDATE projects SET updated = ? WHERE id = ?";

constexpr std::string_view kUserShare =
    "SELECT id, permission, created, updated FROM users_projects WHERE project_id = ? AND user_id = ?";
constexpr std::string_view kInsertUserShare =
    "INSERT INTO users_projects (user_id, project_id, permission, created, updated) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view kUpdateUserShare =
    "UPDATE users_projects SET permission = ?, updated = ? WHERE project_id = ? AND user_id = ?";
constexpr std::string_view kDeleteUserShare = "DELETE FROM users_projects WHERE project_id = ? AND user_id = ?";
constexpr std::string_view kSharedUsers =
    " FROM users_projects up JOIN users u ON u.id = up.user_id WHERE up.project_id = ?";
constexpr std::string_view kUsernameLike = " AND LOWER(u.username) LIKE ?";

constexpr std::string_view kTeamShare =
    "SELECT id, permission, created, updated FROM team_projects WHERE project_id = ? AND team_id = ?";
constexpr std::string_view kInsertTeamShare =
    "INSERT INTO team_projects (team_id, project_id, permission, created, updated) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view kUpdateTeamShare =
    "UPDATE team_projects SET permission = ?, updated = ? WHERE project_id = ? AND team_id = ?";
constexpr std::string_view kDeleteTeamShare = "DELETE FROM team_projects WHERE project_id = ? AND team_id = ?";
constexpr std::string_view kSharedTeams =
    " FROM team_projects tp JOIN teams ON teams.id = tp.team_id WHERE tp.project_id = ?";
constexpr std::string_view kTeamNameLike = " AND LOWER(teams.name) LIKE ?";

Permission stored_permission(const db::Row& row) {
    return static_cast<Permission>(std::clamp<std::int64_t>(row.get<std::int64_t>("permission"), 0, 2));
}

// Fills id, permission, created and updated from a kUserShare/kTeamShare row; false when there is none.
asio::awaitable<bool> reload_share(db::Tx& tx, std::string_view sql, std::int64_t other_id, ProjectShare& share) {
    auto rows = co_await tx.query(sql, share.project_id, other_id);
    if (rows.empty()) co_return false;
    share.id = rows[0].get<std::int64_t>("id");
    share.permission = rows[0].get<std::int64_t>("permission");
    share.created = rows[0].get<Timestamp>("created");
    share.updated = rows[0].get<Timestamp>("updated");
    co_return true;
}

asio::awaitable<void> touch_project(db::Tx& tx, std::int64_t project_id, Timestamp now) {
    co_await tx.exec(kTouchProject, now, project_id);
}

}  // namespace

void write_project_user(util::json::Writer& w, const ProjectShare& share) {
    w.start_object();
    w.key("id").integer(share.id);
    w.key("username").string(share.username);
    w.key("permission").integer(share.permission);
    w.key("created").time(share.created);
    w.key("updated").time(share.updated);
    w.end_object();
}

void write_project_team(util::json::Writer& w, const ProjectShare& share) {
    w.start_object();
    w.key("id").integer(share.id);
    w.key("team_id").integer(share.team_id);
    w.key("permission").integer(share.permission);
    w.key("created").time(share.created);
    w.key("updated").time(share.updated);
    w.end_object();
}

void validate_share_permission(std::int64_t permission) {
    if (permission < 0 || permission > 2) throw api::Error(api::ErrorCode::InvalidPermission);
}

asio::awaitable<std::pair<std::vector<SharedUser>, std::int64_t>> list_project_users(db::Tx& tx,
                                                                                     std::int64_t project_id,
                                                                                     const std::string& search,
                                                                                     std::int64_t limit,
                                                                                     std::int64_t offset) {
    std::string from = std::string(kSharedUsers);
    std::vector<db::Value> args{project_id};
    if (!search.empty()) {
        from += kUsernameLike;
        args.emplace_back(lowercase_like_pattern(search));
    }
    auto count = co_await tx.run("SELECT COUNT(*)" + from, args);
    std::string sql = "SELECT up.permission, " + public_user_columns("u", "u_") + from + " ORDER BY u.id";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<SharedUser> users;
    for (auto row : co_await tx.run(sql, std::move(args))) {
        users.push_back(SharedUser{public_user_from_row(row, "u_"), stored_permission(row)});
    }
    co_return std::pair{std::move(users), count[0].get<std::int64_t>(0)};
}

asio::awaitable<std::pair<std::vector<Team>, std::int64_t>> list_project_teams(db::Tx& tx, std::int64_t project_id,
                                                                               const std::string& search,
                                                                               std::int64_t limit,
                                                                               std::int64_t offset) {
    std::string from = std::string(kSharedTeams);
    std::vector<db::Value> args{project_id};
    if (!search.empty()) {
        from += kTeamNameLike;
        args.emplace_back(lowercase_like_pattern(search));
    }
    auto count = co_await tx.run("SELECT COUNT(*)" + from, args);
    std::string sql =
        "SELECT tp.permission, teams.id, teams.name, teams.description, teams.external_id, teams.is_public, "
        "teams.created_by_id, teams.created, teams.updated" +
        from + " ORDER BY teams.id";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<Team> teams;
    for (auto row : co_await tx.run(sql, std::move(args))) {
        Team t;
        t.id = row.get<std::int64_t>("id");
        t.name = row.get<std::string>("name");
        t.description = row.get<std::string>("description");
        t.external_id = row.get<std::string>("external_id");
        t.is_public = row.get<bool>("is_public");
        t.created_by_id = row.get<std::int64_t>("created_by_id");
        t.created = row.get<Timestamp>("created");
        t.updated = row.get<Timestamp>("updated");
        t.permission = stored_permission(row);
        teams.push_back(std::move(t));
    }
    co_await load_team_members(tx, teams);
    co_return std::pair{std::move(teams), count[0].get<std::int64_t>(0)};
}

asio::awaitable<void> share_with_user(db::Tx& tx, ProjectShare& share) {
    auto owner = co_await tx.query(kProjectOwner, share.project_id);
    if (owner.empty()) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    if (owner[0].get<std::int64_t>(0) == share.user_id) throw api::Error(api::ErrorCode::UserAlreadyHasAccess);
    bool exists = co_await reload_share(tx, kUserShare, share.user_id, share);
    if (exists) throw api::Error(api::ErrorCode::UserAlreadyHasAccess);
    auto now = util::now();
    auto rows = co_await tx.query(kInsertUserShare, share.user_id, share.project_id, share.permission, now, now);
    share.id = rows[0].get<std::int64_t>(0);
    share.created = share.updated = now;
    co_await touch_project(tx, share.project_id, now);
}

asio::awaitable<void> update_user_share(db::Tx& tx, ProjectShare& share) {
    auto now = util::now();
    share.updated = now;
    co_await tx.exec(kUpdateUserShare, share.permission, now, share.project_id, share.user_id);
    co_await reload_share(tx, kUserShare, share.user_id, share);
    co_await touch_project(tx, share.project_id, now);
}

asio::awaitable<void> unshare_user(db::Tx& tx, std::int64_t project_id, std::int64_t user_id) {
    auto deleted = co_await tx.exec(kDeleteUserShare, project_id, user_id);
    if (deleted == 0) throw api::Error(api::ErrorCode::UserDoesNotHaveAccessToProject);
    co_await touch_project(tx, project_id, util::now());
}

asio::awaitable<void> share_with_team(db::Tx& tx, ProjectShare& share) {
    bool exists = co_await reload_share(tx, kTeamShare, share.team_id, share);
    if (exists) throw api::Error(api::ErrorCode::TeamAlreadyHasAccess);
    auto now = util::now();
    auto rows = co_await tx.query(kInsertTeamShare, share.team_id, share.project_id, share.permission, now, now);
    share.id = rows[0].get<std::int64_t>(0);
    share.created = share.updated = now;
    co_await touch_project(tx, share.project_id, now);
}

asio::awaitable<void> update_team_share(db::Tx& tx, ProjectShare& share) {
    auto now = util::now();
    share.updated = now;
    co_await tx.exec(kUpdateTeamShare, share.permission, now, share.project_id, share.team_id);
    co_await reload_share(tx, kTeamShare, share.team_id, share);
    co_await touch_project(tx, share.project_id, now);
}

asio::awaitable<void> unshare_team(db::Tx& tx, std::int64_t project_id, std::int64_t team_id) {
    auto deleted = co_await tx.exec(kDeleteTeamShare, project_id, team_id);
    if (deleted == 0) throw api::Error(api::ErrorCode::TeamDoesNotHaveAccessToProject);
    co_await touch_project(tx, project_id, util::now());
}

}  // namespace vicugna::models
