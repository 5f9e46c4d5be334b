// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/counters.hpp"

namespace vicugna::models {
namespace {
// A window that started before `cutoff` has expired and restarts at `now` with one hit.
constexpr std::string_view kHit =
    "INSERT INTO vicugna_counters (name, hits, window_start) VALUES (?, 1, ?) "
    "ON CONFLICT (name) DO UPDATE SET "
    "hits = CASE WHEN vicugna_counters.window_start < ? THEN 1 ELSE vicugna_counters.hits + 1 END, "
    "window_start = CASE WHEN vicugna_counters.window_start < ? THEN ? ELSE vicugna_counters.window_start END "
    "RETURNING hits";
constexpr std::string_view kCurrent = "SELECT hits FROM vicugna_counters WHERE name = ? AND window_start >= ?";
constexpr std::string_view kReset = "DELETE FROM vicugna_counters WHERE name = ?";
}  // namespace

asio::awaitable<std::int64_t> count_hit(db::Tx& tx, const std::string& name, std::chrono::seconds window) {
    auto now = util::now();
    auto cutoff = now - window;
    auto rows = co_await tx.query(kHit, name, now, cutoff, cutoff, now);
    co_return rows[0].get<std::int64_t>(0);
}

asio::awaitable<std::int64_t> current_hits(db::Tx& tx, const std::string& name, std::chrono::seconds window) {
    auto rows = co_await tx.query(kCurrent, name, util::now() - window);
    co_return rows.empty() ? 0 : rows[0].get<std::int64_t>(0);
}

asio::awaitable<void> reset_counter(db::Tx& tx, const std::string& name) { co_await tx.exec(kReset, name); }

}  // namespace vicugna::models
