// SPDX-License-Identifier: AGPL-3.0-or-later
// Teams, team members and sharing projects with users and teams (Vikunja: pkg/models/teams.go,
// teams_permissions.go, team_members.go, team_members_permissions.go, project_users.go,
// project_users_permissions.go, project_team.go, project_team_permissions.go).
#include "api/v1/teams.hpp"

#include "api/errors.hpp"
#include "api/v1/task_extras.hpp"
#include "models/notifications.hpp"

namespace vicugna::api::v1 {
namespace {

// Vikunja's struct tag on Team.Name: required, runelength(1|250). It is checked before any permission, so the
// model's own "name empty" error (6001) is never reached through the API.
void validate_team(const models::Team& t) {
    if (t.name.empty()) invalid_field("name", "non zero value required");
    if (rune_count(t.name) > 250) invalid_field("name", t.name + " does not validate as runelength(1|250)");
}

// The struct tag `valid:"length(0|2)"` on a share's permission: govalidator measures the number's decimal text,
// so 100 or -10 fail validation (412) while 3 or -1 pass it and are refused later as 9001.
std::int64_t bind_permission(Context& ctx, const util::json::Object& in) {
    auto permission = in.integer("permission").value_or(0);
    auto text = std::to_string(permission);
    if (writes_body(ctx) && text.size() > 2) invalid_field("permission", text + " does not validate as length(0|2)");
    return permission;
}

// Project.IsAdmin, which every share write asks: never for a pseudo project, a missing project is 3001, and
// archived projects still count (sharing is not a write to the project). Link shares never reach these routes.
asio::awaitable<bool> is_project_admin(db::Tx& tx, const Doer& doer, std::int64_t project_id) {
    auto access = co_await models::project_access(tx, doer, project_id);
    if (access.pseudo) co_return false;
    if (!access.exists) throw Error(ErrorCode::ProjectDoesNotExist);
    co_return access.permission == Permission::Admin;
}

asio::awaitable<void> require_project_read(db::Tx& tx, const Doer& doer, std::int64_t project_id) {
    auto access = co_await models::project_access(tx, doer, project_id);
    if (!access.can_read()) throw Error(ErrorCode::NeedProjectReadAccess);
}

}  // namespace

// --- /teams --------------------------------------------------------------------------------------------------

TeamResource::Model TeamResource::bind(Context& ctx) {
    Model m;
    if (ctx.params.count("team")) m.team.id = ctx.id_param("team");
    auto body = ctx.body();
    auto in = body.object();
    m.team.name = in.string("name").value_or("");
    m.team.description = in.string("description").value_or("");
    m.team.is_public = in.boolean("is_public").value_or(false);
    m.include_public =
        ctx.config().service_enablepublicteams && ctx.query_flag("include_public");
    if (writes_body(ctx)) validate_team(m.team);
    return m;
}

asio::awaitable<bool> TeamResource::can_create(db::Tx&, const Doer&, Model&) { co_return true; }

asio::awaitable<void> TeamResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    auto creator = co_await models::find_user_by_id(tx, doer.user_id);
    if (!creator) throw Error(ErrorCode::UserDoesNotExist);
    co_await models::insert_team(tx, *creator, m.team);
}

asio::awaitable<std::optional<Permission>> TeamResource::can_read(db::Tx& tx, const Doer& doer, Model& m) {
    // Members read the team; x-max-permission is 2 for its admins and 0 for everyone else (Team.CanRead).
    auto membership = co_await models::find_membership(tx, m.team.id, doer.user_id);
    if (!membership) co_return std::nullopt;
    co_return membership->admin ? Permission::Admin : Permission::Read;
}

asio::awaitable<void> TeamResource::read_one(db::Tx& tx, const Doer&, Model& m) {
    auto team = co_await models::find_team(tx, m.team.id);
    if (!team) throw Error(ErrorCode::TeamDoesNotExist);
    m.team = std::move(*team);
}

asio::awaitable<bool> TeamResource::can_read_all(db::Tx&, const Doer&, Model&) { co_return true; }

asio::awaitable<crud::Page<models::Team>> TeamResource::read_all(db::Tx& tx, const Doer& doer, Model& m,
                                                                 const crud::ListQuery& q) {
    auto [teams, total] = co_await models::list_teams(tx, doer.user_id, m.include_public, q.search,
                                                      q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::Team>{std::move(teams), total};
}

asio::awaitable<bool> TeamResource::can_update(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::require_team(tx, m.team.id);
    auto admin = co_await models::is_team_admin(tx, doer, m.team.id);
    co_return admin;
}

asio::awaitable<void> TeamResource::update(db::Tx& tx, const Doer&, Model& m) {
    co_await models::update_team(tx, m.team);
}

asio::awaitable<bool> TeamResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await can_update(tx, doer, m);
    co_return admin;
}

asio::awaitable<void> TeamResource::remove(db::Tx& tx, const Doer&, Model& m) {
    co_await models::delete_team(tx, m.team.id);
}

void TeamResource::write(util::json::Writer& w, const Model& m) { models::write_team(w, m.team); }

void TeamResource::write(util::json::Writer& w, const models::Team& team) { models::write_team(w, team); }

// --- /teams/{team}/members -----------------------------------------------------------------------------------

TeamMemberResource::Model TeamMemberResource::bind(Context& ctx) {
    Model m;
    m.team_id = ctx.id_param("team");
    auto body = ctx.body();
    auto in = body.object();
    m.username = in.string("username").value_or("");
    m.admin = in.boolean("admin").value_or(false);
    // The path wins over the body (the admin toggle sends the whole member back).
    if (ctx.params.count("user")) m.username = ctx.params.at("user");
    if (writes_body(ctx) && m.username.empty()) invalid_field("username", "non zero value required");
    return m;
}

asio::awaitable<bool> TeamMemberResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await models::is_team_admin(tx, doer, m.team_id);
    co_return admin;
}

asio::awaitable<void> TeamMemberResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::require_team(tx, m.team_id);
    auto user = co_await models::user_by_username(tx, m.username);
    auto member = co_await models::add_team_member(tx, m.team_id, user, m.admin);
    auto team = co_await models::find_team(tx, m.team_id);
    util::json::Writer team_json;
    models::write_team(team_json, *team);
    co_await models::notify_team_member_added(tx, doer, user.id, team_json.take());
    m = std::move(member);
}

asio::awaitable<bool> TeamMemberResource::can_update(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await models::is_team_admin(tx, doer, m.team_id);
    co_return admin;
}

asio::awaitable<void> TeamMemberResource::update(db::Tx& tx, const Doer&, Model& m) {
    auto user = co_await models::user_by_username(tx, m.username, /*any_status=*/true);
    auto member = co_await models::toggle_team_admin(tx, m.team_id, user);
    m = std::move(member);
}

asio::awaitable<bool> TeamMemberResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto user = co_await models::user_by_username(tx, m.username, /*any_status=*/true);
    m.user_id = user.id;
    // Members may leave a team themselves.
    if (user.id == doer.user_id) co_return true;
    auto admin = co_await models::is_team_admin(tx, doer, m.team_id);
    co_return admin;
}

asio::awaitable<void> TeamMemberResource::remove(db::Tx& tx, const Doer&, Model& m) {
    co_await models::remove_team_member(tx, m.team_id, m.user_id);
}

void TeamMemberResource::write(util::json::Writer& w, const Model& m) { models::write_team_member(w, m); }

// --- /projects/{project}/users -------------------------------------------------------------------------------

ProjectUserResource::Model ProjectUserResource::bind(Context& ctx) {
    Model m;
    // The path wins: clients also send project_id in the body.
    m.project_id = ctx.id_param("project");
    auto body = ctx.body();
    auto in = body.object();
    m.username = in.string("username").value_or("");
    if (ctx.params.count("user")) m.username = ctx.params.at("user");
    m.permission = bind_permission(ctx, in);
    return m;
}

asio::awaitable<bool> ProjectUserResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await is_project_admin(tx, doer, m.project_id);
    co_return admin;
}

asio::awaitable<void> ProjectUserResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    models::validate_share_permission(m.permission);
    auto user = co_await models::user_by_username(tx, m.username);
    m.user_id = user.id;
    co_await models::share_with_user(tx, doer, m);
}

asio::awaitable<bool> ProjectUserResource::can_read_all(db::Tx& tx, const Doer& doer, Model& m) {
    co_await require_project_read(tx, doer, m.project_id);
    co_return true;
}

asio::awaitable<crud::Page<models::SharedUser>> ProjectUserResource::read_all(db::Tx& tx, const Doer&, Model& m,
                                                                              const crud::ListQuery& q) {
    auto [users, total] =
        co_await models::list_project_users(tx, m.project_id, q.search, q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::SharedUser>{std::move(users), total};
}

asio::awaitable<bool> ProjectUserResource::can_update(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await is_project_admin(tx, doer, m.project_id);
    co_return admin;
}

asio::awaitable<void> ProjectUserResource::update(db::Tx& tx, const Doer&, Model& m) {
    models::validate_share_permission(m.permission);
    auto user = co_await models::user_by_username(tx, m.username, /*any_status=*/true);
    m.user_id = user.id;
    co_await models::update_user_share(tx, m);
}

asio::awaitable<bool> ProjectUserResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await is_project_admin(tx, doer, m.project_id);
    co_return admin;
}

asio::awaitable<void> ProjectUserResource::remove(db::Tx& tx, const Doer&, Model& m) {
    auto user = co_await models::user_by_username(tx, m.username, /*any_status=*/true);
    co_await models::unshare_user(tx, m.project_id, user.id);
}

void ProjectUserResource::write(util::json::Writer& w, const Model& m) { models::write_project_user(w, m); }

void ProjectUserResource::write(util::json::Writer& w, const models::SharedUser& shared) {
    w.start_object();
    models::write_user(w, shared.user);
    w.key("permission").integer(static_cast<int>(shared.permission));
    w.end_object();
}

// --- /projects/{project}/teams -------------------------------------------------------------------------------

ProjectTeamResource::Model ProjectTeamResource::bind(Context& ctx) {
    Model m;
    m.project_id = ctx.id_param("project");
    auto body = ctx.body();
    auto in = body.object();
    m.team_id = in.integer("team_id").value_or(0);
    if (ctx.params.count("team")) m.team_id = ctx.id_param("team");
    m.permission = bind_permission(ctx, in);
    return m;
}

asio::awaitable<bool> ProjectTeamResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await is_project_admin(tx, doer, m.project_id);
    co_return admin;
}

asio::awaitable<void> ProjectTeamResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    models::validate_share_permission(m.permission);
    co_await models::require_team(tx, m.team_id);
    co_await models::share_with_team(tx, doer, m);
}

asio::awaitable<bool> ProjectTeamResource::can_read_all(db::Tx& tx, const Doer& doer, Model& m) {
    co_await require_project_read(tx, doer, m.project_id);
    co_return true;
}

asio::awaitable<crud::Page<models::Team>> ProjectTeamResource::read_all(db::Tx& tx, const Doer&, Model& m,
                                                                        const crud::ListQuery& q) {
    auto [teams, total] =
        co_await models::list_project_teams(tx, m.project_id, q.search, q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::Team>{std::move(teams), total};
}

asio::awaitable<bool> ProjectTeamResource::can_update(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await is_project_admin(tx, doer, m.project_id);
    co_return admin;
}

asio::awaitable<void> ProjectTeamResource::update(db::Tx& tx, const Doer&, Model& m) {
    models::validate_share_permission(m.permission);
    co_await models::update_team_share(tx, m);
}

asio::awaitable<bool> ProjectTeamResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto admin = co_await is_project_admin(tx, doer, m.project_id);
    co_return admin;
}

asio::awaitable<void> ProjectTeamResource::remove(db::Tx& tx, const Doer&, Model& m) {
    co_await models::require_team(tx, m.team_id);
    co_await models::unshare_team(tx, m.project_id, m.team_id);
}

void ProjectTeamResource::write(util::json::Writer& w, const Model& m) { models::write_project_team(w, m); }

void ProjectTeamResource::write(util::json::Writer& w, const models::Team& team) { models::write_team(w, team); }

}  // namespace vicugna::api::v1
