// SPDX-License-Identifier: AGPL-3.0-or-later
// Link shares (Vikunja: pkg/models/link_sharing.go, link_sharing_permissions.go, routes/api/shared/auth.go).
#include "api/v1/link_shares.hpp"

#include "api/errors.hpp"
#include "models/tasks.hpp"

namespace vicugna::api::v1 {
namespace {

asio::awaitable<models::ProjectAccess> existing_project(db::Tx& tx, const models::Doer& doer, std::int64_t id) {
    auto access = co_await models::project_access(tx, doer, id);
    if (!access.exists || access.pseudo) throw Error(ErrorCode::ProjectDoesNotExist);
    co_return access;
}

// Creating or deleting a share needs write on the project, and admin when the share itself grants admin (Vikunja
// asks admin only on create; a writer deleting an admin's share would undo a decision above their level).
asio::awaitable<bool> can_manage(db::Tx& tx, const models::Doer& doer, std::int64_t project_id,
                                 models::Permission share_permission) {
    if (doer.is_link_share()) co_return false;
    auto access = co_await existing_project(tx, doer, project_id);
    if (share_permission == models::Permission::Admin) co_return access.permission == models::Permission::Admin;
    co_return models::check_project_writable(access);
}

// The share of the URL's project; one of another project is as missing as one that does not exist (3006).
asio::awaitable<models::LinkShare> share_in_project(db::Tx& tx, std::int64_t project_id, std::int64_t share_id) {
    auto share = co_await models::find_link_share(tx, share_id);
    if (!share || share->project_id != project_id) throw Error(ErrorCode::LinkShareDoesNotExist);
    co_return *share;
}

models::Permission permission_in(const util::json::Object& in) {
    auto value = in.integer("permission").value_or(0);
    if (value < 0 || value > 2) throw Error(ErrorCode::InvalidPermission);
    return static_cast<models::Permission>(value);
}

}  // namespace

LinkShareResource::Model LinkShareResource::bind(Context& ctx) {
    Model m;
    m.project_id = ctx.id_param("project");
    if (ctx.params.count("share")) m.share.id = ctx.id_param("share");
    return m;
}

// The hash is the share's whole secret: whoever reads it gets the share's permission. Vikunja shows it to anyone
// who can read the project, so a reader could take an admin share's hash; here only those who could create the
// share themselves may read it.
asio::awaitable<std::optional<models::Permission>> LinkShareResource::can_read(db::Tx& tx, const models::Doer& doer,
                                                                              Model& m) {
    auto access = co_await existing_project(tx, doer, m.project_id);
    m.share = co_await share_in_project(tx, m.project_id, m.share.id);
    bool allowed = co_await can_manage(tx, doer, m.project_id, m.share.permission);
    if (!allowed) co_return std::nullopt;
    co_return access.permission;
}

asio::awaitable<void> LinkShareResource::read_one(db::Tx& tx, const models::Doer&, Model& m) {
    m.share.shared_by = co_await models::find_user_by_id(tx, m.share.shared_by_id);
}

asio::awaitable<bool> LinkShareResource::can_read_all(db::Tx& tx, const models::Doer& doer, Model& m) {
    auto access = co_await existing_project(tx, doer, m.project_id);
    co_return access.permission == models::Permission::Admin;
}

asio::awaitable<crud::Page<models::LinkShare>> LinkShareResource::read_all(db::Tx& tx, const models::Doer&, Model& m,
                                                                           const crud::ListQuery& q) {
    auto [shares, total] =
        co_await models::list_link_shares(tx, m.project_id, q.search, q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::LinkShare>{std::move(shares), total};
}

asio::awaitable<bool> LinkShareResource::can_delete(db::Tx& tx, const models::Doer& doer, Model& m) {
    m.share = co_await share_in_project(tx, m.project_id, m.share.id);
    co_return co_await can_manage(tx, doer, m.project_id, m.share.permission);
}

asio::awaitable<void> LinkShareResource::remove(db::Tx& tx, const models::Doer&, Model& m) {
    co_await models::delete_link_share(tx, m.share.id);
}

void LinkShareResource::write(util::json::Writer& w, const Model& m) { write(w, m.share); }

void LinkShareResource::write(util::json::Writer& w, const models::LinkShare& share) {
    w.start_object();
    models::write_link_share(w, share);
    w.end_object();
}

asio::awaitable<http::Response> link_share_create(Context& ctx) {
    models::LinkShare share;
    share.project_id = ctx.id_param("project");
    auto body = ctx.body();
    auto in = body.object();
    share.name = in.string("name").value_or("");
    share.permission = permission_in(in);
    auto password = in.string("password").value_or("");
    // bcrypt ignores bytes past 72: a longer password would accept other passwords too.
    if (password.size() > 72) invalid_field("password", "at most 72 bytes");
    // Hashing takes tens of milliseconds: done before the transaction holds a connection.
    if (!password.empty()) share.password_hash = co_await ctx.services.hasher.hash(password);

    auto doer = ctx.doer();
    share.shared_by_id = doer.user_id;
    auto tx = co_await ctx.begin(db::TxMode::Write);
    bool allowed = co_await can_manage(*tx, doer, share.project_id, share.permission);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    co_await models::insert_link_share(*tx, share);
    auto creator = co_await models::find_user_by_id(*tx, share.shared_by_id);
    co_await tx->commit();
    share.shared_by = creator;
    util::json::Writer w;
    LinkShareResource::write(w, share);
    co_return json(201, w.take());
}

}  // namespace vicugna::api::v1
