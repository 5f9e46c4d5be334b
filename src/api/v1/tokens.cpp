// SPDX-License-Identifier: AGPL-3.0-or-later
// API tokens and the permission groups they can hold (Vikunja: pkg/models/api_tokens.go, api_routes.go).
#include "api/errors.hpp"
#include "api/pagination.hpp"
#include "api/route_table.hpp"
#include "api/v1/handlers.hpp"
#include "models/api_tokens.hpp"

namespace vicugna::api::v1 {

asio::awaitable<http::Response> tokens_list(Context& ctx) {
    auto paging = read_paging(ctx);
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto [tokens, total] = co_await models::list_api_tokens(*tx, ctx.auth.user_id,
                                                            ctx.request.query_value("s").value_or(""),
                                                            paging.limit(), paging.offset());
    util::json::Writer w;
    w.start_array();
    for (const auto& t : tokens) models::write_api_token(w, t);
    w.end_array();
    auto res = json(200, w.take());
    set_pagination(res, paging, total, static_cast<std::int64_t>(tokens.size()));
    co_return res;
}

asio::awaitable<http::Response> tokens_create(Context& ctx) {
    auto body = ctx.body();
    auto in = body.object();
    models::APIToken token;
    token.owner_id = ctx.auth.user_id;
    token.title = in.string("title").value_or("");
    if (token.title.empty() || token.title.size() > 250) invalid_field("title", "title must be 1 to 250 characters");
    const auto* permissions = in.get("permissions");
    if (!permissions) invalid_field("permissions", "permissions are required");
    if (!ctx.services.token_routes->valid(*permissions)) throw Error(ErrorCode::InvalidAPITokenPermission);
    token.permissions = util::json::stringify(*permissions);
    auto expires = in.time("expires_at");
    if (!expires || !*expires) invalid_field("expires_at", "expires_at is required");
    token.expires_at = **expires;

    auto tx = co_await ctx.begin(db::TxMode::Write);
    token = co_await models::create_api_token(*tx, std::move(token));
    co_await tx->commit();
    util::json::Writer w;
    models::write_api_token(w, token);
    co_return json(201, w.take());
}

asio::awaitable<http::Response> tokens_delete(Context& ctx) {
    auto id = ctx.id_param("token");
    auto tx = co_await ctx.begin(db::TxMode::Write);
    // Someone else's token or none at all: the same 403, so token ids cannot be probed.
    bool deleted = co_await models::delete_api_token(*tx, ctx.auth.user_id, id);
    if (!deleted) throw Error(ErrorCode::GenericForbidden);
    co_await tx->commit();
    co_return message("Successfully deleted.");
}

asio::awaitable<http::Response> token_routes(Context& ctx) { co_return json(200, ctx.services.token_routes->to_json()); }

}  // namespace vicugna::api::v1
