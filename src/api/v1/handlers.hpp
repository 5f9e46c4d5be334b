// SPDX-License-Identifier: AGPL-3.0-or-later
/// Custom (non-CRUD) v1 endpoints, grouped by topic like Vikunja's pkg/routes/api/v1.
#pragma once
#include "api/context.hpp"
#include "api/pagination.hpp"
#include "models/task_collection.hpp"
#include "models/user.hpp"

namespace vicugna::api::v1 {

// info.cpp
asio::awaitable<http::Response> info(Context& ctx);
asio::awaitable<http::Response> health(Context& ctx);
asio::awaitable<http::Response> token_test(Context& ctx);
asio::awaitable<http::Response> token_test_post(Context& ctx);
// auth.cpp
/// The settings a new account starts with (defaultsettings.* keys); also used by `vicugna user create`.
models::UserSettings default_user_settings(const config::Config& config);
asio::awaitable<http::Response> register_user(Context& ctx);
asio::awaitable<http::Response> login(Context& ctx);
asio::awaitable<http::Response> refresh_token(Context& ctx);
asio::awaitable<http::Response> renew_token(Context& ctx);
asio::awaitable<http::Response> logout(Context& ctx);
/// POST /shares/{share}/auth (public): the share's JWT for its hash and, when it has one, its password.
asio::awaitable<http::Response> link_share_auth(Context& ctx);
// user.cpp
asio::awaitable<http::Response> user_show(Context& ctx);
asio::awaitable<http::Response> user_change_password(Context& ctx);
asio::awaitable<http::Response> user_settings_general(Context& ctx);
asio::awaitable<http::Response> user_timezones(Context& ctx);
asio::awaitable<http::Response> user_sessions(Context& ctx);
asio::awaitable<http::Response> user_session_delete(Context& ctx);
asio::awaitable<http::Response> users_search(Context& ctx);
// tokens.cpp
asio::awaitable<http::Response> tokens_list(Context& ctx);
asio::awaitable<http::Response> tokens_create(Context& ctx);
asio::awaitable<http::Response> tokens_delete(Context& ctx);
asio::awaitable<http::Response> token_routes(Context& ctx);
// testing.cpp
asio::awaitable<http::Response> testing_seed(Context& ctx);
asio::awaitable<http::Response> testing_truncate_all(Context& ctx);

// attachments.cpp (task attachments; the "files" area)
asio::awaitable<http::Response> attachments_upload(Context& ctx);
asio::awaitable<http::Response> attachments_list(Context& ctx);
asio::awaitable<http::Response> attachment_download(Context& ctx);
asio::awaitable<http::Response> attachment_delete(Context& ctx);

// comments.cpp (labels, assignees, comments, relations, reactions; their CRUD resources are in task_extras.hpp)
asio::awaitable<http::Response> reactions_list(Context& ctx);

// tasks.cpp (single-task writes; the CRUD resource is in tasks.hpp)
asio::awaitable<http::Response> tasks_bulk(Context& ctx);
asio::awaitable<http::Response> task_position(Context& ctx);
asio::awaitable<http::Response> task_bucket_move(Context& ctx);
asio::awaitable<http::Response> task_duplicate(Context& ctx);
asio::awaitable<http::Response> task_mark_read(Context& ctx);

// notifications.cpp (subscriptions and notifications; their CRUD resources are in notifications.hpp)
asio::awaitable<http::Response> notifications_mark_all(Context& ctx);

// filters.cpp (saved filters; the "files" area)
asio::awaitable<http::Response> filters_create(Context& ctx);
asio::awaitable<http::Response> filters_read(Context& ctx);
asio::awaitable<http::Response> filters_update(Context& ctx);
asio::awaitable<http::Response> filters_delete(Context& ctx);

// task_lists.cpp (task lists and search; the "search" area)
/// Every non-empty value of a repeatable query parameter.
std::vector<std::string> query_values(const Context& ctx, const std::string& key);
/// Runs the task list on `tx` and answers it as v1 lists do: [Task] or [Bucket] with the pagination headers.
asio::awaitable<http::Response> task_list_response(Context& ctx, db::Tx& tx, models::TaskListParams& params,
                                                   const Paging& paging);
asio::awaitable<http::Response> tasks_all(Context& ctx);
asio::awaitable<http::Response> project_tasks(Context& ctx);
asio::awaitable<http::Response> view_tasks(Context& ctx);

}  // namespace vicugna::api::v1
