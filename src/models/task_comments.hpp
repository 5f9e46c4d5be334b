// SPDX-License-Identifier: AGPL-3.0-or-later
/// Task comments (table `task_comments`) and the users-or-link-shares lookup their authors need.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/reactions.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

struct TaskComment {
    std::int64_t id = 0;
    std::int64_t task_id = 0;
    std::string comment;
    std::int64_t author_id = 0;  ///< negative for a link share (Vikunja's convention)
    User author;
    ReactionMap reactions;
    std::optional<Timestamp> created;  ///< nullable columns: unset is Vikunja's zero time
    std::optional<Timestamp> updated;
    bool newest_first = false;  ///< lists only: `order_by=desc`
};

/// The TaskComment object: id, comment, author, reactions (null when none), created, updated.
void write_task_comment(util::json::Writer& w, const TaskComment& comment);

/// Public users by id, where a negative id is link share -id shown as Vikunja's pseudo-user
/// ("<name> (Link Share)", username "link-share-<id>"). Unknown ids are absent.
asio::awaitable<std::map<std::int64_t, User>> load_users_or_link_shares(db::Tx& tx,
                                                                        const std::vector<std::int64_t>& ids);
/// The caller as a public user (a link share as its pseudo-user).
asio::awaitable<User> doer_as_user(db::Tx& tx, const Doer& doer);

/// The comment `id` of task `task_id` with its author and reactions. A comment of another task is not found:
/// reading comment A through task B's URL must fail (Vikunja's IDOR fix).
asio::awaitable<std::optional<TaskComment>> find_task_comment(db::Tx& tx, std::int64_t task_id, std::int64_t id);
/// Inserts the comment written by the caller (id, author, created, updated filled in) and notifies the users it
/// mentions or quotes and the task's subscribers (task.comment).
asio::awaitable<void> insert_task_comment(db::Tx& tx, const Doer& doer, TaskComment& comment);
/// Replaces the text, then reloads the comment and notifies users it newly mentions. Throws
/// TaskCommentDoesNotExist.
asio::awaitable<void> update_task_comment(db::Tx& tx, const Doer& doer, TaskComment& comment);
/// Deletes the comment and its reactions.
asio::awaitable<void> delete_task_comment(db::Tx& tx, const Doer& doer, std::int64_t task_id, std::int64_t id);
/// One page of a task's comments by creation time (then id), with authors and reactions; `search` matches the
/// text. Returns the page and the number of all matches. limit 0 = all.
asio::awaitable<std::pair<std::vector<TaskComment>, std::int64_t>> list_task_comments(
    db::Tx& tx, std::int64_t task_id, const std::string& search, bool newest_first, std::int64_t limit,
    std::int64_t offset);

}  // namespace vicugna::models
