// SPDX-License-Identifier: AGPL-3.0-or-later
/// Webhooks (table `webhooks`; Vikunja: pkg/models/webhooks.go) and their delivery log (tables webhook_deliveries
/// and webhook_delivery_attempts, ours). A webhook belongs to a project, or to a user (project_id NULL): Vikunja's
/// user-level webhooks and the manual's `POST /webhooks` ones. models/events.cpp queues deliveries; the worker
/// sends them.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

namespace asio = boost::asio;
using util::Timestamp;

struct Webhook {
    std::int64_t id = 0;
    std::string target_url;
    std::vector<std::string> events;
    std::int64_t project_id = 0;  ///< 0 = a user-level webhook (NULL in the table)
    std::int64_t user_id = 0;     ///< the owner of a user-level webhook; 0 for a project's
    std::string secret;           ///< write-only, like the two basic-auth fields: never in a response
    std::string basic_auth_user;
    std::string basic_auth_password;
    std::int64_t created_by_id = 0;
    std::optional<User> created_by;
    Timestamp created{};
    Timestamp updated{};
};

/// Vikunja's Webhook JSON (keys in its order); secret and basic auth are always "".
void write_webhook(util::json::Writer& w, const Webhook& hook);

/// target_url, events, secret and basic auth from a request body (the v2.0.0 frontend's `basicauthuser` /
/// `basicauthpassword` spellings too). Wrong JSON types → util::json::BadInput (400 2004).
Webhook webhook_from_json(const util::json::Object& in);
/// Vikunja's create rules: target_url is an http(s) URL, events is non-empty and each one is in `allowed`;
/// 412 code 2002 naming the field otherwise. Also the column limits, so no value is too long to store.
void validate_webhook(const Webhook& hook, const std::vector<std::string>& allowed);
/// Update rule: a non-empty `events` of known event names (Vikunja checks them against every event).
void validate_webhook_events(const std::vector<std::string>& events, const std::vector<std::string>& allowed);

asio::awaitable<std::optional<Webhook>> find_webhook(db::Tx& tx, std::int64_t id);
/// A project's webhooks, oldest first, with their creators. Returns (page, total); limit 0 = all.
asio::awaitable<std::pair<std::vector<Webhook>, std::int64_t>> list_project_webhooks(db::Tx& tx,
                                                                                     std::int64_t project_id,
                                                                                     std::int64_t limit,
                                                                                     std::int64_t offset);
/// A user's project-less webhooks, oldest first, with their creators.
asio::awaitable<std::vector<Webhook>> list_user_webhooks(db::Tx& tx, std::int64_t user_id);
/// Inserts the webhook as `created_by_id` made it; fills id, timestamps and created_by.
asio::awaitable<void> insert_webhook(db::Tx& tx, Webhook& hook);
/// Stores `hook.events` (nothing else changes, as in Vikunja) and `updated`.
asio::awaitable<void> update_webhook_events(db::Tx& tx, Webhook& hook);
/// Deletes the webhooks with their deliveries and the deliveries' attempts.
asio::awaitable<void> delete_webhooks(db::Tx& tx, const std::vector<std::int64_t>& ids);
/// Every webhook of these projects, or of this user (project-less), with their delivery logs.
asio::awaitable<void> delete_project_webhooks(db::Tx& tx, const std::vector<std::int64_t>& project_ids);
asio::awaitable<void> delete_user_webhooks(db::Tx& tx, std::int64_t user_id);

// ---- Delivery log ----

struct DeliveryAttempt {
    std::int64_t attempt = 0;
    std::optional<std::int64_t> status_code;  ///< nullopt when no response came
    std::int64_t latency_ms = 0;
    std::optional<std::string> error;
    Timestamp created{};
};

struct WebhookDelivery {
    std::int64_t id = 0;
    std::string uuid;  ///< X-Vicugna-Delivery, the same on every attempt
    std::int64_t webhook_id = 0;
    std::string event_name;
    std::string payload;  ///< the exact body sent
    std::string status;   ///< pending | delivered | failed
    std::int64_t attempts = 0;
    std::optional<std::int64_t> last_status_code;
    std::optional<std::int64_t> last_latency_ms;
    std::optional<std::string> last_error;
    Timestamp next_attempt_at{};
    std::optional<Timestamp> delivered_at;
    Timestamp created{};
    Timestamp updated{};
};

/// A delivery as the log lists it (no payload).
void write_delivery(util::json::Writer& w, const WebhookDelivery& d);
/// A delivery with its `payload` (as JSON) and `attempt_log`.
void write_delivery_detail(util::json::Writer& w, const WebhookDelivery& d, const std::vector<DeliveryAttempt>& log);

/// A webhook's deliveries, newest first. Returns (page, total); limit 0 = all.
asio::awaitable<std::pair<std::vector<WebhookDelivery>, std::int64_t>> list_deliveries(db::Tx& tx,
                                                                                       std::int64_t webhook_id,
                                                                                       std::int64_t limit,
                                                                                       std::int64_t offset);
/// The delivery `id` of `webhook_id`; nullopt when it is missing or another webhook's.
asio::awaitable<std::optional<WebhookDelivery>> find_delivery(db::Tx& tx, std::int64_t webhook_id, std::int64_t id);
/// Its attempts, first first.
asio::awaitable<std::vector<DeliveryAttempt>> list_delivery_attempts(db::Tx& tx, std::int64_t delivery_id);
/// Queues the delivery again at once, whatever its state, with `max_attempts` more attempts (a worker's claim is
/// dropped); returns it as now stored.
asio::awaitable<WebhookDelivery> redeliver(db::Tx& tx, WebhookDelivery d, std::int64_t max_attempts);

}  // namespace vicugna::models
