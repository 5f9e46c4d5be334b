// SPDX-License-Identifier: AGPL-3.0-or-later
// Project duplication (Vikunja: pkg/models/project_duplicate.go): the project, its tasks with everything that
// hangs off them, the views with buckets and placements, and optionally the shares.
#include <map>

#include "api/errors.hpp"
#include "models/buckets.hpp"
#include "models/favorites.hpp"
#include "models/project.hpp"
#include "models/task_attachments.hpp"
#include "util/crypto.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kSourceProject =
    "SELECT title, description, hex_color, is_archived, position FROM projects WHERE id = ?";
constexpr std::string_view kInsertCopy =
    "INSERT INTO projects (title, description, identifier, hex_color, owner_id, parent_project_id, is_archived, "
    "position, created, updated) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kSetPosition = "UPDATE projects SET position = ? WHERE id = ?";
constexpr std::string_view kSourceTasks =
    "SELECT id, cover_image_attachment_id FROM tasks WHERE project_id = ? AND deleted_at IS NULL ORDER BY id";
// A task copied column by column; a new uid, creator and timestamps (Vikunja: createTask on the loaded task).
constexpr std::string_view kCopyTask =
    "INSERT INTO tasks (title, description, done, done_at, due_date, project_id, repeat_after, repeat_mode, "
    "priority, start_date, end_date, hex_color, percent_done, \"index\", uid, cover_image_attachment_id, created, "
    "updated, created_by_id) "
    "SELECT title, description, done, done_at, due_date, ?, repeat_after, repeat_mode, priority, start_date, "
    "end_date, hex_color, percent_done, \"index\", ?, 0, ?, ?, ? FROM tasks WHERE id = ? RETURNING id";
constexpr std::string_view kSetCover = "UPDATE tasks SET cover_image_attachment_id = ? WHERE id = ?";
constexpr std::string_view kCopyReminders =
    "INSERT INTO task_reminders (task_id, reminder, created, relative_period, relative_to) "
    "SELECT ?, reminder, ?, relative_period, relative_to FROM task_reminders WHERE task_id = ?";
constexpr std::string_view kCopyLabels =
    "INSERT INTO label_tasks (task_id, label_id, created) SELECT ?, label_id, ? FROM label_tasks WHERE task_id = ?";
constexpr std::string_view kCopyComments =
    "INSERT INTO task_comments (comment, author_id, task_id, created, updated) "
    "SELECT comment, author_id, ?, ?, ? FROM task_comments WHERE task_id = ? ORDER BY id";
constexpr std::string_view kAssignees = "SELECT user_id FROM task_assignees WHERE task_id = ? ORDER BY id";
constexpr std::string_view kAddAssignee = "INSERT INTO task_assignees (task_id, user_id, created) VALUES (?, ?, ?)";
constexpr std::string_view kRelations =
    "SELECT task_id, other_task_id, relation_kind FROM task_relations WHERE task_id = ? ORDER BY id";
constexpr std::string_view kInsertRelation =
    "INSERT INTO task_relations (task_id, other_task_id, relation_kind, created_by_id, created) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kSourceViews =
    "SELECT id FROM project_views WHERE project_id = ? ORDER BY position, id";
constexpr std::string_view kSourceBuckets =
    "SELECT id, title, \"limit\", position FROM buckets WHERE project_view_id = ? ORDER BY position, id";
constexpr std::string_view kSetViewBuckets =
    "UPDATE project_views SET default_bucket_id = ?, done_bucket_id = ? WHERE id = ?";
constexpr std::string_view kTaskBuckets = "SELECT bucket_id, task_id FROM task_buckets WHERE project_view_id = ?";
constexpr std::string_view kInsertTaskBucket =
    "INSERT INTO task_buckets (bucket_id, task_id, project_view_id) VALUES (?, ?, ?)";
constexpr std::string_view kTaskPositions = "SELECT task_id, position FROM task_positions WHERE project_view_id = ?";
constexpr std::string_view kInsertTaskPosition =
    "INSERT INTO task_positions (task_id, project_view_id, position) VALUES (?, ?, ?)";
constexpr std::string_view kCopyUserShares =
    "INSERT INTO users_projects (user_id, project_id, permission, created, updated) "
    "SELECT user_id, ?, permission, ?, ? FROM users_projects WHERE project_id = ?";
constexpr std::string_view kCopyTeamShares =
    "INSERT INTO team_projects (team_id, project_id, permission, created, updated) "
    "SELECT team_id, ?, permission, ?, ? FROM team_projects WHERE project_id = ?";
constexpr std::string_view kLinkShares = "SELECT id FROM link_shares WHERE project_id = ? ORDER BY id";
constexpr std::string_view kCopyLinkShare =
    "INSERT INTO link_shares (hash, name, project_id, permission, sharing_type, password, shared_by_id, created, "
    "updated) SELECT ?, name, ?, permission, sharing_type, password, shared_by_id, ?, ? FROM link_shares WHERE id = ?";

using IdMap = std::map<std::int64_t, std::int64_t>;

std::int64_t mapped(const IdMap& map, std::int64_t id) {
    auto it = map.find(id);
    return it == map.end() ? 0 : it->second;
}

// Assignees are kept only when they can still see the copy (Vikunja: addNewAssigneeByID skips the others).
asio::awaitable<void> copy_assignees(db::Tx& tx, std::int64_t from, std::int64_t to, std::int64_t project_id) {
    auto rows = co_await tx.query(kAssignees, from);
    for (auto row : rows) {
        Doer assignee;
        assignee.user_id = row.get<std::int64_t>(0);
        auto access = co_await project_access(tx, assignee, project_id);
        if (access.can_read()) co_await tx.exec(kAddAssignee, to, assignee.user_id, util::now());
    }
}

asio::awaitable<IdMap> copy_tasks(db::Tx& tx, const FileStore& files, const Doer& doer, std::int64_t from_project,
                                  std::int64_t to_project) {
    IdMap tasks;
    auto now = util::now();
    auto source = co_await tx.query(kSourceTasks, from_project);
    for (auto row : source) {
        auto old_id = row.get<std::int64_t>("id");
        auto cover = row.get<std::int64_t>("cover_image_attachment_id");
        auto uid = util::uuid_v4();
        auto inserted = co_await tx.query(kCopyTask, to_project, uid, now, now, doer.id(), old_id);
        auto new_id = inserted[0].get<std::int64_t>(0);
        tasks[old_id] = new_id;
        co_await tx.exec(kCopyReminders, new_id, now, old_id);
        co_await tx.exec(kCopyLabels, new_id, now, old_id);
        co_await tx.exec(kCopyComments, new_id, now, now, old_id);
        co_await copy_assignees(tx, old_id, new_id, to_project);
        auto attachments = co_await copy_attachments(tx, files, doer, old_id, new_id);
        if (cover != 0 && attachments.count(cover)) co_await tx.exec(kSetCover, attachments[cover], new_id);
        if (!doer.is_link_share()) {
            bool favorite = co_await is_favorite(tx, doer, FavoriteKind::Task, old_id);
            if (favorite) co_await set_favorite(tx, doer, FavoriteKind::Task, new_id, true);
        }
    }
    // Relations between copied tasks only.
    for (const auto& [old_id, new_id] : tasks) {
        auto relations = co_await tx.query(kRelations, old_id);
        for (auto rel : relations) {
            auto other = mapped(tasks, rel.get<std::int64_t>("other_task_id"));
            if (other == 0) continue;
            co_await tx.exec(kInsertRelation, new_id, other, rel.get<std::string>("relation_kind"), doer.id(), now);
        }
    }
    co_return tasks;
}

asio::awaitable<void> copy_views(db::Tx& tx, const Doer& doer, std::int64_t from_project, std::int64_t to_project,
                                 const IdMap& tasks) {
    auto source = co_await tx.query(kSourceViews, from_project);
    for (auto row : source) {
        auto old_view = co_await find_view(tx, from_project, row.get<std::int64_t>(0));
        ProjectView view = *old_view;
        view.project_id = to_project;
        co_await create_view_copy(tx, view);
        IdMap buckets;
        auto old_buckets = co_await tx.query(kSourceBuckets, old_view->id);
        for (auto b : old_buckets) {
            Bucket copy;
            copy.title = b.get<std::string>("title");
            copy.limit = b.get<std::int64_t>("limit");
            copy.position = b.get<double>("position");
            copy.project_view_id = view.id;
            co_await create_bucket(tx, doer, copy);
            buckets[b.get<std::int64_t>("id")] = copy.id;
        }
        auto default_id = mapped(buckets, old_view->default_bucket_id);
        auto done_id = mapped(buckets, old_view->done_bucket_id);
        if (default_id != 0 || done_id != 0) co_await tx.exec(kSetViewBuckets, default_id, done_id, view.id);
        auto placements = co_await tx.query(kTaskBuckets, old_view->id);
        for (auto tb : placements) {
            auto bucket = mapped(buckets, tb.get<std::int64_t>("bucket_id"));
            auto task = mapped(tasks, tb.get<std::int64_t>("task_id"));
            if (bucket != 0 && task != 0) co_await tx.exec(kInsertTaskBucket, bucket, task, view.id);
        }
        auto positions = co_await tx.query(kTaskPositions, old_view->id);
        for (auto tp : positions) {
            auto task = mapped(tasks, tp.get<std::int64_t>("task_id"));
            if (task != 0) co_await tx.exec(kInsertTaskPosition, task, view.id, tp.get<double>("position"));
        }
    }
}

asio::awaitable<void> copy_shares(db::Tx& tx, std::int64_t from_project, std::int64_t to_project) {
    auto now = util::now();
    co_await tx.exec(kCopyUserShares, to_project, now, now, from_project);
    co_await tx.exec(kCopyTeamShares, to_project, now, now, from_project);
    auto shares = co_await tx.query(kLinkShares, from_project);
    for (auto row : shares) {
        auto hash = util::random_alnum(40);
        co_await tx.exec(kCopyLinkShare, hash, to_project, now, now, row.get<std::int64_t>(0));
    }
}

}  // namespace

asio::awaitable<bool> can_duplicate_project(db::Tx& tx, const Doer& doer, std::int64_t source_id,
                                            std::int64_t parent_id) {
    // Pseudo-projects have nothing to copy.
    if (source_id < 0 || doer.is_link_share()) co_return false;
    auto source = co_await project_access(tx, doer, source_id);
    if (!source.exists) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    if (!source.can_read()) co_return false;
    if (parent_id == 0) co_return true;
    if (parent_id < 0) co_return false;
    auto parent = co_await project_access(tx, doer, parent_id);
    if (!parent.exists) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    if (parent.archived) throw api::Error(api::ErrorCode::ProjectIsArchived);
    co_return parent.can_write();
}

asio::awaitable<Project> duplicate_project(db::Tx& tx, const FileStore& files, const Doer& doer,
                                           std::int64_t source_id, std::int64_t parent_id, bool duplicate_shares) {
    auto rows = co_await tx.query(kSourceProject, source_id);
    auto src = rows[0];
    auto now = util::now();
    auto position = src.get<double>("position");
    auto inserted = co_await tx.query(kInsertCopy, src.get<std::string>("title") + " - duplicate",
                                      src.get<std::string>("description"), src.get<std::string>("hex_color"),
                                      doer.user_id, parent_id, src.get<bool>("is_archived"), position, now, now);
    auto id = inserted[0].get<std::int64_t>(0);
    if (position == 0) co_await tx.exec(kSetPosition, static_cast<double>(id) * 65536, id);

    auto tasks = co_await copy_tasks(tx, files, doer, source_id, id);
    co_await copy_views(tx, doer, source_id, id, tasks);
    if (duplicate_shares) co_await copy_shares(tx, source_id, id);
    auto loaded = co_await load_project(tx, doer, id);
    co_return std::move(*loaded);
}

}  // namespace vicugna::models
