// SPDX-License-Identifier: AGPL-3.0-or-later
/// Fixed-window counters in the database (table `vicugna_counters`), so every process sees the same counts.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// Adds one hit to `name` in its current window of `window` length and returns the hits in that window.
asio::awaitable<std::int64_t> count_hit(db::Tx& tx, const std::string& name, std::chrono::seconds window);
/// Hits of `name` in its current window (0 when the window has passed).
asio::awaitable<std::int64_t> current_hits(db::Tx& tx, const std::string& name, std::chrono::seconds window);
asio::awaitable<void> reset_counter(db::Tx& tx, const std::string& name);

}  // namespace vicugna::models
