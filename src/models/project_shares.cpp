// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/project_shares.hpp"

#include <algorithm>

#include "api/errors.hpp"
#include "models/events.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kProjectOwner = "SELECT owner_id FROM projects WHERE id = ?";
// Sharing changes the project's `updated` (Vikunja: updateProjectLastUpdated).
constexpr std::string_view kTouchProject = "UPDATE projects SET updated = ? WHERE id = ?";

constexpr std::string_view kSharedUsers =
    " FROM users_projects up JOIN users u ON u.id = up.user_id WHERE up.project_id = ?";
constexpr std::string_view kUsernameLike = " AND LOWER(u.username) LIKE ?";

constexpr std::string_view kSharedTeams =
    " FROM team_projects tp JOIN teams ON teams.id = tp.team_id WHERE tp.project_id = ?";
constexpr std::string_view kTeamNameLike = " AND LOWER(teams.name) LIKE ?";

Permission stored_permission(const db::Row& row) {
    return static_cast<Permission>(std::clamp<std::int64_t>(row.get<std::int64_t>("permission"), 0, 2));
}

// A share table: users_projects or team_projects, keyed by (project_id, <grantee column>).
struct GrantTable {
    std::string_view table;
    std::string_view grantee;  ///< user_id or team_id
    api::ErrorCode already_shared;
    api::ErrorCode not_shared;

    std::string sql(std::string_view pattern) const {
        std::string out(pattern);
        for (auto [key, value] : {std::pair{std::string_view("{table}"), table}, {"{grantee}", grantee}}) {
            for (auto at = out.find(key); at != std::string::npos; at = out.find(key)) out.replace(at, key.size(), value);
        }
        return out;
    }
};
constexpr GrantTable kUserGrants{"users_projects", "user_id", api::ErrorCode::UserAlreadyHasAccess,
                                 api::ErrorCode::UserDoesNotHaveAccessToProject};
constexpr GrantTable kTeamGrants{"team_projects", "team_id", api::ErrorCode::TeamAlreadyHasAccess,
                                 api::ErrorCode::TeamDoesNotHaveAccessToProject};

constexpr std::string_view kGrant =
    "SELECT id, permission, created, updated FROM {table} WHERE project_id = ? AND {grantee} = ?";
constexpr std::string_view kInsertGrant =
    "INSERT INTO {table} ({grantee}, project_id, permission, created, updated) VALUES (?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kUpdateGrant =
    "UPDATE {table} SET permission = ?, updated = ? WHERE project_id = ? AND {grantee} = ?";
constexpr std::string_view kDeleteGrant = "DELETE FROM {table} WHERE project_id = ? AND {grantee} = ?";

// Fills id, permission, created and updated from the stored share; false when there is none.
asio::awaitable<bool> reload_share(db::Tx& tx, const GrantTable& grants, std::int64_t grantee, ProjectShare& share) {
    auto rows = co_await tx.query(grants.sql(kGrant), share.project_id, grantee);
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

asio::awaitable<void> insert_grant(db::Tx& tx, const GrantTable& grants, std::int64_t grantee, ProjectShare& share) {
    bool exists = co_await reload_share(tx, grants, grantee, share);
    if (exists) throw api::Error(grants.already_shared);
    auto now = util::now();
    auto rows = co_await tx.query(grants.sql(kInsertGrant), grantee, share.project_id, share.permission, now, now);
    share.id = rows[0].get<std::int64_t>(0);
    share.created = share.updated = now;
    co_await touch_project(tx, share.project_id, now);
}

// No stored share: nothing changes (Vikunja answers with the body).
asio::awaitable<void> update_grant(db::Tx& tx, const GrantTable& grants, std::int64_t grantee, ProjectShare& share) {
    auto now = util::now();
    share.updated = now;
    co_await tx.exec(grants.sql(kUpdateGrant), share.permission, now, share.project_id, grantee);
    co_await reload_share(tx, grants, grantee, share);
    co_await touch_project(tx, share.project_id, now);
}

asio::awaitable<void> delete_grant(db::Tx& tx, const GrantTable& grants, std::int64_t project_id, std::int64_t grantee) {
    auto deleted = co_await tx.exec(grants.sql(kDeleteGrant), project_id, grantee);
    if (deleted == 0) throw api::Error(grants.not_shared);
    co_await touch_project(tx, project_id, util::now());
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
        args.emplace_back(db::lowercase_like_pattern(search));
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
        args.emplace_back(db::lowercase_like_pattern(search));
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
        auto t = team_from_row(row);
        t.permission = stored_permission(row);
        teams.push_back(std::move(t));
    }
    co_await load_team_members(tx, teams);
    co_return std::pair{std::move(teams), count[0].get<std::int64_t>(0)};
}

asio::awaitable<void> share_with_user(db::Tx& tx, const Doer& doer, ProjectShare& share) {
    auto owner = co_await tx.query(kProjectOwner, share.project_id);
    if (owner.empty()) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    if (owner[0].get<std::int64_t>(0) == share.user_id) throw api::Error(api::ErrorCode::UserAlreadyHasAccess);
    co_await insert_grant(tx, kUserGrants, share.user_id, share);
    std::vector<EventExtra> extras{{"user", share.user_id, {}}};
    co_await emit_project_event(tx, doer, "project.shared.user", share.project_id, extras);
}

asio::awaitable<void> update_user_share(db::Tx& tx, ProjectShare& share) {
    co_await update_grant(tx, kUserGrants, share.user_id, share);
}

asio::awaitable<void> unshare_user(db::Tx& tx, std::int64_t project_id, std::int64_t user_id) {
    co_await delete_grant(tx, kUserGrants, project_id, user_id);
}

asio::awaitable<void> share_with_team(db::Tx& tx, const Doer& doer, ProjectShare& share) {
    co_await insert_grant(tx, kTeamGrants, share.team_id, share);
    auto team = co_await find_team(tx, share.team_id);
    if (!team) co_return;
    std::vector<Team> one{std::move(*team)};
    co_await load_team_members(tx, one);
    std::vector<EventExtra> extras{{"team", 0, [&one](util::json::Writer& w) { write_team(w, one[0]); }}};
    co_await emit_project_event(tx, doer, "project.shared.team", share.project_id, extras);
}

asio::awaitable<void> update_team_share(db::Tx& tx, ProjectShare& share) {
    co_await update_grant(tx, kTeamGrants, share.team_id, share);
}

asio::awaitable<void> unshare_team(db::Tx& tx, std::int64_t project_id, std::int64_t team_id) {
    co_await delete_grant(tx, kTeamGrants, project_id, team_id);
}

}  // namespace vicugna::models
