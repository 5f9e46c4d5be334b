// SPDX-License-Identifier: AGPL-3.0-or-later
// Where tasks sit in views: positions and kanban buckets (Vikunja: tasks.go setTasksInBucketInViews,
// moveTaskToDoneBuckets, moveTaskToDefaultBuckets; task_position.go; kanban_task_bucket.go updateTaskBucket).
#include "models/task_kanban.hpp"

#include "api/errors.hpp"
#include "models/access.hpp"
#include "models/buckets.hpp"
#include "models/events.hpp"
#include "models/project_views.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kViewsOfProject =
    "SELECT id, project_id, view_kind, bucket_configuration_mode, default_bucket_id, done_bucket_id"
    " FROM project_views WHERE project_id = ? ORDER BY position, id";
constexpr std::string_view kViewById =
    "SELECT id, project_id, view_kind, bucket_configuration_mode, default_bucket_id, done_bucket_id"
    " FROM project_views WHERE id = ?";
constexpr std::string_view kFirstBucket =
    "SELECT id FROM buckets WHERE project_view_id = ? ORDER BY position, id LIMIT 1";
constexpr std::string_view kUpsertBucket =
    "INSERT INTO task_buckets (task_id, project_view_id, bucket_id) VALUES (?, ?, ?)"
    " ON CONFLICT (task_id, project_view_id) DO UPDATE SET bucket_id = excluded.bucket_id";
constexpr std::string_view kUpsertPosition =
    "INSERT INTO task_positions (task_id, project_view_id, position) VALUES (?, ?, ?)"
    " ON CONFLICT (task_id, project_view_id) DO UPDATE SET position = excluded.position";
constexpr std::string_view kCurrentBucket =
    "SELECT bucket_id FROM task_buckets WHERE task_id = ? AND project_view_id = ?";
constexpr std::string_view kLowestPosition =
    "SELECT MIN(position) FROM task_positions WHERE project_view_id = ? AND task_id <> ?";
constexpr std::string_view kStoredPosition =
    "SELECT position FROM task_positions WHERE task_id = ? AND project_view_id = ?";
constexpr std::string_view kDeleteTaskPlacement[] = {"DELETE FROM task_buckets WHERE task_id = ?",
                                                     "DELETE FROM task_positions WHERE task_id = ?"};
// Every live task of the view's project, in the view's current order (tasks without a position last).
constexpr std::string_view kViewOrder =
    "SELECT t.id FROM tasks t LEFT JOIN task_positions tp ON tp.task_id = t.id AND tp.project_view_id = ?"
    " WHERE t.project_id = ? AND t.deleted_at IS NULL"
    " ORDER BY CASE WHEN tp.position IS NULL THEN 1 ELSE 0 END, tp.position, t.id";
constexpr std::string_view kPseudoViewOrder =
    "SELECT task_id FROM task_positions WHERE project_view_id = ? ORDER BY position, task_id";
constexpr std::string_view kDeleteViewPositions = "DELETE FROM task_positions WHERE project_view_id = ?";
constexpr std::string_view kSamePosition =
    "SELECT task_id FROM task_positions WHERE project_view_id = ? AND position = ? ORDER BY task_id";
constexpr std::string_view kLeftNeighbour =
    "SELECT MAX(position) FROM task_positions WHERE project_view_id = ? AND position < ?";
constexpr std::string_view kRightNeighbour =
    "SELECT MIN(position) FROM task_positions WHERE project_view_id = ? AND position > ?";
// A no-op write that takes the project row's lock on PostgreSQL, so position and bucket writes queue behind task
// creates in the same project (which lock it first) instead of deadlocking with them.
constexpr std::string_view kLockProject = "UPDATE projects SET id = id WHERE id = ?";
constexpr std::string_view kMarkDone = "UPDATE tasks SET done = ?, done_at = ? WHERE id = ?";
constexpr std::string_view kTaskDoneState = "SELECT done, repeat_after, repeat_mode, project_id FROM tasks WHERE id = ?";

constexpr double kMinPositionSpacing = 0.01;  // Vikunja: MinPositionSpacing
constexpr double kRecalculatedSpan = 4294967296.0;  // 2^32, spread evenly over the view

struct ViewRef {
    std::int64_t id = 0;
    std::int64_t project_id = 0;
    bool manual_kanban = false;
    std::int64_t default_bucket_id = 0;
    std::int64_t done_bucket_id = 0;
};

ViewRef view_from_row(const db::Row& row) {
    ViewRef v;
    v.id = row.get<std::int64_t>("id");
    v.project_id = row.get<std::int64_t>("project_id");
    v.manual_kanban = row.get<int>("view_kind") == static_cast<int>(ViewKind::Kanban) &&
                      row.get<int>("bucket_configuration_mode") == static_cast<int>(BucketMode::Manual);
    v.default_bucket_id = row.get<std::int64_t>("default_bucket_id");
    v.done_bucket_id = row.get<std::int64_t>("done_bucket_id");
    return v;
}

asio::awaitable<std::vector<ViewRef>> views_of(db::Tx& tx, std::int64_t project_id) {
    std::vector<ViewRef> views;
    for (auto row : co_await tx.query(kViewsOfProject, project_id)) views.push_back(view_from_row(row));
    co_return views;
}

// The view's default bucket, else its first bucket (Vikunja: getDefaultBucketID); 0 when it has none.
asio::awaitable<std::int64_t> default_bucket(db::Tx& tx, const ViewRef& view) {
    if (view.default_bucket_id != 0) co_return view.default_bucket_id;
    auto rows = co_await tx.query(kFirstBucket, view.id);
    co_return rows.empty() ? 0 : rows[0].get<std::int64_t>(0);
}

asio::awaitable<void> put_in_bucket(db::Tx& tx, std::int64_t task_id, std::int64_t view_id, std::int64_t bucket_id) {
    if (bucket_id == 0) co_return;
    co_await tx.exec(kUpsertBucket, task_id, view_id, bucket_id);
}

asio::awaitable<std::int64_t> current_bucket(db::Tx& tx, std::int64_t task_id, std::int64_t view_id) {
    auto rows = co_await tx.query(kCurrentBucket, task_id, view_id);
    co_return rows.empty() ? 0 : rows[0].get<std::int64_t>(0);
}

// Re-spaces every task of the view evenly over 2^32 in its current order (Vikunja: RecalculateTaskPositions).
asio::awaitable<void> recalculate_positions(db::Tx& tx, std::int64_t view_id, std::int64_t project_id) {
    db::Rows rows;
    if (project_id > 0) {
        rows = co_await tx.query(kViewOrder, view_id, project_id);
    } else {
        rows = co_await tx.query(kPseudoViewOrder, view_id);
    }
    co_await tx.exec(kDeleteViewPositions, view_id);
    auto n = static_cast<double>(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        double position = kRecalculatedSpan / n * static_cast<double>(i + 1);
        co_await tx.exec(kUpsertPosition, rows[i].get<std::int64_t>(0), view_id, position);
    }
}

// Tasks sharing one position are spread between their neighbours, or the whole view is re-spaced when the gap is
// too small (Vikunja: resolveTaskPositionConflicts).
asio::awaitable<void> resolve_conflicts(db::Tx& tx, std::int64_t view_id, std::int64_t project_id, double position) {
    auto same = co_await tx.query(kSamePosition, view_id, position);
    if (same.size() < 2) co_return;
    auto left = (co_await tx.query(kLeftNeighbour, view_id, position))[0].get<std::optional<double>>(0);
    auto right = (co_await tx.query(kRightNeighbour, view_id, position))[0].get<std::optional<double>>(0);
    double lower = left.value_or(0);
    double spacing = (right.value_or(kRecalculatedSpan) - lower) / static_cast<double>(same.size() + 1);
    if (spacing < kMinPositionSpacing) {
        co_await recalculate_positions(tx, view_id, project_id);
        co_return;
    }
    for (std::size_t i = 0; i < same.size(); ++i) {
        co_await tx.exec(kUpsertPosition, same[i].get<std::int64_t>(0), view_id,
                         lower + spacing * static_cast<double>(i + 1));
    }
}

// Half the lowest position of the view puts the task on top; an empty view starts at index × 2^16.
asio::awaitable<double> top_position(db::Tx& tx, const ViewRef& view, const Task& task) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto lowest = (co_await tx.query(kLowestPosition, view.id, task.id))[0].get<std::optional<double>>(0);
        if (!lowest) co_return static_cast<double>(task.index) * 65536;
        double step = *lowest / 2;
        if (step >= kMinPositionSpacing || attempt == 1) co_return step;
        co_await recalculate_positions(tx, view.id, view.project_id);
    }
    co_return 0;
}

asio::awaitable<void> place_in_views(db::Tx& tx, const Task& task, const std::vector<ViewRef>& views,
                                     std::int64_t provided_bucket, std::int64_t provided_view) {
    for (const auto& view : views) {
        if (view.manual_kanban) {
            std::int64_t bucket = 0;
            if (task.done && view.done_bucket_id != 0) {
                bucket = view.done_bucket_id;
            } else if (view.id == provided_view) {
                bucket = provided_bucket;
            } else {
                bucket = co_await default_bucket(tx, view);
            }
            co_await put_in_bucket(tx, task.id, view.id, bucket);
        }
        double position = task.position;
        if (position == 0) position = co_await top_position(tx, view, task);
        co_await tx.exec(kUpsertPosition, task.id, view.id, position);
        if (task.position != 0) co_await resolve_conflicts(tx, view.id, view.project_id, position);
    }
}

}  // namespace

asio::awaitable<void> place_new_task(db::Tx& tx, Task& task) {
    auto views = co_await views_of(tx, task.project_id);
    std::int64_t provided_view = 0;
    if (task.bucket_id != 0) {
        auto bucket = co_await find_bucket(tx, task.bucket_id);
        auto it = std::find_if(views.begin(), views.end(),
                               [&](const ViewRef& v) { return bucket && v.id == bucket->project_view_id; });
        if (!bucket || it == views.end()) throw api::Error(api::ErrorCode::BucketDoesNotExist);
        if (bucket->limit > 0 && bucket->count >= bucket->limit) throw api::Error(api::ErrorCode::BucketLimitExceeded);
        provided_view = it->id;
        if (it->done_bucket_id == task.bucket_id && !task.done) {
            task.done = true;
            task.done_at = util::now();
            co_await tx.exec(kMarkDone, true, task.done_at, task.id);
        }
    }
    co_await place_in_views(tx, task, views, task.bucket_id, provided_view);
}

asio::awaitable<void> reset_task_placement(db::Tx& tx, const Task& task) {
    for (auto sql : kDeleteTaskPlacement) co_await tx.exec(sql, task.id);
    auto views = co_await views_of(tx, task.project_id);
    Task placed = task;
    placed.position = 0;
    co_await place_in_views(tx, placed, views, 0, 0);
}

asio::awaitable<void> move_to_done_buckets(db::Tx& tx, const Task& task) {
    auto views = co_await views_of(tx, task.project_id);
    for (const auto& view : views) {
        if (!view.manual_kanban || view.done_bucket_id == 0) continue;
        if (task.done) {
            co_await put_in_bucket(tx, task.id, view.id, view.done_bucket_id);
            continue;
        }
        auto current = co_await current_bucket(tx, task.id, view.id);
        if (current != view.done_bucket_id) continue;
        auto fallback = co_await default_bucket(tx, view);
        co_await put_in_bucket(tx, task.id, view.id, fallback);
    }
}

asio::awaitable<void> move_to_default_buckets(db::Tx& tx, const Task& task) {
    auto views = co_await views_of(tx, task.project_id);
    for (const auto& view : views) {
        if (view.manual_kanban && view.default_bucket_id != 0) {
            co_await put_in_bucket(tx, task.id, view.id, view.default_bucket_id);
        }
    }
}

asio::awaitable<double> set_task_position(db::Tx& tx, const Doer& doer, std::int64_t task_id, std::int64_t view_id,
                                         double position) {
    auto rows = co_await tx.query(kViewById, view_id);
    auto state = co_await tx.query(kTaskDoneState, task_id);
    if (rows.empty()) throw api::Error(api::ErrorCode::ProjectViewDoesNotExist);
    auto view = view_from_row(rows[0]);
    // A task is positioned in its own project's views, or in a saved filter's views (which show many projects).
    if (state.empty() || (view.project_id > 0 && view.project_id != state[0].get<std::int64_t>("project_id"))) {
        throw api::Error(api::ErrorCode::ProjectViewDoesNotExist);
    }
    // A saved filter's view is its owner's alone: anyone else could re-space the owner's order (position < 0.01).
    if (view.project_id < 0) {
        auto filter = co_await project_access(tx, doer, view.project_id);
        if (!filter.can_read()) throw api::Error(api::ErrorCode::ProjectViewDoesNotExist);
    }
    co_await tx.exec(kLockProject, state[0].get<std::int64_t>("project_id"));
    co_await tx.exec(kUpsertPosition, task_id, view_id, position);
    if (position < kMinPositionSpacing) {
        co_await recalculate_positions(tx, view_id, view.project_id);
    } else {
        co_await resolve_conflicts(tx, view_id, view.project_id, position);
    }
    auto stored = co_await tx.query(kStoredPosition, task_id, view_id);
    bool done = state[0].get<bool>("done");
    co_await emit_task_updated(tx, doer, task_id, done);  // Vikunja sends task.updated for a position change too
    co_return stored.empty() ? position : stored[0].get<double>(0);
}

asio::awaitable<std::int64_t> move_task_to_bucket(db::Tx& tx, const Doer& doer, std::int64_t project_id,
                                                  std::int64_t view_id, std::int64_t bucket_id, std::int64_t task_id) {
    auto view_rows = co_await tx.query(kViewById, view_id);
    if (view_rows.empty() || view_rows[0].get<std::int64_t>("project_id") != project_id) {
        throw api::Error(api::ErrorCode::ProjectViewDoesNotExist);
    }
    auto view = view_from_row(view_rows[0]);
    // Locked before the bucket's task count is read, so two moves cannot both fill its last place.
    if (project_id > 0) co_await tx.exec(kLockProject, project_id);
    auto bucket = co_await find_bucket(tx, bucket_id);
    if (!bucket) throw api::Error(api::ErrorCode::BucketDoesNotExist);
    auto state = co_await tx.query(kTaskDoneState, task_id);
    if (state.empty()) throw api::Error(api::ErrorCode::TaskDoesNotExist);
    bool in_project = project_id < 0 || state[0].get<std::int64_t>("project_id") == project_id;
    if (bucket->project_view_id != view_id || !in_project) {
        throw api::Error(api::ErrorCode::BucketDoesNotBelongToProjectView);
    }
    auto old_bucket = co_await current_bucket(tx, task_id, view_id);
    if (old_bucket == bucket_id) co_return bucket_id;
    if (bucket->limit > 0 && bucket->count >= bucket->limit) throw api::Error(api::ErrorCode::BucketLimitExceeded);

    bool done = state[0].get<bool>("done");
    bool repeating = state[0].get<std::int64_t>("repeat_after") > 0 || state[0].get<int>("repeat_mode") == 1;
    std::int64_t target = bucket_id;
    std::optional<bool> new_done;
    if (view.done_bucket_id != 0 && bucket_id == view.done_bucket_id && !done) {
        new_done = true;
        // A repeating task does not stay in the done bucket: it advances and goes back to the default bucket.
        if (repeating) target = view.default_bucket_id != 0 ? view.default_bucket_id : old_bucket;
    } else if (view.done_bucket_id != 0 && old_bucket == view.done_bucket_id && done) {
        new_done = false;
    }
    if (new_done) {
        bool now_done = co_await set_done_by_bucket(tx, task_id, *new_done);
        if (now_done) {
            auto views = co_await views_of(tx, view.project_id);
            for (const auto& other : views) {
                if (other.id != view.id && other.manual_kanban && other.done_bucket_id != 0) {
                    co_await put_in_bucket(tx, task_id, other.id, other.done_bucket_id);
                }
            }
        }
    }
    if (target != old_bucket) co_await put_in_bucket(tx, task_id, view_id, target);
    co_await emit_task_updated(tx, doer, task_id, done);
    co_return target;
}

}  // namespace vicugna::models
