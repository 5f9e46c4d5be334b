// SPDX-License-Identifier: AGPL-3.0-or-later
// Saved filters (Vikunja: pkg/models/saved_filters.go, saved_filters_permissions.go).
#include "models/saved_filters.hpp"

#include <set>

#include "api/errors.hpp"
#include "models/project.hpp"
#include "models/project_views.hpp"
#include "models/task_collection.hpp"
#include "models/task_filter.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO saved_filters (filters, title, description, owner_id, is_favorite, created, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kSelect =
    "SELECT id, filters, title, description, owner_id, is_favorite, created, updated FROM saved_filters WHERE id = ?";
constexpr std::string_view kOwner = "SELECT owner_id FROM saved_filters WHERE id = ?";
constexpr std::string_view kUpdate =
    "UPDATE saved_filters SET title = ?, description = ?, filters = ?, is_favorite = ?, updated = ? WHERE id = ?";
constexpr std::string_view kDelete = "DELETE FROM saved_filters WHERE id = ?";
constexpr std::string_view kViewsOfProject = "SELECT id FROM project_views WHERE project_id = ?";
// Vikunja's enums: view_kind 3 = kanban, bucket_configuration_mode 1 = manual.
constexpr std::string_view kManualKanbanViews =
    "SELECT id, default_bucket_id FROM project_views WHERE project_id = ? AND view_kind = 3 "
    "AND bucket_configuration_mode = 1";
constexpr std::string_view kTasksInView = "SELECT task_id FROM task_buckets WHERE project_view_id = ?";
constexpr std::string_view kPutInBucket =
    "INSERT INTO task_buckets (bucket_id, task_id, project_view_id) VALUES (?, ?, ?)";

/// Vikunja parses the filter string on create and update so a broken filter is refused up front.
void check_filter_string(const std::string& filters_json, const std::string& default_timezone) {
    rapidjson::Document doc;
    doc.Parse(filters_json.data(), filters_json.size());
    if (doc.HasParseError() || !doc.IsObject()) return;
    auto filter = util::json::Object(&doc).string("filter").value_or("");
    task_filter::parse(filter, "", default_timezone, util::now());
}

asio::awaitable<void> load_owner(db::Tx& tx, SavedFilter& f) {
    std::vector<std::int64_t> ids{f.owner_id};
    auto users = co_await load_public_users(tx, ids);
    if (auto it = users.find(f.owner_id); it != users.end()) f.owner = it->second;
}

/// Vikunja puts every task the filter matches into the default bucket of the filter's manual kanban views when
/// the filter is created or updated, so the board shows them (tasks already on the board stay where they are).
asio::awaitable<void> fill_kanban_views(db::Tx& tx, const db::Dialect& dialect, const Doer& doer,
                                        const SavedFilter& f, const std::string& default_timezone) {
    auto views = co_await tx.query(kManualKanbanViews, project_id_of_saved_filter(f.id));
    if (views.empty()) co_return;
    TaskListParams params;
    params.project_id = project_id_of_saved_filter(f.id);
    auto matching = co_await list_tasks(tx, dialect, doer, std::move(params), default_timezone);
    for (auto view : views) {
        auto view_id = view.get<std::int64_t>("id");
        auto bucket_id = view.get<std::int64_t>("default_bucket_id");
        if (bucket_id == 0) continue;
        std::set<std::int64_t> placed;
        for (auto row : co_await tx.query(kTasksInView, view_id)) placed.insert(row.get<std::int64_t>(0));
        for (const auto& task : matching.tasks) {
            if (!placed.count(task.id)) co_await tx.exec(kPutInBucket, bucket_id, task.id, view_id);
        }
    }
}

}  // namespace

void write_saved_filter(util::json::Writer& w, const SavedFilter& f) {
    w.start_object();
    w.key("id").integer(f.id);
    w.key("filters").raw(f.filters);
    w.key("title").string(f.title);
    w.key("description").string(f.description);
    w.key("owner").start_object();
    write_user(w, f.owner);
    w.end_object();
    w.key("is_favorite").boolean(f.is_favorite);
    w.key("created").time(f.created);
    w.key("updated").time(f.updated);
    w.end_object();
}

SavedFilter saved_filter_from_json(const util::json::Object& in) {
    SavedFilter f;
    f.title = in.string("title").value_or("");
    f.description = in.string("description").value_or("");
    f.is_favorite = in.boolean("is_favorite").value_or(false);
    const auto* filters = in.get("filters");
    if (filters && !filters->IsNull()) {
        if (!filters->IsObject()) throw util::json::BadInput("field filters must be an object");
        f.filters = normalize_task_collection(*filters);
    }
    check_length("title", f.title, 1, 250);
    if (f.filters.empty()) api::invalid_field("filters", "non zero value required");
    return f;
}

asio::awaitable<bool> can_use_saved_filter(db::Tx& tx, const Doer& doer, std::int64_t filter_id) {
    if (doer.is_link_share()) throw api::Error(api::ErrorCode::SavedFilterNotAvailableForLinkShare);
    auto rows = co_await tx.query(kOwner, filter_id);
    if (rows.empty()) throw api::Error(api::ErrorCode::SavedFilterDoesNotExist);
    co_return rows[0].get<std::int64_t>(0) == doer.user_id;
}

asio::awaitable<void> create_saved_filter(db::Tx& tx, const db::Dialect& dialect, const Doer& doer, SavedFilter& f,
                                          const std::string& default_timezone) {
    check_filter_string(f.filters, default_timezone);
    f.owner_id = doer.user_id;
    f.created = f.updated = util::now();
    auto rows = co_await tx.query(kInsert, f.filters, f.title, f.description, f.owner_id, f.is_favorite, f.created,
                                  f.updated);
    f.id = rows[0].get<std::int64_t>(0);
    // Vikunja: CreateDefaultViewsForProject(…, createBacklogBucket=true, createDefaultListFilter=false).
    co_await create_default_views(tx, doer, project_id_of_saved_filter(f.id), false);
    co_await fill_kanban_views(tx, dialect, doer, f, default_timezone);
    co_await load_owner(tx, f);
}

asio::awaitable<std::optional<SavedFilter>> load_saved_filter(db::Tx& tx, std::int64_t filter_id) {
    auto rows = co_await tx.query(kSelect, filter_id);
    if (rows.empty()) co_return std::nullopt;
    auto row = rows[0];
    SavedFilter f;
    f.id = row.get<std::int64_t>("id");
    f.filters = normalize_task_collection_text(row.get<std::string>("filters"));
    f.title = row.get<std::string>("title");
    f.description = row.get<std::string>("description");
    f.owner_id = row.get<std::int64_t>("owner_id");
    f.is_favorite = row.get<bool>("is_favorite");
    f.created = row.get<Timestamp>("created");
    f.updated = row.get<Timestamp>("updated");
    co_await load_owner(tx, f);
    co_return f;
}

asio::awaitable<void> update_saved_filter(db::Tx& tx, const db::Dialect& dialect, const Doer& doer, SavedFilter& f,
                                          const std::string& default_timezone) {
    check_filter_string(f.filters, default_timezone);
    co_await tx.exec(kUpdate, f.title, f.description, f.filters, f.is_favorite, util::now(), f.id);
    co_await fill_kanban_views(tx, dialect, doer, f, default_timezone);
    auto stored = co_await load_saved_filter(tx, f.id);
    if (!stored) throw api::Error(api::ErrorCode::SavedFilterDoesNotExist);
    f = std::move(*stored);
}

asio::awaitable<void> delete_saved_filter(db::Tx& tx, std::int64_t filter_id) {
    // Vikunja leaves the views behind; nothing can reach them once the filter is gone, so they go too.
    auto views = co_await tx.query(kViewsOfProject, project_id_of_saved_filter(filter_id));
    for (auto row : views) co_await delete_view(tx, row.get<std::int64_t>(0));
    co_await tx.exec(kDelete, filter_id);
}

}  // namespace vicugna::models
