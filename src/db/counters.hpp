// SPDX-License-Identifier: AGPL-3.0-or-later
/// Fixed-window counters shared by every process (rate limits, failed-login counts): Vikunja keeps these in its
/// `keyvalue` store. Backed by Redis when keyvalue.type is redis, otherwise by the database.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "db/database.hpp"

namespace vicugna::db {

class Counters {
public:
    virtual ~Counters() = default;
    /// Adds one hit to `name` in its current window (which starts with the first hit) and returns the hits so far.
    virtual asio::awaitable<std::int64_t> hit(const std::string& name, std::chrono::seconds window) = 0;
    virtual asio::awaitable<void> reset(const std::string& name) = 0;
    /// Health check of the store; throws when it cannot be reached.
    virtual asio::awaitable<void> ping() = 0;
    virtual std::string describe() const = 0;
};

/// Counters in the `vicugna_counters` table of `db`.
std::unique_ptr<Counters> database_counters(Database& db);

struct RedisOptions {
    std::string host = "localhost:6379";  ///< host:port
    std::string password;
    int db = 0;
};

/// Counters in Redis (keys "vicugna:counter:<name>" with a TTL of the window).
std::unique_ptr<Counters> redis_counters(const RedisOptions& options);

}  // namespace vicugna::db
