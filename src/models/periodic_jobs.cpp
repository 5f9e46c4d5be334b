// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/periodic_jobs.hpp"

#include <algorithm>

namespace vicugna::models {
namespace {

constexpr std::string_view kLast = "SELECT last_minute FROM periodic_jobs WHERE name = ?";
// Compare-and-set on the value read: a concurrent claimer's UPDATE waits for this transaction (PostgreSQL row
// lock; SQLite has one writer) and then matches no row. Comparing with `<` instead would let a process whose
// read was older than another's commit run minutes the other one already ran.
constexpr std::string_view kClaim = "UPDATE periodic_jobs SET last_minute = ? WHERE name = ? AND last_minute = ?";

}  // namespace

asio::awaitable<std::optional<MinuteRange>> claim_minutes(db::Tx& tx, std::string_view job, std::int64_t now_minute) {
    auto rows = co_await tx.query(kLast, job);
    if (rows.empty()) co_return std::nullopt;
    auto last = rows[0].get<std::int64_t>(0);
    if (last >= now_minute) co_return std::nullopt;
    auto claimed = co_await tx.exec(kClaim, now_minute, job, last);
    if (claimed != 1) co_return std::nullopt;
    MinuteRange range;
    range.last = now_minute;
    range.first = last == 0 ? now_minute : std::max(last + 1, now_minute - kMaxCatchUpMinutes + 1);
    range.skipped = last == 0 ? 0 : range.first - (last + 1);
    co_return range;
}

}  // namespace vicugna::models
