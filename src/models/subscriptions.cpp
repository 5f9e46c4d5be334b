// SPDX-License-Identifier: AGPL-3.0-or-later
// Subscriptions (Vikunja: pkg/models/subscription.go, subscription_permissions.go).
#include "models/subscriptions.hpp"

#include "api/errors.hpp"
#include "models/access.hpp"

namespace vicugna::models {
namespace {

// The task's own subscription (entity 3), else its project's (entity 2): a task in a top-level project, or a
// top-level project with task id 0.
constexpr std::string_view kNearestTopLevel =
    "SELECT id, entity_type, entity_id, created FROM subscriptions WHERE user_id = ?"
    " AND ((entity_type = 3 AND entity_id = ?) OR (entity_type = 2 AND entity_id = ?))"
    " ORDER BY entity_type DESC LIMIT 1";

// The task's own subscription, else the nearest one on its project chain.
constexpr std::string_view kNearestInChain =
    "SELECT s.id, s.entity_type, s.entity_id, s.created,"
    " CASE WHEN s.entity_type = 3 THEN -1 ELSE (SELECT depth FROM chain WHERE chain.id = s.entity_id) END AS rank"
    " FROM subscriptions s WHERE s.user_id = ? AND ((s.entity_type = 3 AND s.entity_id = ?)"
    " OR (s.entity_type = 2 AND s.entity_id IN (SELECT id FROM chain)))"
    " ORDER BY rank LIMIT 1";

constexpr std::string_view kFollowsAnyProject =
    "SELECT 1 FROM subscriptions WHERE user_id = ? AND entity_type = 2 LIMIT 1";

// Every listed project with its ancestors; the first subscription per origin (ordered by depth) is the nearest.
constexpr std::string_view kChainsOfMany =
    "WITH RECURSIVE chain(origin, id, parent_project_id, depth) AS ("
    " SELECT id, id, parent_project_id, 0 FROM projects WHERE id IN {ids}"
    " UNION ALL"
    " SELECT chain.origin, p.id, p.parent_project_id, chain.depth + 1 FROM projects p"
    " JOIN chain ON p.id = chain.parent_project_id WHERE chain.depth < 64) "
    "SELECT chain.origin, s.id, s.entity_id, s.created FROM chain JOIN subscriptions s"
    " ON s.user_id = ? AND s.entity_type = 2 AND s.entity_id = chain.id ORDER BY chain.origin, chain.depth";

constexpr std::string_view kSubscribers =
    "SELECT DISTINCT user_id FROM subscriptions WHERE (entity_type = 3 AND entity_id = ?)"
    " OR (entity_type = 2 AND entity_id IN (SELECT id FROM chain)) ORDER BY user_id";

constexpr std::string_view kProjectParent = "SELECT parent_project_id FROM projects WHERE id = ?";
constexpr std::string_view kTaskProject =
    "SELECT t.project_id, p.parent_project_id FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = ?";
constexpr std::string_view kOwn =
    "SELECT 1 FROM subscriptions WHERE user_id = ? AND entity_type = ? AND entity_id = ?";
constexpr std::string_view kInsert =
    "INSERT INTO subscriptions (entity_type, entity_id, user_id, created) VALUES (?, ?, ?, ?) RETURNING id";
constexpr std::string_view kDelete =
    "DELETE FROM subscriptions WHERE user_id = ? AND entity_type = ? AND entity_id = ?";

std::int64_t entity_value(SubscriptionEntity e) { return static_cast<std::int64_t>(e); }

}  // namespace

SubscriptionEntity subscription_entity_from_name(std::string_view name) {
    if (name == "project") return SubscriptionEntity::Project;
    if (name == "task") return SubscriptionEntity::Task;
    return SubscriptionEntity::Unknown;
}

void write_subscription(util::json::Writer& w, const Subscription& s) {
    w.start_object();
    w.key("id").integer(s.id);
    w.key("entity");
    switch (s.entity) {
        case SubscriptionEntity::Project: w.string("project"); break;
        case SubscriptionEntity::Task: w.string("task"); break;
        case SubscriptionEntity::Unknown: w.null(); break;
    }
    w.key("entity_id").integer(s.entity_id);
    w.key("created").time(s.created);
    w.end_object();
}

asio::awaitable<std::optional<Subscription>> nearest_subscription(db::Tx& tx, std::int64_t user_id,
                                                                  std::int64_t task_id, std::int64_t project_id,
                                                                  bool nested) {
    static const std::string in_chain = std::string(project_chain_cte()) + std::string(kNearestInChain);
    db::Rows rows;
    if (nested) {
        rows = co_await tx.query(in_chain, project_id, user_id, task_id);
    } else {
        rows = co_await tx.query(kNearestTopLevel, user_id, task_id, project_id);
    }
    if (rows.empty()) co_return std::nullopt;
    Subscription s;
    s.id = rows[0].get<std::int64_t>("id");
    s.entity = static_cast<SubscriptionEntity>(rows[0].get<int>("entity_type"));
    s.entity_id = rows[0].get<std::int64_t>("entity_id");
    s.user_id = user_id;
    s.created = rows[0].get<util::Timestamp>("created");
    co_return s;
}

asio::awaitable<std::map<std::int64_t, Subscription>> project_subscriptions(db::Tx& tx, std::int64_t user_id,
                                                                            const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, Subscription> out;
    if (ids.empty()) co_return out;
    auto follows = co_await tx.query(kFollowsAnyProject, user_id);
    if (follows.empty()) co_return out;
    std::string sql(kChainsOfMany);
    sql.replace(sql.find("{ids}"), 5, db::placeholders(ids.size()));
    std::vector<db::Value> args(ids.begin(), ids.end());
    args.emplace_back(user_id);
    for (auto row : co_await tx.run(sql, std::move(args))) {
        Subscription s;
        s.id = row.get<std::int64_t>("id");
        s.entity = SubscriptionEntity::Project;
        s.entity_id = row.get<std::int64_t>("entity_id");
        s.user_id = user_id;
        s.created = row.get<util::Timestamp>("created");
        out.emplace(row.get<std::int64_t>("origin"), s);  // the first (nearest) per project stays
    }
    co_return out;
}

asio::awaitable<void> subscribe(db::Tx& tx, Subscription& s) {
    std::int64_t task_id = 0;
    std::int64_t project_id = s.entity_id;
    db::Rows where;
    if (s.entity == SubscriptionEntity::Task) {
        task_id = s.entity_id;
        where = co_await tx.query(kTaskProject, task_id);
        if (!where.empty()) project_id = where[0].get<std::int64_t>("project_id");
    } else {
        where = co_await tx.query(kProjectParent, project_id);
    }
    bool nested = !where.empty() && where[0].get<std::optional<std::int64_t>>("parent_project_id").value_or(0) > 0;
    auto existing = co_await nearest_subscription(tx, s.user_id, task_id, project_id, nested);
    if (existing) throw api::Error(api::ErrorCode::SubscriptionAlreadyExists);
    s.created = util::now();
    auto rows = co_await tx.query(kInsert, entity_value(s.entity), s.entity_id, s.user_id, s.created);
    s.id = rows[0].get<std::int64_t>(0);
}

asio::awaitable<bool> has_own_subscription(db::Tx& tx, std::int64_t user_id, SubscriptionEntity entity,
                                           std::int64_t entity_id) {
    auto rows = co_await tx.query(kOwn, user_id, entity_value(entity), entity_id);
    co_return !rows.empty();
}

asio::awaitable<void> unsubscribe(db::Tx& tx, std::int64_t user_id, SubscriptionEntity entity,
                                  std::int64_t entity_id) {
    co_await tx.exec(kDelete, user_id, entity_value(entity), entity_id);
}

asio::awaitable<std::vector<std::int64_t>> subscribers(db::Tx& tx, std::int64_t task_id, std::int64_t project_id) {
    static const std::string sql = std::string(project_chain_cte()) + std::string(kSubscribers);
    std::vector<std::int64_t> out;
    for (auto row : co_await tx.query(sql, project_id, task_id)) {
        Doer subscriber;
        subscriber.user_id = row.get<std::int64_t>(0);
        // Vikunja filters subscribers by read permission: someone who lost access hears nothing more.
        auto access = co_await project_access(tx, subscriber, project_id);
        if (access.can_read()) out.push_back(subscriber.user_id);
    }
    co_return out;
}

}  // namespace vicugna::models
