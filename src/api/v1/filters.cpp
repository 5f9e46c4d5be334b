// SPDX-License-Identifier: AGPL-3.0-or-later
// Saved filters (Vikunja: pkg/models/saved_filters.go): create, read, update, delete; owner only. There is no
// list endpoint: filters appear in GET /projects as pseudo-projects.
#include "api/crud.hpp"
#include "api/errors.hpp"
#include "api/v1/handlers.hpp"
#include "models/saved_filters.hpp"

namespace vicugna::api::v1 {
namespace {

struct SavedFilterResource {
    struct Model {
        models::SavedFilter filter;
        std::string default_timezone;  ///< service.timezone, for dates in the filter string
        const db::Dialect* dialect = nullptr;
    };

    static Model bind(Context& ctx) {
        Model m;
        if (ctx.request.method == http::Verb::put || ctx.request.method == http::Verb::post) {
            auto body = ctx.body();
            m.filter = models::saved_filter_from_json(body.object());
        }
        if (ctx.params.count("filter")) m.filter.id = ctx.id_param("filter");
        m.default_timezone = ctx.config().service_timezone;
        m.dialect = &ctx.db().dialect();
        return m;
    }
    // Link shares cannot own filters; Vikunja's CanCreate answers false (the generic 403).
    static asio::awaitable<bool> can_create(db::Tx&, const models::Doer& doer, Model&) {
        co_return !doer.is_link_share();
    }
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m) {
        co_await models::create_saved_filter(tx, *m.dialect, doer, m.filter, m.default_timezone);
    }
    static asio::awaitable<std::optional<models::Permission>> can_read(db::Tx& tx, const models::Doer& doer,
                                                                       Model& m) {
        std::optional<models::Permission> permission;
        bool allowed = co_await models::can_use_saved_filter(tx, doer, m.filter.id);
        if (allowed) permission = models::Permission::Admin;
        co_return permission;
    }
    static asio::awaitable<void> read_one(db::Tx& tx, const models::Doer&, Model& m) {
        auto stored = co_await models::load_saved_filter(tx, m.filter.id);
        if (!stored) throw Error(ErrorCode::SavedFilterDoesNotExist);
        m.filter = std::move(*stored);
    }
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m) {
        bool allowed = co_await models::can_use_saved_filter(tx, doer, m.filter.id);
        co_return allowed;
    }
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m) {
        co_await models::update_saved_filter(tx, *m.dialect, doer, m.filter, m.default_timezone);
    }
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m) {
        bool allowed = co_await models::can_use_saved_filter(tx, doer, m.filter.id);
        co_return allowed;
    }
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer&, Model& m) {
        co_await models::delete_saved_filter(tx, m.filter.id);
    }
    static void write(util::json::Writer& w, const Model& m) { models::write_saved_filter(w, m.filter); }
};

}  // namespace

asio::awaitable<http::Response> filters_create(Context& ctx) { return crud::create<SavedFilterResource>(ctx); }
asio::awaitable<http::Response> filters_read(Context& ctx) { return crud::read_one<SavedFilterResource>(ctx); }
asio::awaitable<http::Response> filters_update(Context& ctx) { return crud::update<SavedFilterResource>(ctx); }
asio::awaitable<http::Response> filters_delete(Context& ctx) { return crud::remove<SavedFilterResource>(ctx); }

}  // namespace vicugna::api::v1
