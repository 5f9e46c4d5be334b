// SPDX-License-Identifier: AGPL-3.0-or-later
/// Timestamps: UTC, second precision, with the text forms used on the wire and in the databases.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace vicugna::util {

using Timestamp = std::chrono::sys_seconds;

Timestamp now();

/// RFC 3339 in UTC, e.g. "2018-12-01T01:12:04Z" (Vikunja's JSON form).
std::string to_rfc3339(Timestamp t);

/// Vikunja's JSON for "unset": "0001-01-01T00:00:00Z".
inline constexpr std::string_view kZeroTime = "0001-01-01T00:00:00Z";
std::string to_rfc3339(const std::optional<Timestamp>& t);

/// "YYYY-MM-DD HH:MM:SS" in UTC: fixed width, so text comparison is time order (SQLite storage).
std::string to_db_text(Timestamp t);

/// Parses RFC 3339 (fractions and offsets allowed) and the database forms ("YYYY-MM-DD HH:MM:SS[.f][+HH[:MM]]").
/// Returns nullopt for text that is none of these. The zero time parses to nullopt-worthy year 1; callers decide.
std::optional<Timestamp> parse_time(std::string_view text);

/// ISO 8601 as clients write it: text with a zone (`Z`, `+02:00`) is parse_time's; text without one (Python's
/// `isoformat()`, "2026-12-14T09:30:00[.123456]", or a bare date) is a wall-clock time in the IANA zone `zone`
/// ("" or an unknown name: UTC). A wall-clock time that a DST change skips or repeats takes the earlier instant.
std::optional<Timestamp> parse_time_in_zone(std::string_view text, std::string_view zone);

/// The IANA zone `name`, or nullptr for "" or a name the time-zone database does not know.
const date::time_zone* find_time_zone(std::string_view name);

/// Minutes after midnight of "H:MM" or "HH:MM" (Go's "15:04", Vikunja's overdue reminder time); nullopt otherwise.
std::optional<int> minute_of_day(std::string_view text);

/// True for Go's zero time (year 1), which Vikunja uses for "no date".
bool is_zero_time(Timestamp t);

}  // namespace vicugna::util
