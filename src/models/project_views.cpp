// SPDX-License-Identifier: AGPL-3.0-or-later
// Project views (Vikunja: pkg/models/project_view.go, project_view_permissions.go).
#include "models/project_views.hpp"

#include "api/errors.hpp"
#include "models/buckets.hpp"
#include "models/task_filter.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kViewColumns =
    "id, title, project_id, view_kind, \"filter\", position, bucket_configuration_mode, bucket_configuration, "
    "default_bucket_id, done_bucket_id, created, updated";
constexpr std::string_view kInsertView =
    "INSERT INTO project_views (title, project_id, view_kind, \"filter\", position, bucket_configuration_mode, "
    "bucket_configuration, default_bucket_id, done_bucket_id, created, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?) RETURNING id";
constexpr std::string_view kSetViewPosition = "UPDATE project_views SET position = ? WHERE id = ?";
constexpr std::string_view kSetBucketIds =
    "UPDATE project_views SET default_bucket_id = ?, done_bucket_id = ? WHERE id = ?";
constexpr std::string_view kUpdateView =
    "UPDATE project_views SET title = ?, view_kind = ?, \"filter\" = ?, position = ?, bucket_configuration_mode = ?, "
    "bucket_configuration = ?, updated = ? WHERE id = ?";
constexpr std::string_view kBucketView = "SELECT project_view_id FROM buckets WHERE id = ?";
constexpr std::string_view kViewHasBuckets = "SELECT id FROM buckets WHERE project_view_id = ? ORDER BY position, id";
constexpr std::string_view kDeleteViewBuckets = "DELETE FROM buckets WHERE project_view_id = ?";
constexpr std::string_view kDeleteViewTaskBuckets = "DELETE FROM task_buckets WHERE project_view_id = ?";
constexpr std::string_view kDeleteViewPositions = "DELETE FROM task_positions WHERE project_view_id = ?";
constexpr std::string_view kDeleteView = "DELETE FROM project_views WHERE id = ?";
// Every live task of the project that has no bucket in this view yet (Vikunja: addTasksToView).
constexpr std::string_view kAddTasksToBucket =
    "INSERT INTO task_buckets (bucket_id, task_id, project_view_id) "
    "SELECT ?, t.id, ? FROM tasks t WHERE t.project_id = ? AND t.deleted_at IS NULL "
    "AND t.id NOT IN (SELECT tb.task_id FROM task_buckets tb WHERE tb.project_view_id = ?)";

constexpr std::string_view kProjectTasks =
    "SELECT id FROM tasks WHERE project_id = ? AND deleted_at IS NULL ORDER BY id";
constexpr std::string_view kInsertPosition =
    "INSERT INTO task_positions (task_id, project_view_id, position) VALUES (?, ?, ?)";

const char* kind_name(ViewKind k) {
    switch (k) {
        case ViewKind::List: return "list";
        case ViewKind::Gantt: return "gantt";
        case ViewKind::Table: return "table";
        case ViewKind::Kanban: return "kanban";
    }
    return "list";
}

const char* mode_name(BucketMode m) {
    switch (m) {
        case BucketMode::None: return "none";
        case BucketMode::Manual: return "manual";
        case BucketMode::Filter: return "filter";
    }
    return "none";
}

ViewKind parse_kind(const std::string& s) {
    if (s == "list") return ViewKind::List;
    if (s == "gantt") return ViewKind::Gantt;
    if (s == "table") return ViewKind::Table;
    if (s == "kanban") return ViewKind::Kanban;
    throw util::json::BadInput("unknown project view kind: " + s);
}

BucketMode parse_mode(const std::string& s) {
    if (s == "none") return BucketMode::None;
    if (s == "manual") return BucketMode::Manual;
    if (s == "filter") return BucketMode::Filter;
    throw util::json::BadInput("unknown bucket configuration mode kind: " + s);
}

void write_string_list(util::json::Writer& w, const rapidjson::Value* v, const char* key) {
    w.key(key);
    if (!v || v->IsNull()) {
        w.null();
        return;
    }
    if (!v->IsArray()) throw util::json::BadInput(std::string("field ") + key + " must be an array");
    w.start_array();
    for (const auto& item : v->GetArray()) {
        if (!item.IsString()) throw util::json::BadInput(std::string("field ") + key + " must hold strings");
        w.string(std::string_view(item.GetString(), item.GetStringLength()));
    }
    w.end_array();
}

// [{title, filter}] in Vikunja's shape; null stays "".
std::string normalize_bucket_configuration(const rapidjson::Value* v) {
    if (!v || v->IsNull()) return {};
    if (!v->IsArray()) throw util::json::BadInput("field bucket_configuration must be an array");
    util::json::Writer w;
    w.start_array();
    for (const auto& item : v->GetArray()) {
        if (item.IsNull()) {
            w.null();
            continue;
        }
        if (!item.IsObject()) throw util::json::BadInput("field bucket_configuration must hold objects");
        util::json::Object o(&item);
        w.start_object().key("title").string(o.string("title").value_or(""));
        w.key("filter");
        if (const auto* f = o.get("filter")) {
            w.raw(normalize_task_collection(*f));
        } else {
            w.null();
        }
        w.end_object();
    }
    w.end_array();
    return w.take();
}

ProjectView view_from_row(const db::Row& row) {
    ProjectView v;
    v.id = row.get<std::int64_t>("id");
    v.title = row.get<std::string>("title");
    v.project_id = row.get<std::int64_t>("project_id");
    v.view_kind = static_cast<ViewKind>(row.get<int>("view_kind"));
    v.filter = normalize_task_collection_text(row.get<std::string>("filter"));
    v.position = row.get<double>("position");
    v.bucket_configuration_mode = static_cast<BucketMode>(row.get<int>("bucket_configuration_mode"));
    v.bucket_configuration = row.get<std::string>("bucket_configuration");
    if (v.bucket_configuration == "null") v.bucket_configuration.clear();
    v.default_bucket_id = row.get<std::int64_t>("default_bucket_id");
    v.done_bucket_id = row.get<std::int64_t>("done_bucket_id");
    v.created = row.get<Timestamp>("created");
    v.updated = row.get<Timestamp>("updated");
    return v;
}

db::Value text_or_null(const std::string& s) { return s.empty() ? db::Value{} : db::Value{s}; }

// Vikunja: non-kanban views have no buckets; kanban defaults to manual.
void normalize_mode(ProjectView& v) {
    if (v.view_kind != ViewKind::Kanban) {
        v.bucket_configuration_mode = BucketMode::None;
    } else if (v.bucket_configuration_mode == BucketMode::None) {
        v.bucket_configuration_mode = BucketMode::Manual;
    }
}

// A bucket id sent for the view: its own bucket is kept; an unknown bucket, or the stored value echoed
// back, reads as 0; a bucket of another view is 10002 (Vikunja: resolveBucketID).
asio::awaitable<std::int64_t> resolve_bucket_id(db::Tx& tx, std::int64_t view_id, std::int64_t incoming,
                                                std::int64_t stored) {
    if (incoming == 0) co_return 0;
    auto rows = co_await tx.query(kBucketView, incoming);
    if (!rows.empty() && rows[0].get<std::int64_t>(0) == view_id) co_return incoming;
    if (rows.empty() || incoming == stored) co_return 0;
    throw api::Error(api::ErrorCode::BucketDoesNotBelongToProjectView);
}

asio::awaitable<std::int64_t> existing_bucket_of_view(db::Tx& tx, std::int64_t view_id, std::int64_t bucket_id) {
    if (bucket_id == 0) co_return 0;
    auto rows = co_await tx.query(kBucketView, bucket_id);
    if (rows.empty() || rows[0].get<std::int64_t>(0) != view_id) co_return 0;
    co_return bucket_id;
}

// A view that just became a manual kanban board gets buckets (new or healed ids) and the project's tasks.
asio::awaitable<void> sync_manual_kanban(db::Tx& tx, const Doer& doer, ProjectView& v, const ProjectView& old) {
    bool became_manual = v.view_kind == ViewKind::Kanban && v.bucket_configuration_mode == BucketMode::Manual &&
                         (old.view_kind != ViewKind::Kanban || old.bucket_configuration_mode != BucketMode::Manual);
    if (!became_manual) co_return;
    auto buckets = co_await tx.query(kViewHasBuckets, v.id);
    if (buckets.empty()) {
        co_await create_default_buckets(tx, doer, v, true);
        co_return;
    }
    if (v.default_bucket_id == 0) v.default_bucket_id = co_await existing_bucket_of_view(tx, v.id, old.default_bucket_id);
    if (v.default_bucket_id == 0) v.default_bucket_id = buckets[0].get<std::int64_t>(0);
    if (v.done_bucket_id == 0) v.done_bucket_id = co_await existing_bucket_of_view(tx, v.id, old.done_bucket_id);
    co_await tx.exec(kSetBucketIds, v.default_bucket_id, v.done_bucket_id, v.id);
    if (v.project_id > 0) co_await tx.exec(kAddTasksToBucket, v.default_bucket_id, v.id, v.project_id, v.id);
}

// A new view of a real project gives the existing tasks evenly spread positions in id order
// (Vikunja: RecalculateTaskPositions right after createProjectView).
asio::awaitable<void> spread_positions(db::Tx& tx, const ProjectView& v) {
    if (v.project_id <= 0) co_return;
    auto tasks = co_await tx.query(kProjectTasks, v.project_id);
    const double max = 4294967296.0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        double position = max / static_cast<double>(tasks.size()) * static_cast<double>(i + 1);
        co_await tx.exec(kInsertPosition, tasks[i].get<std::int64_t>(0), v.id, position);
    }
}

}  // namespace

void check_length(const char* field, const std::string& value, std::size_t min, std::size_t max) {
    std::size_t runes = 0;
    for (unsigned char c : value) runes += (c & 0xC0) != 0x80;
    if (runes == 0 && min > 0) api::invalid_field(field, "non zero value required");
    if (runes < min || runes > max) {
        api::invalid_field(field, value + " does not validate as runelength(" + std::to_string(min) + "|" +
                                      std::to_string(max) + ")");
    }
}

std::string normalize_task_collection(const rapidjson::Value& v) {
    if (!v.IsObject()) throw util::json::BadInput("field filter must be an object");
    util::json::Object o(&v);
    util::json::Writer w;
    w.start_object();
    w.key("s").string(o.string("s").value_or(""));
    write_string_list(w, o.get("sort_by"), "sort_by");
    write_string_list(w, o.get("order_by"), "order_by");
    w.key("filter").string(o.string("filter").value_or(""));
    w.key("filter_include_nulls").boolean(o.boolean("filter_include_nulls").value_or(false));
    w.end_object();
    return w.take();
}

std::string normalize_task_collection_text(const std::string& stored) {
    if (stored.empty() || stored == "null") return {};
    rapidjson::Document doc;
    doc.Parse(stored.data(), stored.size());
    if (doc.HasParseError() || !doc.IsObject()) return {};
    try {
        return normalize_task_collection(doc);
    } catch (const util::json::BadInput&) {
        return {};
    }
}

void validate_view_filters(const ProjectView& v, std::string_view default_timezone) {
    auto check = [&](const std::string& collection) {
        if (collection.empty()) return;
        rapidjson::Document doc;
        doc.Parse(collection.data(), collection.size());
        if (doc.HasParseError() || !doc.IsObject()) return;
        auto filter = util::json::Object(&doc).string("filter").value_or("");
        if (!filter.empty()) task_filter::parse(filter, "", default_timezone, util::now());
    };
    check(v.filter);
    if (v.bucket_configuration_mode != BucketMode::Filter || v.bucket_configuration.empty()) return;
    rapidjson::Document doc;
    doc.Parse(v.bucket_configuration.data(), v.bucket_configuration.size());
    if (doc.HasParseError() || !doc.IsArray()) return;
    for (const auto& item : doc.GetArray()) {
        if (!item.IsObject()) continue;
        auto it = item.FindMember("filter");
        if (it != item.MemberEnd() && it->value.IsObject()) check(util::json::stringify(it->value));
    }
}

void write_view(util::json::Writer& w, const ProjectView& v) {
    w.start_object();
    w.key("id").integer(v.id);
    w.key("title").string(v.title);
    w.key("project_id").integer(v.project_id);
    w.key("view_kind").string(kind_name(v.view_kind));
    w.key("filter").raw(v.filter);
    w.key("position").number(v.position);
    w.key("bucket_configuration_mode").string(mode_name(v.bucket_configuration_mode));
    w.key("bucket_configuration");
    if (v.bucket_configuration.empty()) {
        w.null();
    } else {
        w.raw(v.bucket_configuration);
    }
    w.key("default_bucket_id").integer(v.default_bucket_id);
    w.key("done_bucket_id").integer(v.done_bucket_id);
    w.key("updated").time(v.updated);
    w.key("created").time(v.created);
    w.end_object();
}

ProjectView view_from_json(const util::json::Object& in) {
    ProjectView v;
    v.title = in.string("title").value_or("");
    check_length("title", v.title, 1, 250);
    if (auto kind = in.string("view_kind")) v.view_kind = parse_kind(*kind);
    if (const auto* f = in.get("filter")) v.filter = normalize_task_collection(*f);
    v.position = in.number("position").value_or(0);
    if (auto mode = in.string("bucket_configuration_mode")) v.bucket_configuration_mode = parse_mode(*mode);
    v.bucket_configuration = normalize_bucket_configuration(in.get("bucket_configuration"));
    v.default_bucket_id = in.integer("default_bucket_id").value_or(0);
    v.done_bucket_id = in.integer("done_bucket_id").value_or(0);
    return v;
}

asio::awaitable<std::map<std::int64_t, std::vector<ProjectView>>> views_for_projects(
    db::Tx& tx, const std::vector<std::int64_t>& project_ids) {
    std::map<std::int64_t, std::vector<ProjectView>> views;
    if (project_ids.empty()) co_return views;
    std::string sql = "SELECT " + std::string(kViewColumns) + " FROM project_views WHERE project_id IN " +
                      db::placeholders(project_ids.size()) + " ORDER BY project_id, position, id";
    std::vector<db::Value> args(project_ids.begin(), project_ids.end());
    for (auto row : co_await tx.run(sql, std::move(args))) {
        auto v = view_from_row(row);
        views[v.project_id].push_back(std::move(v));
    }
    co_return views;
}

std::vector<ProjectView> favorites_views() {
    auto make = [](std::int64_t id, const char* title, ViewKind kind, double position) {
        ProjectView v;
        v.id = id;
        v.title = title;
        v.project_id = kFavoritesProjectId;
        v.view_kind = kind;
        v.position = position;
        v.created = v.updated = util::now();
        return v;
    };
    std::vector<ProjectView> views{make(-1, "List", ViewKind::List, 100), make(-2, "Gantt", ViewKind::Gantt, 200),
                                   make(-3, "Table", ViewKind::Table, 300)};
    views[0].filter = normalize_task_collection_text(R"({"filter":"done = false"})");
    return views;
}

asio::awaitable<std::optional<ProjectView>> find_view(db::Tx& tx, std::int64_t project_id, std::int64_t view_id) {
    if (project_id == kFavoritesProjectId && view_id < 0) {
        for (auto& v : favorites_views()) {
            if (v.id == view_id) co_return v;
        }
        co_return std::nullopt;
    }
    static const std::string sql =
        "SELECT " + std::string(kViewColumns) + " FROM project_views WHERE id = ? AND project_id = ?";
    auto rows = co_await tx.query(sql, view_id, project_id);
    if (rows.empty()) co_return std::nullopt;
    co_return view_from_row(rows[0]);
}

asio::awaitable<void> create_view(db::Tx& tx, const Doer& doer, ProjectView& v, bool add_existing_tasks) {
    co_await create_view_copy(tx, v);
    if (v.view_kind == ViewKind::Kanban && v.bucket_configuration_mode == BucketMode::Manual) {
        co_await create_default_buckets(tx, doer, v, add_existing_tasks);
    }
    if (add_existing_tasks) co_await spread_positions(tx, v);
}

asio::awaitable<void> create_view_copy(db::Tx& tx, ProjectView& v) {
    normalize_mode(v);
    v.created = v.updated = util::now();
    v.default_bucket_id = v.done_bucket_id = 0;
    auto filter = text_or_null(v.filter);
    auto config = text_or_null(v.bucket_configuration);
    auto rows = co_await tx.query(kInsertView, v.title, v.project_id, static_cast<int>(v.view_kind), filter,
                                  v.position, static_cast<int>(v.bucket_configuration_mode), config, v.created,
                                  v.updated);
    v.id = rows[0].get<std::int64_t>(0);
    if (v.position == 0) {
        v.position = static_cast<double>(v.id) * 65536;
        co_await tx.exec(kSetViewPosition, v.position, v.id);
    }
}

asio::awaitable<void> create_default_buckets(db::Tx& tx, const Doer& doer, ProjectView& v, bool add_existing_tasks) {
    const char* titles[3] = {"To-Do", "Doing", "Done"};
    std::int64_t ids[3];
    for (int i = 0; i < 3; ++i) {
        Bucket b;
        b.title = titles[i];
        b.project_view_id = v.id;
        b.position = 100.0 * (i + 1);
        co_await create_bucket(tx, doer, b);
        ids[i] = b.id;
    }
    v.default_bucket_id = ids[0];
    v.done_bucket_id = ids[2];
    co_await tx.exec(kSetBucketIds, v.default_bucket_id, v.done_bucket_id, v.id);
    if (add_existing_tasks && v.project_id > 0) {
        co_await tx.exec(kAddTasksToBucket, v.default_bucket_id, v.id, v.project_id, v.id);
    }
}

asio::awaitable<void> update_view(db::Tx& tx, const Doer& doer, ProjectView& v, const ProjectView& old) {
    v.id = old.id;
    v.project_id = old.project_id;
    v.created = old.created;
    v.updated = util::now();
    // Omitting the mode on a kanban view keeps the stored one (Vikunja: normalizeBucketConfigurationModeOnUpdate).
    if (v.view_kind == ViewKind::Kanban && v.bucket_configuration_mode == BucketMode::None &&
        old.view_kind == ViewKind::Kanban && old.bucket_configuration_mode != BucketMode::None) {
        v.bucket_configuration_mode = old.bucket_configuration_mode;
        if (v.bucket_configuration_mode == BucketMode::Filter && v.bucket_configuration.empty()) {
            v.bucket_configuration = old.bucket_configuration;
        }
    } else {
        normalize_mode(v);
    }
    v.default_bucket_id = co_await resolve_bucket_id(tx, v.id, v.default_bucket_id, old.default_bucket_id);
    v.done_bucket_id = co_await resolve_bucket_id(tx, v.id, v.done_bucket_id, old.done_bucket_id);

    auto filter = text_or_null(v.filter);
    auto config = text_or_null(v.bucket_configuration);
    co_await tx.exec(kUpdateView, v.title, static_cast<int>(v.view_kind), filter, v.position,
                     static_cast<int>(v.bucket_configuration_mode), config, v.updated, v.id);
    if (v.view_kind == ViewKind::Kanban) {
        co_await tx.exec(kSetBucketIds, v.default_bucket_id, v.done_bucket_id, v.id);
    } else {
        // Vikunja leaves the columns alone for other kinds; the response shows what is stored.
        v.default_bucket_id = old.default_bucket_id;
        v.done_bucket_id = old.done_bucket_id;
    }
    co_await sync_manual_kanban(tx, doer, v, old);
}

asio::awaitable<void> delete_view(db::Tx& tx, std::int64_t view_id) {
    co_await tx.exec(kDeleteViewTaskBuckets, view_id);
    co_await tx.exec(kDeleteViewPositions, view_id);
    co_await tx.exec(kDeleteViewBuckets, view_id);
    co_await tx.exec(kDeleteView, view_id);
}

}  // namespace vicugna::models
