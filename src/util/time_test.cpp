// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/time.hpp"

#include <gtest/gtest.h>

namespace vicugna::util {
namespace {

Timestamp at(long long unix_seconds) { return Timestamp(std::chrono::seconds(unix_seconds)); }

constexpr long long kDec1 = 1543626724;  // 2018-12-01T01:12:04Z
constexpr long long kDec1Midnight = 1543622400;  // 2018-12-01T00:00:00Z
constexpr long long kYearOne = -62135596800;  // 0001-01-01T00:00:00Z

TEST(ParseTime, Rfc3339InUtc) {
    EXPECT_EQ(parse_time("2018-12-01T01:12:04Z"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01t01:12:04z"), at(kDec1));  // RFC 3339 allows lower-case T and Z
    EXPECT_EQ(parse_time("1970-01-01T00:00:00Z"), at(0));
    EXPECT_EQ(parse_time("2024-02-29T23:59:59Z"), at(1709251199));
}

TEST(ParseTime, Rfc3339WithOffsets) {
    EXPECT_EQ(parse_time("2018-12-01T03:12:04+02:00"), at(kDec1));
    EXPECT_EQ(parse_time("2018-11-30T20:42:04-04:30"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01T01:12:04+00:00"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01T01:12:04-00:00"), at(kDec1));
}

TEST(ParseTime, FractionsAreTruncatedToSeconds) {
    EXPECT_EQ(parse_time("2018-12-01T01:12:04.5Z"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01T01:12:04.999999999Z"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01T03:12:04.123+02:00"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01 01:12:04.123456"), at(kDec1));
}

TEST(ParseTime, DatabaseTextForms) {
    // SQLite storage (to_db_text) and PostgreSQL's timestamptz text output.
    EXPECT_EQ(parse_time("2018-12-01 01:12:04"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01 01:12:04+00"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01 03:12:04+02"), at(kDec1));
    EXPECT_EQ(parse_time("2018-11-30 22:12:04-03"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01 01:12:04.654321+00"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01 06:42:04+05:30"), at(kDec1));
    EXPECT_EQ(parse_time("2018-12-01T01:12:04"), at(kDec1));  // no zone: UTC
}

TEST(ParseTime, DateOnlyIsMidnightUtc) {
    EXPECT_EQ(parse_time("2018-12-01"), at(kDec1Midnight));
}

TEST(ParseTime, ZeroTimeParsesToYearOne) {
    auto t = parse_time(kZeroTime);
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, at(kYearOne));
    EXPECT_TRUE(is_zero_time(*t));
    EXPECT_EQ(parse_time("0001-01-01 00:00:00+00"), at(kYearOne));
}

TEST(ParseTime, RejectsGarbage) {
    for (const char* text : {"", "2018", "yesterday", "2018-12-0", "not a date at all", "2018-12-01T01:12:04Zjunk",
                             "2018-12-01T01:12Z", "2018-12-01 01:12:04 +0200 extra", "2018-13-01T00:00:00Z",
                             "2018-12-01X01:12:04Z", "2018/12/01 01:12:04"}) {
        EXPECT_EQ(parse_time(text), std::nullopt) << '"' << text << '"';
    }
}

TEST(ToRfc3339, UtcWithZSuffix) {
    EXPECT_EQ(to_rfc3339(at(kDec1)), "2018-12-01T01:12:04Z");
    EXPECT_EQ(to_rfc3339(at(0)), "1970-01-01T00:00:00Z");
    EXPECT_EQ(to_rfc3339(std::optional<Timestamp>(at(kDec1))), "2018-12-01T01:12:04Z");
}

TEST(ToRfc3339, UnsetIsVikunjasZeroTime) {
    EXPECT_EQ(to_rfc3339(std::optional<Timestamp>{}), "0001-01-01T00:00:00Z");
    EXPECT_EQ(to_rfc3339(at(kYearOne)), kZeroTime);
}

TEST(ToDbText, FixedWidthUtcThatSortsAsTime) {
    EXPECT_EQ(to_db_text(at(kDec1)), "2018-12-01 01:12:04");
    EXPECT_EQ(to_db_text(at(kYearOne)), "0001-01-01 00:00:00");
    EXPECT_LT(to_db_text(at(kDec1 - 1)), to_db_text(at(kDec1)));
    EXPECT_LT(to_db_text(at(9)), to_db_text(at(10)));
}

TEST(TimeText, RoundTripsThroughBothForms) {
    for (long long s : {kYearOne, 0LL, kDec1, 1709251199LL, 4102444800LL /* 2100-01-01 */}) {
        EXPECT_EQ(parse_time(to_rfc3339(at(s))), at(s)) << s;
        EXPECT_EQ(parse_time(to_db_text(at(s))), at(s)) << s;
    }
}

TEST(IsZeroTime, OnlyYearOne) {
    EXPECT_TRUE(is_zero_time(at(kYearOne)));
    EXPECT_TRUE(is_zero_time(at(kYearOne + 86400 * 30)));  // still year 1
    EXPECT_FALSE(is_zero_time(at(0)));
    EXPECT_FALSE(is_zero_time(at(kDec1)));
}

TEST(ParseTimeInZone, NaiveTextIsWallClockInTheZone) {
    // Python's isoformat(), with and without microseconds; Berlin is UTC+1 in December.
    EXPECT_EQ(parse_time_in_zone("2018-12-01T02:12:04", "Europe/Berlin"), at(kDec1));
    EXPECT_EQ(parse_time_in_zone("2018-12-01T02:12:04.123456", "Europe/Berlin"), at(kDec1));
    EXPECT_EQ(parse_time_in_zone("2018-12-01", "Europe/Berlin"), at(kDec1Midnight - 3600));
    EXPECT_EQ(parse_time_in_zone("2018-11-30T20:12:04", "America/New_York"), at(kDec1));
}

TEST(ParseTimeInZone, TextWithAZoneIsTakenAsGiven) {
    EXPECT_EQ(parse_time_in_zone("2018-12-01T01:12:04Z", "Europe/Berlin"), at(kDec1));
    EXPECT_EQ(parse_time_in_zone("2018-12-01T03:12:04+02:00", "Europe/Berlin"), at(kDec1));
    EXPECT_EQ(parse_time_in_zone("2018-11-30T20:42:04-04:30", "Asia/Tokyo"), at(kDec1));
}

TEST(ParseTimeInZone, NoOrUnknownZoneIsUtc) {
    EXPECT_EQ(parse_time_in_zone("2018-12-01T01:12:04", ""), at(kDec1));
    EXPECT_EQ(parse_time_in_zone("2018-12-01T01:12:04", "Mars/Olympus"), at(kDec1));
    EXPECT_EQ(parse_time_in_zone("not a time", "Europe/Berlin"), std::nullopt);
}

TEST(ParseTimeInZone, DaylightSavingGapsAndRepeats) {
    // 2024-03-31 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00): the transition instant.
    EXPECT_EQ(parse_time_in_zone("2024-03-31T02:30:00", "Europe/Berlin"), parse_time("2024-03-31T01:00:00Z"));
    // 2024-10-27 02:30 happens twice: the earlier one (still UTC+2).
    EXPECT_EQ(parse_time_in_zone("2024-10-27T02:30:00", "Europe/Berlin"), parse_time("2024-10-27T00:30:00Z"));
}

TEST(MinuteOfDay, ReadsVikunjasReminderTimes) {
    EXPECT_EQ(minute_of_day("9:00"), 540);
    EXPECT_EQ(minute_of_day("09:05"), 545);
    EXPECT_EQ(minute_of_day("23:59"), 23 * 60 + 59);
    for (const char* bad : {"", "9", "24:00", "9:60", "9:5", "123:00", ":30", "9:0a", "-1:00", "09:00:00"}) {
        EXPECT_FALSE(minute_of_day(bad).has_value()) << bad;
    }
}

TEST(FindTimeZone, KnowsIanaNamesOnly) {
    EXPECT_NE(find_time_zone("Europe/Berlin"), nullptr);
    EXPECT_NE(find_time_zone("UTC"), nullptr);
    EXPECT_EQ(find_time_zone(""), nullptr);
    EXPECT_EQ(find_time_zone("Mars/Olympus"), nullptr);
}

TEST(Now, IsWholeSecondsNearTheSystemClock) {
    const auto before = std::chrono::system_clock::now();
    const Timestamp n = now();
    const auto after = std::chrono::system_clock::now();
    EXPECT_LE(n, after);
    EXPECT_GT(n + std::chrono::seconds(1), before);
}

}  // namespace
}  // namespace vicugna::util
