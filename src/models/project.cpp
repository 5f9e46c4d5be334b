// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/project.hpp"

#include "util/json.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kInsertProject =
    "INSERT INTO projects (title, description, identifier, hex_color, owner_id, parent_project_id, is_archived, "
    "position, created, updated) VALUES (?, '', '', '', ?, 0, FALSE, 0, ?, ?) RETURNING id";
constexpr std::string_view kSetProjectPosition = "UPDATE projects SET position = ? WHERE id = ?";
constexpr std::string_view kInsertView =
    "INSERT INTO project_views (title, project_id, view_kind, \"filter\", position, bucket_configuration_mode, "
    "default_bucket_id, done_bucket_id, created, updated) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?) RETURNING id";
constexpr std::string_view kInsertBucket =
    "INSERT INTO buckets (title, project_view_id, \"limit\", position, created_by_id, created, updated) "
    "VALUES (?, ?, 0, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kSetKanbanBuckets = "UPDATE project_views SET default_bucket_id = ?, done_bucket_id = ? WHERE id = ?";
constexpr std::string_view kInsertSavedFilter =
    "INSERT INTO saved_filters (filters, title, description, owner_id, is_favorite, created, updated) "
    "VALUES (?, ?, '', ?, FALSE, ?, ?)";

// Vikunja's enums: view_kind list 0, gantt 1, table 2, kanban 3; bucket mode none 0, manual 1.
enum ViewKind { kList = 0, kGantt = 1, kTable = 2, kKanban = 3 };
enum BucketMode { kNone = 0, kManual = 1 };

}  // namespace

asio::awaitable<std::int64_t> create_project_with_defaults(db::Tx& tx, std::int64_t owner_id, const std::string& title) {
    auto now = util::now();
    auto id = (co_await tx.query(kInsertProject, title, owner_id, now, now))[0].get<std::int64_t>(0);
    // Vikunja positions new projects by id so they keep creation order.
    co_await tx.exec(kSetProjectPosition, static_cast<double>(id) * 65536, id);

    auto add_view = [&](const char* view_title, int kind, db::Value filter, double position,
                        int mode) -> asio::awaitable<std::int64_t> {
        auto rows = co_await tx.query(kInsertView, view_title, id, kind, filter, position, mode, now, now);
        co_return rows[0].get<std::int64_t>(0);
    };
    co_await add_view("List", kList, std::string(R"({"filter":"done = false"})"), 100, kNone);
    co_await add_view("Gantt", kGantt, db::Value{}, 200, kNone);
    co_await add_view("Table", kTable, db::Value{}, 300, kNone);
    auto kanban = co_await add_view("Kanban", kKanban, db::Value{}, 400, kManual);

    std::int64_t bucket_ids[3];
    const char* bucket_titles[3] = {"To-Do", "Doing", "Done"};
    for (int i = 0; i < 3; ++i) {
        auto rows = co_await tx.query(kInsertBucket, bucket_titles[i], kanban, 100.0 * (i + 1), owner_id, now, now);
        bucket_ids[i] = rows[0].get<std::int64_t>(0);
    }
    co_await tx.exec(kSetKanbanBuckets, bucket_ids[0], bucket_ids[2], kanban);
    co_return id;
}

asio::awaitable<void> create_my_open_tasks_filter(db::Tx& tx, std::int64_t owner_id, const std::string& username) {
    util::json::Writer w;
    w.start_object().key("filter").string("done = false && assignees = " + username);
    w.key("filter_include_nulls").boolean(false).end_object();
    auto now = util::now();
    co_await tx.exec(kInsertSavedFilter, w.take(), "My Open Tasks", owner_id, now, now);
}

}  // namespace vicugna::models
