// SPDX-License-Identifier: AGPL-3.0-or-later
// Task lists (Vikunja: pkg/models/task_collection.go ReadAll, task_search.go Search, kanban.go
// GetTasksInBucketsForView). One query for the page's ids, one COUNT, then the batch loader.
#include "models/task_collection.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <map>
#include <regex>

#include "api/errors.hpp"
#include "models/project_views.hpp"
#include "models/saved_filters.hpp"
#include "models/task_filter.hpp"
#include "models/user.hpp"

namespace vicugna::models {
namespace {

using api::Error;
using api::ErrorCode;
namespace tf = task_filter;

constexpr std::string_view kPageIds = "SELECT tasks.id FROM tasks WHERE ";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM tasks WHERE ";
// Kanban pages: tasks numbered per bucket by position, with the bucket's total as a window COUNT. The outer query
// keeps each bucket's page window plus rn = 1, so that every non-empty bucket reports its count even past its
// last page. Manual buckets partition one search; filter buckets are one UNION ALL arm each.
constexpr std::string_view kBucketPagesHead =
    "SELECT tasks.id AS id, tb.bucket_id AS bucket_id, "
    "ROW_NUMBER() OVER (PARTITION BY tb.bucket_id ORDER BY {position} ASC NULLS LAST, tasks.id ASC) AS rn, "
    "COUNT(*) OVER (PARTITION BY tb.bucket_id) AS cnt "
    "FROM tasks INNER JOIN task_buckets tb ON tb.task_id = tasks.id AND tb.project_view_id = ? WHERE ";
constexpr std::string_view kFilterBucketArm =
    "SELECT tasks.id AS id, {bucket} AS bucket_id, "
    "ROW_NUMBER() OVER (ORDER BY {position} ASC NULLS LAST, tasks.id ASC) AS rn, COUNT(*) OVER () AS cnt "
    "FROM tasks WHERE ";
constexpr std::string_view kBucketPagesLimit = " WHERE rn = 1 OR (rn > ? AND rn <= ?)";
constexpr std::string_view kFavoriteTasks = "SELECT entity_id FROM favorites WHERE user_id = ? AND kind = 1";
constexpr std::string_view kArchivedOf = "SELECT id, is_archived FROM projects WHERE id IN ";
constexpr std::string_view kFavoritesIn =
    "SELECT f.entity_id FROM favorites f JOIN tasks t ON t.id = f.entity_id AND t.deleted_at IS NULL"
    " WHERE f.user_id = ? AND f.kind = 1 AND t.project_id IN ";
constexpr std::string_view kPositionOf =
    "(SELECT MIN(task_positions.position) FROM task_positions WHERE task_positions.task_id = tasks.id AND "
    "task_positions.project_view_id = ?)";
// Every nested subtask of the page (Vikunja: the recursive query in Search), bounded against cycles.
constexpr std::string_view kSubtasks = R"(
WITH RECURSIVE sub_tasks(other_task_id, depth) AS (
    SELECT other_task_id, 0 FROM task_relations WHERE relation_kind = 'subtask' AND task_id IN {ids}
    UNION ALL
    SELECT tr.other_task_id, st.depth + 1 FROM task_relations tr JOIN sub_tasks st ON tr.task_id = st.other_task_id
    WHERE tr.relation_kind = 'subtask' AND st.depth < 32
)
SELECT id FROM tasks WHERE id IN (SELECT other_task_id FROM sub_tasks) AND id NOT IN {ids} AND deleted_at IS NULL
    AND project_id IN {projects} ORDER BY id)";

constexpr std::array<std::string_view, 20> kSortable{
    "id", "title", "description", "done", "done_at", "due_date", "created_by_id", "project_id", "repeat_after",
    "priority", "start_date", "end_date", "hex_color", "percent_done", "uid", "created", "updated", "position",
    "bucket_id", "index"};

/// The parts of a stored TaskCollection JSON ({filter, s, sort_by, order_by, filter_include_nulls}).
struct StoredQuery {
    std::string filter;
    std::string search;
    std::vector<std::string> sort_by, order_by;
    bool include_nulls = false;
};

void read_strings(const rapidjson::Value& v, const char* key, std::vector<std::string>& out) {
    auto it = v.FindMember(key);
    if (it == v.MemberEnd() || !it->value.IsArray()) return;
    for (const auto& s : it->value.GetArray()) {
        if (s.IsString()) out.emplace_back(s.GetString(), s.GetStringLength());
    }
}

StoredQuery stored_query(const rapidjson::Value& v) {
    StoredQuery q;
    if (v.IsString()) {  // an old single filter string
        q.filter.assign(v.GetString(), v.GetStringLength());
        return q;
    }
    if (!v.IsObject()) return q;
    auto text = [&](const char* key) {
        auto it = v.FindMember(key);
        return it != v.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                          : std::string();
    };
    q.filter = text("filter");
    q.search = text("s");
    read_strings(v, "sort_by", q.sort_by);
    read_strings(v, "order_by", q.order_by);
    auto nulls = v.FindMember("filter_include_nulls");
    q.include_nulls = nulls != v.MemberEnd() && nulls->value.IsBool() && nulls->value.GetBool();
    return q;
}

StoredQuery stored_query(const std::string& json) {
    if (json.empty()) return {};
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError()) return {};
    return stored_query(doc);
}

/// The filter-mode bucket configuration: title and query of each virtual bucket.
std::vector<std::pair<std::string, StoredQuery>> bucket_configuration(const std::string& json) {
    std::vector<std::pair<std::string, StoredQuery>> out;
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsArray()) return out;
    for (const auto& b : doc.GetArray()) {
        if (!b.IsObject()) continue;
        auto title = b.FindMember("title");
        auto filter = b.FindMember("filter");
        std::string t = title != b.MemberEnd() && title->value.IsString() ? title->value.GetString() : "";
        out.emplace_back(t, filter != b.MemberEnd() ? stored_query(filter->value) : StoredQuery{});
    }
    return out;
}

/// `(a) && (b)` as Vikunja combines a query filter with a view or saved filter.
std::string combine(const std::string& query, const std::string& stored) {
    if (stored.empty()) return query;
    if (query.empty()) return stored;
    return "(" + query + ") && (" + stored + ")";
}

struct SortKey {
    std::string field;
    bool desc = false;
};

/// Vikunja's sort params: paired by index, order checked first (4014), position needs a view (4026; skipped
/// on the Favorites pseudo-views), then the field (4016); `relevance` is accepted and ignored (no ParadeDB).
std::vector<SortKey> sort_keys(const TaskListParams& p, const ProjectView* view) {
    std::vector<SortKey> keys;
    for (std::size_t i = 0; i < p.sort_by.size(); ++i) {
        const std::string& field = p.sort_by[i];
        std::string order = i < p.order_by.size() ? p.order_by[i] : "asc";
        if (field == "position" && view && view->id < 0) continue;
        if (order != "asc" && order != "desc") {
            throw Error(ErrorCode::InvalidSortOrder, "The task sort order 'invalid' is invalid. Allowed is either asc or desc.");
        }
        if (field == "position" && !view) throw Error(ErrorCode::MustHaveProjectViewToSortByPosition);
        if (field == "relevance") continue;
        if (std::find(kSortable.begin(), kSortable.end(), field) == kSortable.end()) {
            throw Error(ErrorCode::InvalidTaskField, "The task field '" + field + "' is invalid.");
        }
        keys.push_back({field, order == "desc"});
    }
    if (view && view->id > 0 && std::none_of(keys.begin(), keys.end(), [](const SortKey& k) { return k.field == "position"; })) {
        keys.push_back({"position", false});
    }
    if (keys.empty() || keys.back().field != "id") keys.push_back({"id", false});
    return keys;
}

TaskExpand read_expand(const std::vector<std::string>& values) {
    TaskExpand e;
    for (const auto& v : values) {
        if (v == "subtasks") e.subtasks = true;
        else if (v == "buckets") e.buckets = true;
        else if (v == "reactions") e.reactions = true;
        else if (v == "comments") e.comments = true;
        else if (v == "comment_count") e.comment_count = true;
        else if (v == "is_unread") e.is_unread = true;
        else if (v == "time_entries_count") continue;  // no time tracking: nothing to count
        else {
            throw Error(ErrorCode::InvalidData,
                        "Expand must be one of the following values: subtasks, buckets, reactions, comments, "
                        "comment_count, time_entries_count, is_unread",
                        {"expand"});
        }
    }
    return e;
}

/// Which tasks the caller may list: some projects, and/or single tasks, and/or the caller's favourite tasks (in
/// readable projects). Project ids are resolved up front, so the list is an IN over the project index: an OR with
/// a subquery would make SQLite scan a low-selectivity index (done, deleted_at) instead.
struct Scope {
    std::vector<std::int64_t> project_ids;
    std::vector<std::int64_t> task_ids;  ///< favourites in archived projects (GET /tasks lists them)
    bool favorites = false;              ///< the Favorites pseudo-project
    std::vector<std::int64_t> readable;  ///< for the favourites arm and subtasks
    std::int64_t user_id = 0;
};

tf::Sql scope_sql(const Scope& s, std::string_view alias) {
    tf::Sql sql;
    std::string a(alias);
    std::vector<std::string> arms;
    if (!s.project_ids.empty()) {
        arms.push_back(a + ".project_id IN " + db::placeholders(s.project_ids.size()));
        for (auto id : s.project_ids) sql.params.emplace_back(id);
    }
    if (!s.task_ids.empty()) {
        arms.push_back(a + ".id IN " + db::placeholders(s.task_ids.size()));
        for (auto id : s.task_ids) sql.params.emplace_back(id);
    }
    if (s.favorites) {
        arms.push_back("(" + a + ".id IN (" + std::string(kFavoriteTasks) + ") AND " + a + ".project_id IN " +
                       db::placeholders(s.readable.size()) + ")");
        sql.params.emplace_back(s.user_id);
        for (auto id : s.readable) sql.params.emplace_back(id);
    }
    if (arms.empty()) arms.push_back("1 = 0");
    sql.text = "(" + arms[0];
    for (std::size_t i = 1; i < arms.size(); ++i) sql.text += " OR " + arms[i];
    sql.text += ")";
    return sql;
}

void append(tf::Sql& to, std::string_view joiner, const tf::Sql& part) {
    if (part.empty()) return;
    to.text += std::string(joiner) + part.text;
    to.params.insert(to.params.end(), part.params.begin(), part.params.end());
}

/// Title/description search, plus `#12` matching the index (Vikunja: MultiFieldSearch, getTaskIndexFromSearchString).
tf::Sql search_sql(const std::string& search, const db::Dialect& dialect, std::string_view alias) {
    tf::Sql sql;
    if (search.empty()) return sql;
    std::string a(alias), op(dialect.ilike);
    sql.text = "(" + a + ".title " + op + " ? OR " + a + ".description " + op + " ?";
    sql.params.emplace_back("%" + search + "%");
    sql.params.emplace_back("%" + search + "%");
    static const std::regex kIndex("#([0-9]+)");
    std::smatch m;
    if (std::regex_search(search, m, kIndex)) {
        std::int64_t index = 0;
        try {
            index = std::stoll(m[1].str());
        } catch (const std::exception&) {
        }
        if (index > 0) {
            sql.text += " OR " + a + ".\"index\" = ?";
            sql.params.emplace_back(index);
        }
    }
    sql.text += ")";
    return sql;
}

/// Everything a search needs, shared by the flat list and each kanban bucket.
struct Search {
    Scope scope;
    std::string search;
    std::vector<tf::Condition> filter;
    bool include_nulls = false;
    std::int64_t view_id = 0;  ///< > 0 for a real view
    bool subtasks = false;
};

tf::Sql where_sql(const Search& s, const db::Dialect& dialect) {
    tf::Sql where;
    where.text = "tasks.deleted_at IS NULL";
    append(where, " AND ", scope_sql(s.scope, "tasks"));
    append(where, " AND ", search_sql(s.search, dialect, "tasks"));
    append(where, " AND ", tf::compile(s.filter, {s.include_nulls, s.view_id, "tasks"}));
    if (s.subtasks) {
        // Roots only: a task whose parent is itself a result is listed under it (Vikunja: buildSubtaskRootCondition).
        tf::Sql parent;
        parent.text =
            "NOT EXISTS (SELECT 1 FROM task_relations INNER JOIN tasks parent_tasks ON task_relations.other_task_id = "
            "parent_tasks.id WHERE task_relations.task_id = tasks.id AND task_relations.relation_kind = 'parenttask' "
            "AND parent_tasks.deleted_at IS NULL";
        append(parent, " AND ", scope_sql(s.scope, "parent_tasks"));
        auto parent_filter = tf::without(s.filter, "bucket_id");
        append(parent, " AND ", tf::compile(parent_filter, {s.include_nulls, s.view_id, "parent_tasks"}));
        append(parent, " AND ", search_sql(s.search, dialect, "parent_tasks"));
        parent.text += ")";
        append(where, " AND ", parent);
    }
    return where;
}

tf::Sql order_sql(const std::vector<SortKey>& keys, std::int64_t view_id) {
    tf::Sql order;
    for (const auto& k : keys) {
        std::string column;
        if (k.field == "position") {
            column = kPositionOf;
            order.params.emplace_back(view_id);
        } else if (k.field == "bucket_id") {
            column = "(SELECT MIN(task_buckets.bucket_id) FROM task_buckets WHERE task_buckets.task_id = tasks.id" +
                     std::string(view_id > 0 ? " AND task_buckets.project_view_id = ?" : "") + ")";
            if (view_id > 0) order.params.emplace_back(view_id);
        } else if (k.field == "index") {
            column = "tasks.\"index\"";
        } else {
            column = "tasks." + k.field;
        }
        order.text += (order.text.empty() ? "" : ", ") + column + (k.desc ? " DESC" : " ASC") + " NULLS LAST";
    }
    return order;
}

std::vector<std::int64_t> ids_of(const db::Rows& rows) {
    std::vector<std::int64_t> ids;
    ids.reserve(rows.size());
    for (auto row : rows) ids.push_back(row.get<std::int64_t>(0));
    return ids;
}

/// One page of task ids and the number of all matches.
asio::awaitable<std::pair<std::vector<std::int64_t>, std::int64_t>> search_ids(db::Tx& tx, const db::Dialect& dialect,
                                                                              const Search& s,
                                                                              const std::vector<SortKey>& keys,
                                                                              std::int64_t limit, std::int64_t offset) {
    tf::Sql where = where_sql(s, dialect);
    tf::Sql order = order_sql(keys, s.view_id);
    std::string sql = std::string(kPageIds) + where.text + " ORDER BY " + order.text;
    std::vector<db::Value> params = where.params;
    params.insert(params.end(), order.params.begin(), order.params.end());
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        params.emplace_back(limit);
        params.emplace_back(offset);
    }
    auto page = co_await tx.run(sql, std::move(params));
    auto counted = co_await tx.run(std::string(kCount) + where.text, where.params);
    co_return std::pair{ids_of(page), counted[0].get<std::int64_t>(0)};
}

/// Appends every nested subtask of the page (in readable projects) that is not on it yet.
asio::awaitable<void> add_subtasks(db::Tx& tx, const Doer& doer, Scope& scope, std::vector<std::int64_t>& ids) {
    if (ids.empty()) co_return;
    if (scope.readable.empty()) scope.readable = co_await readable_project_ids(tx, doer);
    std::string sql(kSubtasks);
    std::string list = db::placeholders(ids.size());
    for (std::size_t at; (at = sql.find("{ids}")) != std::string::npos;) sql.replace(at, 5, list);
    sql.replace(sql.find("{projects}"), 10, db::placeholders(scope.readable.size()));
    std::vector<db::Value> params;
    for (int pass = 0; pass < 2; ++pass) {
        for (auto id : ids) params.emplace_back(id);
    }
    for (auto id : scope.readable) params.emplace_back(id);
    auto rows = co_await tx.run(sql, std::move(params));
    for (auto id : ids_of(rows)) ids.push_back(id);
}

std::string trimmed(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string render_tasks(const std::vector<Task>& tasks) {
    util::json::Writer w;
    w.start_array();
    for (const auto& t : tasks) write_task(w, t);
    w.end_array();
    return w.take();
}

/// `sql` yields (id, bucket_id, rn, cnt): each bucket's tasks numbered by position with the bucket's total.
/// Runs it once for the page window of every bucket and fills the buckets' tasks (Vikunja: tasks,omitempty) and counts.
asio::awaitable<void> fill_buckets(db::Tx& tx, const Doer& doer, std::string sql, std::vector<db::Value> params,
                                   const TaskExpand& expand, std::int64_t view_id, std::int64_t limit,
                                   std::int64_t offset, std::vector<Bucket>& buckets) {
    sql = "SELECT id, bucket_id, rn, cnt FROM (" + sql + ") sub";
    if (limit > 0) {
        sql += kBucketPagesLimit;
        params.emplace_back(offset);
        params.emplace_back(offset + limit);
    }
    sql += " ORDER BY bucket_id, rn";
    auto rows = co_await tx.run(sql, std::move(params));
    std::map<std::int64_t, std::vector<std::int64_t>> per_bucket;
    std::map<std::int64_t, std::int64_t> counts;
    std::vector<std::int64_t> ids;
    for (auto row : rows) {
        auto bucket = row.get<std::int64_t>("bucket_id");
        auto rn = row.get<std::int64_t>("rn");
        counts[bucket] = row.get<std::int64_t>("cnt");
        if (limit > 0 && (rn <= offset || rn > offset + limit)) continue;
        per_bucket[bucket].push_back(row.get<std::int64_t>("id"));
        ids.push_back(row.get<std::int64_t>("id"));
    }
    // A task can sit in several filter buckets; it is loaded once.
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto tasks = co_await load_tasks(tx, doer, ids, expand, view_id);
    std::map<std::int64_t, const Task*> by_id;
    for (const auto& t : tasks) by_id[t.id] = &t;
    for (auto& b : buckets) {
        b.count = counts.count(b.id) ? counts[b.id] : 0;
        std::vector<Task> in_bucket;
        for (auto id : per_bucket[b.id]) {
            if (auto it = by_id.find(id); it != by_id.end()) {
                in_bucket.push_back(*it->second);
                in_bucket.back().bucket_id = b.id;
            }
        }
        b.tasks.reset();
        if (!in_bucket.empty()) b.tasks = render_tasks(in_bucket);
    }
}

std::string with_position(std::string_view sql) {
    std::string out(sql);
    out.replace(out.find("{position}"), 10, kPositionOf);
    return out;
}

/// The manual kanban listing: the view's buckets, then every bucket's page in one query.
asio::awaitable<TaskListResult> manual_buckets(db::Tx& tx, const db::Dialect& dialect, const Doer& doer,
                                               const Search& s, const TaskExpand& expand, std::int64_t limit,
                                               std::int64_t offset) {
    TaskListResult result;
    result.is_buckets = true;
    result.buckets = co_await buckets_of_view(tx, s.view_id);
    static const std::string head = with_position(kBucketPagesHead);
    tf::Sql where = where_sql(s, dialect);
    std::vector<db::Value> params{s.view_id, s.view_id};
    params.insert(params.end(), where.params.begin(), where.params.end());
    co_await fill_buckets(tx, doer, head + where.text, std::move(params), expand, s.view_id, limit, offset,
                          result.buckets);
    result.total = static_cast<std::int64_t>(result.buckets.size());
    co_return result;
}

/// Filter-mode kanban: virtual buckets (id = index in the configuration), each with its own filter (and search),
/// all in one UNION ALL query.
asio::awaitable<TaskListResult> filter_buckets(db::Tx& tx, const db::Dialect& dialect, const Doer& doer,
                                               const Search& s, const ProjectView& view, const std::string& filter,
                                               const std::string& timezone, const std::string& service_timezone,
                                               const TaskExpand& expand, std::int64_t limit, std::int64_t offset) {
    TaskListResult result;
    result.is_buckets = true;
    auto config = bucket_configuration(view.bucket_configuration);
    std::vector<std::int64_t> creator{doer.id()};
    auto creators = co_await load_public_users(tx, creator);
    auto now = util::now();
    static const std::string arm = with_position(kFilterBucketArm);
    std::string sql;
    std::vector<db::Value> params;
    for (std::size_t i = 0; i < config.size(); ++i) {
        const auto& [title, query] = config[i];
        std::string bucket_filter = query.filter.empty() ? "" : "(" + query.filter + ")";
        std::string combined = bucket_filter;
        if (!filter.empty()) combined = bucket_filter.empty() ? filter : "(" + filter + ") && " + bucket_filter;
        Search bucket_search = s;
        bucket_search.filter = tf::parse(combined, timezone, service_timezone, now);
        if (!query.search.empty()) bucket_search.search = query.search;
        tf::Sql where = where_sql(bucket_search, dialect);
        // The bucket number is ours (an index), not input: written into the SQL, which also types it for PostgreSQL.
        std::string this_arm = arm;
        this_arm.replace(this_arm.find("{bucket}"), 8, std::to_string(i));
        sql += (sql.empty() ? "" : " UNION ALL ") + this_arm + where.text;
        params.emplace_back(view.id);
        params.insert(params.end(), where.params.begin(), where.params.end());
        Bucket b;
        b.id = static_cast<std::int64_t>(i);
        b.title = title;
        b.project_view_id = view.id;
        b.position = static_cast<double>(i);
        b.created_by_id = doer.id();
        if (creators.count(doer.id())) b.created_by = creators[doer.id()];
        b.created = b.updated = now;
        result.buckets.push_back(std::move(b));
    }
    if (!sql.empty()) {
        co_await fill_buckets(tx, doer, sql, std::move(params), expand, view.id, limit, offset, result.buckets);
    }
    result.total = static_cast<std::int64_t>(result.buckets.size());
    co_return result;
}

/// In a filter-mode kanban view, `bucket_id = <index>` stands for that bucket's filter (Vikunja:
/// getFilterValueForBucketFilter: the first match picks the bucket, every match is replaced).
std::string substitute_bucket_filter(const std::string& filter, const ProjectView& view) {
    static const std::regex kBucket(R"(bucket_id\s*=\s*(\d+))");
    std::smatch m;
    if (!std::regex_search(filter, m, kBucket)) return filter;
    auto config = bucket_configuration(view.bucket_configuration);
    std::size_t index = 0;
    try {
        index = std::stoul(m[1].str());
    } catch (const std::exception&) {
        return filter;
    }
    if (index >= config.size()) return filter;
    std::string out, replacement = "(" + config[index].second.filter + ")";
    auto last = filter.cbegin();
    for (std::sregex_iterator it(filter.begin(), filter.end(), kBucket), end; it != end; ++it) {
        out.append(last, (*it)[0].first).append(replacement);
        last = (*it)[0].second;
    }
    return out.append(last, filter.cend());
}


/// A saved filter's pseudo-project: its query joins the request's (Vikunja: TaskCollection.ReadAll's first branch).
/// Returns the zone for its dates: the owner's.
asio::awaitable<std::string> apply_saved_filter(db::Tx& tx, const Doer& doer, TaskListParams& p) {
    auto filter_id = saved_filter_id_of(p.project_id);
    bool allowed = co_await can_use_saved_filter(tx, doer, filter_id);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    auto sf = co_await load_saved_filter(tx, filter_id);
    if (!sf) throw Error(ErrorCode::SavedFilterDoesNotExist);
    auto stored = stored_query(sf->filters);
    // The query's sort keys go first; the lists are appended separately, so pairs shift as in Vikunja.
    p.sort_by.insert(p.sort_by.end(), stored.sort_by.begin(), stored.sort_by.end());
    p.order_by.insert(p.order_by.end(), stored.order_by.begin(), stored.order_by.end());
    p.filter = combine(p.filter, stored.filter);
    p.filter_include_nulls = stored.include_nulls;
    if (p.search.empty()) p.search = stored.search;  // Vikunja drops it; the frontend stores operator-less filters there
    co_return co_await user_timezone(tx, doer.user_id);
}

/// The view's stored filter, search and include-nulls join the request's. Sets `filtering_for_bucket` when the
/// filter names a bucket (a flat "load more" list instead of buckets).
asio::awaitable<ProjectView> apply_view(db::Tx& tx, TaskListParams& p, bool& filtering_for_bucket) {
    auto view = co_await find_view(tx, p.project_id, p.view_id);
    if (!view) throw Error(ErrorCode::ProjectViewDoesNotExist);
    auto stored = stored_query(view->filter);
    p.filter = combine(p.filter, stored.filter);
    if (!stored.search.empty()) p.search = stored.search;
    if (stored.include_nulls) p.filter_include_nulls = true;
    if (p.filter.find("bucket_id") != std::string::npos) {
        filtering_for_bucket = true;
        if (view->bucket_configuration_mode == BucketMode::Filter) p.filter = substitute_bucket_filter(p.filter, *view);
    }
    co_return *view;
}

/// Which tasks may be listed: a link share's project; every readable non-archived project plus the favourites
/// (GET /tasks, saved filters); the favourites only (−1); or one readable project (3001 / 7003 otherwise).
asio::awaitable<Scope> resolve_scope(db::Tx& tx, const Doer& doer, std::int64_t project_id, bool all_projects) {
    Scope scope;
    scope.user_id = doer.user_id;
    if (doer.is_link_share()) {
        scope.project_ids = {doer.link_share_project_id};
        co_return scope;
    }
    if (all_projects) {
        scope.readable = co_await readable_project_ids(tx, doer);
        std::vector<db::Value> readable(scope.readable.begin(), scope.readable.end());
        std::string sql = std::string(kArchivedOf) + db::placeholders(readable.size());
        auto projects = co_await tx.run(sql, std::move(readable));
        std::vector<db::Value> archived{doer.user_id};
        for (auto row : projects) {
            if (row.get<bool>("is_archived")) archived.emplace_back(row.get<std::int64_t>("id"));
            else scope.project_ids.push_back(row.get<std::int64_t>("id"));
        }
        if (archived.size() > 1) {
            std::string favorites_sql = std::string(kFavoritesIn) + db::placeholders(archived.size() - 1);
            auto favorites = co_await tx.run(favorites_sql, std::move(archived));
            scope.task_ids = ids_of(favorites);
        }
        co_return scope;
    }
    auto access = co_await project_access(tx, doer, project_id);
    if (!access.exists) throw Error(ErrorCode::ProjectDoesNotExist);
    if (!access.can_read()) throw Error(ErrorCode::UserDoesNotHaveAccessToProject);
    if (project_id == kFavoritesProjectId) {
        scope.readable = co_await readable_project_ids(tx, doer);
        scope.favorites = true;
    } else {
        scope.project_ids = {project_id};
    }
    co_return scope;
}

}  // namespace

asio::awaitable<TaskListResult> list_tasks(db::Tx& tx, const db::Dialect& dialect, const Doer& doer,
                                           TaskListParams p, const std::string& service_timezone) {
    if (doer.is_link_share()) p.project_id = doer.link_share_project_id;  // GHSA-rj9j: pinned to its project
    bool saved_filter = is_saved_filter_project(p.project_id);
    std::string timezone = p.filter_timezone;
    if (saved_filter) timezone = co_await apply_saved_filter(tx, doer, p);
    std::optional<ProjectView> view;
    bool filtering_for_bucket = false;
    if (p.view_id != 0) view = co_await apply_view(tx, p, filtering_for_bucket);

    auto keys = sort_keys(p, view ? &*view : nullptr);
    auto filter = tf::parse(p.filter, timezone, service_timezone, util::now());
    auto expand = read_expand(p.expand);

    Search s;
    s.scope = co_await resolve_scope(tx, doer, p.project_id, p.project_id == 0 || saved_filter);
    s.search = trimmed(p.search);
    s.filter = std::move(filter);
    s.include_nulls = p.filter_include_nulls;
    s.view_id = view && view->id > 0 ? view->id : 0;

    if (view && !filtering_for_bucket && view->bucket_configuration_mode == BucketMode::Manual) {
        co_return co_await manual_buckets(tx, dialect, doer, s, expand, p.limit, p.offset);
    }
    if (view && !filtering_for_bucket && view->bucket_configuration_mode == BucketMode::Filter) {
        co_return co_await filter_buckets(tx, dialect, doer, s, *view, p.filter, timezone, service_timezone, expand,
                                          p.limit, p.offset);
    }
    s.subtasks = expand.subtasks;
    auto [ids, total] = co_await search_ids(tx, dialect, s, keys, p.limit, p.offset);
    if (expand.subtasks) co_await add_subtasks(tx, doer, s.scope, ids);
    TaskListResult result;
    result.total = total;
    result.tasks = co_await load_tasks(tx, doer, ids, expand, s.view_id);
    co_return result;
}

void write_task_list(util::json::Writer& w, const TaskListResult& result) {
    w.start_array();
    if (result.is_buckets) {
        for (const auto& b : result.buckets) write_bucket(w, b);
    } else {
        for (const auto& t : result.tasks) write_task(w, t);
    }
    w.end_array();
}

}  // namespace vicugna::models
