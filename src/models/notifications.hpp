// SPDX-License-Identifier: AGPL-3.0-or-later
/// Notifications (table `notifications`, Vikunja: pkg/notifications/database.go, pkg/models/notifications*.go,
/// listeners.go): who hears about which change, the stored payloads the web app renders, and the user's list.
/// Every notification is inserted in the write transaction of the change it reports, so a change that rolls
/// back leaves none.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "util/json.hpp"
#include "util/time.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

struct Project;
struct TaskComment;

/// `project_id` for a notification nobody may see (Vikunja: ProjectIDUnresolved); 0 means "no project".
constexpr std::int64_t kNotificationProjectUnresolved = -1;

struct Notification {
    std::int64_t id = 0;
    std::string name;     ///< "task.comment", "task.assigned", …
    std::string payload;  ///< the JSON object the web app reads (its shape depends on `name`)
    std::int64_t project_id = 0;
    std::optional<util::Timestamp> read_at;  ///< unset = unread
    util::Timestamp created{};
};

/// {id, notification, name, read_at, created}; read_at is Vikunja's zero time while unread. An update answer
/// also carries the `read` flag it was sent.
void write_notification(util::json::Writer& w, const Notification& n, std::optional<bool> read = std::nullopt);

/// Stores one notification for `user_id` unless the user is a bot, disabled or locked (Vikunja: ShouldNotify).
/// `subject_id` names what it is about (a comment, a task) so a mention is not notified twice.
asio::awaitable<void> notify(db::Tx& tx, std::int64_t user_id, std::string_view name, std::string payload_json,
                             std::int64_t subject_id, std::int64_t project_id);

// ---- The events Vikunja notifies (listeners.go); the doer never notifies themself.

/// task.assigned {doer, task, assignee, project} to the task's subscribers (the new assignee was just subscribed).
asio::awaitable<void> notify_task_assigned(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                           std::int64_t assignee_id);
/// task.comment {doer, task, comment, mentioned, project}: mentioned and quoted users with mentioned=true, then
/// the task's other subscribers with mentioned=false.
asio::awaitable<void> notify_task_comment(db::Tx& tx, const Doer& doer, const TaskComment& comment);
/// An edited comment notifies users it newly mentions (task.comment, mentioned=true).
asio::awaitable<void> notify_comment_mentions(db::Tx& tx, const Doer& doer, const TaskComment& comment);
/// task.mentioned {doer, task, is_new, project} to users the task's (stored) description mentions for the first
/// time.
asio::awaitable<void> notify_task_mentions(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                           std::string_view description, bool is_new);
/// task.deleted {doer, task} to the task's subscribers; call before the task is deleted.
asio::awaitable<void> notify_task_deleted(db::Tx& tx, const Doer& doer, std::int64_t task_id);
/// project.created {doer, project} to the subscribers of the projects above the new one.
asio::awaitable<void> notify_project_created(db::Tx& tx, const Doer& doer, const Project& project);
/// team.member.added {member, doer, team} to the added member unless they added themself; `team_json` is the
/// team as the API writes it.
asio::awaitable<void> notify_team_member_added(db::Tx& tx, const Doer& doer, std::int64_t member_id,
                                               std::string_view team_json);

// ---- The user's list (GET/POST /notifications).

/// One page of the caller's notifications, newest first, without those about projects they can no longer read;
/// and the number of all such (0 for a page past the end). limit 0 = all.
asio::awaitable<std::pair<std::vector<Notification>, std::int64_t>> list_notifications(db::Tx& tx, const Doer& doer,
                                                                                       std::int64_t limit,
                                                                                       std::int64_t offset);
/// The caller's notification `id` if they may still see it (nullopt otherwise, also for someone else's).
asio::awaitable<std::optional<Notification>> find_visible_notification(db::Tx& tx, const Doer& doer, std::int64_t id);
/// Marks it read now, or unread; updates `n.read_at`.
asio::awaitable<void> mark_notification(db::Tx& tx, Notification& n, bool read);
/// Marks all of the user's notifications read now.
asio::awaitable<void> mark_all_notifications_read(db::Tx& tx, std::int64_t user_id);

}  // namespace vicugna::models
