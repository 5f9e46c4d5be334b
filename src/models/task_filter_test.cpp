// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/task_filter.hpp"

#include <gtest/gtest.h>

#include "api/errors.hpp"

namespace vicugna::models::task_filter {
namespace {

using util::parse_time;

Timestamp t(std::string_view rfc3339) { return *parse_time(rfc3339); }

// A fixed "now": Wednesday 2024-05-15 13:45:30 UTC.
const Timestamp kNow = t("2024-05-15T13:45:30Z");

std::vector<Condition> p(std::string_view filter, std::string_view tz = "UTC") { return parse(filter, tz, "GMT", kNow); }

int error_code(std::string_view filter, std::string_view tz = "UTC") {
    try {
        p(filter, tz);
    } catch (const api::Error& e) {
        return api::info(e.code()).code;
    }
    return 0;
}

std::string sql(std::string_view filter, bool include_nulls = false, std::int64_t view = 0) {
    return compile(p(filter), {include_nulls, view}).text;
}

template <class T>
T value(const Condition& c, std::size_t i = 0) {
    return std::get<T>(c.values.at(i));
}

TEST(TaskFilterPreprocess, ReplacesOperatorsOutsideQuotes) {
    EXPECT_EQ(preprocess("done = false && priority > 3"), "done = 'false'&& priority > '3'");
    EXPECT_EQ(preprocess("project in 1,2,3"), "project ?= '1,2,3'");
    EXPECT_EQ(preprocess("project not in 1,2,3"), "project ?!= '1,2,3'");
    EXPECT_EQ(preprocess("title like foo"), "title ~ 'foo'");
    EXPECT_EQ(preprocess("title like 'stuff in progress'"), "title ~ 'stuff in progress'");
    EXPECT_EQ(preprocess("title = it's cool && project in 1,2"), "title = 'it\\'s cool'&& project ?= '1,2'");  // the regex eats the space
    EXPECT_EQ(preprocess("done=false"), "done = 'false'");
    EXPECT_EQ(preprocess("(a = 1 || b != 2)"), "(a = '1'|| b != '2')");
}

TEST(TaskFilterParse, BooleansNumbersAndStrings) {
    auto r = p("done = true");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].field, "done");
    EXPECT_EQ(r[0].comparator, Comparator::Equals);
    EXPECT_TRUE(value<bool>(r[0]));
    EXPECT_FALSE(value<bool>(p("done = false")[0]));
    EXPECT_FALSE(value<bool>(p("done=false")[0]));  // vja sends it without spaces
    EXPECT_EQ(value<std::int64_t>(p("project_id = 4234")[0]), 4234);
    EXPECT_TRUE(p("project_id = 4234")[0].is_numeric);
    EXPECT_DOUBLE_EQ(value<double>(p("percent_done <= 0.5")[0]), 0.5);
    EXPECT_EQ(value<std::string>(p("title = 'foo bar'")[0]), "foo bar");
    EXPECT_EQ(value<std::string>(p("title = \"foo bar\"")[0]), "foo bar");
    EXPECT_EQ(value<std::string>(p("title = foo bar")[0]), "foo bar");
    EXPECT_EQ(value<std::string>(p("title = foo's bar")[0]), "foo's bar");
    EXPECT_EQ(value<std::string>(p("title = foo\"s bar")[0]), "foo\"s bar");
    EXPECT_EQ(value<std::string>(p("title like 'it\\'s in progress'")[0]), "it's in progress");
}

TEST(TaskFilterParse, ComparatorsAndSigils) {
    EXPECT_EQ(p("priority != 3")[0].comparator, Comparator::NotEquals);
    EXPECT_EQ(p("priority > 3")[0].comparator, Comparator::Greater);
    EXPECT_EQ(p("priority >= 3")[0].comparator, Comparator::GreaterEquals);
    EXPECT_EQ(p("priority < 3")[0].comparator, Comparator::Less);
    EXPECT_EQ(p("priority <= 3")[0].comparator, Comparator::LessEquals);
    EXPECT_EQ(p("title like x")[0].comparator, Comparator::Like);
    EXPECT_EQ(p("title ~ x")[0].comparator, Comparator::Like);
    EXPECT_EQ(p("priority ?= 1,2")[0].comparator, Comparator::In);
    EXPECT_EQ(p("priority ?!= 1,2")[0].comparator, Comparator::NotIn);
}

TEST(TaskFilterParse, InListsAndAliases) {
    auto r = p("project in 1, 2, 3");
    EXPECT_EQ(r[0].field, "project_id");
    EXPECT_EQ(r[0].comparator, Comparator::In);
    ASSERT_EQ(r[0].values.size(), 3u);
    EXPECT_EQ(value<std::int64_t>(r[0], 2), 3);
    auto labels = p("labels in 1, 5");
    EXPECT_EQ(labels[0].values.size(), 2u);
    EXPECT_FALSE(labels[0].is_numeric);
    auto assignees = p("assignees in user1, user2");
    ASSERT_EQ(assignees[0].values.size(), 2u);
    EXPECT_EQ(value<std::string>(assignees[0], 1), "user2");
    EXPECT_EQ(p("assignees = user1")[0].values.size(), 1u);
    EXPECT_EQ(p("project = 5")[0].field, "project_id");
}

TEST(TaskFilterParse, GroupsAndJoins) {
    auto r = p("(priority >= 4 && due_date < now+7d) || (done = false && assignees in 'John,Jane')");
    ASSERT_EQ(r.size(), 2u);
    ASSERT_TRUE(r[0].is_group());
    EXPECT_EQ(r[0].group.size(), 2u);
    EXPECT_EQ(r[1].join, Join::Or);
    EXPECT_EQ(r[1].group[1].field, "assignees");
    auto nested = p("((start_date >= \"2026-02-01\" && start_date <= \"2026-03-01\") || (end_date >= \"2026-02-01\"))");
    ASSERT_EQ(nested.size(), 1u);
    EXPECT_EQ(nested[0].group.size(), 2u);
    EXPECT_EQ(value<Timestamp>(nested[0].group[0].group[0]), t("2026-02-01T00:00:00Z"));
    EXPECT_EQ(p("( project = 1 )")[0].group[0].field, "project_id");
}

TEST(TaskFilterParse, DatesAbsolute) {
    EXPECT_EQ(value<Timestamp>(p("due_date > 2023-06-15")[0]), t("2023-06-15T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date > 2023-6-5")[0]), t("2023-06-05T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date > 2022-11-1")[0]), t("2022-11-01T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < '2026-03-04T00:00:00.000Z'")[0]), t("2026-03-04T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < '2026-03-04T10:00:00+02:00'")[0]), t("2026-03-04T08:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < '2026-03-04T10:00:00.123456Z'")[0]), t("2026-03-04T10:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < 2026-03-04 10:30")[0]), t("2026-03-04T10:30:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < \"2026-03-04\"")[0]), t("2026-03-04T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date > 0000-01-01")[0]), t("0001-01-01T00:00:00Z"));  // clamped
}

TEST(TaskFilterParse, DatesNowMath) {
    EXPECT_EQ(value<Timestamp>(p("due_date < now")[0]), kNow);
    EXPECT_EQ(value<Timestamp>(p("due_date < now+30d")[0]), kNow + std::chrono::hours(24 * 30));
    EXPECT_EQ(value<Timestamp>(p("due_date < 'now+30d'")[0]), kNow + std::chrono::hours(24 * 30));
    EXPECT_EQ(value<Timestamp>(p("done_at > now-7d")[0]), kNow - std::chrono::hours(24 * 7));
    EXPECT_EQ(value<Timestamp>(p("due_date < now/d")[0]), t("2024-05-15T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now/d+7d")[0]), t("2024-05-22T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now/w")[0]), t("2024-05-13T00:00:00Z"));  // Monday
    EXPECT_EQ(value<Timestamp>(p("due_date < now/w+1d")[0]), t("2024-05-14T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now/M")[0]), t("2024-05-01T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now/y")[0]), t("2024-01-01T00:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now-1h/h")[0]), t("2024-05-15T12:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now+1M")[0]), t("2024-06-15T13:45:30Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now+2w")[0]), t("2024-05-29T13:45:30Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now+d")[0]), t("2024-05-16T13:45:30Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now+1b")[0]), t("2024-05-16T13:45:30Z"));
}

TEST(TaskFilterParse, TimezonesMoveWallClocks) {
    // Midnight in Los Angeles (UTC-7 in summer) is 07:00 UTC.
    EXPECT_EQ(value<Timestamp>(p("due_date < 2026-07-15", "America/Los_Angeles")[0]), t("2026-07-15T07:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now/d", "America/Los_Angeles")[0]), t("2024-05-15T07:00:00Z"));
    EXPECT_EQ(value<Timestamp>(p("due_date < now/d", "Asia/Tokyo")[0]), t("2024-05-14T15:00:00Z"));
    // Explicit offsets ignore the zone.
    EXPECT_EQ(value<Timestamp>(p("due_date < '2026-03-04T00:00:00Z'", "Asia/Tokyo")[0]), t("2026-03-04T00:00:00Z"));
    // No filter_timezone: service.timezone.
    EXPECT_EQ(value<Timestamp>(parse("due_date < 2026-01-10", "", "Europe/Berlin", kNow)[0]), t("2026-01-09T23:00:00Z"));
}

TEST(TaskFilterParse, DatemathDirect) {
    EXPECT_EQ(eval_datemath("2024-05-06T10:00:00Z", "UTC", kNow), t("2024-05-06T10:00:00Z"));
    EXPECT_EQ(eval_datemath("2024", "UTC", kNow), t("2024-01-01T00:00:00Z"));
    EXPECT_EQ(eval_datemath("2024-02", "UTC", kNow), t("2024-02-01T00:00:00Z"));
    EXPECT_EQ(eval_datemath("1700000000000", "UTC", kNow), t("2023-11-14T22:13:20Z"));
    EXPECT_EQ(eval_datemath("2024-01-31||+1M", "UTC", kNow), t("2024-03-02T00:00:00Z"));  // Go's AddDate
    EXPECT_EQ(eval_datemath("2024-01-31||", "UTC", kNow), t("2024-01-31T00:00:00Z"));
    EXPECT_FALSE(eval_datemath("no", "UTC", kNow));
    EXPECT_FALSE(eval_datemath("now + 1d", "UTC", kNow));
    EXPECT_FALSE(eval_datemath("2024-02-30", "UTC", kNow));
    EXPECT_FALSE(eval_datemath("now-", "UTC", kNow));
    EXPECT_FALSE(eval_datemath("now||+1d", "UTC", kNow));
}

TEST(TaskFilterParse, ErrorCodes) {
    EXPECT_EQ(error_code("invalid = foo"), 4016);
    EXPECT_EQ(error_code("position_x = 1"), 4016);
    EXPECT_EQ(error_code("done !~ true"), 4017);
    EXPECT_EQ(error_code("priority ?> 3"), 4017);
    EXPECT_EQ(error_code("priority = abc"), 4019);
    EXPECT_EQ(error_code("done = maybe"), 4019);
    EXPECT_EQ(error_code("due_date = no"), 4019);
    EXPECT_EQ(error_code("due_date < 2026-03-04 10:30:00"), 4019);
    EXPECT_EQ(error_code("labels in 1, x"), 4019);
    EXPECT_EQ(error_code("priority like 5"), 4019);
    EXPECT_EQ(error_code("uid = abc"), 4019);
    EXPECT_EQ(error_code("project = 5labels in 1, 2"), 4019);  // the frontend's missing && bug
    EXPECT_EQ(error_code("done = false &&"), 4024);
    EXPECT_EQ(error_code("done = false & priority = 1"), 4024);
    EXPECT_EQ(error_code("(done = false"), 4024);
    EXPECT_EQ(error_code("done"), 4024);
    EXPECT_EQ(error_code("()"), 4024);
    EXPECT_EQ(error_code(" "), 4024);
    EXPECT_EQ(error_code("done == true"), 4019);  // "= true" becomes the quoted value
    EXPECT_EQ(error_code("due_date < 2024-01-31||+1M"), 4024);  // || ends a bare value, even in quotes
    EXPECT_EQ(error_code("due_date < '2024-01-31||+1M'"), 4024);
    EXPECT_EQ(error_code("done = true", "Not/AZone"), 2003);
    EXPECT_EQ(error_code("done = true", "Europe/Berlin"), 0);
    EXPECT_EQ(error_code(""), 0);
    EXPECT_TRUE(parse("", "Not/AZone", "GMT", kNow).empty());  // the zone is only checked with a filter
}

TEST(TaskFilterCompile, PlainColumns) {
    auto s = compile(p("done = false && priority > 3"), {});
    EXPECT_EQ(s.text, "((tasks.done = ?) AND (tasks.priority > ?))");
    ASSERT_EQ(s.params.size(), 2u);
    EXPECT_EQ(std::get<bool>(s.params[0]), false);
    EXPECT_EQ(std::get<std::int64_t>(s.params[1]), 3);
    EXPECT_EQ(sql("index = 3"), "(tasks.\"index\" = ?)");
    EXPECT_EQ(sql("priority in 1,2"), "(tasks.priority IN (?, ?))");
    EXPECT_EQ(sql("priority not in 1,2"), "(tasks.priority NOT IN (?, ?))");
    EXPECT_EQ(sql("priority != 1"), "(tasks.priority <> ?)");
    auto like = compile(p("title like foo"), {});
    EXPECT_EQ(like.text, "(tasks.title LIKE ?)");
    EXPECT_EQ(std::get<std::string>(like.params[0]), "%foo%");
}

TEST(TaskFilterCompile, StrictlyLeftToRight) {
    EXPECT_EQ(sql("done = true && priority = 1 || priority = 2"),
              "(((tasks.done = ?) AND (tasks.priority = ?)) OR (tasks.priority = ?))");
    EXPECT_EQ(sql("done = true || priority = 1 && priority = 2"),
              "(((tasks.done = ?) OR (tasks.priority = ?)) AND (tasks.priority = ?))");
    EXPECT_EQ(sql("done = true && (priority = 1 || priority = 2)"),
              "((tasks.done = ?) AND ((tasks.priority = ?) OR (tasks.priority = ?)))");
}

TEST(TaskFilterCompile, RunsOfOneJoinStayFlat) {
    EXPECT_EQ(sql("priority = 1 && priority = 2 && priority = 3 || done = true && done = false"),
              "((((tasks.priority = ?) AND (tasks.priority = ?) AND (tasks.priority = ?)) OR (tasks.done = ?)) AND "
              "(tasks.done = ?))");
    std::string many = "priority = 0";
    for (int i = 1; i < 500; ++i) many += " || priority = " + std::to_string(i);
    auto s = compile(p(many), {});
    EXPECT_EQ(s.params.size(), 500u);
    EXPECT_EQ(error_code(many + " || priority = 500"), 4024);  // more would exceed SQLite's depth limit
    EXPECT_EQ(s.text.substr(0, 2), "((");
    EXPECT_NE(s.text.substr(2, 1), "(");
}

TEST(TaskFilterCompile, IncludeNulls) {
    EXPECT_EQ(sql("priority = 1", true), "(tasks.priority = ? OR tasks.priority IS NULL OR tasks.priority = 0)");
    EXPECT_EQ(sql("due_date < now", true), "(tasks.due_date < ? OR tasks.due_date IS NULL)");
    EXPECT_EQ(sql("labels = 1", true),
              "(EXISTS (SELECT 1 FROM label_tasks WHERE tasks.id = label_tasks.task_id AND label_tasks.label_id IN (?)) "
              "OR NOT EXISTS (SELECT 1 FROM label_tasks WHERE tasks.id = label_tasks.task_id))");
}

TEST(TaskFilterCompile, SubTables) {
    EXPECT_EQ(sql("labels = 4"),
              "EXISTS (SELECT 1 FROM label_tasks WHERE tasks.id = label_tasks.task_id AND label_tasks.label_id IN (?))");
    EXPECT_EQ(sql("labels != 4"),
              "NOT EXISTS (SELECT 1 FROM label_tasks WHERE tasks.id = label_tasks.task_id AND label_tasks.label_id IN (?))");
    EXPECT_EQ(sql("labels not in 4, 5"),
              "NOT EXISTS (SELECT 1 FROM label_tasks WHERE tasks.id = label_tasks.task_id AND label_tasks.label_id IN (?, ?))");
    // Two labels need two rows: two EXISTS.
    EXPECT_EQ(sql("labels = 4 && labels = 5"),
              "(EXISTS (SELECT 1 FROM label_tasks WHERE tasks.id = label_tasks.task_id AND label_tasks.label_id IN (?)) AND "
              "EXISTS (SELECT 1 FROM label_tasks WHERE tasks.id = label_tasks.task_id AND label_tasks.label_id IN (?)))");
    // Range comparisons on one sub-table share one row.
    EXPECT_EQ(sql("reminders > 2024-01-01 && reminders < 2024-02-01"),
              "EXISTS (SELECT 1 FROM task_reminders WHERE tasks.id = task_reminders.task_id AND "
              "task_reminders.reminder > ? AND task_reminders.reminder < ?)");
    EXPECT_EQ(sql("assignees in a, b"),
              "EXISTS (SELECT 1 FROM task_assignees INNER JOIN users ON users.id = task_assignees.user_id WHERE "
              "tasks.id = task_assignees.task_id AND users.username IN (?, ?))");
    EXPECT_EQ(sql("assignees like a"), "");
    EXPECT_EQ(sql("done = true || assignees like a"), "(tasks.done = ?)");
}

TEST(TaskFilterCompile, BucketAndPosition) {
    auto s = compile(p("bucket_id = 12"), {false, 7});
    EXPECT_EQ(s.text,
              "EXISTS (SELECT 1 FROM task_buckets WHERE tasks.id = task_buckets.task_id AND "
              "task_buckets.project_view_id = ? AND task_buckets.bucket_id = ?)");
    ASSERT_EQ(s.params.size(), 2u);
    EXPECT_EQ(std::get<std::int64_t>(s.params[0]), 7);
    EXPECT_EQ(std::get<std::int64_t>(s.params[1]), 12);
    EXPECT_TRUE(mentions(p("done = true && (bucket_id = 3)"), "bucket_id"));
    EXPECT_FALSE(mentions(p("done = true"), "bucket_id"));
    EXPECT_EQ(without(p("done = true && (bucket_id = 3)"), "bucket_id").size(), 1u);
    EXPECT_EQ(compile(p("position > 1"), {false, 7}).params.size(), 2u);
}

TEST(TaskFilterCompile, Alias) {
    CompileOptions o;
    o.task_alias = "parent_tasks";
    EXPECT_EQ(compile(p("done = true"), o).text, "(parent_tasks.done = ?)");
}

}  // namespace
}  // namespace vicugna::models::task_filter
