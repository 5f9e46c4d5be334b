// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/counters.hpp"

namespace vicugna::db {
namespace {

// A window that started before `cutoff` has expired and restarts at `now` with one hit.
constexpr std::string_view kHit =
    "INSERT INTO vicugna_counters (name, hits, window_start) VALUES (?, 1, ?) "
    "ON CONFLICT (name) DO UPDATE SET "
    "hits = CASE WHEN vicugna_counters.window_start < ? THEN 1 ELSE vicugna_counters.hits + 1 END, "
    "window_start = CASE WHEN vicugna_counters.window_start < ? THEN ? ELSE vicugna_counters.window_start END "
    "RETURNING hits";
constexpr std::string_view kReset = "DELETE FROM vicugna_counters WHERE name = ?";

class DatabaseCounters final : public Counters {
public:
    explicit DatabaseCounters(Database& db) : db_(db) {}

    asio::awaitable<std::int64_t> hit(const std::string& name, std::chrono::seconds window) override {
        auto now = util::now();
        auto cutoff = now - window;
        auto tx = co_await db_.begin(TxMode::Write);
        auto rows = co_await tx->query(kHit, name, now, cutoff, cutoff, now);
        co_await tx->commit();
        co_return rows[0].get<std::int64_t>(0);
    }
    asio::awaitable<void> reset(const std::string& name) override {
        auto tx = co_await db_.begin(TxMode::Write);
        co_await tx->exec(kReset, name);
        co_await tx->commit();
    }
    asio::awaitable<void> ping() override { co_await db_.ping(); }
    std::string describe() const override { return db_.describe(); }

private:
    Database& db_;
};

}  // namespace

std::unique_ptr<Counters> database_counters(Database& db) { return std::make_unique<DatabaseCounters>(db); }

}  // namespace vicugna::db
