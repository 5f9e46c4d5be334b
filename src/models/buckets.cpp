// SPDX-License-Identifier: AGPL-3.0-or-later
// Kanban buckets (Vikunja: pkg/models/kanban.go, kanban_permissions.go).
#include "models/buckets.hpp"

#include "api/errors.hpp"
#include "models/project_views.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kBucketSelect =
    "SELECT b.id, b.title, b.project_view_id, b.\"limit\", b.position, b.created, b.updated, b.created_by_id, "
    "(SELECT COUNT(*) FROM task_buckets tb JOIN tasks t ON t.id = tb.task_id AND t.deleted_at IS NULL "
    " WHERE tb.bucket_id = b.id) AS task_count FROM buckets b ";
constexpr std::string_view kInsertBucket =
    "INSERT INTO buckets (title, project_view_id, \"limit\", position, created_by_id, created, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kSetBucketPosition = "UPDATE buckets SET position = ? WHERE id = ?";
constexpr std::string_view kUpdateBucket =
    "UPDATE buckets SET title = ?, \"limit\" = ?, position = ?, updated = ? WHERE id = ?";
constexpr std::string_view kCountViewBuckets = "SELECT COUNT(*) FROM buckets WHERE project_view_id = ?";
constexpr std::string_view kFirstOtherBucket =
    "SELECT id FROM buckets WHERE project_view_id = ? AND id <> ? ORDER BY position, id LIMIT 1";
constexpr std::string_view kSetViewBucketIds =
    "UPDATE project_views SET default_bucket_id = ?, done_bucket_id = ? WHERE id = ?";
// A task already in the target bucket keeps that row; the rest move over.
constexpr std::string_view kMoveBucketTasks = "UPDATE task_buckets SET bucket_id = ? WHERE bucket_id = ?";
constexpr std::string_view kDeleteBucketTasks = "DELETE FROM task_buckets WHERE bucket_id = ?";
constexpr std::string_view kDeleteBucket = "DELETE FROM buckets WHERE id = ?";

Bucket bucket_from_row(const db::Row& row) {
    Bucket b;
    b.id = row.get<std::int64_t>("id");
    b.title = row.get<std::string>("title");
    b.project_view_id = row.get<std::int64_t>("project_view_id");
    b.limit = row.get<std::int64_t>("limit");
    b.position = row.get<double>("position");
    b.created = row.get<Timestamp>("created");
    b.updated = row.get<Timestamp>("updated");
    b.created_by_id = row.get<std::int64_t>("created_by_id");
    b.count = row.get<std::int64_t>("task_count");
    return b;
}

asio::awaitable<void> attach_creators(db::Tx& tx, std::vector<Bucket>& buckets) {
    std::vector<std::int64_t> ids;
    for (const auto& b : buckets) ids.push_back(b.created_by_id);
    auto users = co_await load_public_users(tx, ids);
    for (auto& b : buckets) {
        if (auto it = users.find(b.created_by_id); it != users.end()) b.created_by = it->second;
    }
}

}  // namespace

void write_bucket(util::json::Writer& w, const Bucket& b) {
    w.start_object();
    w.key("id").integer(b.id);
    w.key("title").string(b.title);
    w.key("project_view_id").integer(b.project_view_id);
    if (b.tasks) w.key("tasks").raw(*b.tasks);
    w.key("limit").integer(b.limit);
    w.key("count").integer(b.count);
    w.key("position").number(b.position);
    w.key("created").time(b.created);
    w.key("updated").time(b.updated);
    w.key("created_by").start_object();
    write_user(w, b.created_by);
    w.end_object();
    w.end_object();
}

Bucket bucket_from_json(const util::json::Object& in) {
    Bucket b;
    b.title = in.string("title").value_or("");
    if (b.title.empty()) api::invalid_field("title", "non zero value required");
    b.limit = in.integer("limit").value_or(0);
    if (b.limit < 0) {
        api::invalid_field("limit", std::to_string(b.limit) + " does not validate as range(0|9223372036854775807)");
    }
    b.position = in.number("position").value_or(0);
    // Echoed verbatim (client-usage D.22): the web client replaces its column with the answer.
    // Go's omitempty drops an empty list.
    if (const auto* tasks = in.get("tasks"); tasks && tasks->IsArray() && !tasks->Empty()) {
        b.tasks = util::json::stringify(*tasks);
    }
    return b;
}

asio::awaitable<std::vector<Bucket>> buckets_of_view(db::Tx& tx, std::int64_t view_id) {
    static const std::string sql = std::string(kBucketSelect) + "WHERE b.project_view_id = ? ORDER BY b.position, b.id";
    std::vector<Bucket> buckets;
    for (auto row : co_await tx.query(sql, view_id)) buckets.push_back(bucket_from_row(row));
    co_await attach_creators(tx, buckets);
    co_return buckets;
}

asio::awaitable<std::optional<Bucket>> find_bucket(db::Tx& tx, std::int64_t bucket_id) {
    static const std::string sql = std::string(kBucketSelect) + "WHERE b.id = ?";
    auto rows = co_await tx.query(sql, bucket_id);
    if (rows.empty()) co_return std::nullopt;
    std::vector<Bucket> one{bucket_from_row(rows[0])};
    co_await attach_creators(tx, one);
    co_return one[0];
}

asio::awaitable<void> create_bucket(db::Tx& tx, const Doer& doer, Bucket& b) {
    b.created = b.updated = util::now();
    b.created_by_id = doer.id();
    auto rows = co_await tx.query(kInsertBucket, b.title, b.project_view_id, b.limit, b.position, b.created_by_id,
                                  b.created, b.updated);
    b.id = rows[0].get<std::int64_t>(0);
    if (b.position == 0) {
        b.position = static_cast<double>(b.id) * 65536;
        co_await tx.exec(kSetBucketPosition, b.position, b.id);
    }
    b.count = 0;
    std::vector<Bucket> one{b};
    co_await attach_creators(tx, one);
    b.created_by = one[0].created_by;
}

asio::awaitable<void> update_bucket(db::Tx& tx, Bucket& b) {
    auto now = util::now();
    co_await tx.exec(kUpdateBucket, b.title, b.limit, b.position, now, b.id);
    auto stored = co_await find_bucket(tx, b.id);
    auto tasks = std::move(b.tasks);
    b = *stored;
    b.tasks = std::move(tasks);
}

asio::awaitable<void> delete_bucket(db::Tx& tx, const Bucket& b, const ProjectView& view) {
    auto counted = co_await tx.query(kCountViewBuckets, view.id);
    auto total = counted[0].get<std::int64_t>(0);
    if (total <= 1) throw api::Error(api::ErrorCode::CannotRemoveLastBucket);

    std::int64_t default_id = view.default_bucket_id == b.id ? 0 : view.default_bucket_id;
    std::int64_t done_id = view.done_bucket_id == b.id ? 0 : view.done_bucket_id;
    if (default_id != view.default_bucket_id || done_id != view.done_bucket_id) {
        co_await tx.exec(kSetViewBucketIds, default_id, done_id, view.id);
    }
    // Vikunja falls back to the first bucket by position; never the one going away.
    std::int64_t target = default_id;
    if (target == 0) {
        auto first = co_await tx.query(kFirstOtherBucket, view.id, b.id);
        target = first[0].get<std::int64_t>(0);
    }
    co_await tx.exec(kMoveBucketTasks, target, b.id);
    co_await tx.exec(kDeleteBucketTasks, b.id);
    co_await tx.exec(kDeleteBucket, b.id);
}

}  // namespace vicugna::models
