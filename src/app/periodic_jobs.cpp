// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/periodic_jobs.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

#include "models/periodic_jobs.hpp"
#include "models/task_reminders.hpp"

namespace vicugna::app {
namespace {

using Clock = std::chrono::system_clock;

/// How long after a minute starts its jobs run: clocks of several processes differ a little, and a timer that
/// fires a hair early must not find the previous minute still current.
constexpr auto kWakeDelay = std::chrono::milliseconds(500);

std::int64_t current_minute() {
    return std::chrono::floor<std::chrono::minutes>(Clock::now()).time_since_epoch().count();
}

/// Runs `job(tx, minute)` for each minute of `name` this process claims, all in one write transaction with the
/// claim. Failures are logged; the claim then rolls back and a later run (of any process) takes the minutes.
template <class Job>
asio::awaitable<void> run_job(db::Database& db, std::string_view name, std::int64_t minute, Job& job) {
    try {
        auto tx = co_await db.begin(db::TxMode::Write);
        auto range = co_await models::claim_minutes(*tx, name, minute);
        if (!range) co_return;
        if (range->skipped > 0) {
            spdlog::warn("periodic job {}: {} missed minutes are older than {} minutes and were dropped", name,
                         range->skipped, models::kMaxCatchUpMinutes);
        }
        for (auto m = range->first; m <= range->last; ++m) co_await job(*tx, m);
        co_await tx->commit();
        if (range->first != range->last) {
            spdlog::info("periodic job {}: caught up {} minutes", name, range->last - range->first + 1);
        }
    } catch (const std::exception& e) {
        spdlog::error("periodic job {} (minute {}): {}", name, minute, e.what());
    }
}

}  // namespace

PeriodicJobs::PeriodicJobs(asio::io_context& io, db::Database& db, std::string default_timezone)
    : strand_(asio::make_strand(io)), timer_(strand_), db_(db), default_timezone_(std::move(default_timezone)) {}

void PeriodicJobs::start() {
    asio::co_spawn(strand_, loop(), [](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            spdlog::error("periodic jobs stopped: {}", ex.what());
        }
    });
}

void PeriodicJobs::stop() {
    stopping_ = true;
    asio::post(strand_, [this] { timer_.cancel(); });
}

asio::awaitable<void> PeriodicJobs::loop() {
    std::int64_t last_run = -1;
    while (!stopping_) {
        auto minute = current_minute();
        // A timer that fired early finds the minute already run and only sleeps again.
        if (minute != last_run) {
            running_ = true;
            co_await run_all(minute);
            running_ = false;
            last_run = minute;
        }
        if (stopping_) break;
        auto next = Clock::time_point(std::chrono::minutes(last_run + 1)) + kWakeDelay;
        timer_.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(next - Clock::now()));
        auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) break;  // cancelled by stop()
    }
}

asio::awaitable<void> PeriodicJobs::run_all(std::int64_t minute) {
    // Plain lambdas returning the jobs' coroutines (not coroutine lambdas): nothing they capture is awaited on.
    auto reminders = [](db::Tx& tx, std::int64_t m) { return models::fire_task_reminders(tx, m); };
    auto overdue = [this](db::Tx& tx, std::int64_t m) {
        return models::fire_overdue_reminders(tx, m, default_timezone_);
    };
    co_await run_job(db_, models::kTaskRemindersJob, minute, reminders);
    co_await run_job(db_, models::kOverdueRemindersJob, minute, overdue);
}

}  // namespace vicugna::app
