// SPDX-License-Identifier: AGPL-3.0-or-later
/// Webhooks (spec §2.12; Vikunja: pkg/models/webhooks.go, webhooks_permissions.go, routes/api/v1/user_webhooks.go)
/// and ours beside them: the delivery log and the operations manual's `/webhooks`. A route with {project} works on
/// that project's webhooks (read to list, write to manage, never for link shares); one without works on the
/// caller's own project-less webhooks (someone else's is 404). Used by routes.cpp.
#pragma once
#include "api/context.hpp"

namespace vicugna::api::v1 {

/// GET /webhooks/events and /user/settings/webhooks/events: the event names, sorted.
asio::awaitable<http::Response> webhook_events(Context& ctx);
asio::awaitable<http::Response> user_webhook_events(Context& ctx);
/// GET /projects/{project}/webhooks (paginated), /user/settings/webhooks and /webhooks (all).
asio::awaitable<http::Response> webhooks_list(Context& ctx);
/// PUT /projects/{project}/webhooks → 201; PUT /user/settings/webhooks → 200 (user-directed events and
/// task.completed only); POST /webhooks → 201, a project-less webhook with any event.
asio::awaitable<http::Response> project_webhook_create(Context& ctx);
asio::awaitable<http::Response> user_webhook_create(Context& ctx);
asio::awaitable<http::Response> webhook_create(Context& ctx);
/// POST …/webhooks/{webhook}: changes only `events`.
asio::awaitable<http::Response> webhook_update(Context& ctx);
/// DELETE …/webhooks/{webhook}: the webhook and its delivery log.
asio::awaitable<http::Response> webhook_delete(Context& ctx);
/// GET …/webhooks/{webhook}/deliveries (paginated, newest first), GET …/deliveries/{delivery} (with payload and
/// attempt log), POST …/deliveries/{delivery}/redeliver (needs what managing the webhook needs).
asio::awaitable<http::Response> webhook_deliveries(Context& ctx);
asio::awaitable<http::Response> webhook_delivery(Context& ctx);
asio::awaitable<http::Response> webhook_redeliver(Context& ctx);

}  // namespace vicugna::api::v1
