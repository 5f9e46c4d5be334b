// SPDX-License-Identifier: AGPL-3.0-or-later
// Subscriptions and notifications (Vikunja: pkg/models/subscription*.go, notifications_database.go,
// pkg/routes/api/v1/notifications.go).
#include "api/v1/notifications.hpp"

#include "api/errors.hpp"
#include "api/v1/handlers.hpp"

namespace vicugna::api::v1 {

using models::Doer;
using models::SubscriptionEntity;

// --- /subscriptions/{entity}/{entityID} ---------------------------------------------------------------------------

SubscriptionResource::Model SubscriptionResource::bind(Context& ctx) {
    Model m;
    // The path names the entity; a body (the web app sends {entity, entity_id}) does not override it.
    m.subscription.entity = models::subscription_entity_from_name(ctx.params.at("entity"));
    m.subscription.entity_id = ctx.id_param("entityID");
    m.subscription.user_id = ctx.doer().user_id;
    return m;
}

asio::awaitable<bool> SubscriptionResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    switch (m.subscription.entity) {
        case SubscriptionEntity::Project: {
            auto access = co_await models::project_access(tx, doer, m.subscription.entity_id);
            if (!access.exists) throw Error(ErrorCode::ProjectDoesNotExist);
            co_return access.can_read();
        }
        case SubscriptionEntity::Task: {
            auto access = co_await models::task_access(tx, doer, m.subscription.entity_id);
            co_return access.project.can_read();
        }
        case SubscriptionEntity::Unknown: break;
    }
    throw Error(ErrorCode::UnknownSubscriptionEntityType);
}

asio::awaitable<void> SubscriptionResource::create(db::Tx& tx, const Doer&, Model& m) {
    co_await models::subscribe(tx, m.subscription);
}

// Only the user's own subscription can go, whether or not they can still see the entity (Vikunja: CanDelete).
asio::awaitable<bool> SubscriptionResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    if (m.subscription.entity == SubscriptionEntity::Unknown) co_return false;
    auto own = co_await models::has_own_subscription(tx, doer.user_id, m.subscription.entity,
                                                     m.subscription.entity_id);
    co_return own;
}

asio::awaitable<void> SubscriptionResource::remove(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::unsubscribe(tx, doer.user_id, m.subscription.entity, m.subscription.entity_id);
}

void SubscriptionResource::write(util::json::Writer& w, const Model& m) {
    models::write_subscription(w, m.subscription);
}

// --- /notifications -------------------------------------------------------------------------------------------

NotificationResource::Model NotificationResource::bind(Context& ctx) {
    Model m;
    if (ctx.params.count("notificationid")) m.notification.id = ctx.id_param("notificationid");
    if (ctx.route.method == http::Verb::post) {
        auto body = ctx.body();
        m.read = body.object().boolean("read").value_or(false);
    }
    return m;
}

asio::awaitable<bool> NotificationResource::can_read_all(db::Tx&, const Doer&, Model&) { co_return true; }

asio::awaitable<crud::Page<models::Notification>> NotificationResource::read_all(db::Tx& tx, const Doer& doer,
                                                                                 Model&, const crud::ListQuery& q) {
    auto [items, total] = co_await models::list_notifications(tx, doer, q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::Notification>{std::move(items), total};
}

// Someone else's notification, or one about a project the caller can no longer read, is a plain 403.
asio::awaitable<bool> NotificationResource::can_update(db::Tx& tx, const Doer& doer, Model& m) {
    auto found = co_await models::find_visible_notification(tx, doer, m.notification.id);
    if (!found) co_return false;
    m.notification = std::move(*found);
    co_return true;
}

asio::awaitable<void> NotificationResource::update(db::Tx& tx, const Doer&, Model& m) {
    co_await models::mark_notification(tx, m.notification, m.read);
}

// Vikunja answers the update with the notification plus the `read` flag it was sent.
void NotificationResource::write(util::json::Writer& w, const Model& m) {
    models::write_notification(w, m.notification, m.read);
}

void NotificationResource::write(util::json::Writer& w, const models::Notification& n) {
    models::write_notification(w, n);
}

asio::awaitable<http::Response> notifications_mark_all(Context& ctx) {
    auto doer = ctx.doer();
    // The body is ignored: the web app sends the JSON literal `false`.
    auto tx = co_await ctx.begin(db::TxMode::Write);
    co_await models::mark_all_notifications_read(*tx, doer.user_id);
    co_await tx->commit();
    co_return message("success");
}

}  // namespace vicugna::api::v1
