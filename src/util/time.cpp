// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/time.hpp"

#include <date/date.h>

#include <sstream>

namespace vicugna::util {

Timestamp now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::string to_rfc3339(Timestamp t) { return date::format("%FT%TZ", t); }

std::string to_rfc3339(const std::optional<Timestamp>& t) {
    return t ? to_rfc3339(*t) : std::string(kZeroTime);
}

std::string to_db_text(Timestamp t) { return date::format("%F %T", t); }

bool is_zero_time(Timestamp t) {
    return date::year_month_day{std::chrono::floor<date::days>(t)}.year() <= date::year{1};
}

std::optional<Timestamp> parse_time(std::string_view text) {
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

}  // namespace vicugna::util
