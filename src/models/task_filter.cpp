// SPDX-License-Identifier: AGPL-3.0-or-later
// The task filter language (Vikunja: pkg/models/task_collection_filter.go, task_search.go; the grammar is
// github.com/ganigeorgiev/fexpr v0.6 and dates go through github.com/jszwedko/go-datemath first).
#include "models/task_filter.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "api/errors.hpp"

namespace vicugna::models::task_filter {
namespace {

using api::Error;
using api::ErrorCode;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// ---------------------------------------------------------------------------------------------------------------
// Time zones and Go-style calendar arithmetic.

/// A resolved zone; nullptr means UTC (Go's LoadLocation("") and "UTC").
struct Zone {
    const date::time_zone* tz = nullptr;

    date::local_seconds to_local(Timestamp t) const {
        if (!tz) return date::local_seconds{t.time_since_epoch()};
        return tz->to_local(t);
    }
    Timestamp to_sys(date::local_seconds l) const {
        if (!tz) return Timestamp{l.time_since_epoch()};
        return tz->to_sys(l, date::choose::earliest);
    }
};

std::optional<Zone> find_zone(std::string_view name) {
    if (name.empty() || name == "UTC") return Zone{};
    const auto* tz = util::find_time_zone(name);
    if (!tz) return std::nullopt;
    return Zone{tz};
}

constexpr std::int64_t kMaxYear = 30000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// Go's time.Date: out-of-range months and days roll over into the next unit.
date::local_seconds civil(std::int64_t y, std::int64_t m, std::int64_t d, seconds time_of_day) {
    std::int64_t m0 = m - 1;
    y += floor_div(m0, 12);
    m0 -= floor_div(m0, 12) * 12;
    y = std::clamp<std::int64_t>(y, -kMaxYear, kMaxYear);
    d = std::clamp<std::int64_t>(d, -400000, 400000);
    date::local_days first = date::local_days{date::year{static_cast<int>(y)} / date::month{static_cast<unsigned>(m0 + 1)} / 1};
    return first + date::days{d - 1} + time_of_day;
}

struct Civil {
    std::int64_t y, m, d;
    seconds tod;
    unsigned weekday;  // 0 = Sunday, as Go's time.Weekday
};

Civil split(date::local_seconds l) {
    auto day = date::floor<date::days>(l);
    date::year_month_day ymd{day};
    return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()), l - day,
            date::weekday{day}.c_encoding()};
}

/// The earliest and latest times the databases (and the JSON) can carry.
Timestamp clamp_time(Timestamp t) {
    static const Timestamp lo = date::sys_days{date::year{1} / 1 / 1};
    static const Timestamp hi = date::sys_days{date::year{9999} / 12 / 31} + hours(23) + minutes(59) + seconds(59);
    return std::clamp(t, lo, hi);
}

// ---------------------------------------------------------------------------------------------------------------
// go-datemath: tokens, grammar and evaluation.

enum class DmTok { Digit, Now, Plus, Minus, Colon, Pipes, Slash, Unit, Dot, T, Z, End, Invalid };

struct DmToken {
    DmTok kind;
    int value = 0;  // the digit
    char unit = 0;  // y Q M w b d h m s, 'Y' for fy, 'q' for fQ
};

std::vector<DmToken> dm_lex(std::string_view s) {
    std::vector<DmToken> out;
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            out.push_back({DmTok::Digit, c - '0'});
        } else if (s.substr(i, 3) == "now") {
            out.push_back({DmTok::Now});
            i += 3;
            continue;
        } else if (s.substr(i, 2) == "||") {
            out.push_back({DmTok::Pipes});
            i += 2;
            continue;
        } else if (s.substr(i, 2) == "fy" || s.substr(i, 2) == "fQ") {
            out.push_back({DmTok::Unit, 0, s[i + 1] == 'y' ? 'Y' : 'q'});
            i += 2;
            continue;
        } else if (c == '+') {
            out.push_back({DmTok::Plus});
        } else if (c == '-') {
            out.push_back({DmTok::Minus});
        } else if (c == ':') {
            out.push_back({DmTok::Colon});
        } else if (c == '/') {
            out.push_back({DmTok::Slash});
        } else if (c == '.') {
            out.push_back({DmTok::Dot});
        } else if (c == 'T') {
            out.push_back({DmTok::T});
        } else if (c == 'Z') {
            out.push_back({DmTok::Z});
        } else if (std::string_view("yMwdbhHmsQ").find(c) != std::string_view::npos) {
            out.push_back({DmTok::Unit, 0, c == 'H' ? 'h' : c});
        } else {
            return {{DmTok::Invalid}};
        }
        ++i;
    }
    out.push_back({DmTok::End});
    return out;
}

struct Adjustment {
    bool truncate = false;
    std::int64_t factor = 0;
    char unit = 0;
};

/// The anchor: now, an instant (offset or Z given, or a unix millisecond timestamp), or a wall clock in the zone.
struct Anchor {
    bool now = false;
    bool wall = false;  // no zone given: interpreted in the filter's zone
    Timestamp instant{};
    date::local_seconds local{};
};

class DatemathParser {
public:
    explicit DatemathParser(std::vector<DmToken> tokens) : t_(std::move(tokens)) {}

    bool parse(Anchor& anchor, std::vector<Adjustment>& adjustments) {
        if (peek() == DmTok::Now) {
            ++pos_;
            anchor.now = true;
            if (!math_list(adjustments)) return false;
        } else {
            if (!absolute(anchor)) return false;
            if (peek() == DmTok::Pipes) {
                ++pos_;
                if (!math_list(adjustments)) return false;
            }
        }
        return peek() == DmTok::End;
    }

private:
    DmTok peek(std::size_t ahead = 0) const {
        return pos_ + ahead < t_.size() ? t_[pos_ + ahead].kind : DmTok::End;
    }
    std::size_t digit_run() const {
        std::size_t n = 0;
        while (peek(n) == DmTok::Digit) ++n;
        return n;
    }
    std::int64_t take_digits(std::size_t n) {
        std::int64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = std::min<std::int64_t>(v * 10 + t_[pos_++].value, 1'000'000'000'000'000);
        return v;
    }
    bool two_digits(std::int64_t& out) {
        if (peek() != DmTok::Digit || peek(1) != DmTok::Digit) return false;
        out = take_digits(2);
        return true;
    }

    bool absolute(Anchor& a) {
        std::size_t n = digit_run();
        if (n >= 5) {  // a unix timestamp in milliseconds
            std::int64_t ms = take_digits(n);
            a.instant = Timestamp{seconds{std::min<std::int64_t>(ms / 1000, 400'000'000'000)}};
            return true;
        }
        if (n == 2) {  // a time on the epoch's date
            seconds tod{};
            if (!time(tod)) return false;
            a.wall = true;
            a.local = date::local_days{date::year{1970} / 1 / 1} + tod;
            return true;
        }
        if (n != 4) return false;
        std::int64_t year = take_digits(4), month = 1, day = 1;
        if (peek() == DmTok::Minus) {
            ++pos_;
            if (!two_digits(month) || month > 12) return false;
            if (peek() == DmTok::Minus) {
                ++pos_;
                if (!two_digits(day)) return false;
                auto last = date::year_month_day_last{date::year{static_cast<int>(year)} /
                                                      date::month{static_cast<unsigned>(std::max<std::int64_t>(month, 1))} /
                                                      date::last};
                if (month >= 1 && day > static_cast<std::int64_t>(unsigned(last.day()))) return false;
            }
        }
        seconds tod{};
        if (peek() == DmTok::T) {
            ++pos_;
            if (!time(tod)) return false;
            if (peek() == DmTok::Z) {
                ++pos_;
                a.instant = Timestamp{(civil(year, month, day, tod)).time_since_epoch()};
                return true;
            }
            if (peek() == DmTok::Plus || peek() == DmTok::Minus) {
                int sign = peek() == DmTok::Plus ? 1 : -1;
                ++pos_;
                std::int64_t oh = 0, om = 0;
                if (!two_digits(oh) || peek() != DmTok::Colon) return false;
                ++pos_;
                if (!two_digits(om)) return false;
                auto local = civil(year, month, day, tod);
                a.instant = Timestamp{local.time_since_epoch()} - sign * (hours(oh) + minutes(om));
                return true;
            }
        }
        a.wall = true;
        a.local = civil(year, month, day, tod);
        return true;
    }

    bool time(seconds& tod) {
        std::int64_t h = 0, m = 0, s = 0;
        if (!two_digits(h) || h > 23) return false;
        if (peek() == DmTok::Colon) {
            ++pos_;
            if (!two_digits(m) || m > 59) return false;
            if (peek() == DmTok::Colon) {
                ++pos_;
                if (!two_digits(s) || s > 59) return false;
                if (peek() == DmTok::Dot) {  // up to three fraction digits; the second precision drops them
                    ++pos_;
                    std::size_t n = digit_run();
                    if (n < 1 || n > 3) return false;
                    take_digits(n);
                }
            }
        }
        tod = hours(h) + minutes(m) + seconds(s);
        return true;
    }

    bool math_list(std::vector<Adjustment>& out) {
        while (peek() == DmTok::Plus || peek() == DmTok::Minus || peek() == DmTok::Slash) {
            Adjustment adj;
            if (peek() == DmTok::Slash) {
                ++pos_;
                adj.truncate = true;
            } else {
                std::int64_t sign = peek() == DmTok::Plus ? 1 : -1;
                ++pos_;
                std::size_t n = digit_run();
                adj.factor = sign * (n == 0 ? 1 : take_digits(n));
                // Beyond any representable date anyway; refuse instead of overflowing.
                if (std::abs(adj.factor) > 100'000'000) return false;
            }
            if (peek() != DmTok::Unit) return false;
            adj.unit = t_[pos_++].unit;
            out.push_back(adj);
        }
        return true;
    }

    std::vector<DmToken> t_;
    std::size_t pos_ = 0;
};

Timestamp add_units(Timestamp t, std::int64_t f, char unit, const Zone& zone) {
    auto add_date = [&](std::int64_t y, std::int64_t m, std::int64_t d) {
        Civil c = split(zone.to_local(t));
        return zone.to_sys(civil(c.y + y, c.m + m, c.d + d, c.tod));
    };
    switch (unit) {
        case 'y': case 'Y': return add_date(std::clamp<std::int64_t>(f, -kMaxYear, kMaxYear), 0, 0);
        case 'Q': case 'q': return add_date(0, std::clamp<std::int64_t>(3 * f, -12 * kMaxYear, 12 * kMaxYear), 0);
        case 'M': return add_date(0, std::clamp<std::int64_t>(f, -12 * kMaxYear, 12 * kMaxYear), 0);
        case 'w': return add_date(0, 0, std::clamp<std::int64_t>(7 * f, -400000, 400000));
        case 'd': return add_date(0, 0, std::clamp<std::int64_t>(f, -400000, 400000));
        case 'b': {  // business days skip Saturdays and Sundays
            std::int64_t step = f < 0 ? -1 : 1;
            for (std::int64_t i = std::clamp<std::int64_t>(f, -100000, 100000); i != 0; i -= step) {
                t = add_units(t, step, 'd', zone);
                for (unsigned wd = split(zone.to_local(t)).weekday; wd == 0 || wd == 6; wd = split(zone.to_local(t)).weekday) {
                    t = add_units(t, step, 'd', zone);
                }
            }
            return t;
        }
        case 'h': return t + hours(std::clamp<std::int64_t>(f, -4'000'000'000LL / 3600, 4'000'000'000LL / 3600) * 1);
        case 'm': return t + minutes(std::clamp<std::int64_t>(f, -4'000'000'000LL / 60, 4'000'000'000LL / 60));
        case 's': return t + seconds(std::clamp<std::int64_t>(f, -4'000'000'000LL, 4'000'000'000LL));
        default: return t;
    }
}

Timestamp truncate_units(Timestamp t, char unit, const Zone& zone) {
    Civil c = split(zone.to_local(t));
    switch (unit) {
        case 'y': case 'Y': return zone.to_sys(civil(c.y, 1, 1, {}));
        case 'Q': case 'q': return zone.to_sys(civil(c.y, (c.m - 1) / 3 * 3 + 1, 1, {}));
        case 'M': return zone.to_sys(civil(c.y, c.m, 1, {}));
        case 'w': {  // weeks start on Monday
            std::int64_t diff = static_cast<std::int64_t>(c.weekday) - 1;
            std::int64_t day = c.d - diff - (diff < 0 ? 7 : 0);
            return zone.to_sys(civil(c.y, c.m, day, {}));
        }
        case 'd': return zone.to_sys(civil(c.y, c.m, c.d, {}));
        // Go's Truncate works on the absolute time, not the wall clock.
        case 'h': return date::floor<hours>(t);
        case 'm': return date::floor<minutes>(t);
        default: return t;
    }
}

std::optional<Timestamp> datemath(std::string_view text, const Zone& zone, Timestamp now) {
    Anchor anchor;
    std::vector<Adjustment> adjustments;
    DatemathParser parser(dm_lex(text));
    if (!parser.parse(anchor, adjustments)) return std::nullopt;
    Timestamp t = anchor.now ? now : anchor.wall ? zone.to_sys(anchor.local) : anchor.instant;
    for (const auto& adj : adjustments) {
        t = adj.truncate ? truncate_units(t, adj.unit, zone) : add_units(t, adj.factor, adj.unit, zone);
    }
    return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Vikunja's fallbacks after datemath (parseTimeFromUserInput).

bool digits_at(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return false;
    return std::all_of(s.begin() + pos, s.begin() + pos + n, [](char c) { return c >= '0' && c <= '9'; });
}

int num_at(std::string_view s, std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
}

/// "YYYY-MM-DD" at the start, range-checked as Go's layouts do.
std::optional<date::year_month_day> layout_date(std::string_view s) {
    if (!digits_at(s, 0, 4) || s.size() < 10 || s[4] != '-' || !digits_at(s, 5, 2) || s[7] != '-' || !digits_at(s, 8, 2)) {
        return std::nullopt;
    }
    date::year_month_day ymd{date::year{num_at(s, 0, 4)}, date::month{static_cast<unsigned>(num_at(s, 5, 2))},
                             date::day{static_cast<unsigned>(num_at(s, 8, 2))}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

/// Go's time.RFC3339 layout (any number of fraction digits, Z or ±hh:mm).
std::optional<Timestamp> rfc3339(std::string_view s) {
    auto ymd = layout_date(s);
    if (!ymd || s.size() < 20 || s[10] != 'T' || !digits_at(s, 11, 2) || s[13] != ':' || !digits_at(s, 14, 2) ||
        s[16] != ':' || !digits_at(s, 17, 2)) {
        return std::nullopt;
    }
    int h = num_at(s, 11, 2), mi = num_at(s, 14, 2), se = num_at(s, 17, 2);
    if (h > 23 || mi > 59 || se > 59) return std::nullopt;
    std::size_t i = 19;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        std::size_t start = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        if (i == start) return std::nullopt;
    }
    Timestamp t = date::sys_days{*ymd} + hours(h) + minutes(mi) + seconds(se);
    std::string_view zone = s.substr(i);
    if (zone == "Z") return t;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !digits_at(zone, 1, 2) || zone[3] != ':' ||
        !digits_at(zone, 4, 2)) {
        return std::nullopt;
    }
    auto offset = hours(num_at(zone, 1, 2)) + minutes(num_at(zone, 4, 2));
    if (num_at(zone, 1, 2) > 23 || num_at(zone, 4, 2) > 59) return std::nullopt;
    return zone[0] == '+' ? t - offset : t + offset;
}

/// Go's strconv.Atoi: an optional sign and decimal digits only.
std::optional<std::int64_t> go_atoi(std::string_view s) {
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    if (s.empty() || s[0] == '+') return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<Timestamp> user_time(std::string_view s, const Zone& zone) {
    if (auto t = rfc3339(s)) return t;
    auto ymd = layout_date(s);
    if (ymd && s.size() == 16 && s[10] == ' ' && digits_at(s, 11, 2) && s[13] == ':' && digits_at(s, 14, 2) &&
        num_at(s, 11, 2) < 24 && num_at(s, 14, 2) < 60) {  // "2006-01-02 15:04" (Safari)
        return zone.to_sys(date::local_days{*ymd} + hours(num_at(s, 11, 2)) + minutes(num_at(s, 14, 2)));
    }
    if (ymd && s.size() == 10) return zone.to_sys(date::local_days{*ymd});
    // "2022-11-1": split on '-' and read the first three parts as numbers.
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        auto dash = s.find('-', start);
        parts.push_back(s.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
        if (dash == std::string_view::npos) break;
        start = dash + 1;
    }
    if (parts.size() < 3) return std::nullopt;
    auto y = go_atoi(parts[0]), m = go_atoi(parts[1]), d = go_atoi(parts[2]);
    if (!y || !m || !d) return std::nullopt;
    return zone.to_sys(civil(*y, std::clamp<std::int64_t>(*m, -1'000'000, 1'000'000), *d, {}));
}

// ---------------------------------------------------------------------------------------------------------------
// Preprocessing (Vikunja's replaceFilterOperators and the bare-value quoting regex).

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_regex_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
bool is_value_stop(char c) { return c == '&' || c == '|' || c == '(' || c == ')'; }

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

/// The end of the quoted run starting at `start`, or npos when it never closes (a backslash escapes anything).
std::size_t quoted_run_end(std::string_view s, std::size_t start) {
    char quote = s[start];
    for (std::size_t i = start + 1; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == quote) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

std::string replace_operators(std::string_view s) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kSigils{{
        {" not in ", " ?!= "}, {" in ", " ?= "}, {" like ", " ~ "}}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '\'' || s[i] == '"') {
            if (auto end = quoted_run_end(s, i); end != std::string_view::npos) {
                out.append(s.substr(i, end - i));
                i = end;
                continue;
            }
        }
        bool matched = false;
        for (const auto& [op, sigil] : kSigils) {
            if (s.substr(i).starts_with(op)) {
                out.append(sigil);
                i += op.size();
                matched = true;
                break;
            }
        }
        if (!matched) out.push_back(s[i++]);
    }
    return out;
}

/// One match of `(\w+)\s*(>=|<=|!=|~|\?=|\?!=|=|>|<)\s*([^&|()]+)` whose word starts at `word_start`.
struct ValueMatch {
    std::string_view op;
    std::string_view value;
    std::size_t end = 0;
};

std::optional<ValueMatch> match_clause(std::string_view s, std::size_t word_end) {
    static constexpr std::array<std::string_view, 9> kOps{">=", "<=", "!=", "~", "?=", "?!=", "=", ">", "<"};
    std::size_t k = word_end;
    while (k < s.size() && is_regex_space(s[k])) ++k;
    for (auto op : kOps) {  // alternatives in order, as the regex engine tries them
        if (!s.substr(k).starts_with(op)) continue;
        std::size_t v = k + op.size(), m = v;
        while (m < s.size() && is_regex_space(s[m])) ++m;
        std::size_t e = m;
        while (e < s.size() && !is_value_stop(s[e])) ++e;
        if (e > m) return ValueMatch{op, s.substr(m, e - m), e};
        if (m > v) return ValueMatch{op, s.substr(m - 1, 1), m};  // backtracking: the last space is the value
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------------------
// fexpr: scanner and parser.

enum class Tok { Whitespace, Identifier, Function, Number, Text, Sign, Join, Group, Comment, End };

struct Token {
    Tok type;
    std::string literal;
};

class Syntax : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

bool fx_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }
bool fx_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool fx_digit(char c) { return c >= '0' && c <= '9'; }
bool fx_ident_special(char c) { return c == '@' || c == '_' || c == '#'; }
bool fx_ident_start(char c) { return fx_letter(c) || fx_ident_special(c); }
bool fx_ident_combine(char c) { return c == '.' || c == ':'; }
bool fx_sign_char(char c) { return c == '=' || c == '?' || c == '!' || c == '>' || c == '<' || c == '~'; }
bool fx_join_char(char c) { return c == '&' || c == '|'; }
bool fx_quote(char c) { return c == '\'' || c == '"'; }

bool valid_identifier(std::string_view s) {
    return !s.empty() && !fx_ident_combine(s.back()) && (s.size() != 1 || !fx_ident_special(s[0]));
}

class Scanner {
public:
    explicit Scanner(std::string_view data) : s_(data) {}

    Token scan() {
        if (pos_ >= s_.size()) return {Tok::End, {}};
        char c = s_[pos_];
        if (fx_space(c)) return run(Tok::Whitespace, fx_space);
        if (c == '(') return group();
        if (fx_ident_start(c)) return identifier(3);
        if (c == '-' || fx_digit(c)) return number();
        if (fx_quote(c)) return text(false);
        if (fx_sign_char(c)) {
            Token t = run(Tok::Sign, fx_sign_char);
            static constexpr std::array<std::string_view, 16> kSigns{
                "=", "!=", "<", "<=", ">", ">=", "~", "!~", "?=", "?!=", "?~", "?!~", "?<", "?<=", "?>", "?>="};
            if (std::find(kSigns.begin(), kSigns.end(), t.literal) == kSigns.end()) {
                throw Syntax("invalid sign operator \"" + t.literal + "\"");
            }
            return t;
        }
        if (fx_join_char(c)) {
            Token t = run(Tok::Join, fx_join_char);
            if (t.literal != "&&" && t.literal != "||") throw Syntax("invalid join operator \"" + t.literal + "\"");
            return t;
        }
        if (c == '/') return comment();
        throw Syntax(std::string("unexpected character '") + c + "'");
    }

private:
    Token run(Tok type, bool (*accept)(char)) {
        std::size_t start = pos_;
        while (pos_ < s_.size() && accept(s_[pos_])) ++pos_;
        return {type, std::string(s_.substr(start, pos_ - start))};
    }

    Token number() {
        std::size_t start = pos_;
        bool dot = false;
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (fx_digit(c) || (c == '-' && pos_ == start) || (c == '.' && !dot)) {
                dot = dot || c == '.';
                ++pos_;
            } else {
                break;
            }
        }
        std::string lit(s_.substr(start, pos_ - start));
        if (lit == "-" || lit.front() == '.' || lit.back() == '.') throw Syntax("invalid number \"" + lit + "\"");
        return {Tok::Number, lit};
    }

    Token text(bool keep_quotes) {
        std::size_t start = pos_;
        char quote = s_[pos_++];
        char prev = 0;
        bool closed = false;
        while (pos_ < s_.size()) {
            char c = s_[pos_++];
            if (c == quote && prev != '\\') {
                closed = true;
                break;
            }
            prev = c;
        }
        std::string lit(s_.substr(start, pos_ - start));
        if (!closed) throw Syntax("invalid quoted text " + lit);
        if (keep_quotes) return {Tok::Text, lit};
        std::string inner = lit.substr(1, lit.size() - 2), out;
        for (std::size_t i = 0; i < inner.size(); ++i) {  // \<quote> → <quote>
            if (inner[i] == '\\' && i + 1 < inner.size() && inner[i + 1] == quote) continue;
            out.push_back(inner[i]);
        }
        return {Tok::Text, out};
    }

    Token comment() {
        if (s_.substr(pos_, 2) != "//") throw Syntax("invalid comment");
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        return {Tok::Comment, {}};
    }

    Token identifier(int depth) {
        std::size_t start = pos_++;
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (c == '(') {
                std::string name(s_.substr(start, pos_ - start));
                if (depth <= 0) throw Syntax("max nested function arguments reached");
                if (!valid_identifier(name)) throw Syntax("invalid function name \"" + name + "\"");
                function_args(name, depth);
                return {Tok::Function, name};
            }
            if (!fx_letter(c) && !fx_digit(c) && !fx_ident_combine(c) && c != '_') break;
            ++pos_;
        }
        std::string lit(s_.substr(start, pos_ - start));
        if (!valid_identifier(lit)) throw Syntax("invalid identifier \"" + lit + "\"");
        return {Tok::Identifier, lit};
    }

    void function_args(const std::string& name, int depth) {
        ++pos_;  // '('
        bool expect_comma = false;
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (c == ')') {
                ++pos_;
                return;
            }
            if (fx_space(c)) {
                run(Tok::Whitespace, fx_space);
                continue;
            }
            if (c == '/') {
                comment();
                continue;
            }
            bool comma = c == ',';
            if (expect_comma != comma) throw Syntax("invalid arguments in function \"" + name + "\"");
            expect_comma = false;
            if (comma) {
                ++pos_;
                continue;
            }
            if (fx_ident_start(c)) {
                identifier(depth - 1);
            } else if (c == '-' || fx_digit(c)) {
                number();
            } else if (fx_quote(c)) {
                text(false);
            } else {
                throw Syntax("unsupported argument character in function \"" + name + "\"");
            }
            expect_comma = true;
        }
        throw Syntax("invalid or incomplete function \"" + name + "\" (expected ')')");
    }

    Token group() {
        ++pos_;  // '('
        int open = 1;
        std::string buf;
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (c == '(') {
                ++open;
                buf.push_back(c);
                ++pos_;
            } else if (fx_quote(c)) {
                buf += text(true).literal;  // quotes kept so the nested parse sees the same text
            } else if (c == ')') {
                ++pos_;
                if (--open <= 0) break;
                buf.push_back(c);
            } else {
                buf.push_back(c);
                ++pos_;
            }
        }
        if (open > 0) throw Syntax("invalid formatted group - missing " + std::to_string(open) + " closing bracket(s)");
        return {Tok::Group, buf};
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

/// fexpr's ExprGroup: an expression `left op right` or a nested list.
struct RawExpr {
    Join join = Join::And;
    std::string left, op, right;
    std::vector<RawExpr> group;
    bool is_group = false;
};

std::vector<RawExpr> fexpr_parse(std::string_view text, int depth = 0) {
    if (depth > 64) throw Syntax("too deeply nested");
    std::vector<RawExpr> result;
    Scanner scanner(text);
    enum { BeforeSign, Sign, AfterSign, AtJoin } step = BeforeSign;
    Join join = Join::And;  // like fexpr, the last join seen also attaches a group that follows an expression
    RawExpr expr;
    bool expr_started = false;
    auto operand = [](Tok t) { return t == Tok::Identifier || t == Tok::Text || t == Tok::Number || t == Tok::Function; };
    for (;;) {
        Token t = scanner.scan();
        if (t.type == Tok::End) break;
        if (t.type == Tok::Whitespace || t.type == Tok::Comment) continue;
        if (t.type == Tok::Group) {
            auto nested = fexpr_parse(t.literal, depth + 1);
            if (!nested.empty()) {
                RawExpr g;
                g.join = join;
                g.is_group = true;
                g.group = std::move(nested);
                result.push_back(std::move(g));
            }
            step = AtJoin;
            continue;
        }
        switch (step) {
            case BeforeSign:
                if (!operand(t.type)) throw Syntax("expected left operand (identifier, function, text or number), got \"" + t.literal + "\"");
                expr = RawExpr{};
                expr.left = t.literal;
                expr_started = true;
                step = Sign;
                break;
            case Sign:
                if (t.type != Tok::Sign) throw Syntax("expected a sign operator, got \"" + t.literal + "\"");
                expr.op = t.literal;
                step = AfterSign;
                break;
            case AfterSign:
                if (!operand(t.type)) throw Syntax("expected right operand (identifier, function text or number), got \"" + t.literal + "\"");
                expr.right = t.literal;
                expr.join = join;
                result.push_back(expr);
                step = AtJoin;
                break;
            case AtJoin:
                if (t.type != Tok::Join) throw Syntax("expected && or ||, got \"" + t.literal + "\"");
                join = t.literal == "||" ? Join::Or : Join::And;
                step = BeforeSign;
                break;
        }
    }
    if (step != AtJoin) {
        throw Syntax(result.empty() && !expr_started ? "empty filter expression" : "invalid or incomplete filter expression");
    }
    return result;
}

constexpr std::size_t kMaxClauses = 500;

std::size_t count_clauses(const std::vector<RawExpr>& exprs) {
    std::size_t n = 0;
    for (const auto& e : exprs) n += e.is_group ? count_clauses(e.group) : 1;
    return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields and typed values.

enum class Kind { Int, Float, Bool, String, Time, Labels, Assignees, Invalid };

/// Vikunja accepts the sortable task columns plus the sub-table fields. `uid` validates but has no Go field
/// named like its camel case ("Uid"), so its value always fails (4019); kept that way.
Kind field_kind(std::string_view f) {
    static const std::array<std::pair<std::string_view, Kind>, 23> kFields{{
        {"id", Kind::Int}, {"title", Kind::String}, {"description", Kind::String}, {"done", Kind::Bool},
        {"done_at", Kind::Time}, {"due_date", Kind::Time}, {"created_by_id", Kind::Int}, {"project_id", Kind::Int},
        {"repeat_after", Kind::Int}, {"priority", Kind::Int}, {"start_date", Kind::Time}, {"end_date", Kind::Time},
        {"hex_color", Kind::String}, {"percent_done", Kind::Float}, {"uid", Kind::Invalid}, {"created", Kind::Time},
        {"updated", Kind::Time}, {"position", Kind::Float}, {"bucket_id", Kind::Int}, {"index", Kind::Int},
        {"assignees", Kind::Assignees}, {"labels", Kind::Labels}, {"reminders", Kind::Time}}};
    for (const auto& [name, kind] : kFields) {
        if (name == f) return kind;
    }
    throw Error(ErrorCode::InvalidTaskField, "The task field '" + std::string(f) + "' is invalid.");
}

std::optional<Scalar> typed_value(Kind kind, std::string_view raw, const Zone& zone, Timestamp now) {
    std::string_view v = trim(raw);
    switch (kind) {
        case Kind::Int:
        case Kind::Labels: {
            auto n = go_atoi(v);
            if (!n) return std::nullopt;
            return *n;
        }
        case Kind::Float: {
            std::string text(v);
            if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
            char* end = nullptr;
            double d = std::strtod(text.c_str(), &end);
            if (end != text.c_str() + text.size() || !std::isfinite(d)) return std::nullopt;
            return d;
        }
        case Kind::Bool: {
            static constexpr std::array<std::string_view, 6> kTrue{"1", "t", "T", "TRUE", "true", "True"};
            static constexpr std::array<std::string_view, 6> kFalse{"0", "f", "F", "FALSE", "false", "False"};
            if (std::find(kTrue.begin(), kTrue.end(), v) != kTrue.end()) return true;
            if (std::find(kFalse.begin(), kFalse.end(), v) != kFalse.end()) return false;
            return std::nullopt;
        }
        case Kind::String:
        case Kind::Assignees: return std::string(v);
        case Kind::Time: {
            auto t = datemath(v, zone, now);
            if (!t) t = user_time(v, zone);
            if (!t) return std::nullopt;
            return clamp_time(*t);
        }
        case Kind::Invalid: return std::nullopt;
    }
    return std::nullopt;
}

Comparator comparator_of(const std::string& op) {
    if (op == "=") return Comparator::Equals;
    if (op == "!=") return Comparator::NotEquals;
    if (op == ">") return Comparator::Greater;
    if (op == ">=") return Comparator::GreaterEquals;
    if (op == "<") return Comparator::Less;
    if (op == "<=") return Comparator::LessEquals;
    if (op == "~") return Comparator::Like;
    if (op == "?=") return Comparator::In;
    if (op == "?!=") return Comparator::NotIn;
    throw Error(ErrorCode::InvalidTaskFilterComparator, "The task filter comparator '" + op + "' is invalid.");
}

[[noreturn]] void invalid_value(const std::string& field, std::string_view value) {
    throw Error(ErrorCode::InvalidTaskFilterValue,
                "The task filter value '" + std::string(value) + "' for field '" + field + "' is invalid.");
}

std::vector<std::string_view> split_commas(std::string_view s) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0;;) {
        auto comma = s.find(',', start);
        out.push_back(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) return out;
        start = comma + 1;
    }
}

Condition convert(const RawExpr& raw, const Zone& zone, Timestamp now) {
    Condition c;
    c.join = raw.join;
    if (raw.is_group) {
        for (const auto& e : raw.group) c.group.push_back(convert(e, zone, now));
        return c;
    }
    c.comparator = comparator_of(raw.op);
    c.field = raw.left == "project" ? "project_id" : raw.left;
    Kind kind = field_kind(c.field);
    bool list = c.comparator == Comparator::In || c.comparator == Comparator::NotIn;
    if (kind == Kind::Assignees) {
        // Usernames, always a list; Vikunja does not trim them, but no username has surrounding spaces.
        for (auto part : split_commas(raw.right)) c.values.emplace_back(std::string(trim(part)));
        return c;
    }
    if (list) {
        for (auto part : split_commas(raw.right)) {
            auto v = typed_value(kind, part, zone, now);
            if (!v) invalid_value(c.field, raw.right);
            c.values.push_back(std::move(*v));
        }
        return c;
    }
    auto v = typed_value(kind, raw.right, zone, now);
    if (!v) invalid_value(c.field, raw.right);
    // `like` only works on text (Vikunja rejects it while building the query).
    if (c.comparator == Comparator::Like && !std::holds_alternative<std::string>(*v)) invalid_value(c.field, raw.right);
    c.values.push_back(std::move(*v));
    c.is_numeric = kind == Kind::Int;
    return c;
}

// ---------------------------------------------------------------------------------------------------------------
// SQL.

struct SubTable {
    std::string_view table;
    std::string_view column;  // the compared column
    std::string_view join;    // extra join inside the sub-query
};

std::optional<SubTable> sub_table(std::string_view field) {
    if (field == "labels") return SubTable{"label_tasks", "label_tasks.label_id", ""};
    if (field == "reminders") return SubTable{"task_reminders", "task_reminders.reminder", ""};
    if (field == "assignees") {
        return SubTable{"task_assignees", "users.username", " INNER JOIN users ON users.id = task_assignees.user_id"};
    }
    return std::nullopt;
}

bool is_range(Comparator c) {
    return c == Comparator::Greater || c == Comparator::GreaterEquals || c == Comparator::Less ||
           c == Comparator::LessEquals;
}

db::Value to_db(const Scalar& s) {
    return std::visit([](const auto& v) -> db::Value { return v; }, s);
}

class Compiler {
public:
    explicit Compiler(const CompileOptions& o) : o_(o), alias_(o.task_alias) {}

    Sql run(const std::vector<Condition>& conditions) {
        Sql out;
        std::vector<std::pair<Join, Sql>> parts;
        for (std::size_t i = 0; i < conditions.size(); ++i) {
            const Condition& c = conditions[i];
            Sql part;
            if (c.is_group()) {
                part = run(c.group);
            } else if (auto sub = sub_table(c.field)) {
                if (c.field == "assignees" && c.comparator == Comparator::Like) continue;  // Vikunja ignores it
                std::vector<const Condition*> merged{&c};
                while (is_range(c.comparator) && i + 1 < conditions.size()) {
                    const Condition& next = conditions[i + 1];
                    auto next_sub = next.is_group() ? std::nullopt : sub_table(next.field);
                    if (!next_sub || next_sub->table != sub->table || next.join != Join::And || !is_range(next.comparator)) break;
                    merged.push_back(&next);
                    ++i;
                }
                part = sub_table_condition(*sub, merged);
            } else if (c.field == "bucket_id") {
                part = bucket_condition(c);
            } else {
                part = column_condition(c);
            }
            if (!part.empty()) parts.emplace_back(c.join, std::move(part));
        }
        if (parts.empty()) return out;
        out = std::move(parts[0].second);
        // Strictly left to right: ((a AND b) OR c). A run of the same join stays flat, (a AND b AND c), which
        // keeps long filters below SQLite's expression depth limit.
        std::optional<Join> open;
        for (std::size_t i = 1; i < parts.size(); ++i) {
            std::string_view op = parts[i].first == Join::And ? " AND " : " OR ";
            if (open == parts[i].first) {
                out.text.pop_back();
                out.text += std::string(op) + parts[i].second.text + ")";
            } else {
                out.text = "(" + out.text + std::string(op) + parts[i].second.text + ")";
                open = parts[i].first;
            }
            out.params.insert(out.params.end(), parts[i].second.params.begin(), parts[i].second.params.end());
        }
        return out;
    }

private:
    /// `column op ?` (or IN lists) with the values appended to `sql`.
    static void comparison(Sql& sql, const std::string& column, Comparator op, const std::vector<Scalar>& values) {
        auto in_list = [&](std::string_view keyword) {
            sql.text += column + std::string(keyword) + db::placeholders(values.size());
            for (const auto& v : values) sql.params.push_back(to_db(v));
        };
        auto single = [&](std::string_view sym) {
            sql.text += column + " " + std::string(sym) + " ?";
            sql.params.push_back(values.empty() ? db::Value{} : to_db(values.front()));
        };
        switch (op) {
            case Comparator::Equals: single("="); break;
            case Comparator::NotEquals: single("<>"); break;
            case Comparator::Greater: single(">"); break;
            case Comparator::GreaterEquals: single(">="); break;
            case Comparator::Less: single("<"); break;
            case Comparator::LessEquals: single("<="); break;
            case Comparator::Like:
                sql.text += column + " LIKE ?";
                sql.params.emplace_back("%" + std::get<std::string>(values.front()) + "%");
                break;
            case Comparator::In: in_list(" IN "); break;
            case Comparator::NotIn: in_list(" NOT IN "); break;
        }
    }

    std::string column_of(const Condition& c, std::vector<db::Value>& params) const {
        if (c.field == "position") {  // not a tasks column: the position in the current view
            params.emplace_back(o_.view_id);
            return "(SELECT MIN(task_positions.position) FROM task_positions WHERE task_positions.task_id = " + alias_ +
                   ".id AND task_positions.project_view_id = ?)";
        }
        if (c.field == "index") return alias_ + ".\"index\"";
        return alias_ + "." + c.field;
    }

    Sql column_condition(const Condition& c) const {
        Sql sql;
        std::vector<db::Value> column_params;
        std::string column = column_of(c, column_params);
        sql.text = "(";
        sql.params = column_params;
        comparison(sql, column, c.comparator, c.values);
        if (o_.include_nulls) {
            sql.text += " OR " + column + " IS NULL";
            sql.params.insert(sql.params.end(), column_params.begin(), column_params.end());
            if (c.is_numeric) {
                sql.text += " OR " + column + " = 0";
                sql.params.insert(sql.params.end(), column_params.begin(), column_params.end());
            }
        }
        sql.text += ")";
        return sql;
    }

    std::string sub_query_head(std::string_view table, std::string_view join) const {
        return "SELECT 1 FROM " + std::string(table) + std::string(join) + " WHERE " + alias_ + ".id = " +
               std::string(table) + ".task_id";
    }

    Sql sub_table_condition(const SubTable& sub, const std::vector<const Condition*>& merged) const {
        const Condition& first = *merged.front();
        Sql sql;
        bool negated = first.comparator == Comparator::NotEquals || first.comparator == Comparator::NotIn;
        sql.text = std::string(o_.include_nulls ? "(" : "") + (negated ? "NOT EXISTS (" : "EXISTS (") +
                   sub_query_head(sub.table, sub.join);
        for (const Condition* c : merged) {
            // = != in / not in all test membership; the negation is the NOT EXISTS around it.
            Comparator op = is_range(c->comparator) || c->comparator == Comparator::Like ? c->comparator : Comparator::In;
            sql.text += " AND ";
            comparison(sql, std::string(sub.column), op, c->values);
        }
        sql.text += ")";
        if (o_.include_nulls) sql.text += " OR NOT EXISTS (" + sub_query_head(sub.table, sub.join) + "))";
        return sql;
    }

    /// bucket_id compares the task's bucket in the current view (any view without one); a task without a bucket
    /// row has a NULL bucket, matched only by include-nulls.
    Sql bucket_condition(const Condition& c) const {
        Sql sql;
        std::string head = sub_query_head("task_buckets", "");
        if (o_.view_id != 0) head += " AND task_buckets.project_view_id = ?";
        sql.text = std::string(o_.include_nulls ? "(" : "") + "EXISTS (" + head + " AND ";
        if (o_.view_id != 0) sql.params.emplace_back(o_.view_id);
        comparison(sql, "task_buckets.bucket_id", c.comparator, c.values);
        sql.text += ")";
        if (o_.include_nulls) {
            sql.text += " OR NOT EXISTS (" + head + "))";
            if (o_.view_id != 0) sql.params.emplace_back(o_.view_id);
        }
        return sql;
    }

    const CompileOptions& o_;
    std::string alias_;
};

}  // namespace

std::string preprocess(std::string_view filter) {
    std::string s = replace_operators(filter);
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (!is_word(s[i])) {
            out.push_back(s[i++]);
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && is_word(s[j])) ++j;
        auto m = match_clause(s, j);
        if (!m) {
            out.append(s, i, j - i);
            i = j;
            continue;
        }
        std::string_view value = trim(m->value);
        out.append(s, i, j - i).append(" ").append(m->op).append(" ");
        bool quoted = (value.starts_with('\'') && value.ends_with('\'')) || (value.starts_with('"') && value.ends_with('"'));
        if (quoted) {
            out.append(value);
        } else {
            out.push_back('\'');
            for (char c : value) {
                if (c == '\'') out.push_back('\\');
                out.push_back(c);
            }
            out.push_back('\'');
        }
        i = m->end;
    }
    return out;
}

std::vector<Condition> parse(std::string_view filter, std::string_view timezone, std::string_view default_timezone,
                             Timestamp now) {
    std::vector<Condition> out;
    if (filter.empty()) return out;
    std::string pre = preprocess(filter);
    std::vector<RawExpr> raw;
    try {
        raw = fexpr_parse(pre);
        // SQLite refuses expressions deeper than 1000 nodes; no client sends anywhere near this many clauses.
        if (count_clauses(raw) > kMaxClauses) throw Syntax("too many conditions (at most 500)");
    } catch (const Syntax& e) {
        throw Error(ErrorCode::InvalidFilterExpression,
                    "The filter expression '" + pre + "' is invalid: " + e.what());
    }
    std::optional<Zone> zone;
    if (!timezone.empty()) {
        zone = find_zone(timezone);
        if (!zone) throw Error(ErrorCode::InvalidFilterTimezone, "The timezone '" + std::string(timezone) + "' is invalid");
    } else {
        zone = find_zone(default_timezone);
        if (!zone) zone = Zone{};
    }
    for (const auto& e : raw) out.push_back(convert(e, *zone, now));
    return out;
}

bool mentions(const std::vector<Condition>& conditions, std::string_view field) {
    return std::any_of(conditions.begin(), conditions.end(), [&](const Condition& c) {
        return c.is_group() ? mentions(c.group, field) : c.field == field;
    });
}

std::vector<Condition> without(const std::vector<Condition>& conditions, std::string_view field) {
    std::vector<Condition> out;
    for (const auto& c : conditions) {
        if (c.is_group()) {
            auto nested = without(c.group, field);
            if (nested.empty()) continue;
            Condition g = c;
            g.group = std::move(nested);
            out.push_back(std::move(g));
        } else if (c.field != field) {
            out.push_back(c);
        }
    }
    return out;
}

Sql compile(const std::vector<Condition>& conditions, const CompileOptions& options) {
    return Compiler(options).run(conditions);
}

std::optional<Timestamp> eval_datemath(std::string_view text, std::string_view zone_name, Timestamp now) {
    auto zone = find_zone(zone_name);
    if (!zone) return std::nullopt;
    return datemath(text, *zone, now);
}

}  // namespace vicugna::models::task_filter
