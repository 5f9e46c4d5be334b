// SPDX-License-Identifier: AGPL-3.0-or-later
/// Link shares of a project (spec §2.10; Vikunja: models.LinkSharing and its permissions), used by routes.cpp.
#pragma once
#include <optional>

#include "api/crud.hpp"
#include "models/link_shares.hpp"

namespace vicugna::api::v1 {

/// GET/DELETE /projects/{project}/shares[/{share}]. Create is link_share_create: it hashes the password
/// before the transaction opens.
struct LinkShareResource {
    struct Model {
        std::int64_t project_id = 0;
        models::LinkShare share;
    };
    static Model bind(Context& ctx);
    static asio::awaitable<std::optional<models::Permission>> can_read(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> read_one(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::LinkShare>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                                   const crud::ListQuery& q);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::LinkShare& share);
};

/// PUT /projects/{project}/shares: 201 and the share with its new hash.
asio::awaitable<http::Response> link_share_create(Context& ctx);

}  // namespace vicugna::api::v1
