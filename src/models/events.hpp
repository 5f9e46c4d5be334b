// SPDX-License-Identifier: AGPL-3.0-or-later
/// The events webhooks hear about (Vikunja: pkg/models/events.go, listeners.go WebhookListener; spec §5) and the
/// outbox that delivers them. Emitting an event inserts one delivery row per matching webhook in the caller's
/// transaction: a change that rolls back fires nothing, a committed one is delivered even after a crash
/// (models/webhooks.hpp sends them). Matching webhooks: those of the event's project and of every project above
/// it, the project-less webhooks of users who can read that project, and, for user-directed events, the
/// project-less webhooks of that user. When nothing matches, an emit costs one indexed query and builds nothing.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "util/json.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// Every event a webhook may subscribe to, sorted: Vikunja's 19 plus our `task.completed`.
const std::vector<std::string>& webhook_event_names();
/// The events about one user rather than a project (task.reminder.fired, task.overdue, tasks.overdue), which
/// user-level webhooks may subscribe to, plus `task.completed` (a user's webhook hears it for every project the
/// user can read).
const std::vector<std::string>& user_webhook_event_names();
bool is_user_directed_event(std::string_view name);

/// One more key of an event's `data`, written only when some webhook matches: a user (`assignee`, `user`)
/// loaded by id without email, or any other value written by `write`.
struct EventExtra {
    std::string_view key;
    std::int64_t user_id = 0;
    std::function<void(util::json::Writer&)> write;
};

/// task.* events: data {task (re-read with buckets), <extras>, doer, project}. Call task.deleted before the
/// task is deleted (its snapshot is the payload).
asio::awaitable<void> emit_task_event(db::Tx& tx, const Doer& doer, std::string_view name, std::int64_t task_id,
                                      const std::vector<EventExtra>& extras = {});
/// `task.updated`, plus `task.completed` when `was_done` is false and the task is now done.
asio::awaitable<void> emit_task_updated(db::Tx& tx, const Doer& doer, std::int64_t task_id, bool was_done);
/// project.* events: data {project, <extras>, doer}. Call project.deleted before the project is deleted.
asio::awaitable<void> emit_project_event(db::Tx& tx, const Doer& doer, std::string_view name,
                                         std::int64_t project_id, const std::vector<EventExtra>& extras = {});
/// `key`: a user loaded by id, without email, or null (the users of an event's data).
asio::awaitable<void> write_event_user(db::Tx& tx, util::json::Writer& w, std::string_view key, std::int64_t user_id);
/// "project": the project as `doer` reads it, or null.
asio::awaitable<void> write_event_project(db::Tx& tx, util::json::Writer& w, const Doer& doer,
                                          std::int64_t project_id);
/// The webhooks a user-directed event (periodic jobs) reaches: the user's project-less webhooks, and those of
/// `project_id` and its ancestors when it is not 0. Empty: build no payload.
asio::awaitable<std::vector<std::int64_t>> user_event_webhooks(db::Tx& tx, std::string_view name,
                                                               std::int64_t user_id, std::int64_t project_id);
/// Queues a user-directed event for `webhook_ids`; `data_json` is the whole `data` object.
asio::awaitable<void> queue_user_event(db::Tx& tx, const std::vector<std::int64_t>& webhook_ids, std::string_view name,
                                       std::int64_t user_id, std::string_view data_json);

}  // namespace vicugna::models
