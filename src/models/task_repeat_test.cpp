// SPDX-License-Identifier: AGPL-3.0-or-later
// The done transition of repeating tasks (Vikunja: tasks.go updateDone and the setTaskDates* helpers).
#include <gtest/gtest.h>

#include "models/task_kanban.hpp"

namespace vicugna::models {
namespace {

Timestamp t(const char* text) { return *util::parse_time(text); }

TEST(DoneTransition, PlainTaskClosesAndReopens) {
    Task old;
    Task next = old;
    next.done = true;
    auto now = t("2030-01-01T00:00:00Z");
    EXPECT_TRUE(apply_done_transition(old, next, now));
    EXPECT_TRUE(next.done);
    EXPECT_EQ(next.done_at, now);
    Task reopened = next;
    reopened.done = false;
    EXPECT_TRUE(apply_done_transition(next, reopened, now));
    EXPECT_FALSE(reopened.done_at);
}

TEST(DoneTransition, DefaultModeSkipsWholeIntervals) {
    Task old;
    old.repeat_after = 86400;
    old.due_date = t("2030-01-01T12:00:00Z");
    old.reminders.push_back({t("2030-01-01T11:00:00Z"), 0, ""});
    Task next = old;
    next.done = true;
    apply_done_transition(old, next, t("2030-01-04T13:00:00Z"));
    EXPECT_FALSE(next.done);
    EXPECT_EQ(next.due_date, t("2030-01-05T12:00:00Z"));
    EXPECT_EQ(next.reminders[0].reminder, t("2030-01-05T11:00:00Z"));
    // a future date moves exactly one interval
    Task future = old;
    future.done = true;
    apply_done_transition(old, future, t("2029-01-01T00:00:00Z"));
    EXPECT_EQ(future.due_date, t("2030-01-02T12:00:00Z"));
}

TEST(DoneTransition, MonthlyNormalisesLikeGo) {
    Task old;
    old.repeat_mode = 1;
    old.due_date = t("2031-01-31T10:00:00Z");
    old.start_date = t("2031-01-10T00:00:00Z");
    old.end_date = t("2031-01-12T06:00:00Z");
    Task next = old;
    next.done = true;
    apply_done_transition(old, next, t("2031-01-01T00:00:00Z"));
    EXPECT_EQ(next.due_date, t("2031-03-03T10:00:00Z"));
    EXPECT_EQ(next.start_date, t("2031-02-10T00:00:00Z"));
    EXPECT_EQ(next.end_date, t("2031-02-12T06:00:00Z"));
    Task leap = old;
    leap.due_date = t("2032-01-31T00:00:00Z");
    Task leap_next = leap;
    leap_next.done = true;
    apply_done_transition(leap, leap_next, t("2031-01-01T00:00:00Z"));
    EXPECT_EQ(leap_next.due_date, t("2032-03-02T00:00:00Z"));
}

TEST(DoneTransition, FromCurrentDateKeepsDistances) {
    Task old;
    old.repeat_mode = 2;
    old.repeat_after = 3600;
    old.due_date = t("2020-01-01T12:00:00Z");
    old.start_date = t("2020-01-01T10:00:00Z");
    old.reminders.push_back({t("2020-01-01T09:00:00Z"), 0, ""});
    old.reminders.push_back({t("2020-01-01T08:00:00Z"), 0, ""});
    Task next = old;
    next.done = true;
    auto now = t("2030-06-01T00:00:00Z");
    apply_done_transition(old, next, now);
    EXPECT_EQ(next.due_date, t("2030-06-01T01:00:00Z"));
    EXPECT_EQ(next.start_date, t("2030-05-31T23:00:00Z"));
    EXPECT_EQ(next.reminders[1].reminder, t("2030-06-01T01:00:00Z"));  // the earliest
    EXPECT_EQ(next.reminders[0].reminder, t("2030-06-01T02:00:00Z"));
}

TEST(DoneTransition, RepeatUnchecksChecklists) {
    Task old;
    old.repeat_after = 60;
    old.description = R"(<li data-checked="true">a</li><input type="checkbox" checked="checked"><input checked type="checkbox">)";
    Task next = old;
    next.done = true;
    apply_done_transition(old, next, t("2030-01-01T00:00:00Z"));
    EXPECT_EQ(next.description, R"(<li data-checked="false">a</li><input type="checkbox"><input type="checkbox">)");
}

}  // namespace
}  // namespace vicugna::models
