// SPDX-License-Identifier: AGPL-3.0-or-later
/// The periodic jobs that raise the user-directed webhook events (Vikunja: task_reminder.go RegisterReminderCron,
/// task_overdue_reminder.go RegisterOverdueReminderCron; spec §5.1). Each call runs one minute of its job in the
/// caller's write transaction (models/periodic_jobs.hpp decides which process runs which minute). Events reach the
/// reminded user's own webhooks and those of the task's project chain (models/events.hpp); a job does nothing
/// more than one query when no webhook subscribes to its events.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string_view>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// Job names, rows of `periodic_jobs`.
inline constexpr std::string_view kTaskRemindersJob = "task_reminders";
inline constexpr std::string_view kOverdueRemindersJob = "overdue_reminders";

/// task.reminder.fired {task, user, project, reminder} for every reminder of an undone task whose time falls in
/// `minute`, to each of the task's creator, assignees and subscribers who is active and can read the task; once
/// per task and user, also when the task has several reminders in that minute.
asio::awaitable<void> fire_task_reminders(db::Tx& tx, std::int64_t minute);

/// For each active user whose overdue_tasks_reminders_time ("HH:MM" in their time zone, else
/// `default_timezone`) is `minute`: the undone tasks due before it, in unarchived projects the user can read,
/// that the user created, is assigned to or follows. One task.overdue {task, user, project} per task, then one
/// tasks.overdue {tasks, user, projects} with all of them (even just one), as Vikunja sends them.
asio::awaitable<void> fire_overdue_reminders(db::Tx& tx, std::int64_t minute, std::string_view default_timezone);

}  // namespace vicugna::models
