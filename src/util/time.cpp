// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <sstream>

namespace vicugna::util {

Timestamp now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

namespace {

/// Writes `value` as `width` zero-padded digits at `out`.
void put_digits(char* out, long value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

}  // namespace

// Every task carries six timestamps; date::format's stream machinery showed in list profiles.
std::string to_rfc3339(Timestamp t) {
    auto day = std::chrono::floor<date::days>(t);
    date::year_month_day ymd{day};
    date::hh_mm_ss<std::chrono::seconds> time{t - day};
    int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) return date::format("%FT%TZ", t);
    std::string s = "0000-00-00T00:00:00Z";
    put_digits(&s[0], year, 4);
    put_digits(&s[5], static_cast<unsigned>(ymd.month()), 2);
    put_digits(&s[8], static_cast<unsigned>(ymd.day()), 2);
    put_digits(&s[11], time.hours().count(), 2);
    put_digits(&s[14], time.minutes().count(), 2);
    put_digits(&s[17], time.seconds().count(), 2);
    return s;
}

std::string to_rfc3339(const std::optional<Timestamp>& t) {
    return t ? to_rfc3339(*t) : std::string(kZeroTime);
}

std::string to_db_text(Timestamp t) { return date::format("%F %T", t); }

bool is_zero_time(Timestamp t) {
    return date::year_month_day{std::chrono::floor<date::days>(t)}.year() <= date::year{1};
}

namespace {

/// "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SSZ": what the databases and most clients send, parsed without
/// streams (the general parser below showed in request profiles).
std::optional<Timestamp> parse_fixed(std::string_view s) {
    bool zulu = s.size() == 20 && (s[19] == 'Z' || s[19] == 'z');
    if (s.size() != 19 && !zulu) return std::nullopt;
    if (s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') {
        return std::nullopt;
    }
    auto num = [&](std::size_t pos, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) {
        return std::nullopt;
    }
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return date::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(se);
}

}  // namespace

std::optional<Timestamp> parse_time(std::string_view text) {
    if (auto fast = parse_fixed(text)) return fast;
    // Normalise: 'T' or ' ' between date and time; drop fractional seconds (second precision).
    std::string s(text);
    if (s.size() < 10) return std::nullopt;
    if (s.size() == 10) s += "T00:00:00Z";
    if (s.size() > 10 && (s[10] == ' ' || s[10] == 't')) s[10] = 'T';
    if (auto dot = s.find('.', 19); dot == 19) {
        auto end = s.find_first_not_of("0123456789", dot + 1);
        s.erase(dot, (end == std::string::npos ? s.size() : end) - dot);
    }
    if (s.size() == 19) s += 'Z';
    if (s.back() == 'z') s.back() = 'Z';
    // Offsets like "+02" (PostgreSQL's text form) become "+02:00".
    if (s.size() == 22 && (s[19] == '+' || s[19] == '-')) s += ":00";
    std::istringstream in(s);
    date::sys_seconds tp;
    if (s.size() == 20 && s.back() == 'Z') {
        in >> date::parse("%FT%TZ", tp);
    } else {
        in >> date::parse("%FT%T%Ez", tp);
    }
    if (in.fail()) return std::nullopt;
    in.peek();
    if (!in.eof()) return std::nullopt;
    return tp;
}

const date::time_zone* find_time_zone(std::string_view name) {
    if (name.empty()) return nullptr;
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return nullptr;
    }
}

std::optional<int> minute_of_day(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
    int hour = 0;
    for (char c : text.substr(0, colon)) {
        if (c < '0' || c > '9') return std::nullopt;
        hour = hour * 10 + (c - '0');
    }
    char m1 = text[colon + 1], m2 = text[colon + 2];
    if (m1 < '0' || m1 > '5' || m2 < '0' || m2 > '9' || hour > 23) return std::nullopt;
    return hour * 60 + (m1 - '0') * 10 + (m2 - '0');
}

std::optional<Timestamp> parse_time_in_zone(std::string_view text, std::string_view zone) {
    auto t = parse_time(text);
    // The date part holds '-' too, so a zone can only follow it.
    bool zoned = text.size() > 10 && text.substr(10).find_first_of("Zz+-") != std::string_view::npos;
    const auto* tz = find_time_zone(zone);
    if (!t || zoned || !tz) return t;
    // parse_time read the wall-clock time as UTC.
    return tz->to_sys(date::local_seconds{t->time_since_epoch()}, date::choose::earliest);
}

}  // namespace vicugna::util
