// SPDX-License-Identifier: AGPL-3.0-or-later
// The task batch loader and the Task JSON (Vikunja: pkg/models/tasks.go addMoreInfoToTasks, task_comments.go,
// subscriptions.go GetSubscriptionForUser).
#include "models/tasks.hpp"

#include <algorithm>
#include <unordered_map>

#include "api/errors.hpp"
#include "models/task_assignees.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kTaskColumns =
    "t.id, t.title, t.description, t.done, t.done_at, t.due_date, t.project_id, t.repeat_after, t.repeat_mode, "
    "t.priority, t.start_date, t.end_date, t.hex_color, t.percent_done, t.\"index\", t.cover_image_attachment_id, "
    "t.created, t.updated, t.created_by_id";

// The page's task rows with the project identifier, the caller's favourite flag and the view's position/bucket.
constexpr std::string_view kTaskPage =
    " , p.identifier AS project_identifier,"
    " CASE WHEN f.entity_id IS NULL THEN 0 ELSE 1 END AS is_fav,"
    " tp.position AS view_position, tb.bucket_id AS view_bucket_id,"
    // Which per-task tables have rows (index probes), so the page only queries the ones that do.
    " EXISTS (SELECT 1 FROM label_tasks x WHERE x.task_id = t.id) AS has_labels,"
    " EXISTS (SELECT 1 FROM task_assignees x WHERE x.task_id = t.id) AS has_assignees,"
    " EXISTS (SELECT 1 FROM task_attachments x WHERE x.task_id = t.id) AS has_attachments,"
    " EXISTS (SELECT 1 FROM task_reminders x WHERE x.task_id = t.id) AS has_reminders,"
    " EXISTS (SELECT 1 FROM task_relations x WHERE x.task_id = t.id) AS has_relations,"
    // Whether the caller may be subscribed to the task itself or through a project (then it is looked up).
    // Two point lookups on (user_id, entity_type, entity_id); the second does not depend on the row.
    " (EXISTS (SELECT 1 FROM subscriptions x WHERE x.user_id = ? AND x.entity_type = 3 AND x.entity_id = t.id)"
    " OR EXISTS (SELECT 1 FROM subscriptions x WHERE x.user_id = ? AND x.entity_type = 2)) AS doer_subscribes,"
    " p.parent_project_id AS project_parent_id"
    " FROM tasks t JOIN projects p ON p.id = t.project_id"
    " LEFT JOIN favorites f ON f.entity_id = t.id AND f.user_id = ? AND f.kind = 1"
    " LEFT JOIN task_positions tp ON tp.task_id = t.id AND tp.project_view_id = ?"
    " LEFT JOIN task_buckets tb ON tb.task_id = t.id AND tb.project_view_id = ?"
    " LEFT JOIN users cb ON cb.id = t.created_by_id"
    " WHERE t.deleted_at IS NULL AND t.id IN ";

// Related tasks are the other tasks' plain rows (Vikunja does not expand them further), limited to readable projects.
constexpr std::string_view kRelated =
    " , r.task_id AS rel_task_id, r.relation_kind,"
    " CASE WHEN f.entity_id IS NULL THEN 0 ELSE 1 END AS is_fav"
    " FROM task_relations r JOIN tasks t ON t.id = r.other_task_id AND t.deleted_at IS NULL"
    " LEFT JOIN favorites f ON f.entity_id = t.id AND f.user_id = ? AND f.kind = 1"
    " WHERE r.task_id IN ";

constexpr std::string_view kReminders =
    "SELECT task_id, reminder, relative_period, relative_to FROM task_reminders WHERE task_id IN ";

constexpr std::string_view kBuckets =
    "SELECT tb.task_id, b.id, b.title, b.project_view_id, b.\"limit\", b.position, b.created, b.updated"
    " FROM task_buckets tb JOIN buckets b ON b.id = tb.bucket_id WHERE tb.task_id IN ";

constexpr std::string_view kComments =
    "SELECT c.id, c.task_id, c.comment, c.created, c.updated, {author} FROM task_comments c"
    " LEFT JOIN users a ON a.id = c.author_id WHERE c.task_id IN ";

constexpr std::string_view kCommentCounts = "SELECT task_id, COUNT(*) AS n FROM task_comments WHERE task_id IN ";

constexpr std::string_view kUnread = "SELECT task_id FROM task_unread_statuses WHERE user_id = ? AND task_id IN ";

constexpr std::size_t kExpandedCommentLimit = 50;  // Vikunja: the first page of 50

std::optional<Timestamp> date(const db::Row& row, std::string_view column) {
    auto t = row.get<std::optional<Timestamp>>(column);
    if (t && util::is_zero_time(*t)) return std::nullopt;
    return t;
}

Task task_from_row(const db::Row& row) {
    Task t;
    t.id = row.get<std::int64_t>("id");
    t.title = row.get<std::string>("title");
    t.description = row.get<std::string>("description");
    t.done = row.get<bool>("done");
    t.done_at = date(row, "done_at");
    t.due_date = date(row, "due_date");
    t.project_id = row.get<std::int64_t>("project_id");
    t.repeat_after = row.get<std::int64_t>("repeat_after");
    t.repeat_mode = row.get<int>("repeat_mode");
    t.priority = row.get<std::int64_t>("priority");
    t.start_date = date(row, "start_date");
    t.end_date = date(row, "end_date");
    t.hex_color = row.get<std::string>("hex_color");
    t.percent_done = row.get<double>("percent_done");
    t.index = row.get<std::int64_t>("index");
    t.cover_image_attachment_id = row.get<std::int64_t>("cover_image_attachment_id");
    t.created = row.get<Timestamp>("created");
    t.updated = row.get<Timestamp>("updated");
    t.created_by_id = row.get<std::int64_t>("created_by_id");
    t.is_favorite = row.get<std::int64_t>("is_fav") != 0;
    return t;
}

std::vector<db::Value> id_args(const std::vector<std::int64_t>& ids) { return {ids.begin(), ids.end()}; }

// Appending (rather than `"#" + std::to_string(i)`) also avoids a false -Wrestrict of GCC 12 at -O3.
std::string identifier_of(const std::string& project_identifier, std::int64_t index) {
    std::string id = project_identifier.empty() ? std::string("#") : project_identifier + "-";
    id += std::to_string(index);
    return id;
}

asio::awaitable<void> add_related(db::Tx& tx, const Doer& doer, const std::vector<std::int64_t>& ids,
                                  std::unordered_map<std::int64_t, Task*>& by_id) {
    std::string sql = "SELECT " + std::string(kTaskColumns) + std::string(kRelated) + db::placeholders(ids.size()) +
                      " ORDER BY r.id";
    auto args = id_args(ids);
    args.insert(args.begin(), db::Value(doer.id()));
    auto rows = co_await tx.run(sql, std::move(args));
    if (rows.empty()) co_return;
    auto readable = co_await readable_project_ids(tx, doer);
    std::sort(readable.begin(), readable.end());
    for (auto row : rows) {
        auto other = task_from_row(row);
        if (!std::binary_search(readable.begin(), readable.end(), other.project_id)) continue;
        other.nested = true;
        by_id.at(row.get<std::int64_t>("rel_task_id"))->related_tasks[row.get<std::string>("relation_kind")].push_back(
            std::move(other));
    }
}

asio::awaitable<void> add_reminders(db::Tx& tx, const std::vector<std::int64_t>& ids,
                                    std::unordered_map<std::int64_t, Task*>& by_id) {
    std::string sql = std::string(kReminders) + db::placeholders(ids.size()) + " ORDER BY reminder, id";
    for (auto row : co_await tx.run(sql, id_args(ids))) {
        TaskReminder r;
        r.reminder = date(row, "reminder");
        r.relative_period = row.get<std::int64_t>("relative_period");
        r.relative_to = row.get<std::string>("relative_to");
        by_id.at(row.get<std::int64_t>("task_id"))->reminders.push_back(std::move(r));
    }
}

asio::awaitable<void> add_buckets(db::Tx& tx, const std::vector<std::int64_t>& ids,
                                  std::unordered_map<std::int64_t, Task*>& by_id) {
    std::string sql = std::string(kBuckets) + db::placeholders(ids.size()) + " ORDER BY b.position, b.id";
    for (auto row : co_await tx.run(sql, id_args(ids))) {
        TaskBucketInfo b;
        b.id = row.get<std::int64_t>("id");
        b.title = row.get<std::string>("title");
        b.project_view_id = row.get<std::int64_t>("project_view_id");
        b.limit = row.get<std::int64_t>("limit");
        b.position = row.get<double>("position");
        b.created = row.get<Timestamp>("created");
        b.updated = row.get<Timestamp>("updated");
        auto& task = *by_id.at(row.get<std::int64_t>("task_id"));
        if (!task.buckets) task.buckets.emplace();
        task.buckets->push_back(std::move(b));
    }
}

asio::awaitable<void> add_comments(db::Tx& tx, const std::vector<std::int64_t>& ids,
                                   std::unordered_map<std::int64_t, Task*>& by_id) {
    std::string sql(kComments);
    sql.replace(sql.find("{author}"), 8, public_user_columns("a", "a_"));
    sql += db::placeholders(ids.size()) + " ORDER BY c.created, c.id";
    std::vector<std::int64_t> comment_ids;
    for (auto row : co_await tx.run(sql, id_args(ids))) {
        auto& task = *by_id.at(row.get<std::int64_t>("task_id"));
        if (!task.comments) task.comments.emplace();
        if (task.comments->size() >= kExpandedCommentLimit) continue;
        ExpandedComment c;
        c.id = row.get<std::int64_t>("id");
        c.comment = row.get<std::string>("comment");
        c.author = public_user_from_row(row, "a_");
        c.created = row.get<Timestamp>("created");
        c.updated = row.get<Timestamp>("updated");
        comment_ids.push_back(c.id);
        task.comments->push_back(std::move(c));
    }
    if (comment_ids.empty()) co_return;
    auto reactions = co_await reactions_for(tx, ReactionKind::Comment, comment_ids);
    for (auto& [id, task] : by_id) {
        if (!task->comments) continue;
        for (auto& c : *task->comments) {
            if (auto it = reactions.find(c.id); it != reactions.end()) c.reactions = it->second;
        }
    }
}

asio::awaitable<void> add_comment_counts(db::Tx& tx, const std::vector<std::int64_t>& ids,
                                         std::unordered_map<std::int64_t, Task*>& by_id) {
    for (auto& [id, task] : by_id) task->comment_count = 0;
    std::string sql = std::string(kCommentCounts) + db::placeholders(ids.size()) + " GROUP BY task_id";
    for (auto row : co_await tx.run(sql, id_args(ids))) {
        by_id.at(row.get<std::int64_t>("task_id"))->comment_count = row.get<std::int64_t>("n");
    }
}

asio::awaitable<void> add_unread(db::Tx& tx, const Doer& doer, const std::vector<std::int64_t>& ids,
                                 std::unordered_map<std::int64_t, Task*>& by_id) {
    // Vikunja only marks unread tasks (is_unread:true); read ones omit the key. Link shares have no status.
    if (doer.is_link_share()) co_return;
    std::string sql = std::string(kUnread) + db::placeholders(ids.size());
    auto args = id_args(ids);
    args.insert(args.begin(), db::Value(doer.user_id));
    for (auto row : co_await tx.run(sql, std::move(args))) {
        by_id.at(row.get<std::int64_t>("task_id"))->is_unread = true;
    }
}

void write_reminders(util::json::Writer& w, const std::vector<TaskReminder>& reminders) {
    if (reminders.empty()) {
        w.null();
        return;
    }
    w.start_array();
    for (const auto& r : reminders) write_task_reminder(w, r);
    w.end_array();
}

void write_public_user(util::json::Writer& w, const User& u) {
    w.start_object();
    write_user(w, u);
    w.end_object();
}

void write_comment(util::json::Writer& w, const ExpandedComment& c) {
    w.start_object();
    w.key("id").integer(c.id);
    w.key("comment").string(c.comment);
    w.key("author");
    write_public_user(w, c.author);
    w.key("reactions");
    write_reactions(w, c.reactions);
    w.key("created").time(c.created);
    w.key("updated").time(c.updated);
    w.end_object();
}


}  // namespace

void write_task_reminder(util::json::Writer& w, const TaskReminder& r) {
    w.start_object();
    w.key("reminder").time(r.reminder);
    w.key("relative_period").integer(r.relative_period);
    w.key("relative_to").string(r.relative_to);
    w.end_object();
}

void write_task_bucket_info(util::json::Writer& w, const TaskBucketInfo& b) {
    w.start_object();
    w.key("id").integer(b.id);
    w.key("title").string(b.title);
    w.key("project_view_id").integer(b.project_view_id);
    w.key("limit").integer(b.limit);
    w.key("count").integer(b.count);
    w.key("position").number(b.position);
    w.key("created").time(b.created);
    w.key("updated").time(b.updated);
    w.key("created_by");
    if (b.created_by) {
        write_public_user(w, *b.created_by);
    } else {
        w.null();
    }
    w.end_object();
}

TaskExpand parse_task_expand(const std::vector<std::string>& values) {
    TaskExpand e;
    for (const auto& v : values) {
        if (v.empty() || v == "time_entries_count") continue;
        if (v == "subtasks") {
            e.subtasks = true;
        } else if (v == "buckets") {
            e.buckets = true;
        } else if (v == "reactions") {
            e.reactions = true;
        } else if (v == "comments") {
            e.comments = true;
        } else if (v == "comment_count") {
            e.comment_count = true;
        } else if (v == "is_unread") {
            e.is_unread = true;
        } else {
            throw api::Error(api::ErrorCode::InvalidData,
                             "Expand must be one of the following values: subtasks, buckets, reactions, comments, "
                             "comment_count, time_entries_count, is_unread",
                             {"expand"});
        }
    }
    return e;
}

asio::awaitable<std::vector<Task>> load_tasks(db::Tx& tx, const Doer& doer, const std::vector<std::int64_t>& ids,
                                              const TaskExpand& expand, std::int64_t view_id) {
    std::vector<Task> tasks;
    if (ids.empty()) co_return tasks;
    static const std::string page_prefix =
        "SELECT " + std::string(kTaskColumns) + ", " + public_user_columns("cb", "cb_") + std::string(kTaskPage);
    std::string sql = page_prefix + db::placeholders(ids.size());
    std::vector<db::Value> args{db::Value(doer.id()), db::Value(doer.id()), db::Value(doer.id()), db::Value(view_id),
                                db::Value(view_id)};
    args.insert(args.end(), ids.begin(), ids.end());
    auto rows = co_await tx.run(sql, std::move(args));

    std::unordered_map<std::int64_t, std::size_t> row_of;
    for (std::size_t i = 0; i < rows.size(); ++i) row_of.emplace(rows[i].get<std::int64_t>("id"), i);
    std::vector<std::int64_t> found, with_labels, with_assignees, with_attachments, with_reminders, with_relations;
    auto note = [](const db::Row& row, std::string_view flag, std::vector<std::int64_t>& list, std::int64_t id) {
        if (row.get<bool>(flag)) list.push_back(id);
    };
    for (auto id : ids) {
        auto it = row_of.find(id);
        if (it == row_of.end()) continue;
        auto row = rows[it->second];
        auto t = task_from_row(row);
        t.identifier = identifier_of(row.get<std::string>("project_identifier"), t.index);
        t.position = row.get<double>("view_position");
        t.bucket_id = row.get<std::int64_t>("view_bucket_id");
        t.created_by = public_user_from_row(row, "cb_");
        t.doer_subscribes = row.get<bool>("doer_subscribes");
        t.project_parent_id = row.get<std::int64_t>("project_parent_id");
        tasks.push_back(std::move(t));
        found.push_back(id);
        note(row, "has_labels", with_labels, id);
        note(row, "has_assignees", with_assignees, id);
        note(row, "has_attachments", with_attachments, id);
        note(row, "has_reminders", with_reminders, id);
        note(row, "has_relations", with_relations, id);
        row_of.erase(it);  // a repeated id is returned once
    }
    if (tasks.empty()) co_return tasks;
    // Tasks a link share created name its pseudo-user (negative id; not in the users join).
    std::vector<std::int64_t> share_creators;
    for (const auto& t : tasks) {
        if (t.created_by_id < 0) share_creators.push_back(t.created_by_id);
    }
    if (!share_creators.empty()) {
        auto creators = co_await load_public_users(tx, share_creators);
        for (auto& t : tasks) {
            if (auto it = creators.find(t.created_by_id); it != creators.end()) t.created_by = it->second;
        }
    }

    std::unordered_map<std::int64_t, Task*> by_id;
    for (auto& t : tasks) by_id.emplace(t.id, &t);
    // The loaders answer an empty list without touching the database.
    auto labels = co_await labels_for_tasks(tx, with_labels);
    auto assignees = co_await assignees_for_tasks(tx, with_assignees);
    auto attachments = co_await attachments_for_tasks(tx, with_attachments);
    for (auto& t : tasks) {
        if (auto it = labels.find(t.id); it != labels.end()) t.labels = std::move(it->second);
        if (auto it = assignees.find(t.id); it != assignees.end()) t.assignees = std::move(it->second);
        if (auto it = attachments.find(t.id); it != attachments.end()) t.attachments = std::move(it->second);
    }
    if (!with_reminders.empty()) co_await add_reminders(tx, with_reminders, by_id);
    if (!with_relations.empty()) co_await add_related(tx, doer, with_relations, by_id);
    if (expand.reactions) {
        auto reactions = co_await reactions_for(tx, ReactionKind::Task, found);
        for (auto& t : tasks) {
            if (auto it = reactions.find(t.id); it != reactions.end()) t.reactions = std::move(it->second);
        }
    }
    if (expand.buckets) co_await add_buckets(tx, found, by_id);
    if (expand.comments) co_await add_comments(tx, found, by_id);
    if (expand.comment_count) co_await add_comment_counts(tx, found, by_id);
    if (expand.is_unread) co_await add_unread(tx, doer, found, by_id);
    co_return tasks;
}

asio::awaitable<std::optional<Subscription>> load_task_subscription(db::Tx& tx, const Doer& doer,
                                                                        const Task& task) {
    if (doer.is_link_share() || !task.doer_subscribes) co_return std::nullopt;
    co_return co_await nearest_subscription(tx, doer.user_id, task.id, task.project_id, task.project_parent_id > 0);
}

void write_task(util::json::Writer& w, const Task& t) {
    w.start_object();
    w.key("id").integer(t.id);
    w.key("title").string(t.title);
    w.key("description").string(t.description);
    w.key("done").boolean(t.done);
    w.key("done_at").time(t.done_at);
    w.key("due_date").time(t.due_date);
    w.key("reminders");
    write_reminders(w, t.reminders);
    w.key("project_id").integer(t.project_id);
    w.key("repeat_after").integer(t.repeat_after);
    w.key("repeat_mode").integer(t.repeat_mode);
    w.key("priority").integer(t.priority);
    w.key("start_date").time(t.start_date);
    w.key("end_date").time(t.end_date);
    w.key("assignees");
    if (t.assignees.empty()) {
        w.null();
    } else {
        w.start_array();
        for (const auto& u : t.assignees) write_public_user(w, u);
        w.end_array();
    }
    w.key("labels");
    if (t.labels.empty()) {
        w.null();
    } else {
        w.start_array();
        for (const auto& l : t.labels) write_label(w, l);
        w.end_array();
    }
    w.key("hex_color").string(t.hex_color);
    w.key("percent_done").number(t.percent_done);
    w.key("identifier").string(t.identifier);
    w.key("index").integer(t.index);
    w.key("related_tasks");
    if (t.nested) {
        w.null();
    } else {
        w.start_object();
        for (const auto& [kind, related] : t.related_tasks) {
            w.key(kind).start_array();
            for (const auto& r : related) write_task(w, r);
            w.end_array();
        }
        w.end_object();
    }
    w.key("attachments");
    if (t.attachments.empty()) {
        w.null();
    } else {
        w.start_array();
        for (const auto& a : t.attachments) write_attachment(w, a);
        w.end_array();
    }
    w.key("cover_image_attachment_id").integer(t.cover_image_attachment_id);
    w.key("is_favorite").boolean(t.is_favorite);
    if (t.is_unread) w.key("is_unread").boolean(*t.is_unread);
    if (t.subscription) {
        w.key("subscription");
        write_subscription(w, *t.subscription);
    }
    w.key("created").time(t.created);
    w.key("updated").time(t.updated);
    w.key("bucket_id").integer(t.bucket_id);
    if (t.buckets) {
        w.key("buckets").start_array();
        for (const auto& b : *t.buckets) write_task_bucket_info(w, b);
        w.end_array();
    }
    if (t.comments && !t.comments->empty()) {
        w.key("comments").start_array();
        for (const auto& c : *t.comments) write_comment(w, c);
        w.end_array();
    }
    if (t.comment_count) w.key("comment_count").integer(*t.comment_count);
    w.key("position").number(t.position);
    w.key("reactions");
    if (t.reactions) {
        write_reactions(w, *t.reactions);
    } else {
        w.null();
    }
    w.key("created_by");
    if (t.nested) {
        w.null();
    } else {
        write_public_user(w, t.created_by);
    }
    w.end_object();
}

}  // namespace vicugna::models
