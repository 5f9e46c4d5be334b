// SPDX-License-Identifier: AGPL-3.0-or-later
/// Subscriptions (table `subscriptions`): a user follows a project (and so its tasks and sub-projects) or a task,
/// and hears about changes to it through notifications.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "util/json.hpp"
#include "util/time.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// The DB values of `entity_type` (Vikunja: SubscriptionEntityType; 1 was namespaces).
enum class SubscriptionEntity : int { Unknown = 0, Project = 2, Task = 3 };

/// "project" / "task"; anything else is Unknown.
SubscriptionEntity subscription_entity_from_name(std::string_view name);

struct Subscription {
    std::int64_t id = 0;
    SubscriptionEntity entity = SubscriptionEntity::Unknown;
    std::int64_t entity_id = 0;
    std::int64_t user_id = 0;
    util::Timestamp created{};
};

/// {id, entity ("project"|"task"), entity_id, created}.
void write_subscription(util::json::Writer& w, const Subscription& s);

/// The user's subscription covering a task in `project_id` (task_id non-zero) or the project itself (task_id 0):
/// the task's own, else the nearest one up the project chain. `nested` says whether the project has a parent
/// (false spares the chain walk).
asio::awaitable<std::optional<Subscription>> nearest_subscription(db::Tx& tx, std::int64_t user_id,
                                                                  std::int64_t task_id, std::int64_t project_id,
                                                                  bool nested);
/// For each of these projects the user's nearest subscription up its chain (GET /projects); one query, none when
/// the user follows no project at all.
asio::awaitable<std::map<std::int64_t, Subscription>> project_subscriptions(db::Tx& tx, std::int64_t user_id,
                                                                            const std::vector<std::int64_t>& ids);

/// Subscribes `s.user_id` (fills id and created). Throws 12002 when a subscription already covers the entity,
/// also one inherited from a project above it (Vikunja: Subscription.Create).
asio::awaitable<void> subscribe(db::Tx& tx, Subscription& s);
/// Whether the user has this very subscription (not an inherited one): only that can be deleted.
asio::awaitable<bool> has_own_subscription(db::Tx& tx, std::int64_t user_id, SubscriptionEntity entity,
                                           std::int64_t entity_id);
asio::awaitable<void> unsubscribe(db::Tx& tx, std::int64_t user_id, SubscriptionEntity entity,
                                  std::int64_t entity_id);

/// Users following the task (task_id non-zero) or the project (task_id 0) directly or through a project above,
/// who can still read `project_id` — Vikunja's GetSubscriptionsForEntity. Ascending ids.
asio::awaitable<std::vector<std::int64_t>> subscribers(db::Tx& tx, std::int64_t task_id, std::int64_t project_id);

}  // namespace vicugna::models
