// SPDX-License-Identifier: AGPL-3.0-or-later
/// A bounded pool of PostgreSQL connections: waiting without blocking, lifetime and idle limits, and
/// rollback of connections handed back with a transaction still open.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "db/postgres/connection.hpp"

namespace vicugna::db::postgres {

class Pool;

/// A connection borrowed from the pool; given back when the lease is destroyed.
class Lease {
public:
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn, bool reused)
        : pool_(std::move(pool)), conn_(std::move(conn)), reused_(reused) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&& other) noexcept {
        if (this != &other) {
            give_back();
            pool_ = std::move(other.pool_);
            conn_ = std::move(other.conn_);
            reused_ = other.reused_;
        }
        return *this;
    }
    ~Lease() { give_back(); }

    Connection* operator->() const { return conn_.get(); }
    explicit operator bool() const { return conn_ != nullptr; }
    /// True when the connection served earlier leases, so it may have died unnoticed since.
    bool reused() const { return reused_; }
    void give_back();

private:
    std::shared_ptr<Pool> pool_;
    std::unique_ptr<Connection> conn_;
    bool reused_;
};

class Pool : public std::enable_shared_from_this<Pool> {
public:
    /// max_open <= 0 means unlimited; max_lifetime 0 means connections never expire.
    Pool(Target target, asio::any_io_executor executor, int max_open, int max_idle,
         std::chrono::milliseconds max_lifetime);

    /// An idle connection, a new one, or (all busy) the next one given back within 30 s.
    /// Throws db::TimeoutError when none comes free in time, db::ConnectionError when connecting fails.
    asio::awaitable<Lease> acquire();
    /// Takes a connection back: reused if healthy, rolled back first if a transaction is still open,
    /// closed if broken, too old or surplus to the idle limit.
    void give_back(std::unique_ptr<Connection> conn);
    /// Closes every idle connection (after one turned out dead, the others likely are too).
    void drop_idle();
    const Target& target() const { return target_; }

private:
    struct Waiter {
        explicit Waiter(const asio::any_io_executor& executor);
        asio::steady_timer timer;  // expires at the acquire deadline, or at once when granted
        bool granted = false;
        std::unique_ptr<Connection> conn;  // null with granted: open a new connection in the freed slot
    };

    asio::awaitable<void> wait(Waiter& waiter);
    void grant_locked(std::unique_ptr<Connection> conn);
    void release_slot_locked();
    void close(std::unique_ptr<Connection> conn);
    bool expired(const Connection& conn) const;
    static asio::awaitable<void> roll_back(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn);

    const Target target_;
    const asio::any_io_executor executor_;
    const int max_open_;
    const std::size_t max_idle_;
    const std::chrono::milliseconds max_lifetime_;

    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;  // used as a stack: the most recent is the warmest
    std::deque<std::shared_ptr<Waiter>> waiters_;
    int open_ = 0;  // connections existing or being opened, idle ones included
};

}  // namespace vicugna::db::postgres
