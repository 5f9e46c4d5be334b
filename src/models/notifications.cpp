// SPDX-License-Identifier: AGPL-3.0-or-later
// Notifications (Vikunja: pkg/notifications/database.go, notification.go; pkg/models/notifications.go,
// notifications_permissions.go, listeners.go, mentions.go, comment_quotes.go).
#include "models/notifications.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "models/project.hpp"
#include "models/subscriptions.hpp"
#include "models/task_comments.hpp"
#include "models/tasks.hpp"
#include "models/user.hpp"
#include "util/html.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kRecipient = "SELECT status, bot_owner_id FROM users WHERE id = ?";
constexpr std::string_view kInsert =
    "INSERT INTO notifications (notifiable_id, notification, name, subject_id, project_id, created)"
    " VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kAlreadyNotified =
    "SELECT 1 FROM notifications WHERE notifiable_id = ? AND name = ? AND subject_id = ?";
constexpr std::string_view kTaskProject = "SELECT project_id FROM tasks WHERE id = ?";
constexpr std::string_view kQuotedAuthors = "SELECT DISTINCT author_id FROM task_comments WHERE task_id = ? AND id IN ";

constexpr std::string_view kColumns = "SELECT n.id, n.name, n.notification, n.project_id, n.read_at, n.created";
// Only notifications without a project (0) or about a project the caller can still read; -1 is nobody's.
constexpr std::string_view kVisible =
    " FROM notifications n WHERE n.notifiable_id = ?"
    " AND (n.project_id = 0 OR n.project_id IN (SELECT id FROM reachable))";
constexpr std::string_view kOne = " FROM notifications n WHERE n.id = ? AND n.notifiable_id = ?";
constexpr std::string_view kMark = "UPDATE notifications SET read_at = ? WHERE id = ?";
constexpr std::string_view kMarkAll = "UPDATE notifications SET read_at = ? WHERE notifiable_id = ?";

constexpr std::string_view kCommentName = "task.comment";
constexpr std::string_view kMentionedName = "task.mentioned";

Notification notification_from_row(const db::Row& row) {
    Notification n;
    n.id = row.get<std::int64_t>("id");
    n.name = row.get<std::string>("name");
    n.payload = row.get<std::string>("notification");
    n.project_id = row.get<std::int64_t>("project_id");
    n.read_at = row.get<std::optional<util::Timestamp>>("read_at");
    if (n.read_at && util::is_zero_time(*n.read_at)) n.read_at.reset();
    n.created = row.get<util::Timestamp>("created");
    return n;
}

// Users mentioned in the text (Vikunja: FindMentionedUsersInText), ascending ids.
asio::awaitable<std::vector<std::int64_t>> mentioned_users(db::Tx& tx, std::string_view html) {
    std::vector<std::int64_t> ids;
    if (html.find("mention-user") == std::string_view::npos) co_return ids;
    auto usernames = util::html_attribute_values(html, "mention-user", "data-id");
    if (usernames.empty()) co_return ids;
    auto sql = "SELECT id FROM users WHERE username IN " + db::placeholders(usernames.size()) + " ORDER BY id";
    std::vector<db::Value> args(usernames.begin(), usernames.end());
    for (auto row : co_await tx.run(sql, std::move(args))) ids.push_back(row.get<std::int64_t>(0));
    co_return ids;
}

// Authors of the task's comments quoted in the text, without the doer (Vikunja: findQuotedCommentAuthors).
asio::awaitable<std::vector<std::int64_t>> quoted_authors(db::Tx& tx, std::int64_t task_id, std::int64_t doer_id,
                                                          std::string_view html) {
    std::vector<std::int64_t> ids;
    if (html.find("data-comment-id") == std::string_view::npos) co_return ids;
    std::vector<db::Value> args{task_id};
    for (const auto& text : util::html_attribute_values(html, "blockquote", "data-comment-id")) {
        std::int64_t id = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec == std::errc() && end == text.data() + text.size() && id > 0) args.emplace_back(id);
    }
    if (args.size() == 1) co_return ids;
    auto sql = std::string(kQuotedAuthors) + db::placeholders(args.size() - 1) + " ORDER BY author_id";
    for (auto row : co_await tx.run(sql, std::move(args))) {
        auto id = row.get<std::int64_t>(0);
        if (id > 0 && id != doer_id) ids.push_back(id);
    }
    co_return ids;
}

asio::awaitable<bool> can_read_task(db::Tx& tx, std::int64_t user_id, std::int64_t task_id) {
    Doer user;
    user.user_id = user_id;
    auto access = co_await task_access(tx, user, task_id);
    co_return access.project.can_read();
}

asio::awaitable<bool> already_notified(db::Tx& tx, std::int64_t user_id, std::string_view name,
                                       std::int64_t subject_id) {
    auto rows = co_await tx.query(kAlreadyNotified, user_id, name, subject_id);
    co_return !rows.empty();
}

std::string user_json(const User& u) {
    util::json::Writer w;
    w.start_object();
    write_user(w, u);
    w.end_object();
    return w.take();
}

// The parts every task notification carries, as stored JSON: the doer, the task (as the API shows it) and its
// project. Built once per event, and only when somebody is to be notified.
struct TaskParts {
    std::string doer;
    std::string task;
    std::string project;
    std::int64_t project_id = kNotificationProjectUnresolved;
};

asio::awaitable<TaskParts> task_parts(db::Tx& tx, const Doer& doer, std::int64_t task_id) {
    TaskParts parts;
    auto doer_user = co_await doer_as_user(tx, doer);
    parts.doer = user_json(doer_user);
    std::vector<std::int64_t> ids{task_id};
    TaskExpand no_expand;
    auto tasks = co_await load_tasks(tx, doer, ids, no_expand);
    if (tasks.empty()) co_return parts;
    util::json::Writer task;
    write_task(task, tasks[0]);
    parts.task = task.take();
    parts.project_id = tasks[0].project_id;
    auto project = co_await load_project(tx, doer, tasks[0].project_id);
    if (project) {
        util::json::Writer w;
        write_project(w, *project);
        parts.project = w.take();
    }
    co_return parts;
}

std::string comment_payload(const TaskParts& parts, const TaskComment& comment, bool mentioned) {
    util::json::Writer w;
    w.start_object();
    w.key("doer").raw(parts.doer);
    w.key("task").raw(parts.task);
    w.key("comment");
    write_task_comment(w, comment);
    w.key("mentioned").boolean(mentioned);
    w.key("project").raw(parts.project);
    w.end_object();
    return w.take();
}

// Notifies the users mentioned in a comment or quoted by it (once per comment each) and returns every user the
// text mentions or quotes, whom the subscriber notification then leaves out.
asio::awaitable<std::set<std::int64_t>> notify_comment_addressees(db::Tx& tx, const Doer& doer,
                                                                  const TaskComment& comment,
                                                                  std::optional<TaskParts>& parts) {
    std::set<std::int64_t> addressed;
    auto mentioned = co_await mentioned_users(tx, comment.comment);
    auto quoted = co_await quoted_authors(tx, comment.task_id, doer.id(), comment.comment);
    for (auto id : mentioned) addressed.insert(id);
    for (auto id : quoted) addressed.insert(id);
    for (auto user_id : addressed) {
        if (user_id == doer.id()) continue;
        auto readable = co_await can_read_task(tx, user_id, comment.task_id);
        if (!readable) continue;
        auto seen = co_await already_notified(tx, user_id, kCommentName, comment.id);
        if (seen) continue;
        if (!parts) parts = co_await task_parts(tx, doer, comment.task_id);
        auto payload = comment_payload(*parts, comment, true);
        co_await notify(tx, user_id, kCommentName, payload, comment.id, parts->project_id);
    }
    co_return addressed;
}

// The users subscribed to a task (directly or through its projects), without the doer; none for a missing task.
asio::awaitable<std::vector<std::int64_t>> task_subscribers_but_doer(db::Tx& tx, const Doer& doer,
                                                                     std::int64_t task_id) {
    std::vector<std::int64_t> recipients;
    auto project = co_await tx.query(kTaskProject, task_id);
    if (project.empty()) co_return recipients;
    recipients = co_await subscribers(tx, task_id, project[0].get<std::int64_t>(0));
    std::erase(recipients, doer.id());
    co_return recipients;
}

}  // namespace

void write_notification(util::json::Writer& w, const Notification& n, std::optional<bool> read) {
    w.start_object();
    w.key("id").integer(n.id);
    w.key("notification").raw(n.payload);
    w.key("name").string(n.name);
    w.key("read_at").time(n.read_at);
    w.key("created").time(n.created);
    if (read) w.key("read").boolean(*read);
    w.end_object();
}

asio::awaitable<void> notify(db::Tx& tx, std::int64_t user_id, std::string_view name, std::string payload_json,
                             std::int64_t subject_id, std::int64_t project_id) {
    auto recipient = co_await tx.query(kRecipient, user_id);
    if (recipient.empty()) co_return;
    auto status = static_cast<UserStatus>(recipient[0].get<std::optional<std::int64_t>>("status").value_or(0));
    if (status == UserStatus::Disabled || status == UserStatus::Locked) co_return;
    if (recipient[0].get<std::optional<std::int64_t>>("bot_owner_id").value_or(0) > 0) co_return;
    co_await tx.exec(kInsert, user_id, payload_json, name, subject_id, project_id, util::now());
}

asio::awaitable<void> notify_task_assigned(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                           std::int64_t assignee_id) {
    auto recipients = co_await task_subscribers_but_doer(tx, doer, task_id);
    if (recipients.empty()) co_return;
    auto parts = co_await task_parts(tx, doer, task_id);
    std::vector<std::int64_t> ids{assignee_id};
    auto users = co_await load_public_users(tx, ids);
    util::json::Writer w;
    w.start_object();
    w.key("doer").raw(parts.doer);
    w.key("task").raw(parts.task);
    w.key("assignee");
    if (auto it = users.find(assignee_id); it != users.end()) {
        w.start_object();
        write_user(w, it->second);
        w.end_object();
    } else {
        w.null();
    }
    w.key("project").raw(parts.project);
    w.end_object();
    auto payload = w.take();
    for (auto user_id : recipients) co_await notify(tx, user_id, "task.assigned", payload, 0, parts.project_id);
}

asio::awaitable<void> notify_task_comment(db::Tx& tx, const Doer& doer, const TaskComment& comment) {
    std::optional<TaskParts> parts;
    auto addressed = co_await notify_comment_addressees(tx, doer, comment, parts);
    auto recipients = co_await task_subscribers_but_doer(tx, doer, comment.task_id);
    std::erase_if(recipients, [&](std::int64_t id) { return addressed.count(id) > 0; });
    if (recipients.empty()) co_return;
    if (!parts) parts = co_await task_parts(tx, doer, comment.task_id);
    auto payload = comment_payload(*parts, comment, false);
    for (auto user_id : recipients) co_await notify(tx, user_id, kCommentName, payload, comment.id, parts->project_id);
}

asio::awaitable<void> notify_comment_mentions(db::Tx& tx, const Doer& doer, const TaskComment& comment) {
    std::optional<TaskParts> parts;
    co_await notify_comment_addressees(tx, doer, comment, parts);
}

asio::awaitable<void> notify_task_mentions(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                           std::string_view description, bool is_new) {
    auto mentioned = co_await mentioned_users(tx, description);
    std::optional<std::string> payload;
    std::int64_t project_id = 0;
    for (auto user_id : mentioned) {
        if (user_id == doer.id()) continue;
        auto readable = co_await can_read_task(tx, user_id, task_id);
        if (!readable) continue;
        auto seen = co_await already_notified(tx, user_id, kMentionedName, task_id);
        if (seen) continue;
        if (!payload) {
            auto parts = co_await task_parts(tx, doer, task_id);
            util::json::Writer w;
            w.start_object();
            w.key("doer").raw(parts.doer);
            w.key("task").raw(parts.task);
            w.key("is_new").boolean(is_new);
            w.key("project").raw(parts.project);
            w.end_object();
            payload = w.take();
            project_id = parts.project_id;
        }
        co_await notify(tx, user_id, kMentionedName, *payload, task_id, project_id);
    }
}

asio::awaitable<void> notify_task_deleted(db::Tx& tx, const Doer& doer, std::int64_t task_id) {
    auto recipients = co_await task_subscribers_but_doer(tx, doer, task_id);
    if (recipients.empty()) co_return;
    auto parts = co_await task_parts(tx, doer, task_id);
    util::json::Writer w;
    w.start_object();
    w.key("doer").raw(parts.doer);
    w.key("task").raw(parts.task);
    w.end_object();
    auto payload = w.take();
    for (auto user_id : recipients) co_await notify(tx, user_id, "task.deleted", payload, 0, parts.project_id);
}

asio::awaitable<void> notify_project_created(db::Tx& tx, const Doer& doer, const Project& project) {
    // Only the subscribers of a project above can follow a new project.
    if (project.parent_project_id <= 0) co_return;
    auto recipients = co_await subscribers(tx, 0, project.id);
    std::erase(recipients, doer.id());
    if (recipients.empty()) co_return;
    auto doer_user = co_await doer_as_user(tx, doer);
    util::json::Writer w;
    w.start_object();
    w.key("doer").raw(user_json(doer_user));
    w.key("project");
    write_project(w, project);
    w.end_object();
    auto payload = w.take();
    for (auto user_id : recipients) co_await notify(tx, user_id, "project.created", payload, 0, project.id);
}

asio::awaitable<void> notify_team_member_added(db::Tx& tx, const Doer& doer, std::int64_t member_id,
                                               std::string_view team_json) {
    if (member_id == doer.id()) co_return;
    std::vector<std::int64_t> ids{member_id};
    auto users = co_await load_public_users(tx, ids);
    auto member = users.find(member_id);
    if (member == users.end()) co_return;
    auto doer_user = co_await doer_as_user(tx, doer);
    util::json::Writer w;
    w.start_object();
    w.key("member").raw(user_json(member->second));
    w.key("doer").raw(user_json(doer_user));
    w.key("team").raw(team_json);
    w.end_object();
    auto payload = w.take();
    co_await notify(tx, member_id, "team.member.added", payload, 0, 0);
}

asio::awaitable<std::pair<std::vector<Notification>, std::int64_t>> list_notifications(db::Tx& tx, const Doer& doer,
                                                                                       std::int64_t limit,
                                                                                       std::int64_t offset) {
    auto cte = readable_projects_cte(doer);
    auto args = std::move(cte.args);
    args.emplace_back(doer.user_id);
    // One statement for the polled list: the rows and, beside each, the number of all matches (a page past the
    // end reports no pages anyway, as Vikunja's lists do).
    std::string sql = std::string(cte.sql) + std::string(kColumns) + ", COUNT(*) OVER () AS total" +
                      std::string(kVisible) + " ORDER BY n.id DESC";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<Notification> items;
    std::int64_t total = 0;
    for (auto row : co_await tx.run(sql, std::move(args))) {
        items.push_back(notification_from_row(row));
        total = row.get<std::int64_t>("total");
    }
    co_return std::pair{std::move(items), total};
}

asio::awaitable<std::optional<Notification>> find_visible_notification(db::Tx& tx, const Doer& doer, std::int64_t id) {
    static const std::string sql = std::string(kColumns) + std::string(kOne);
    auto rows = co_await tx.query(sql, id, doer.user_id);
    if (rows.empty()) co_return std::nullopt;
    auto n = notification_from_row(rows[0]);
    if (n.project_id < 0) co_return std::nullopt;
    if (n.project_id > 0) {
        auto access = co_await project_access(tx, doer, n.project_id);
        if (!access.can_read()) co_return std::nullopt;
    }
    co_return n;
}

asio::awaitable<void> mark_notification(db::Tx& tx, Notification& n, bool read) {
    n.read_at.reset();
    if (read) n.read_at = util::now();
    co_await tx.exec(kMark, n.read_at, n.id);
}

asio::awaitable<void> mark_all_notifications_read(db::Tx& tx, std::int64_t user_id) {
    co_await tx.exec(kMarkAll, util::now(), user_id);
}

}  // namespace vicugna::models
