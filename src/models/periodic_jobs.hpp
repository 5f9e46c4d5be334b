// SPDX-License-Identifier: AGPL-3.0-or-later
/// Minutes of periodic jobs (table `periodic_jobs`), claimed so that each minute of a job runs in exactly one
/// process even when several share the database.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// Minutes are Unix time / 60; minute m covers [m*60, m*60+60) and runs at its start.
struct MinuteRange {
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::int64_t skipped = 0;  ///< missed minutes older than the catch-up bound, dropped
};

/// Missed minutes (every process down) are run late, up to this many including the current one.
constexpr std::int64_t kMaxCatchUpMinutes = 10;

/// Claims the minutes of `job` after the last one run, up to `now_minute` (at most kMaxCatchUpMinutes of them;
/// only `now_minute` when the job never ran). Call it first in the write transaction that does the work: the
/// claim commits with the work or not at all, so a process that dies mid-run leaves its minutes to the next
/// one, and a concurrent claimer waits for this transaction and then finds nothing left. nullopt: nothing to run.
asio::awaitable<std::optional<MinuteRange>> claim_minutes(db::Tx& tx, std::string_view job, std::int64_t now_minute);

}  // namespace vicugna::models
