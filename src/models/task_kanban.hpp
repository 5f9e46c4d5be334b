// SPDX-License-Identifier: AGPL-3.0-or-later
/// Internal to the task model: where a task sits in its project's views (task_positions, task_buckets) and the
/// done-state rules shared by updates and bucket moves (Vikunja: tasks.go setTasksInBucketInViews,
/// moveTaskToDoneBuckets, moveTaskToDefaultBuckets, task_position.go, kanban_task_bucket.go).
#pragma once
#include <boost/asio/awaitable.hpp>

#include "db/database.hpp"
#include "models/tasks.hpp"

namespace vicugna::models {

/// Puts a new task into every view of its project: a position on top (or `task.position` when non-zero) and,
/// in each manual kanban view, the default bucket, `task.bucket_id` when it is a bucket of that view, or the done
/// bucket when the task is done. A requested done bucket marks the task done. Bucket limits apply (10004);
/// a bucket of another project is 404 10001. Updates `task.done`/`done_at` when it changes them.
asio::awaitable<void> place_new_task(db::Tx& tx, Task& task);

/// After a move to another project: drops the old rows and places the task on top of every view of the new
/// project, into the done bucket (when done) or the default bucket of each manual kanban view.
asio::awaitable<void> reset_task_placement(db::Tx& tx, const Task& task);

/// Done → the done bucket of every manual kanban view that has one; not done and in a done bucket → default.
asio::awaitable<void> move_to_done_buckets(db::Tx& tx, const Task& task);

/// A repeating task marked done goes back to each manual kanban view's default bucket.
asio::awaitable<void> move_to_default_buckets(db::Tx& tx, const Task& task);

/// The done transition of an update: a repeating task is advanced (dates, reminders) and stays open, its
/// checklist un-checked; done_at is set or cleared. `old` is the stored task. Returns whether done changed.
bool apply_done_transition(const Task& old, Task& t, Timestamp now);

/// Marks the stored task done or not done as a bucket move does (repeating tasks advance instead of closing).
/// Returns the resulting task's done flag.
asio::awaitable<bool> set_done_by_bucket(db::Tx& tx, std::int64_t task_id, bool done);

}  // namespace vicugna::models
