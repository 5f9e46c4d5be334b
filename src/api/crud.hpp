// SPDX-License-Identifier: AGPL-3.0-or-later
/// The generic CRUD pipeline (Vikunja: pkg/web/handler/{create,read_one,read_all,update,delete}.go): bind →
/// transaction → permission check → operation → commit → response. A CRUD route is one line in routes.cpp:
///     t.add(Verb::put, "/api/v1/labels", crud::create<LabelResource>, User);
///
/// A resource is a struct with static functions; each verb needs only its own:
///     using Model = …;                                   the object the route works on
///     Model bind(Context&)                               path params (+ JSON body for create/update; + query)
///     awaitable<bool> can_create/can_update/can_delete(db::Tx&, const models::Doer&, Model&)
///     awaitable<std::optional<models::Permission>> can_read(db::Tx&, const models::Doer&, Model&)
///     awaitable<bool> can_read_all(db::Tx&, const models::Doer&, Model&)
///     awaitable<void> create/read_one/update/remove(db::Tx&, const models::Doer&, Model&)
///     awaitable<Page<Item>> read_all(db::Tx&, const models::Doer&, Model&, const ListQuery&)
///     void write(util::json::Writer&, const Model& or const Item&)
/// Permission checks may throw a resource's own "does not exist" error (404) before answering false.
/// Every awaited result is stored in a named local first: GCC 12 miscompiles `if (!co_await f())` when f throws.
#pragma once
#include <concepts>
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/pagination.hpp"
#include "models/access.hpp"

namespace vicugna::api::crud {

/// The list parameters every read_all receives (Vikunja: page, per_page, s).
struct ListQuery {
    std::string search;
    Paging paging;
};

/// One page of a list and the total number of matches (for x-pagination-total-pages).
template <class Item>
struct Page {
    std::vector<Item> items;
    std::int64_t total = 0;
};

template <class R>
concept Bindable = requires(Context& ctx, util::json::Writer& w, typename R::Model& m) {
    { R::bind(ctx) } -> std::same_as<typename R::Model>;
    R::write(w, m);
};

template <class R>
concept Creatable = Bindable<R> && requires(db::Tx& tx, const models::Doer& d, typename R::Model& m) {
    { R::can_create(tx, d, m) } -> std::same_as<asio::awaitable<bool>>;
    { R::create(tx, d, m) } -> std::same_as<asio::awaitable<void>>;
};

template <class R>
concept Readable = Bindable<R> && requires(db::Tx& tx, const models::Doer& d, typename R::Model& m) {
    { R::can_read(tx, d, m) } -> std::same_as<asio::awaitable<std::optional<models::Permission>>>;
    { R::read_one(tx, d, m) } -> std::same_as<asio::awaitable<void>>;
};

template <class R>
concept Listable = requires(Context& ctx, db::Tx& tx, const models::Doer& d, typename R::Model& m, const ListQuery& q) {
    { R::bind(ctx) } -> std::same_as<typename R::Model>;
    { R::can_read_all(tx, d, m) } -> std::same_as<asio::awaitable<bool>>;
    R::read_all(tx, d, m, q);
};

template <class R>
concept Updatable = Bindable<R> && requires(db::Tx& tx, const models::Doer& d, typename R::Model& m) {
    { R::can_update(tx, d, m) } -> std::same_as<asio::awaitable<bool>>;
    { R::update(tx, d, m) } -> std::same_as<asio::awaitable<void>>;
};

template <class R>
concept Deletable = requires(Context& ctx, db::Tx& tx, const models::Doer& d, typename R::Model& m) {
    { R::bind(ctx) } -> std::same_as<typename R::Model>;
    { R::can_delete(tx, d, m) } -> std::same_as<asio::awaitable<bool>>;
    { R::remove(tx, d, m) } -> std::same_as<asio::awaitable<void>>;
};

/// PUT on a collection → 201 and the created object.
template <Creatable R>
asio::awaitable<http::Response> create(Context& ctx) {
    auto model = R::bind(ctx);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    bool allowed = co_await R::can_create(*tx, doer, model);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    co_await R::create(*tx, doer, model);
    co_await tx->commit();
    util::json::Writer w;
    R::write(w, model);
    co_return json(201, w.take());
}

/// GET on an item → 200, the object and x-max-permission.
template <Readable R>
asio::awaitable<http::Response> read_one(Context& ctx) {
    auto model = R::bind(ctx);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto permission = co_await R::can_read(*tx, doer, model);
    if (!permission) throw Error(ErrorCode::GenericForbidden, "You don't have the permission to see this");
    co_await R::read_one(*tx, doer, model);
    util::json::Writer w;
    R::write(w, model);
    auto res = json(200, w.take());
    res.set_header("x-max-permission", std::to_string(static_cast<int>(*permission)));
    co_return res;
}

/// GET on a collection → 200, a JSON array (never null) and the pagination headers.
template <Listable R>
asio::awaitable<http::Response> read_all(Context& ctx) {
    auto model = R::bind(ctx);
    auto doer = ctx.doer();
    ListQuery query{ctx.request.query_value("s").value_or(""), read_paging(ctx)};
    auto tx = co_await ctx.begin(db::TxMode::Read);
    bool allowed = co_await R::can_read_all(*tx, doer, model);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    auto page = co_await R::read_all(*tx, doer, model, query);
    util::json::Writer w;
    w.start_array();
    for (const auto& item : page.items) R::write(w, item);
    w.end_array();
    auto res = json(200, w.take());
    set_pagination(res, query.paging, page.total, static_cast<std::int64_t>(page.items.size()));
    co_return res;
}

/// POST on an item → 200 and the updated object.
template <Updatable R>
asio::awaitable<http::Response> update(Context& ctx) {
    auto model = R::bind(ctx);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    bool allowed = co_await R::can_update(*tx, doer, model);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    co_await R::update(*tx, doer, model);
    co_await tx->commit();
    util::json::Writer w;
    R::write(w, model);
    co_return json(200, w.take());
}

/// DELETE on an item → 200 {"message":"Successfully deleted."}.
template <Deletable R>
asio::awaitable<http::Response> remove(Context& ctx) {
    auto model = R::bind(ctx);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    bool allowed = co_await R::can_delete(*tx, doer, model);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    co_await R::remove(*tx, doer, model);
    co_await tx->commit();
    co_return message("Successfully deleted.");
}

}  // namespace vicugna::api::crud
