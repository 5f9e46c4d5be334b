// SPDX-License-Identifier: AGPL-3.0-or-later
// Task writes: create, full-replace update, bulk update, soft delete, duplicate, read marker
// (Vikunja: pkg/models/tasks.go createTasks/updateSingleTask/updateDone/updateReminders/Delete, bulk_task.go,
// task_duplicate.go). The kanban side (buckets, positions) lives in task_kanban.cpp.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "api/errors.hpp"
#include "models/events.hpp"
#include "models/favorites.hpp"
#include "models/notifications.hpp"
#include "models/task_assignees.hpp"
#include "models/task_attachments.hpp"
#include "models/task_kanban.hpp"
#include "models/task_relations.hpp"
#include "models/tasks.hpp"
#include "util/crypto.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kTouchProject = "UPDATE projects SET updated = ? WHERE id = ?";
constexpr std::string_view kNextIndex = "SELECT COALESCE(MAX(\"index\"), 0) + 1 FROM tasks WHERE project_id = ?";
constexpr std::string_view kIndexTaken = "SELECT 1 FROM tasks WHERE project_id = ? AND \"index\" = ?";
constexpr std::string_view kInsertTask =
    "INSERT INTO tasks (title, description, done, done_at, due_date, project_id, repeat_after, repeat_mode, priority,"
    " start_date, end_date, hex_color, percent_done, \"index\", uid, cover_image_attachment_id, created, updated,"
    " created_by_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kUpdateTask =
    "UPDATE tasks SET title = ?, description = ?, done = ?, done_at = ?, due_date = ?, project_id = ?,"
    " repeat_after = ?, repeat_mode = ?, priority = ?, start_date = ?, end_date = ?, hex_color = ?,"
    " percent_done = ?, \"index\" = ?, cover_image_attachment_id = ?, updated = ? WHERE id = ?";
constexpr std::string_view kStoredTask =
    "SELECT id, title, description, done, done_at, due_date, project_id, repeat_after, repeat_mode, priority,"
    " start_date, end_date, hex_color, percent_done, \"index\", cover_image_attachment_id, created, updated,"
    " created_by_id, 0 AS is_fav FROM tasks WHERE id = ? AND deleted_at IS NULL";
constexpr std::string_view kStoredReminders =
    "SELECT reminder, relative_period, relative_to FROM task_reminders WHERE task_id = ? ORDER BY reminder, id";
constexpr std::string_view kDeleteReminders = "DELETE FROM task_reminders WHERE task_id = ?";
constexpr std::string_view kInsertReminder =
    "INSERT INTO task_reminders (task_id, reminder, created, relative_period, relative_to) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kAttachmentOfTask = "SELECT 1 FROM task_attachments WHERE id = ? AND task_id = ?";
constexpr std::string_view kSoftDelete = "UPDATE tasks SET deleted_at = ?, updated = ? WHERE id = ?";
constexpr std::string_view kDeletePositions = "DELETE FROM task_positions WHERE task_id = ?";
constexpr std::string_view kDeleteBuckets = "DELETE FROM task_buckets WHERE task_id = ?";
constexpr std::string_view kCopyLabels =
    "INSERT INTO label_tasks (task_id, label_id, created) SELECT ?, label_id, ? FROM label_tasks WHERE task_id = ?";
constexpr std::string_view kSetCover = "UPDATE tasks SET cover_image_attachment_id = ? WHERE id = ?";
constexpr std::string_view kAssigneeIds = "SELECT user_id FROM task_assignees WHERE task_id = ? ORDER BY id";
constexpr std::string_view kDoneByBucket =
    "UPDATE tasks SET done = ?, done_at = ?, due_date = ?, start_date = ?, end_date = ?, updated = ? WHERE id = ?";
constexpr std::string_view kMarkRead = "DELETE FROM task_unread_statuses WHERE task_id = ? AND user_id = ?";
constexpr std::string_view kByIndex =
    "SELECT id FROM tasks WHERE project_id = ? AND \"index\" = ? AND deleted_at IS NULL";

constexpr std::string_view kProjectByIdentifier = "SELECT id FROM projects WHERE identifier = ?";
constexpr std::string_view kBucketView = "SELECT project_view_id FROM buckets WHERE id = ?";
constexpr std::string_view kLiveTaskProjects =
    "SELECT DISTINCT project_id FROM tasks WHERE deleted_at IS NULL AND id IN ";

constexpr std::int64_t kMaxRepeatAfter = 315360000;  // Vikunja: MaxTaskRepeatAfterSeconds (10 years)
// A requested index is honoured only below 2^53 (what JSON clients can represent): at 2^63 - 1 every later
// MAX(index) + 1 of the project would overflow and no task could be created there any more.
constexpr std::int64_t kMaxRequestedIndex = std::int64_t{1} << 53;
constexpr int kRepeatMonthly = 1;
constexpr int kRepeatFromCurrentDate = 2;

const Timestamp kZeroTimestamp{std::chrono::sys_days{std::chrono::year{1} / 1 / 1}};

std::string normalize_hex(std::string hex) {
    if (!hex.empty() && hex.front() == '#') hex.erase(0, 1);
    if (hex.size() > 6) hex.resize(6);
    return hex;
}

// Vikunja's `valid:"runelength(0|7)"` on hex_color (412 2002).
std::size_t rune_count(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::vector<TaskReminder> reminders_from_json(const rapidjson::Value* v) {
    std::vector<TaskReminder> out;
    if (!v) return out;
    if (!v->IsArray()) throw util::json::BadInput("field reminders must be an array");
    for (const auto& item : v->GetArray()) {
        if (item.IsNull()) continue;
        if (!item.IsObject()) throw util::json::BadInput("field reminders must hold objects");
        util::json::Object r(&item);
        TaskReminder reminder;
        if (auto t = r.time("reminder")) reminder.reminder = *t;
        reminder.relative_period = r.integer("relative_period").value_or(0);
        reminder.relative_to = r.string("relative_to").value_or("");
        out.push_back(std::move(reminder));
    }
    return out;
}

std::vector<std::int64_t> assignees_from_json(const rapidjson::Value* v) {
    std::vector<std::int64_t> out;
    if (!v) return out;
    if (!v->IsArray()) throw util::json::BadInput("field assignees must be an array");
    for (const auto& item : v->GetArray()) {
        if (item.IsNull()) continue;
        if (!item.IsObject()) throw util::json::BadInput("field assignees must hold user objects");
        auto id = util::json::Object(&item).integer("id").value_or(0);
        if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
    return out;
}

Task stored_from_row(const db::Row& row) {
    auto date = [&](std::string_view c) {
        auto t = row.get<std::optional<Timestamp>>(c);
        return (t && util::is_zero_time(*t)) ? std::nullopt : t;
    };
    Task t;
    t.id = row.get<std::int64_t>("id");
    t.title = row.get<std::string>("title");
    t.description = row.get<std::string>("description");
    t.done = row.get<bool>("done");
    t.done_at = date("done_at");
    t.due_date = date("due_date");
    t.project_id = row.get<std::int64_t>("project_id");
    t.repeat_after = row.get<std::int64_t>("repeat_after");
    t.repeat_mode = row.get<int>("repeat_mode");
    t.priority = row.get<std::int64_t>("priority");
    t.start_date = date("start_date");
    t.end_date = date("end_date");
    t.hex_color = row.get<std::string>("hex_color");
    t.percent_done = row.get<double>("percent_done");
    t.index = row.get<std::int64_t>("index");
    t.cover_image_attachment_id = row.get<std::int64_t>("cover_image_attachment_id");
    t.created = row.get<Timestamp>("created");
    t.created_by_id = row.get<std::int64_t>("created_by_id");
    return t;
}

asio::awaitable<Task> stored_task(db::Tx& tx, std::int64_t task_id) {
    auto rows = co_await tx.query(kStoredTask, task_id);
    if (rows.empty()) throw api::Error(api::ErrorCode::TaskDoesNotExist);
    auto t = stored_from_row(rows[0]);
    for (auto row : co_await tx.query(kStoredReminders, task_id)) {
        TaskReminder r;
        auto at = row.get<Timestamp>("reminder");
        if (!util::is_zero_time(at)) r.reminder = at;
        r.relative_period = row.get<std::int64_t>("relative_period");
        r.relative_to = row.get<std::string>("relative_to");
        t.reminders.push_back(std::move(r));
    }
    co_return t;
}

// Relative reminders get their absolute time from the date they refer to (Vikunja: updateRelativeReminderDates).
void resolve_relative_reminders(const Task& task, std::vector<TaskReminder>& reminders) {
    for (auto& r : reminders) {
        std::optional<Timestamp> base;
        if (r.relative_to == "due_date") {
            base = task.due_date;
        } else if (r.relative_to == "start_date") {
            base = task.start_date;
        } else if (r.relative_to == "end_date") {
            base = task.end_date;
        } else if (r.relative_period != 0) {
            throw api::Error(api::ErrorCode::ReminderRelativeToMissing);
        }
        if (r.relative_to.empty()) continue;
        r.reminder.reset();
        if (base) r.reminder = *base + std::chrono::seconds(r.relative_period);
    }
}

// Replaces all reminders: relative ones computed, duplicates (same time) collapsed, sorted by time.
asio::awaitable<void> replace_reminders(db::Tx& tx, const Task& task, std::vector<TaskReminder> reminders) {
    co_await tx.exec(kDeleteReminders, task.id);
    resolve_relative_reminders(task, reminders);
    std::map<Timestamp, TaskReminder> by_time;  // the last one with a time wins, as Vikunja's map does
    for (auto& r : reminders) by_time[r.reminder.value_or(kZeroTimestamp)] = r;
    auto now = util::now();
    for (auto& [at, r] : by_time) {
        std::optional<std::string> relative_to;
        if (!r.relative_to.empty()) relative_to = r.relative_to;
        co_await tx.exec(kInsertReminder, task.id, at, now, r.relative_period, relative_to);
    }
}

// ---- Repeating tasks (Vikunja: updateDone and the setTaskDates* helpers) ----

bool is_repeating(const Task& t) { return t.repeat_after > 0 || t.repeat_mode == kRepeatMonthly; }

// Moves t forward by whole intervals until it is after now (at least one interval).
Timestamp advance(Timestamp now, Timestamp t, std::chrono::seconds step) {
    if (t >= now) return t + step;
    auto intervals = (now - t) / step + 1;
    return t + intervals * step;
}

// Go's time.Date(y, m+1, d, …) normalises an overflowing day into the next month (Jan 31 → Mar 3).
Timestamp add_one_month(Timestamp t) {
    auto day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day ymd{day};
    auto next = ymd.year() / ymd.month() / std::chrono::day{1} + std::chrono::months{1};
    auto shifted = std::chrono::sys_days{next} + (ymd.day() - std::chrono::day{1});
    return shifted + (t - day);
}

void repeat_default(const Task& old, Task& t, Timestamp now) {
    if (old.repeat_after == 0) return;
    std::chrono::seconds step{old.repeat_after};
    if (old.due_date) t.due_date = advance(now, *old.due_date, step);
    t.reminders = old.reminders;
    for (auto& r : t.reminders) {
        if (r.reminder) r.reminder = advance(now, *r.reminder, step);
    }
    if (old.start_date) t.start_date = advance(now, *old.start_date, step);
    if (old.end_date) t.end_date = advance(now, *old.end_date, step);
    t.done = false;
}

void repeat_monthly(const Task& old, Task& t) {
    if (old.due_date) t.due_date = add_one_month(*old.due_date);
    t.reminders = old.reminders;
    for (auto& r : t.reminders) {
        if (r.reminder) r.reminder = add_one_month(*r.reminder);
    }
    if (old.start_date && old.end_date) {
        t.start_date = add_one_month(*old.start_date);
        t.end_date = *t.start_date + (*old.end_date - *old.start_date);
    } else {
        if (old.start_date) t.start_date = add_one_month(*old.start_date);
        if (old.end_date) t.end_date = add_one_month(*old.end_date);
    }
    t.done = false;
}

void repeat_from_now(const Task& old, Task& t, Timestamp now) {
    if (old.repeat_after == 0) return;
    auto next = now + std::chrono::seconds(old.repeat_after);
    if (old.due_date) t.due_date = next;
    t.reminders = old.reminders;
    std::optional<Timestamp> first;
    for (const auto& r : old.reminders) {
        if (r.reminder && (!first || *r.reminder < *first)) first = r.reminder;
    }
    for (auto& r : t.reminders) {
        if (r.reminder && first) r.reminder = *r.reminder + (next - *first);
    }
    if (!old.due_date) {
        if (old.start_date && old.end_date) {
            t.start_date = next;
            t.end_date = *old.end_date + (next - *old.start_date);
        } else {
            if (old.start_date) t.start_date = next;
            if (old.end_date) t.end_date = next;
        }
    } else {
        if (old.start_date) t.start_date = *old.start_date + (*t.due_date - *old.due_date);
        if (old.end_date) t.end_date = *old.end_date + (*t.due_date - *old.due_date);
    }
    t.done = false;
}

// Un-checks TipTap (data-checked="true") and plain HTML (<input type="checkbox" checked>) checklist items.
std::string reset_checklist(std::string html) {
    const std::string checked = "data-checked=\"true\"";
    for (auto pos = html.find(checked); pos != std::string::npos; pos = html.find(checked, pos)) {
        html.replace(pos, checked.size(), "data-checked=\"false\"");
    }
    for (auto pos = html.find("<input"); pos != std::string::npos; pos = html.find("<input", pos + 1)) {
        auto end = html.find('>', pos);
        if (end == std::string::npos) break;
        auto tag = html.substr(pos, end - pos);
        if (tag.find("checkbox") == std::string::npos) continue;
        for (auto c = tag.find(" checked"); c != std::string::npos; c = tag.find(" checked")) {
            auto stop = c + 8;
            if (stop < tag.size() && tag[stop] == '=' && stop + 1 < tag.size()) {
                char quote = tag[stop + 1];
                auto close = tag.find(quote, stop + 2);
                stop = close == std::string::npos ? tag.size() : close + 1;
            }
            tag.erase(c, stop - c);
        }
        html.replace(pos, end - pos, tag);
    }
    return html;
}

}  // namespace

// The done transition: a repeating task is advanced and stays open; done_at is set or cleared by the server.
// Returns true when the done state was requested to change.
bool apply_done_transition(const Task& old, Task& t, Timestamp now) {
    bool changed = old.done != t.done;
    t.done_at = old.done_at;  // kept unless the done state changes (a reopened repeating task keeps its stamp)
    if (!old.done && t.done) {
        switch (old.repeat_mode) {
            case kRepeatMonthly: repeat_monthly(old, t); break;
            case kRepeatFromCurrentDate: repeat_from_now(old, t, now); break;
            case 0: repeat_default(old, t, now); break;
            default: break;
        }
        if (is_repeating(old) && !t.done) t.description = reset_checklist(t.description);
        t.done_at = now;
    }
    if (old.done && !t.done) t.done_at.reset();
    return changed;
}

TaskInput task_input_from_json(const util::json::Object& in) {
    TaskInput input;
    auto& t = input.task;
    t.title = in.string("title").value_or("");
    t.description = in.string("description").value_or("");
    t.done = in.boolean("done").value_or(false);
    if (auto d = in.time("due_date")) t.due_date = *d;
    if (auto d = in.time("start_date")) t.start_date = *d;
    if (auto d = in.time("end_date")) t.end_date = *d;
    t.reminders = reminders_from_json(in.get("reminders"));
    t.project_id = in.integer("project_id").value_or(0);
    t.repeat_after = in.integer("repeat_after").value_or(0);
    auto repeat_mode = in.integer("repeat_mode").value_or(0);
    if (repeat_mode < INT32_MIN || repeat_mode > INT32_MAX) throw util::json::BadInput("field repeat_mode is out of range");
    t.repeat_mode = static_cast<int>(repeat_mode);
    t.priority = in.integer("priority").value_or(0);
    t.hex_color = in.string("hex_color").value_or("");
    t.percent_done = in.number("percent_done").value_or(0);
    t.index = in.integer("index").value_or(0);
    t.cover_image_attachment_id = in.integer("cover_image_attachment_id").value_or(0);
    t.is_favorite = in.boolean("is_favorite").value_or(false);
    t.bucket_id = in.integer("bucket_id").value_or(0);
    t.position = in.number("position").value_or(0);
    input.assignee_ids = assignees_from_json(in.get("assignees"));

    if (rune_count(t.hex_color) > 7) {
        api::invalid_field("hex_color", t.hex_color + " does not validate as runelength(0|7)");
    }
    if (t.repeat_after < 0) {
        api::invalid_field("repeat_after",
                           std::to_string(t.repeat_after) + " does not validate as range(0|9223372036854775807)");
    }
    t.hex_color = normalize_hex(t.hex_color);
    return input;
}

bool check_project_writable(const ProjectAccess& access) {
    if (!access.exists) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    if (access.pseudo) return false;
    if (access.archived && access.can_read()) throw api::Error(api::ErrorCode::ProjectIsArchived);
    return access.can_write();
}

asio::awaitable<std::int64_t> create_task(db::Tx& tx, const Doer& doer, std::int64_t project_id, TaskInput input) {
    auto& t = input.task;
    if (t.title.empty()) throw api::Error(api::ErrorCode::TaskTitleEmpty);
    if (t.repeat_after > kMaxRepeatAfter) throw api::Error(api::ErrorCode::InvalidRepeatInterval);
    auto now = util::now();
    // Touching the project row first serialises concurrent creates in one project on PostgreSQL (the row lock
    // is held to commit), so MAX(index) + 1 below is never computed twice; SQLite has one writer anyway.
    co_await tx.exec(kTouchProject, now, project_id);
    bool free_index = false;
    if (t.index > 0 && t.index < kMaxRequestedIndex) {
        free_index = (co_await tx.query(kIndexTaken, project_id, t.index)).empty();
    }
    if (!free_index) t.index = (co_await tx.query(kNextIndex, project_id))[0].get<std::int64_t>(0);
    t.project_id = project_id;
    t.created = t.updated = now;
    if (t.done) t.done_at = now;
    // A new task has no attachments yet, so no cover: any id sent would name another task's attachment.
    t.cover_image_attachment_id = 0;
    auto uid = util::uuid_v4();
    auto rows = co_await tx.query(kInsertTask, t.title, t.description, t.done, t.done_at, t.due_date, project_id,
                                  t.repeat_after, t.repeat_mode, t.priority, t.start_date, t.end_date, t.hex_color,
                                  t.percent_done, t.index, uid, t.cover_image_attachment_id, now, now, doer.id());
    t.id = rows[0].get<std::int64_t>(0);
    co_await place_new_task(tx, t);
    if (!input.assignee_ids.empty()) co_await replace_task_assignees(tx, doer, t.id, project_id, input.assignee_ids);
    if (input.label_ids) co_await replace_task_labels(tx, doer, t.id, *input.label_ids);
    co_await replace_reminders(tx, t, t.reminders);
    if (t.is_favorite) co_await set_favorite(tx, doer, FavoriteKind::Task, t.id, true);
    co_await notify_task_mentions(tx, doer, t.id, t.description, /*is_new=*/true);
    co_await emit_task_event(tx, doer, "task.created", t.id);
    co_return t.id;
}

asio::awaitable<void> update_task(db::Tx& tx, const Doer& doer, std::int64_t task_id, const TaskInput& input) {
    auto old = co_await stored_task(tx, task_id);
    Task t = input.task;
    t.id = task_id;
    if (t.project_id == 0) t.project_id = old.project_id;
    // An empty title keeps the stored one (Vikunja merges non-zero values over the stored task).
    if (t.title.empty()) t.title = old.title;
    if (t.repeat_after > kMaxRepeatAfter) throw api::Error(api::ErrorCode::InvalidRepeatInterval);
    t.index = old.index;
    t.created = old.created;
    bool moved = t.project_id != old.project_id;
    auto now = util::now();
    if (moved) {
        co_await tx.exec(kTouchProject, now, t.project_id);
        t.index = (co_await tx.query(kNextIndex, t.project_id))[0].get<std::int64_t>(0);
    }
    co_await replace_task_assignees(tx, doer, task_id, t.project_id, input.assignee_ids);
    if (input.label_ids) co_await replace_task_labels(tx, doer, task_id, *input.label_ids);

    if (moved) {
        co_await reset_task_placement(tx, t);
    } else if (!is_repeating(t) && t.done != old.done) {
        co_await move_to_done_buckets(tx, t);
    } else if (is_repeating(t) && !old.done && t.done) {
        co_await move_to_default_buckets(tx, t);
    }
    apply_done_transition(old, t, now);
    co_await replace_reminders(tx, t, t.reminders);
    if (t.cover_image_attachment_id != 0) {
        auto found = co_await tx.query(kAttachmentOfTask, t.cover_image_attachment_id, task_id);
        if (found.empty()) throw api::Error(api::ErrorCode::AttachmentDoesNotBelongToTask);
    }
    co_await set_favorite(tx, doer, FavoriteKind::Task, task_id, t.is_favorite);
    co_await tx.exec(kUpdateTask, t.title, t.description, t.done, t.done_at, t.due_date, t.project_id,
                     t.repeat_after, t.repeat_mode, t.priority, t.start_date, t.end_date, t.hex_color,
                     t.percent_done, t.index, t.cover_image_attachment_id, now, task_id);
    co_await tx.exec(kTouchProject, now, t.project_id);
    co_await notify_task_mentions(tx, doer, task_id, t.description, /*is_new=*/false);
    co_await emit_task_updated(tx, doer, task_id, old.done);
}

bool is_bulk_task_field(std::string_view field) {
    static const std::set<std::string_view> allowed{
        "title",       "description",  "done",       "due_date",   "repeat_after", "priority",    "start_date",
        "end_date",    "hex_color",    "percent_done", "project_id", "bucket_id",  "repeat_mode",
        "cover_image_attachment_id"};
    return allowed.count(field) != 0;
}

asio::awaitable<void> bulk_update_tasks(db::Tx& tx, const Doer& doer, const std::vector<std::int64_t>& task_ids,
                                        const std::vector<std::string>& fields, const TaskInput& values) {
    std::set<std::string_view> set(fields.begin(), fields.end());
    for (auto id : task_ids) {
        auto old = co_await stored_task(tx, id);
        TaskInput input;
        auto& t = input.task;
        const auto& v = values.task;
        t = old;
        if (set.count("title") && !v.title.empty()) t.title = v.title;
        if (set.count("description")) t.description = v.description;
        if (set.count("done")) t.done = v.done;
        if (set.count("due_date")) t.due_date = v.due_date;
        if (set.count("repeat_after")) t.repeat_after = v.repeat_after;
        if (set.count("priority")) t.priority = v.priority;
        if (set.count("start_date")) t.start_date = v.start_date;
        if (set.count("end_date")) t.end_date = v.end_date;
        if (set.count("hex_color")) t.hex_color = v.hex_color;
        if (set.count("percent_done")) t.percent_done = v.percent_done;
        if (set.count("project_id") && v.project_id != 0) t.project_id = v.project_id;
        if (set.count("repeat_mode")) t.repeat_mode = v.repeat_mode;
        if (set.count("cover_image_attachment_id")) t.cover_image_attachment_id = v.cover_image_attachment_id;
        // Bulk edits leave assignees, reminders (unless a repeat moves them) and favourites alone.
        auto current = co_await tx.query(kAssigneeIds, id);
        for (auto row : current) input.assignee_ids.push_back(row.get<std::int64_t>(0));
        t.is_favorite = co_await is_favorite(tx, doer, FavoriteKind::Task, id);
        co_await update_task(tx, doer, id, input);
    }
}

asio::awaitable<void> delete_task(db::Tx& tx, const Doer& doer, std::int64_t task_id) {
    // The notification carries the task as it was, so it is written while the task can still be read.
    co_await notify_task_deleted(tx, doer, task_id);
    co_await emit_task_event(tx, doer, "task.deleted", task_id);
    auto now = util::now();
    co_await tx.exec(kDeletePositions, task_id);
    co_await tx.exec(kDeleteBuckets, task_id);
    co_await tx.exec(kSoftDelete, now, now, task_id);
}

asio::awaitable<std::int64_t> duplicate_task(db::Tx& tx, const FileStore& files, const Doer& doer,
                                             std::int64_t task_id) {
    auto old = co_await stored_task(tx, task_id);
    TaskInput input;
    auto& t = input.task;
    t = old;
    t.id = 0;
    t.index = 0;
    t.done = false;
    t.done_at.reset();
    t.cover_image_attachment_id = 0;
    t.is_favorite = false;
    for (auto row : co_await tx.query(kAssigneeIds, task_id)) input.assignee_ids.push_back(row.get<std::int64_t>(0));
    auto copy_id = co_await create_task(tx, doer, old.project_id, input);
    co_await tx.exec(kCopyLabels, copy_id, util::now(), task_id);
    auto attachment_ids = co_await copy_attachments(tx, files, doer, task_id, copy_id);
    if (auto it = attachment_ids.find(old.cover_image_attachment_id); it != attachment_ids.end()) {
        co_await tx.exec(kSetCover, it->second, copy_id);
    }
    TaskRelation relation;
    relation.task_id = copy_id;
    relation.other_task_id = task_id;
    relation.relation_kind = "copiedfrom";
    co_await create_task_relation(tx, doer, relation);
    co_return copy_id;
}

asio::awaitable<bool> set_done_by_bucket(db::Tx& tx, std::int64_t task_id, bool done) {
    auto old = co_await stored_task(tx, task_id);
    Task t = old;
    t.done = done;
    auto now = util::now();
    apply_done_transition(old, t, now);
    // Vikunja's bucket move stamps done_at from the final done flag, so an advanced repeating task has none.
    t.done_at.reset();
    if (t.done) t.done_at = now;
    co_await tx.exec(kDoneByBucket, t.done, t.done_at, t.due_date, t.start_date, t.end_date, now, task_id);
    co_await replace_reminders(tx, t, t.reminders);
    co_return t.done;
}

asio::awaitable<void> mark_task_read(db::Tx& tx, const Doer& doer, std::int64_t task_id) {
    if (doer.is_link_share()) co_return;
    co_await tx.exec(kMarkRead, task_id, doer.user_id);
}

asio::awaitable<std::int64_t> task_id_by_index(db::Tx& tx, std::int64_t project_id, std::int64_t index) {
    if (project_id < 1 || index < 1) throw api::Error(api::ErrorCode::TaskDoesNotExist);
    auto rows = co_await tx.query(kByIndex, project_id, index);
    if (rows.empty()) throw api::Error(api::ErrorCode::TaskDoesNotExist);
    co_return rows[0].get<std::int64_t>(0);
}

asio::awaitable<std::int64_t> resolve_project_ref(db::Tx& tx, const std::string& ref) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
    if (!ref.empty() && ec == std::errc() && p == ref.data() + ref.size()) co_return id;
    std::string upper = ref;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    auto rows = co_await tx.query(kProjectByIdentifier, upper);
    if (rows.empty()) throw api::Error(api::ErrorCode::ProjectIdentifierNotFound);
    co_return rows[0].get<std::int64_t>(0);
}

asio::awaitable<std::int64_t> view_of_bucket(db::Tx& tx, std::int64_t bucket_id) {
    auto rows = co_await tx.query(kBucketView, bucket_id);
    co_return rows.empty() ? 0 : rows[0].get<std::int64_t>(0);
}

asio::awaitable<std::vector<std::int64_t>> projects_of_tasks(db::Tx& tx, const std::vector<std::int64_t>& task_ids) {
    std::vector<db::Value> args(task_ids.begin(), task_ids.end());
    auto rows = co_await tx.run(std::string(kLiveTaskProjects) + db::placeholders(task_ids.size()), std::move(args));
    std::vector<std::int64_t> out;
    for (auto row : rows) out.push_back(row.get<std::int64_t>(0));
    co_return out;
}

}  // namespace vicugna::models
