// SPDX-License-Identifier: AGPL-3.0-or-later
/// CRUD resources for subscriptions and notifications (spec §2.11), used by routes.cpp; the mark-all route is
/// notifications_mark_all in handlers.hpp.
#pragma once
#include "api/crud.hpp"
#include "models/notifications.hpp"
#include "models/subscriptions.hpp"

namespace vicugna::api::v1 {

/// PUT and DELETE /subscriptions/{entity}/{entityID} (Vikunja: models.Subscription).
struct SubscriptionResource {
    struct Model {
        models::Subscription subscription;  ///< entity Unknown for an unknown path {entity} (12001 / 403)
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
};

/// GET /notifications and POST /notifications/{notificationid} (Vikunja: models.DatabaseNotifications).
struct NotificationResource {
    struct Model {
        models::Notification notification;
        bool read = false;  ///< update input; no body reads as false (= mark unread), as in Vikunja
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::Notification>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                                      const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::Notification& n);
};

}  // namespace vicugna::api::v1
