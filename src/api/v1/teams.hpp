// SPDX-License-Identifier: AGPL-3.0-or-later
/// CRUD resources for teams, team members and project shares with users and teams (Vikunja: pkg/models/teams*.go,
/// team_members*.go, project_users*.go, project_team*.go). Each is one line per verb in routes.cpp.
#pragma once
#include <optional>
#include <string>

#include "api/crud.hpp"
#include "models/project_shares.hpp"
#include "models/teams.hpp"

namespace vicugna::api::v1 {

/// /teams[/{team}]: the team and, for listing, whether public teams were asked for (and are enabled).
struct TeamRequest {
    models::Team team;
    bool include_public = false;
};
struct TeamResource {
    using Model = TeamRequest;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<std::optional<models::Permission>> can_read(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> read_one(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::Team>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                              const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::Team& team);
};

/// PUT /teams/{team}/members, DELETE /teams/{team}/members/{user} and the admin toggle
/// POST /teams/{team}/members/{user}/admin (an update); `{user}` is a username.
struct TeamMemberResource {
    using Model = models::TeamMember;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// /projects/{project}/users[/{user}] (`{user}` is a username).
struct ProjectUserResource {
    using Model = models::ProjectShare;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::SharedUser>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                                    const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::SharedUser& shared);
};

/// /projects/{project}/teams[/{team}] (`{team}` is the team id).
struct ProjectTeamResource {
    using Model = models::ProjectShare;
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::Team>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                              const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::Team& team);
};

}  // namespace vicugna::api::v1
