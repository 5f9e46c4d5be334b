// SPDX-License-Identifier: AGPL-3.0-or-later
/// The scheduler of the periodic jobs (task reminders, overdue reminders): shortly after each minute starts, and
/// once at start-up to catch up minutes missed while no process ran. Every process runs it; the database decides
/// which one runs each minute of each job (models/periodic_jobs.hpp).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <string>

#include "db/database.hpp"

namespace vicugna::app {

namespace asio = boost::asio;

class PeriodicJobs {
public:
    /// `default_timezone`: service.timezone, for users without a time zone of their own.
    PeriodicJobs(asio::io_context& io, db::Database& db, std::string default_timezone);
    void start();
    /// Stops waking up; a run in progress still finishes (busy() says when), so its transaction commits or
    /// rolls back before the database closes.
    void stop();
    bool busy() const { return running_; }

private:
    asio::awaitable<void> loop();
    asio::awaitable<void> run_all(std::int64_t minute);

    asio::strand<asio::io_context::executor_type> strand_;
    asio::steady_timer timer_;
    db::Database& db_;
    std::string default_timezone_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> running_{false};
};

}  // namespace vicugna::app
