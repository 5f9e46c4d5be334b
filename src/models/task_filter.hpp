// SPDX-License-Identifier: AGPL-3.0-or-later
/// Vikunja's task filter language (spec §1.7): the parser (Vikunja's preprocessing plus the fexpr grammar, typed
/// values, go-datemath dates) and the compiler to a parameterised SQL condition over the `tasks` table.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "db/database.hpp"
#include "util/time.hpp"

namespace vicugna::models::task_filter {

using util::Timestamp;

enum class Comparator { Equals, NotEquals, Greater, GreaterEquals, Less, LessEquals, Like, In, NotIn };
enum class Join { And, Or };

/// A typed filter value: int64 (ids, priority, labels…), double, bool, string (title, usernames…) or a UTC time.
using Scalar = std::variant<std::int64_t, double, bool, std::string, Timestamp>;

/// One clause `field comparator value`, or a parenthesised group of clauses.
struct Condition {
    Join join = Join::And;  ///< how this clause attaches to everything before it (strictly left to right)
    std::string field;      ///< canonical name (`project` → `project_id`); empty for a group
    Comparator comparator = Comparator::Equals;
    std::vector<Scalar> values;  ///< one value; several for in / not in (and assignees, always a list)
    bool is_numeric = false;     ///< an int64 task column (include-nulls then also matches 0)
    std::vector<Condition> group;

    bool is_group() const { return field.empty(); }
};

/// Vikunja's preprocessing: ` in ` / ` not in ` / ` like ` become fexpr sigils outside quotes, and bare values are
/// quoted. Exposed for tests.
std::string preprocess(std::string_view filter);

/// Parses a filter. `timezone` (the request's filter_timezone, "" = unset) or else `default_timezone`
/// (service.timezone) resolves date math and dates without a zone; `now` anchors date math.
/// An empty filter gives no conditions. Throws api::Error: 4024 (syntax), 4017 (comparator), 4016 (field),
/// 4019 (value), 2003 (timezone; only checked when there is a filter, as Vikunja does).
std::vector<Condition> parse(std::string_view filter, std::string_view timezone, std::string_view default_timezone,
                             Timestamp now);

/// Whether any clause (nested too) filters on `field`.
bool mentions(const std::vector<Condition>& conditions, std::string_view field);

/// Drops every clause on `field` (and groups left empty); Vikunja does this for bucket_id in the parent filter.
std::vector<Condition> without(const std::vector<Condition>& conditions, std::string_view field);

struct CompileOptions {
    bool include_nulls = false;        ///< filter_include_nulls
    std::int64_t view_id = 0;          ///< bucket_id and position are per view; 0 = any view
    std::string_view task_alias = "tasks";
};

/// A SQL boolean expression with `?` placeholders and their values in order.
struct Sql {
    std::string text;
    std::vector<db::Value> params;
    bool empty() const { return text.empty(); }
};

/// Compiles parsed conditions to one SQL condition ("" when nothing filters). Sub-table fields become
/// (NOT) EXISTS sub-queries; consecutive AND-ed range comparisons on one sub-table share one EXISTS.
Sql compile(const std::vector<Condition>& conditions, const CompileOptions& options);

/// Evaluates a go-datemath expression (`now/d+7d`, `2024-01-01||+1M`, `2024-05-06T10:00:00Z`) in `zone_name`.
/// Returns nullopt when the text is not one. Exposed for tests.
std::optional<Timestamp> eval_datemath(std::string_view text, std::string_view zone_name, Timestamp now);

}  // namespace vicugna::models::task_filter
