// SPDX-License-Identifier: AGPL-3.0-or-later
/// Tasks (table `tasks` and the per-task tables around it): the model, its one JSON mapping, and the batch
/// loader every task response goes through (single reads, lists, kanban buckets, bulk updates, webhooks).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/labels.hpp"
#include "models/reactions.hpp"
#include "models/subscriptions.hpp"
#include "models/task_attachments.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

/// A bucket as embedded in a task (expand=buckets) or in a bucket move answer (Vikunja: models.Bucket).
struct TaskBucketInfo {
    std::int64_t id = 0;
    std::string title;
    std::int64_t project_view_id = 0;
    std::int64_t limit = 0;
    std::int64_t count = 0;
    double position = 0;
    Timestamp created{};
    Timestamp updated{};
    std::optional<User> created_by;  ///< null in expand=buckets (Vikunja does not load it there)
};
void write_task_bucket_info(util::json::Writer& w, const TaskBucketInfo& bucket);

/// A comment as embedded by expand=comments (Vikunja: models.TaskComment).
struct ExpandedComment {
    std::int64_t id = 0;
    std::string comment;
    User author;
    ReactionMap reactions;
    Timestamp created{};
    Timestamp updated{};
};

/// One reminder: absolute, or relative to one of the task's dates (then `reminder` is computed).
struct TaskReminder {
    std::optional<Timestamp> reminder;
    std::int64_t relative_period = 0;  ///< seconds, negative = before
    std::string relative_to;           ///< "", "due_date", "start_date" or "end_date"
};

struct Task {
    std::int64_t id = 0;
    std::string title;
    std::string description;
    bool done = false;
    std::optional<Timestamp> done_at;
    std::optional<Timestamp> due_date;
    std::vector<TaskReminder> reminders;
    std::int64_t project_id = 0;
    std::int64_t repeat_after = 0;
    int repeat_mode = 0;  ///< 0 default, 1 monthly, 2 from current date
    std::int64_t priority = 0;
    std::optional<Timestamp> start_date;
    std::optional<Timestamp> end_date;
    std::vector<User> assignees;
    std::vector<Label> labels;
    std::string hex_color;
    double percent_done = 0;
    std::string identifier;  ///< "<PROJECT IDENTIFIER>-<index>" or "#<index>"
    std::int64_t index = 0;
    std::map<std::string, std::vector<Task>> related_tasks;  ///< kind → tasks (not expanded further)
    std::vector<TaskAttachment> attachments;
    std::int64_t cover_image_attachment_id = 0;
    bool is_favorite = false;
    std::optional<bool> is_unread;  ///< only with expand=is_unread
    Timestamp created{};
    Timestamp updated{};
    std::int64_t bucket_id = 0;  ///< the bucket in the current view (0 outside a kanban view)
    double position = 0;         ///< the position in the current view (0 outside a view)
    std::optional<ReactionMap> reactions;  ///< only with expand=reactions
    std::optional<std::int64_t> comment_count;  ///< only with expand=comment_count
    std::int64_t created_by_id = 0;
    User created_by;
    std::optional<std::vector<TaskBucketInfo>> buckets;    ///< only with expand=buckets
    std::optional<std::vector<ExpandedComment>> comments;  ///< only with expand=comments (and some exist)
    std::optional<Subscription> subscription;              ///< only on a single read
    bool nested = false;  ///< a related task: written without identifier, created_by and related_tasks (as Vikunja)
    bool doer_subscribes = false;  ///< the caller may be subscribed (a single read looks it up only then)
    std::int64_t project_parent_id = 0;  ///< the project's parent: 0 spares the subscription lookup a chain walk
};

/// Which optional parts to load (Vikunja's `expand` values).
struct TaskExpand {
    bool subtasks = false;
    bool buckets = false;
    bool reactions = false;
    bool comments = false;
    bool comment_count = false;
    bool is_unread = false;
};

/// Reads Vikunja's `expand` values (repeatable query parameter; empty values ignored). Anything else → 412 2002
/// with invalid_fields ["expand"]. `time_entries_count` is accepted and has no effect (no time tracking).
TaskExpand parse_task_expand(const std::vector<std::string>& values);

/// The full tasks with these ids, in the given order (missing or soft-deleted ids are skipped), with labels,
/// assignees, attachments, related tasks, reminders, is_favorite for `doer`, and what `expand` asks for.
/// `view_id` non-zero fills position and bucket_id for that view. A fixed number of queries for any page size.
asio::awaitable<std::vector<Task>> load_tasks(db::Tx& tx, const Doer& doer, const std::vector<std::int64_t>& ids,
                                              const TaskExpand& expand = {}, std::int64_t view_id = 0);

/// The caller's subscription to the task (its own, or the nearest one of its project chain), for single reads.
asio::awaitable<std::optional<Subscription>> load_task_subscription(db::Tx& tx, const Doer& doer, const Task& task);

/// The Task object, keys in Vikunja's order (spec §3.5).
void write_task(util::json::Writer& w, const Task& task);
/// One reminder object {reminder, relative_period, relative_to} (also the `reminder` of task.reminder.fired).
void write_task_reminder(util::json::Writer& w, const TaskReminder& r);

// ---- Writes (Vikunja: tasks.go createTasks/updateSingleTask/Delete, kanban_task_bucket.go, task_position.go,
// bulk_task.go, task_duplicate.go). Callers check permissions first; these throw api::Error for bad input.

/// A task as a client sends it (create, update, bulk values). Read-only keys are ignored; null = not given.
struct TaskInput {
    Task task;  ///< title … cover_image_attachment_id, is_favorite, reminders, bucket_id, position, index
    std::vector<std::int64_t> assignee_ids;
    /// The task's whole label set (the manual's dialect); v1 bodies leave it unset and labels untouched.
    std::optional<std::vector<std::int64_t>> label_ids;
};
/// Reads a task body; wrong JSON types → util::json::BadInput (400 2004), Vikunja's struct validation → 412 2002.
TaskInput task_input_from_json(const util::json::Object& in);

/// Write access to a real project: false without it; a missing project → 404 3001; archived → 412 3008.
bool check_project_writable(const ProjectAccess& access);

/// Creates the task in `project_id` (spec §2.5 create), notifies users its description mentions, and returns
/// its id.
asio::awaitable<std::int64_t> create_task(db::Tx& tx, const Doer& doer, std::int64_t project_id, TaskInput input);

/// Full replace of task `task_id` (spec §1.3); project_id ≠ 0 and different moves the task. Users the
/// description newly mentions are notified.
asio::awaitable<void> update_task(db::Tx& tx, const Doer& doer, std::int64_t task_id, const TaskInput& input);

/// The fields `POST /tasks/bulk` may set (Vikunja's update column list).
bool is_bulk_task_field(std::string_view field);
/// Applies only `fields` of `values` to each task (fields already validated).
asio::awaitable<void> bulk_update_tasks(db::Tx& tx, const Doer& doer, const std::vector<std::int64_t>& task_ids,
                                        const std::vector<std::string>& fields, const TaskInput& values);

/// Soft delete: notifies the subscribers (task.deleted), sets deleted_at and drops the task's bucket and
/// position rows.
asio::awaitable<void> delete_task(db::Tx& tx, const Doer& doer, std::int64_t task_id);

/// Sets the task's position in `view_id` (a view of its project, or of a saved filter the doer owns, else 404
/// 3014); < 0.01 re-spaces the view. Returns the stored position.
asio::awaitable<double> set_task_position(db::Tx& tx, const Doer& doer, std::int64_t task_id, std::int64_t view_id,
                                         double position);

/// Moves the task into `bucket_id` of view `view_id` with Vikunja's done-bucket rules. Returns the bucket id the
/// task ended in (a repeating task goes back to the default bucket).
asio::awaitable<std::int64_t> move_task_to_bucket(db::Tx& tx, const Doer& doer, std::int64_t project_id,
                                                  std::int64_t view_id, std::int64_t bucket_id, std::int64_t task_id);

/// Copies the task into its project (labels, assignees, attachments, reminders, copiedfrom relation); new id.
asio::awaitable<std::int64_t> duplicate_task(db::Tx& tx, const FileStore& files, const Doer& doer,
                                             std::int64_t task_id);

/// Deletes the caller's unread marker of the task.
asio::awaitable<void> mark_task_read(db::Tx& tx, const Doer& doer, std::int64_t task_id);

/// `{project}` of the by-index route: an int64 is an id, anything else a project identifier (upper-cased), as
/// Vikunja's ResolveProjectIdentifier decides with strconv.ParseInt. Unknown identifier → 404 "Project not found".
asio::awaitable<std::int64_t> resolve_project_ref(db::Tx& tx, const std::string& ref);

/// The view a bucket belongs to (0 for an unknown bucket).
asio::awaitable<std::int64_t> view_of_bucket(db::Tx& tx, std::int64_t bucket_id);

/// The distinct projects of the live (not soft-deleted) tasks among `task_ids`.
asio::awaitable<std::vector<std::int64_t>> projects_of_tasks(db::Tx& tx, const std::vector<std::int64_t>& task_ids);

/// The id of the task with this per-project index (soft-deleted ones excluded); 404 4002 when none.
asio::awaitable<std::int64_t> task_id_by_index(db::Tx& tx, std::int64_t project_id, std::int64_t index);

}  // namespace vicugna::models
