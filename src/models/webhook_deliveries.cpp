// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/webhook_deliveries.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <cmath>
#include <map>
#include <random>

#include "models/webhooks.hpp"
#include "util/offload.hpp"
#include "util/time.hpp"

namespace vicugna::models {

struct DeliveryWorker::Claimed {
    std::int64_t id = 0;
    std::int64_t webhook_id = 0;
    bool orphaned = false;  ///< the webhook's project is gone: remove the webhook after its last delivery
    int attempt = 0;        ///< the attempt this claim makes
    int final_attempt = 0;  ///< give up after it
    events::OutboundRequest request;
};

std::int64_t retry_delay_seconds(int attempt, int initial_seconds) {
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    double delay = initial_seconds * std::pow(3.0, std::max(0, attempt - 1)) * jitter(random);
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(delay)));
}

DeliveryWorker::DeliveryWorker(asio::any_io_executor executor, db::Database& db, DeliverySettings settings)
    : db_(db),
      settings_(std::move(settings)),
      strand_(asio::make_strand(executor)),
      timer_(strand_),
      senders_(static_cast<std::size_t>(std::max(1, settings_.concurrency))) {
    settings_.concurrency = std::max(1, settings_.concurrency);
    settings_.outbound.cancel = &stopping_;
}

DeliveryWorker::~DeliveryWorker() {
    stopping_ = true;
    senders_.join();
}

void DeliveryWorker::start() {
    asio::co_spawn(strand_, run(), asio::detached);
}

void DeliveryWorker::stop() {
    stopping_ = true;
    asio::post(strand_, [this] { timer_.cancel(); });
}

void DeliveryWorker::wake() {
    asio::post(strand_, [this] {
        wake_requested_ = true;
        timer_.cancel();
    });
}

asio::awaitable<void> DeliveryWorker::run() {
    while (!stopping_) {
        std::size_t room = static_cast<std::size_t>(settings_.concurrency) - in_flight_;
        std::size_t claimed = 0;
        auto wait = settings_.poll_interval;
        if (room > 0) {
            try {
                auto batch = co_await claim(room);
                claimed = batch.size();
                for (auto& delivery : batch) {
                    ++in_flight_;
                    asio::co_spawn(strand_, send(std::move(delivery)), asio::detached);
                }
            } catch (const std::exception& e) {
                spdlog::warn("webhook deliveries: cannot claim due deliveries (trying again in 5 s): {}", e.what());
                wait = std::chrono::seconds(5);  // one line per outage period, not one per poll
            }
        }
        if (claimed > 0 && claimed == room) continue;  // more may be due
        if (std::exchange(wake_requested_, false)) continue;
        timer_.expires_after(wait);
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        wake_requested_ = false;
    }
}

asio::awaitable<std::vector<DeliveryWorker::Claimed>> DeliveryWorker::claim(std::size_t limit) {
    auto now = util::now();
    // The lease outlives the longest attempt (claimed rows start sending at once: one claim per free sender)
    // plus time to record it; only a crashed process leaves one to expire.
    auto lease_until = now + std::chrono::seconds(settings_.outbound.timeout_seconds + 15);
    auto tx = co_await db_.begin(db::TxMode::Write);
    std::string sql =
        "UPDATE webhook_deliveries SET locked_until = ?, attempts = attempts + 1, updated = ? WHERE id IN ("
        "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
        " AND (locked_until IS NULL OR locked_until < ?) ORDER BY next_attempt_at, id LIMIT ?" +
        std::string(db_.dialect().skip_locked) +
        ") RETURNING id, uuid, webhook_id, payload, attempts, final_attempt";
    auto rows = co_await tx->query(sql, lease_until, now, now, now, static_cast<std::int64_t>(limit));
    std::vector<Claimed> claimed;
    if (rows.empty()) co_return claimed;

    std::vector<db::Value> ids;
    for (const auto& row : rows) ids.emplace_back(row.get<std::int64_t>("webhook_id"));
    auto hooks = co_await tx->run(
        "SELECT id, target_url, secret, basic_auth_user, basic_auth_password, project_id IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM projects WHERE projects.id = webhooks.project_id) AS orphaned FROM webhooks WHERE id IN " +
            db::placeholders(ids.size()),
        ids);
    std::map<std::int64_t, db::Row> by_id;
    for (const auto& hook : hooks) by_id.emplace(hook.get<std::int64_t>("id"), hook);
    for (const auto& row : rows) {
        Claimed d;
        d.id = row.get<std::int64_t>("id");
        d.webhook_id = row.get<std::int64_t>("webhook_id");
        auto hook = by_id.find(d.webhook_id);
        if (hook == by_id.end()) {
            // The webhook is gone (Vikunja also stops quietly when the row is deleted).
            co_await tx->exec("DELETE FROM webhook_deliveries WHERE id = ?", d.id);
            continue;
        }
        d.orphaned = hook->second.get<bool>("orphaned");
        d.attempt = row.get<int>("attempts");
        auto final_attempt = row.get<int>("final_attempt");
        d.final_attempt = final_attempt > 0 ? final_attempt : settings_.max_attempts;
        d.request.url = hook->second.get<std::string>("target_url");
        d.request.body = row.get<std::string>("payload");
        d.request.secret = hook->second.get<std::string>("secret");
        d.request.basic_auth_user = hook->second.get<std::string>("basic_auth_user");
        d.request.basic_auth_password = hook->second.get<std::string>("basic_auth_password");
        d.request.delivery_id = row.get<std::string>("uuid");
        claimed.push_back(std::move(d));
    }
    co_await tx->commit();
    co_return claimed;
}

asio::awaitable<void> DeliveryWorker::send(Claimed delivery) {
    const auto& options = settings_.outbound;
    auto result = co_await util::run_on<events::OutboundResult>(
        senders_.get_executor(), [&delivery, &options] { return events::post_webhook(delivery.request, options); });
    if (stopping_ && !result.ok()) result.error = "aborted: the server shut down during the attempt (" + result.error + ")";
    try {
        co_await record(delivery, result);
    } catch (const std::exception& e) {
        // The lease expires and the delivery is sent again: at least once.
        spdlog::error("webhook delivery {}: cannot record attempt {}: {}", delivery.request.delivery_id,
                      delivery.attempt, e.what());
    }
    --in_flight_;
    wake_requested_ = true;
    timer_.cancel();
}

asio::awaitable<void> DeliveryWorker::record(const Claimed& d, const events::OutboundResult& result) {
    auto now = util::now();
    std::optional<std::int64_t> status_code;
    if (result.status) status_code = *result.status;
    std::optional<std::string> error;
    if (!result.ok()) error = result.error;

    std::string status = "delivered";
    auto next_attempt = now;
    std::optional<util::Timestamp> delivered_at;
    if (result.ok()) {
        delivered_at = now;
    } else if (d.attempt >= d.final_attempt) {
        status = "failed";
        spdlog::error("webhook {} delivery {} to {} failed for good after {} attempts: {}", d.webhook_id,
                      d.request.delivery_id, d.request.url, d.attempt, result.error);
    } else {
        status = "pending";
        auto delay = retry_delay_seconds(d.attempt, settings_.retry_initial_seconds);
        next_attempt = now + std::chrono::seconds(delay);
        spdlog::warn("webhook {} delivery {} to {} failed (attempt {} of {}), retrying in {} s: {}", d.webhook_id,
                     d.request.delivery_id, d.request.url, d.attempt, d.final_attempt, delay, result.error);
    }

    auto tx = co_await db_.begin(db::TxMode::Write);
    co_await tx->exec("INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, latency_ms, error,"
                      " created) VALUES (?, ?, ?, ?, ?, ?)",
                      d.id, d.attempt, status_code, result.latency_ms, error, now);
    // `attempts = ?`: if this claim's lease ran out and another worker took the row, its outcome wins.
    co_await tx->exec("UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, locked_until = NULL,"
                      " last_status_code = ?, last_latency_ms = ?, last_error = ?, delivered_at = ?, updated = ?"
                      " WHERE id = ? AND attempts = ?",
                      status, next_attempt, status_code, result.latency_ms, error, delivered_at, now, d.id, d.attempt);
    // A deleted project's webhooks stay until they have told their receivers (project.deleted, as Vikunja's
    // webhooks of the project hear it); after the last delivery they and their log go.
    if (d.orphaned && status != "pending") {
        auto pending = co_await tx->query(
            "SELECT 1 FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending'", d.webhook_id);
        std::vector<std::int64_t> done{d.webhook_id};
        if (pending.empty()) co_await delete_webhooks(*tx, done);
    }
    co_await tx->commit();
}

}  // namespace vicugna::models
