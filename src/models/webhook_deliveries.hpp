// SPDX-License-Identifier: AGPL-3.0-or-later
/// The webhook outbox's sender (design C.6; beyond Vikunja, whose in-process bus loses pending deliveries on a
/// restart). Delivery rows are written by models/events.cpp in the change's transaction; this worker claims due
/// rows, posts them, records every attempt and schedules retries. Several processes share one database safely: a
/// claim is a lease written into the row (PostgreSQL claims with SKIP LOCKED, so two processes never take the
/// same row), and a lease left by a crashed process expires and the row is sent again (at least once).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "db/database.hpp"
#include "events/outbound.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

struct DeliverySettings {
    events::OutboundOptions outbound;
    int max_attempts = 10;             ///< webhooks.maxattempts
    int retry_initial_seconds = 10;    ///< webhooks.retryinitialseconds; each next delay is 3x longer
    int concurrency = 16;              ///< webhooks.deliveryworkers: sends in flight at once
    std::chrono::milliseconds poll_interval{1000};  ///< for rows queued by other processes and due retries
};

/// Seconds to wait after failed attempt `attempt` (1-based): initial × 3^(attempt−1), jittered by ±50 %.
std::int64_t retry_delay_seconds(int attempt, int initial_seconds);

class DeliveryWorker {
public:
    DeliveryWorker(asio::any_io_executor executor, db::Database& db, DeliverySettings settings);
    ~DeliveryWorker();
    DeliveryWorker(const DeliveryWorker&) = delete;
    DeliveryWorker& operator=(const DeliveryWorker&) = delete;

    void start();
    /// Stops claiming and aborts sends in progress; their leases expire and another process (or the next start)
    /// sends them again.
    void stop();
    /// New rows were committed: claim now instead of at the next poll. Safe from any thread.
    void wake();

private:
    struct Claimed;
    asio::awaitable<void> run();
    asio::awaitable<std::vector<Claimed>> claim(std::size_t limit);
    asio::awaitable<void> send(Claimed delivery);
    asio::awaitable<void> record(const Claimed& delivery, const events::OutboundResult& result);

    db::Database& db_;
    DeliverySettings settings_;
    asio::strand<asio::any_io_executor> strand_;  ///< the loop, the timer and the counters live on it
    asio::steady_timer timer_;
    asio::thread_pool senders_;  ///< libcurl blocks: sends run here, off the I/O threads
    std::atomic<bool> stopping_{false};
    std::size_t in_flight_ = 0;
    bool wake_requested_ = false;
};

}  // namespace vicugna::models
