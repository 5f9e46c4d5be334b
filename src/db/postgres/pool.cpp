// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/postgres/pool.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <climits>

namespace vicugna::db::postgres {

namespace {
constexpr auto kAcquireTimeout = std::chrono::seconds(30);
}

void Lease::give_back() {
    if (conn_) pool_->give_back(std::move(conn_));
}

Pool::Waiter::Waiter(const asio::any_io_executor& executor) : timer(executor, kAcquireTimeout) {}

Pool::Pool(Target target, asio::any_io_executor executor, int max_open, int max_idle,
           std::chrono::milliseconds max_lifetime)
    : target_(std::move(target)),
      executor_(std::move(executor)),
      max_open_(max_open > 0 ? max_open : INT_MAX),
      max_idle_(static_cast<std::size_t>(std::max(max_idle, 0))),
      max_lifetime_(max_lifetime) {}

asio::awaitable<Lease> Pool::acquire() {
    auto self = shared_from_this();
    std::unique_ptr<Connection> conn;
    std::shared_ptr<Waiter> waiter;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            conn = std::move(idle_.back());
            idle_.pop_back();
        } else if (open_ < max_open_) {
            ++open_;
        } else {
            waiter = std::make_shared<Waiter>(executor_);
            waiters_.push_back(waiter);
        }
    }
    if (waiter) {
        co_await wait(*waiter);
        conn = std::move(waiter->conn);
    }
    if (conn && !expired(*conn)) co_return Lease(self, std::move(conn), true);

    // We hold a slot without a usable connection: open one in it (an expired one is closed first).
    conn.reset();
    try {
        conn = co_await Connection::open(target_, executor_);
    } catch (...) {
        std::lock_guard lock(mutex_);
        release_slot_locked();
        throw;
    }
    co_return Lease(self, std::move(conn), false);
}

asio::awaitable<void> Pool::wait(Waiter& waiter) {
    auto token = asio::as_tuple(asio::use_awaitable);  // a timeout is no error here: we look at `granted`
    co_await asio::async_initiate<decltype(token), void(boost::system::error_code)>(
        [this, &waiter](auto handler) {
            // Under the lock, so a grant (which moves the expiry to "now") is either seen by this wait or
            // happens after it started; it can never fall in between and leave us sleeping for 30 s.
            std::lock_guard lock(mutex_);
            waiter.timer.async_wait(std::move(handler));
        },
        token);
    std::lock_guard lock(mutex_);
    if (waiter.granted) co_return;
    std::erase_if(waiters_, [&](const auto& w) { return w.get() == &waiter; });
    throw TimeoutError("no PostgreSQL connection free within " + std::to_string(kAcquireTimeout.count()) +
                       " s (pool of " + std::to_string(max_open_) + " exhausted)");
}

void Pool::grant_locked(std::unique_ptr<Connection> conn) {
    auto waiter = std::move(waiters_.front());
    waiters_.pop_front();
    waiter->granted = true;
    waiter->conn = std::move(conn);
    waiter->timer.expires_at(asio::steady_timer::time_point::min());  // wakes the waiter now
}

void Pool::release_slot_locked() {
    if (!waiters_.empty()) {
        grant_locked(nullptr);  // the slot passes to the waiter, which opens its own connection
    } else {
        --open_;
    }
}

void Pool::close(std::unique_ptr<Connection> conn) {
    conn.reset();
    std::lock_guard lock(mutex_);
    release_slot_locked();
}

bool Pool::expired(const Connection& conn) const {
    return max_lifetime_.count() > 0 && std::chrono::steady_clock::now() - conn.opened_at() > max_lifetime_;
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
    if (!conn->usable() || expired(*conn)) return close(std::move(conn));
    if (conn->in_transaction()) {
        asio::co_spawn(executor_, roll_back(shared_from_this(), std::move(conn)), asio::detached);
        return;
    }
    std::unique_ptr<Connection> surplus;  // declared before the lock, so it is closed after unlocking
    std::lock_guard lock(mutex_);
    if (!waiters_.empty()) {
        grant_locked(std::move(conn));
    } else if (idle_.size() < max_idle_) {
        idle_.push_back(std::move(conn));
    } else {
        --open_;
        surplus = std::move(conn);
    }
}

void Pool::drop_idle() {
    std::vector<std::unique_ptr<Connection>> dropped;
    std::lock_guard lock(mutex_);
    dropped.swap(idle_);
    for (std::size_t i = 0; i < dropped.size(); ++i) release_slot_locked();
}

asio::awaitable<void> Pool::roll_back(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn) {
    try {
        co_await conn->execute("ROLLBACK");
    } catch (const std::exception& e) {
        spdlog::warn("PostgreSQL: rolling back an abandoned transaction failed: {}", e.what());
    }
    if (conn->in_transaction()) {
        pool->close(std::move(conn));  // still in a transaction (or broken): never loop on it
    } else {
        pool->give_back(std::move(conn));
    }
}

}  // namespace vicugna::db::postgres
