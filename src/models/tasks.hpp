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
#include "models/task_attachments.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

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

/// The full tasks with these ids, in the given order (missing or soft-deleted ids are skipped), with labels,
/// assignees, attachments, related tasks, reminders, is_favorite for `doer`, and what `expand` asks for.
/// `view_id` non-zero fills position and bucket_id for that view. A fixed number of queries for any page size.
asio::awaitable<std::vector<Task>> load_tasks(db::Tx& tx, const Doer& doer, const std::vector<std::int64_t>& ids,
                                              const TaskExpand& expand = {}, std::int64_t view_id = 0);

/// The Task object, keys in Vikunja's order (spec §3.5).
void write_task(util::json::Writer& w, const Task& task);

}  // namespace vicugna::models
