// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/v1/webhooks.hpp"

#include <algorithm>

#include "api/errors.hpp"
#include "api/pagination.hpp"
#include "events/outbound.hpp"
#include "models/events.hpp"
#include "models/file_store.hpp"
#include "models/tasks.hpp"
#include "models/webhooks.hpp"
#include "util/offload.hpp"

namespace vicugna::api::v1 {
namespace {

http::Response names_response(const std::vector<std::string>& names) {
    util::json::Writer w;
    w.start_array();
    for (const auto& n : names) w.string(n);
    w.end_array();
    return json(200, w.take());
}

http::Response webhook_response(const models::Webhook& hook, unsigned status) {
    util::json::Writer w;
    models::write_webhook(w, hook);
    return json(status, w.take());
}

// Project webhooks: read on the project lists them, write manages them (Vikunja: webhooks_permissions.go). Link
// shares get neither, whatever their permission: target URLs are secrets.
asio::awaitable<void> check_project(db::Tx& tx, const models::Doer& doer, std::int64_t project_id, bool write) {
    if (doer.is_link_share()) throw Error(ErrorCode::GenericForbidden);
    auto access = co_await models::project_access(tx, doer, project_id);
    if (!access.exists || access.pseudo) throw Error(ErrorCode::ProjectDoesNotExist);
    bool allowed = write ? models::check_project_writable(access) : access.can_read();
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
}

// The webhook the route names, once the caller may read it (or manage it, `write`). A webhook of another project
// through this project's URL is as missing as one that does not exist; so is someone else's user-level webhook
// (Vikunja's user routes answer that with a bare 404).
asio::awaitable<models::Webhook> webhook_of_route(db::Tx& tx, const Context& ctx, bool write) {
    auto doer = ctx.doer();
    auto id = ctx.id_param("webhook");
    std::int64_t project_id = 0;
    if (ctx.params.count("project")) {
        project_id = ctx.id_param("project");
        co_await check_project(tx, doer, project_id, write);
    }
    auto hook = co_await models::find_webhook(tx, id);
    bool reachable = hook && hook->project_id == project_id && (project_id != 0 || hook->user_id == doer.user_id);
    if (!reachable) throw Error(ErrorCode::NotFound);
    co_return std::move(*hook);
}

// The SSRF guard at create time (beyond Vikunja, which refuses only when sending). Resolving the name blocks, so
// it runs on the server's worker threads for blocking I/O, never on an I/O thread, and before any transaction.
asio::awaitable<void> check_target(Context& ctx, const std::string& url) {
    if (ctx.config().allow_nonroutable_ips()) co_return;
    auto check = [url] { return events::refuse_target(url, false); };
    auto refused = co_await util::run_on<std::optional<std::string>>(ctx.files().io_executor(), check);
    if (refused) throw Error(ErrorCode::WebhookTargetNotAllowed, *refused, {"target_url"});
}

asio::awaitable<http::Response> create(Context& ctx, models::Webhook& hook, const std::vector<std::string>& allowed,
                                       unsigned status) {
    models::validate_webhook(hook, allowed);
    co_await check_target(ctx, hook.target_url);
    auto doer = ctx.doer();
    hook.created_by_id = doer.user_id;
    auto tx = co_await ctx.begin(db::TxMode::Write);
    if (hook.project_id != 0) co_await check_project(*tx, doer, hook.project_id, true);
    co_await models::insert_webhook(*tx, hook);
    co_await tx->commit();
    co_return webhook_response(hook, status);
}

// A project-less webhook of the caller.
models::Webhook user_webhook_from(const Context& ctx) {
    auto body = ctx.body();
    auto hook = models::webhook_from_json(body.object());
    hook.user_id = ctx.doer().user_id;
    return hook;
}

asio::awaitable<models::WebhookDelivery> delivery_of(db::Tx& tx, const models::Webhook& hook, std::int64_t id) {
    auto delivery = co_await models::find_delivery(tx, hook.id, id);
    if (!delivery) throw Error(ErrorCode::NotFound);
    co_return std::move(*delivery);
}

}  // namespace

asio::awaitable<http::Response> webhook_events(Context&) { co_return names_response(models::webhook_event_names()); }

asio::awaitable<http::Response> user_webhook_events(Context&) {
    co_return names_response(models::user_webhook_event_names());
}

asio::awaitable<http::Response> webhooks_list(Context& ctx) {
    auto doer = ctx.doer();
    util::json::Writer w;
    w.start_array();
    if (!ctx.params.count("project")) {
        // Vikunja's user list has no pages.
        auto tx = co_await ctx.begin(db::TxMode::Read);
        for (const auto& hook : co_await models::list_user_webhooks(*tx, doer.user_id)) models::write_webhook(w, hook);
        w.end_array();
        co_return json(200, w.take());
    }
    auto project_id = ctx.id_param("project");
    auto paging = read_paging(ctx);
    auto tx = co_await ctx.begin(db::TxMode::Read);
    co_await check_project(*tx, doer, project_id, false);
    auto [hooks, total] = co_await models::list_project_webhooks(*tx, project_id, paging.limit(), paging.offset());
    for (const auto& hook : hooks) models::write_webhook(w, hook);
    w.end_array();
    auto res = json(200, w.take());
    set_pagination(res, paging, total, static_cast<std::int64_t>(hooks.size()));
    co_return res;
}

asio::awaitable<http::Response> project_webhook_create(Context& ctx) {
    auto body = ctx.body();
    auto hook = models::webhook_from_json(body.object());
    hook.project_id = ctx.id_param("project");
    co_return co_await create(ctx, hook, models::webhook_event_names(), 201);
}

asio::awaitable<http::Response> user_webhook_create(Context& ctx) {
    auto hook = user_webhook_from(ctx);
    co_return co_await create(ctx, hook, models::user_webhook_event_names(), 200);
}

// The manual's webhook hears every event, for every project its owner can read (models/events.cpp matches them).
asio::awaitable<http::Response> webhook_create(Context& ctx) {
    auto hook = user_webhook_from(ctx);
    co_return co_await create(ctx, hook, models::webhook_event_names(), 201);
}

asio::awaitable<http::Response> webhook_update(Context& ctx) {
    // Only `events` changes; the rest of the body is ignored, as Vikunja's update column list does.
    auto body = ctx.body();
    auto events = models::webhook_from_json(body.object()).events;
    models::validate_webhook_events(events, models::webhook_event_names());
    auto tx = co_await ctx.begin(db::TxMode::Write);
    auto hook = co_await webhook_of_route(*tx, ctx, true);
    hook.events = std::move(events);
    co_await models::update_webhook_events(*tx, hook);
    co_await tx->commit();
    co_return webhook_response(hook, 200);
}

asio::awaitable<http::Response> webhook_delete(Context& ctx) {
    auto tx = co_await ctx.begin(db::TxMode::Write);
    auto hook = co_await webhook_of_route(*tx, ctx, true);
    std::vector<std::int64_t> ids{hook.id};
    co_await models::delete_webhooks(*tx, ids);
    co_await tx->commit();
    co_return message("Successfully deleted.");
}

asio::awaitable<http::Response> webhook_deliveries(Context& ctx) {
    auto paging = read_paging(ctx);
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto hook = co_await webhook_of_route(*tx, ctx, false);
    auto [deliveries, total] = co_await models::list_deliveries(*tx, hook.id, paging.limit(), paging.offset());
    util::json::Writer w;
    w.start_array();
    for (const auto& d : deliveries) models::write_delivery(w, d);
    w.end_array();
    auto res = json(200, w.take());
    set_pagination(res, paging, total, static_cast<std::int64_t>(deliveries.size()));
    co_return res;
}

asio::awaitable<http::Response> webhook_delivery(Context& ctx) {
    auto id = ctx.id_param("delivery");
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto hook = co_await webhook_of_route(*tx, ctx, false);
    auto delivery = co_await delivery_of(*tx, hook, id);
    auto attempts = co_await models::list_delivery_attempts(*tx, delivery.id);
    util::json::Writer w;
    models::write_delivery_detail(w, delivery, attempts);
    co_return json(200, w.take());
}

asio::awaitable<http::Response> webhook_redeliver(Context& ctx) {
    auto id = ctx.id_param("delivery");
    auto tx = co_await ctx.begin(db::TxMode::Write);
    auto hook = co_await webhook_of_route(*tx, ctx, true);
    auto delivery = co_await delivery_of(*tx, hook, id);
    std::int64_t max_attempts = std::max<std::int64_t>(1, ctx.config().webhooks_maxattempts);
    auto queued = co_await models::redeliver(*tx, delivery, max_attempts);
    co_await tx->commit();
    util::json::Writer w;
    models::write_delivery(w, queued);
    co_return json(200, w.take());
}

}  // namespace vicugna::api::v1
