// SPDX-License-Identifier: AGPL-3.0-or-later
// Task lists: GET /tasks, /projects/{project}/tasks and /projects/{project}/views/{view}/tasks
// (Vikunja: TaskCollection.ReadAll through the generic ReadAllWeb handler).
#include "api/errors.hpp"
#include "api/pagination.hpp"
#include "api/v1/handlers.hpp"
#include "models/task_collection.hpp"

namespace vicugna::api::v1 {
namespace {

/// Go's strconv.ParseBool, as Echo binds `filter_include_nulls`; anything else is an invalid model (2004).
bool read_bool(const Context& ctx, const std::string& key) {
    auto v = ctx.request.query_value(key).value_or("");
    if (v.empty() || v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") return false;
    if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") return true;
    throw Error(ErrorCode::InvalidModel);
}

asio::awaitable<http::Response> list(Context& ctx, std::int64_t project_id, std::int64_t view_id) {
    auto paging = read_paging(ctx);
    models::TaskListParams params;
    params.project_id = project_id;
    params.view_id = view_id;
    params.search = ctx.request.query_value("s").value_or("");
    params.sort_by = query_values(ctx, "sort_by");
    params.order_by = query_values(ctx, "order_by");
    params.filter = ctx.request.query_value("filter").value_or("");
    params.filter_timezone = ctx.request.query_value("filter_timezone").value_or("");
    params.filter_include_nulls = read_bool(ctx, "filter_include_nulls");
    params.expand = query_values(ctx, "expand");
    auto tx = co_await ctx.begin(db::TxMode::Read);
    co_return co_await task_list_response(ctx, *tx, params, paging);
}

}  // namespace

std::vector<std::string> query_values(const Context& ctx, const std::string& key) {
    std::vector<std::string> out;
    auto [from, to] = ctx.request.query.equal_range(key);
    for (auto it = from; it != to; ++it) {
        if (!it->second.empty()) out.push_back(it->second);
    }
    return out;
}

asio::awaitable<http::Response> task_list_response(Context& ctx, db::Tx& tx, models::TaskListParams& params,
                                                   const Paging& paging) {
    params.limit = paging.limit();
    // A page far past any data must not overflow the offset (PostgreSQL rejects a negative one).
    constexpr std::int64_t kMaxOffset = std::int64_t{1} << 50;
    params.offset = paging.page > 1 && paging.page - 1 > kMaxOffset / paging.per_page ? kMaxOffset : paging.offset();
    auto doer = ctx.doer();
    auto result = co_await models::list_tasks(tx, ctx.db().dialect(), doer, std::move(params),
                                              ctx.config().service_timezone);
    util::json::Writer w;
    models::write_task_list(w, result);
    auto res = json(200, w.take());
    set_pagination(res, paging, result.total, result.count());
    co_return res;
}

asio::awaitable<http::Response> tasks_all(Context& ctx) { co_return co_await list(ctx, 0, 0); }

asio::awaitable<http::Response> project_tasks(Context& ctx) {
    auto project = ctx.id_param("project");
    co_return co_await list(ctx, project, 0);
}

asio::awaitable<http::Response> view_tasks(Context& ctx) {
    auto project = ctx.id_param("project");
    auto view = ctx.id_param("view");
    co_return co_await list(ctx, project, view);
}

}  // namespace vicugna::api::v1
