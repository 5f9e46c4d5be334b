// SPDX-License-Identifier: AGPL-3.0-or-later
/// Project views (table `project_views`): the model, its JSON, the batch loader used by project lists, and
/// create/update/delete with Vikunja's kanban rules (default buckets, done/default bucket ids).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "util/json.hpp"

namespace vicugna::models {

using util::Timestamp;

// Vikunja's enums as stored in the database.
enum class ViewKind : int { List = 0, Gantt = 1, Table = 2, Kanban = 3 };
enum class BucketMode : int { None = 0, Manual = 1, Filter = 2 };

struct ProjectView {
    std::int64_t id = 0;
    std::string title;
    std::int64_t project_id = 0;
    ViewKind view_kind = ViewKind::List;
    std::string filter;  ///< normalised TaskCollection JSON ({s, sort_by, order_by, filter, filter_include_nulls}); "" = null
    double position = 0;
    BucketMode bucket_configuration_mode = BucketMode::None;
    std::string bucket_configuration;  ///< normalised JSON array of {title, filter}; "" = null
    std::int64_t default_bucket_id = 0;
    std::int64_t done_bucket_id = 0;
    Timestamp created{};
    Timestamp updated{};
};

/// Vikunja's struct validation of a text field counted in runes: 412 code 2002 naming the field.
void check_length(const char* field, const std::string& value, std::size_t min, std::size_t max);

/// The ProjectView object, keys in Vikunja's order (spec §3.3).
void write_view(util::json::Writer& w, const ProjectView& view);

/// Reads the writable fields of a view from a request body (title, view_kind, filter, position,
/// bucket_configuration_mode, bucket_configuration, default_bucket_id, done_bucket_id).
/// Wrong types and unknown enum strings → BadInput (400 2004); title outside 1–250 → 412 2002.
ProjectView view_from_json(const util::json::Object& in);

/// A TaskCollection object ({filter, s, sort_by, order_by, filter_include_nulls}) re-serialised in Vikunja's
/// key order with every key present. Throws BadInput for wrong types. A stored text that is not JSON → "".
std::string normalize_task_collection(const rapidjson::Value& v);
std::string normalize_task_collection_text(const std::string& stored);

/// Vikunja's validateProjectViewFilters: the view's filter and, in filter mode, each bucket's filter must parse
/// (task filter errors 4016–4024, 2003). `default_timezone` is service.timezone.
void validate_view_filters(const ProjectView& view, std::string_view default_timezone);

/// The views of each project, ordered by position then id; one query for any number of projects.
asio::awaitable<std::map<std::int64_t, std::vector<ProjectView>>> views_for_projects(
    db::Tx& tx, const std::vector<std::int64_t>& project_ids);
/// The three read-only views of the Favorites pseudo-project (ids −1 List, −2 Gantt, −3 Table).
std::vector<ProjectView> favorites_views();
/// The view `view_id` if it belongs to `project_id` (Favorites' pseudo-views included).
asio::awaitable<std::optional<ProjectView>> find_view(db::Tx& tx, std::int64_t project_id, std::int64_t view_id);

/// Inserts the view (position defaults to id×65536; non-kanban views get mode none, kanban defaults to manual).
/// A manual kanban view gets the buckets To-Do/Doing/Done; with `add_existing_tasks` the project's tasks are
/// put into its default bucket.
asio::awaitable<void> create_view(db::Tx& tx, const Doer& doer, ProjectView& view, bool add_existing_tasks = true);
/// Inserts a copy of `view` (new id, same filter, position and bucket configuration) without creating buckets;
/// the duplicate copies them itself.
asio::awaitable<void> create_view_copy(db::Tx& tx, ProjectView& view);
/// Writes title, kind, filter, position and the bucket configuration (and, for kanban, the bucket ids, which
/// must be buckets of this view: 10002). `view.id`/`project_id` name the stored view `old`.
asio::awaitable<void> update_view(db::Tx& tx, const Doer& doer, ProjectView& view, const ProjectView& old);
/// Deletes the view with its buckets, task_buckets and task_positions.
asio::awaitable<void> delete_view(db::Tx& tx, std::int64_t view_id);

/// Creates To-Do (100), Doing (200), Done (300) in `view` and makes them its default and done buckets.
/// With `add_existing_tasks`, every task of the view's project without a bucket lands in To-Do.
asio::awaitable<void> create_default_buckets(db::Tx& tx, const Doer& doer, ProjectView& view, bool add_existing_tasks);

}  // namespace vicugna::models
