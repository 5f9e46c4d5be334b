// SPDX-License-Identifier: AGPL-3.0-or-later
// Projects (Vikunja: pkg/models/project.go, project_permissions.go, favorites.go, saved_filters.go ToProject).
#include "models/project.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "api/errors.hpp"
#include "models/events.hpp"
#include "models/favorites.hpp"
#include "models/notifications.hpp"
#include "models/task_attachments.hpp"
#include "models/webhooks.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kProjectColumns =
    "p.id, p.title, p.description, p.identifier, p.hex_color, p.owner_id, p.parent_project_id, p.is_archived, "
    "p.background_file_id, p.background_blur_hash, p.position, p.created, p.updated";
constexpr std::string_view kInsertProject =
    "INSERT INTO projects (title, description, identifier, hex_color, owner_id, parent_project_id, is_archived, "
    "position, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kSetProjectPosition = "UPDATE projects SET position = ? WHERE id = ?";
constexpr std::string_view kIdentifierTaken = "SELECT id FROM projects WHERE identifier = ? AND id <> ?";
constexpr std::string_view kStoredProject =
    "SELECT parent_project_id, is_archived, owner_id FROM projects WHERE id = ?";
// The parent and its ancestors (after project_chain_cte()), for the cycle check.
constexpr std::string_view kAncestors = "SELECT id, parent_project_id FROM chain";
constexpr std::string_view kDescendants = R"(
WITH RECURSIVE tree(id, depth) AS (
    SELECT id, 0 FROM projects WHERE parent_project_id = ?
    UNION
    SELECT p.id, tree.depth + 1 FROM projects p JOIN tree ON p.parent_project_id = tree.id WHERE tree.depth < 64
)
SELECT DISTINCT id FROM tree)";
constexpr std::string_view kIsDefaultProject = "SELECT id FROM users WHERE default_project_id = ? LIMIT 1";
constexpr std::string_view kUpdateProject =
    "UPDATE projects SET title = ?, is_archived = ?, identifier = ?, hex_color = ?, position = ?, updated = ? "
    "WHERE id = ?";
constexpr std::string_view kUpdateParent = "UPDATE projects SET parent_project_id = ? WHERE id = ?";
constexpr std::string_view kUpdateDescription = "UPDATE projects SET description = ? WHERE id = ?";
constexpr std::string_view kChildren = "SELECT id FROM projects WHERE parent_project_id = ? ORDER BY position, id";
constexpr std::string_view kOwnTopLevel =
    "SELECT id FROM projects WHERE (parent_project_id = 0 OR parent_project_id IS NULL) AND owner_id = ? "
    "ORDER BY position, id";
constexpr std::string_view kHasFavoriteTask = "SELECT entity_id FROM favorites WHERE user_id = ? AND kind = 1 LIMIT 1";
constexpr std::string_view kSavedFilter =
    "SELECT id, title, description, owner_id, is_favorite, created, updated FROM saved_filters WHERE id = ?";
constexpr std::string_view kSavedFiltersOfUser =
    "SELECT id, title, description, owner_id, is_favorite, created, updated FROM saved_filters WHERE owner_id = ? ";
constexpr std::string_view kUpdateSavedFilter =
    "UPDATE saved_filters SET title = ?, description = ?, is_favorite = ?, updated = ? WHERE id = ?";
constexpr std::string_view kInsertSavedFilter =
    "INSERT INTO saved_filters (filters, title, description, owner_id, is_favorite, created, updated) "
    "VALUES (?, ?, '', ?, FALSE, ?, ?) RETURNING id";

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Vikunja's utils.NormalizeHex: drop one leading '#', keep at most 6 characters.
std::string normalize_hex(std::string hex) {
    if (!hex.empty() && hex[0] == '#') hex.erase(0, 1);
    if (hex.size() > 6) hex.resize(6);
    return hex;
}

Project project_from_row(const db::Row& row) {
    Project p;
    p.id = row.get<std::int64_t>("id");
    p.title = row.get<std::string>("title");
    p.description = row.get<std::string>("description");
    p.identifier = row.get<std::string>("identifier");
    p.hex_color = row.get<std::string>("hex_color");
    p.owner_id = row.get<std::int64_t>("owner_id");
    p.parent_project_id = row.get<std::int64_t>("parent_project_id");
    p.is_archived = row.get<bool>("is_archived");
    p.background_file_id = row.get<std::int64_t>("background_file_id");
    p.background_blur_hash = row.get<std::string>("background_blur_hash");
    p.position = row.get<double>("position");
    p.created = row.get<Timestamp>("created");
    p.updated = row.get<Timestamp>("updated");
    return p;
}

std::string project_select() {
    return "SELECT " + std::string(kProjectColumns) + ", " + public_user_columns("u", "owner_") +
           " FROM projects p LEFT JOIN users u ON u.id = p.owner_id ";
}

Project project_with_owner(const db::Row& row) {
    auto p = project_from_row(row);
    if (!row.is_null("owner_id")) p.owner = public_user_from_row(row, "owner_");
    return p;
}

Project favorites_project() {
    Project p;
    p.id = kFavoritesProjectId;
    p.title = "Favorites";
    p.description = "This project has all tasks marked as favorites.";
    p.is_favorite = true;
    p.position = -1;
    p.views = favorites_views();
    p.created = p.updated = util::now();
    return p;
}

// Vikunja: SavedFilter.ToProject (no views, no owner unless the caller adds them).
Project saved_filter_project(const db::Row& row) {
    Project p;
    p.id = project_id_of_saved_filter(row.get<std::int64_t>("id"));
    p.title = row.get<std::string>("title");
    p.description = row.get<std::string>("description");
    p.is_favorite = row.get<bool>("is_favorite");
    p.owner_id = row.get<std::int64_t>("owner_id");
    p.created = row.get<Timestamp>("created");
    p.updated = row.get<Timestamp>("updated");
    return p;
}

// Favourite flags, subscriptions and views for a page of projects: three queries.
asio::awaitable<void> add_details(db::Tx& tx, const Doer& doer, std::vector<Project>& projects) {
    std::vector<std::int64_t> ids;
    for (const auto& p : projects) {
        if (p.id != kFavoritesProjectId) ids.push_back(p.id);
    }
    if (ids.empty()) co_return;
    std::vector<db::Value> args(ids.begin(), ids.end());
    std::set<std::int64_t> favorites;
    std::map<std::int64_t, Subscription> subscriptions;
    if (!doer.is_link_share()) {
        std::vector<db::Value> fav_args{doer.user_id, static_cast<std::int64_t>(FavoriteKind::Project)};
        fav_args.insert(fav_args.end(), args.begin(), args.end());
        auto sql = "SELECT entity_id FROM favorites WHERE user_id = ? AND kind = ? AND entity_id IN " +
                   db::placeholders(ids.size());
        for (auto row : co_await tx.run(sql, std::move(fav_args))) favorites.insert(row.get<std::int64_t>(0));
        // A subscription to a project above covers its sub-projects (Vikunja shows the inherited one).
        subscriptions = co_await project_subscriptions(tx, doer.user_id, ids);
    }
    auto views = co_await views_for_projects(tx, ids);
    for (auto& p : projects) {
        if (p.id == kFavoritesProjectId) continue;
        // Saved filters keep their own is_favorite column.
        if (!is_saved_filter_project(p.id)) p.is_favorite = favorites.count(p.id) > 0;
        if (auto it = subscriptions.find(p.id); it != subscriptions.end()) p.subscription = it->second;
        auto it = views.find(p.id);
        p.views = it == views.end() ? std::vector<ProjectView>{} : std::move(it->second);
    }
}

asio::awaitable<std::optional<Project>> load_saved_filter_project(db::Tx& tx, const Doer& doer, std::int64_t id) {
    auto rows = co_await tx.query(kSavedFilter, saved_filter_id_of(id));
    if (rows.empty()) co_return std::nullopt;
    std::vector<Project> one{saved_filter_project(rows[0])};
    std::vector<std::int64_t> owner_ids{one[0].owner_id};
    auto owners = co_await load_public_users(tx, owner_ids);
    if (auto it = owners.find(one[0].owner_id); it != owners.end()) one[0].owner = it->second;
    co_await add_details(tx, doer, one);
    co_return one[0];
}

asio::awaitable<void> check_identifier_unique(db::Tx& tx, Project& p) {
    p.identifier = upper(p.identifier);
    if (p.identifier.empty()) co_return;
    auto taken = co_await tx.query(kIdentifierTaken, p.identifier, p.id);
    if (!taken.empty()) {
        throw api::Error(api::ErrorCode::ProjectIdentifierNotUnique);
    }
}

// Vikunja: checkProjectBeforeUpdateOrDelete (pseudo parent, self parent, missing parent, cycles, identifier).
asio::awaitable<void> check_parent_and_identifier(db::Tx& tx, Project& p, std::int64_t stored_parent) {
    auto parent = p.parent_project_id;
    if (parent < 0) throw api::Error(api::ErrorCode::ProjectCannotBelongToAPseudoParentProject);
    if (parent > 0) {
        if (parent == p.id) throw api::Error(api::ErrorCode::ProjectCannotBeChildOfItself);
        static const std::string ancestors = std::string(project_chain_cte()) + std::string(kAncestors);
        auto chain = co_await tx.query(ancestors, parent);
        // A dangling stored parent echoed back must pass (un-archiving sends the whole project).
        if (chain.empty() && !(p.id != 0 && stored_parent == parent)) {
            throw api::Error(api::ErrorCode::ProjectDoesNotExist);
        }
        for (auto row : chain) {
            if (p.id != 0 && row.get<std::int64_t>("id") == p.id) {
                throw api::Error(api::ErrorCode::ProjectCannotHaveACyclicRelationship);
            }
        }
    }
    co_await check_identifier_unique(tx, p);
}

// Vikunja: recalculateProjectPositions — spread the siblings evenly over 2^32. Top-level siblings are the
// owner's top-level projects only: Vikunja re-spaces every user's, so anyone could rewrite others' positions.
asio::awaitable<void> recalculate_positions(db::Tx& tx, std::int64_t parent, std::int64_t owner) {
    db::Rows rows;
    if (parent > 0) {
        rows = co_await tx.query(kChildren, parent);
    } else {
        rows = co_await tx.query(kOwnTopLevel, owner);
    }
    const double max = 4294967296.0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        double position = max / static_cast<double>(rows.size()) * static_cast<double>(i + 1);
        co_await tx.exec(kSetProjectPosition, position, rows[i].get<std::int64_t>(0));
    }
}

asio::awaitable<std::vector<std::int64_t>> descendants(db::Tx& tx, std::int64_t id) {
    std::vector<std::int64_t> ids;
    for (auto row : co_await tx.query(kDescendants, id)) ids.push_back(row.get<std::int64_t>(0));
    co_return ids;
}

asio::awaitable<void> exec_in(db::Tx& tx, std::string_view head, const std::vector<std::int64_t>& ids,
                              std::string_view tail = "") {
    if (ids.empty()) co_return;
    std::string sql = std::string(head) + db::placeholders(ids.size()) + std::string(tail);
    std::vector<db::Value> args(ids.begin(), ids.end());
    co_await tx.run(sql, std::move(args));
}

asio::awaitable<std::vector<std::int64_t>> ids_in(db::Tx& tx, std::string_view head,
                                                  const std::vector<std::int64_t>& ids) {
    std::vector<std::int64_t> out;
    if (ids.empty()) co_return out;
    std::string sql = std::string(head) + db::placeholders(ids.size());
    std::vector<db::Value> args(ids.begin(), ids.end());
    for (auto row : co_await tx.run(sql, std::move(args))) out.push_back(row.get<std::int64_t>(0));
    co_return out;
}

// Vikunja: project search `s` — a comma list of ids, or text in title, description or identifier.
std::vector<std::int64_t> search_ids(const std::string& search) {
    std::vector<std::int64_t> ids;
    std::size_t start = 0;
    while (start <= search.size()) {
        auto end = search.find(',', start);
        if (end == std::string::npos) end = search.size();
        std::string_view part(search.data() + start, end - start);
        std::int64_t v = 0;
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (!part.empty() && ec == std::errc() && ptr == part.data() + part.size()) ids.push_back(v);
        start = end + 1;
    }
    return ids;
}

}  // namespace

void write_project(util::json::Writer& w, const Project& p) {
    w.start_object();
    w.key("id").integer(p.id);
    w.key("title").string(p.title);
    w.key("description").string(p.description);
    w.key("identifier").string(p.identifier);
    w.key("hex_color").string(p.hex_color);
    w.key("parent_project_id").integer(p.parent_project_id);
    w.key("owner");
    if (p.owner) {
        w.start_object();
        write_user(w, *p.owner);
        w.end_object();
    } else {
        w.null();
    }
    w.key("is_archived").boolean(p.is_archived);
    w.key("background_information");
    if (p.background_file_id != 0) {
        w.start_object().key("Type").string("upload").end_object();
    } else {
        w.null();
    }
    w.key("background_blur_hash").string(p.background_blur_hash);
    w.key("is_favorite").boolean(p.is_favorite);
    if (p.subscription) {
        w.key("subscription");
        write_subscription(w, *p.subscription);
    }
    w.key("position").number(p.position);
    w.key("views");
    if (p.views) {
        w.start_array();
        for (const auto& v : *p.views) write_view(w, v);
        w.end_array();
    } else {
        w.null();
    }
    w.key("max_permission");
    if (p.max_permission) {
        w.integer(*p.max_permission);
    } else {
        w.null();
    }
    w.key("created").time(p.created);
    w.key("updated").time(p.updated);
    w.end_object();
}

Project project_from_json(const util::json::Object& in) {
    Project p;
    p.title = in.string("title").value_or("");
    p.description = in.string("description").value_or("");
    p.identifier = in.string("identifier").value_or("");
    p.hex_color = in.string("hex_color").value_or("");
    if (auto parent = in.integer("parent_project_id")) {
        p.parent_project_id = *parent;
        p.parent_sent = true;
    }
    p.is_archived = in.boolean("is_archived").value_or(false);
    p.is_favorite = in.boolean("is_favorite").value_or(false);
    p.position = in.number("position").value_or(0);
    check_length("title", p.title, 1, 250);
    check_length("identifier", p.identifier, 0, 10);
    check_length("hex_color", p.hex_color, 0, 7);
    return p;
}

asio::awaitable<std::optional<Project>> load_project(db::Tx& tx, const Doer& doer, std::int64_t id) {
    if (id == kFavoritesProjectId) {
        auto p = favorites_project();
        if (!doer.is_link_share()) {
            std::vector<std::int64_t> me{doer.user_id};
            auto owners = co_await load_public_users(tx, me);
            if (auto it = owners.find(doer.user_id); it != owners.end()) p.owner = it->second;
        }
        co_return p;
    }
    if (is_saved_filter_project(id)) {
        auto filter = co_await load_saved_filter_project(tx, doer, id);
        co_return filter;
    }

    static const std::string sql = project_select() + "WHERE p.id = ?";
    auto rows = co_await tx.query(sql, id);
    if (rows.empty()) co_return std::nullopt;
    std::vector<Project> one{project_with_owner(rows[0])};
    co_await add_details(tx, doer, one);
    // A link share sees its project as a root.
    if (doer.is_link_share()) one[0].parent_project_id = 0;
    co_return one[0];
}

asio::awaitable<std::pair<std::vector<Project>, std::int64_t>> list_projects(db::Tx& tx, const db::Dialect& dialect,
                                                                            const Doer& doer, const ProjectListQuery& q) {
    std::vector<Project> projects;
    if (doer.is_link_share()) {
        // Vikunja: a link share lists exactly its project, as a root, whatever the parameters.
        auto shared = co_await load_project(tx, doer, doer.link_share_project_id);
        if (shared) projects.push_back(std::move(*shared));
        for (auto& p : projects) p.max_permission = std::nullopt;
        co_return std::pair{std::move(projects), static_cast<std::int64_t>(projects.size())};
    }

    auto permissions = co_await readable_project_permissions(tx, doer);
    std::vector<db::Value> args;
    for (const auto& [id, permission] : permissions) args.emplace_back(id);
    std::string where = "WHERE p.id IN " + db::placeholders(permissions.size());
    if (!q.archived) where += " AND p.is_archived = FALSE";
    if (!q.search.empty()) {
        auto ids = search_ids(q.search);
        if (!ids.empty()) {
            where += " AND p.id IN " + db::placeholders(ids.size());
            args.insert(args.end(), ids.begin(), ids.end());
        } else {
            std::string op(dialect.ilike);
            where += " AND (p.title " + op + " ? OR p.description " + op + " ? OR p.identifier " + op + " ?)";
            auto pattern = "%" + q.search + "%";
            args.insert(args.end(), {pattern, pattern, pattern});
        }
    }
    auto count_args = args;
    std::string count_sql = "SELECT COUNT(*) FROM projects p " + where;
    auto counted = co_await tx.run(count_sql, std::move(count_args));
    auto total = counted[0].get<std::int64_t>(0);
    std::string sql = project_select() + where + " ORDER BY p.position, p.id";
    if (q.limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(q.limit);
        args.emplace_back(q.offset);
    }
    for (auto row : co_await tx.run(sql, std::move(args))) {
        auto p = project_with_owner(row);
        p.max_permission = q.expand_permissions ? std::optional<int>(static_cast<int>(permissions[p.id]))
                                                : std::nullopt;
        projects.push_back(std::move(p));
    }

    // Vikunja appends Favorites (while the user has a favourite task) and the saved filters to every page.
    auto favorite_tasks = co_await tx.query(kHasFavoriteTask, doer.user_id);
    if (!favorite_tasks.empty()) {
        auto favorites = favorites_project();
        favorites.max_permission = q.expand_permissions ? std::optional<int>(0) : std::nullopt;
        projects.push_back(std::move(favorites));
    }
    std::string filter_sql(kSavedFiltersOfUser);
    std::vector<db::Value> filter_args{doer.user_id};
    if (!q.search.empty()) {
        filter_sql += "AND title LIKE ? ";
        filter_args.emplace_back("%" + q.search + "%");
    }
    filter_sql += "ORDER BY id";
    auto filters = co_await tx.run(filter_sql, std::move(filter_args));
    std::optional<User> me;
    if (!filters.empty()) {
        std::vector<std::int64_t> my_id{doer.user_id};
        auto owners = co_await load_public_users(tx, my_id);
        if (auto it = owners.find(doer.user_id); it != owners.end()) me = it->second;
    }
    for (auto row : filters) {
        auto p = saved_filter_project(row);
        p.owner = me;
        p.max_permission = q.expand_permissions ? std::optional<int>(2) : std::nullopt;
        projects.push_back(std::move(p));
    }
    co_await add_details(tx, doer, projects);
    co_return std::pair{std::move(projects), total};
}

asio::awaitable<bool> can_create_project(db::Tx& tx, const Doer& doer, const Project& p) {
    if (doer.is_link_share()) co_return false;
    if (p.parent_project_id <= 0) co_return true;
    auto parent = co_await project_access(tx, doer, p.parent_project_id);
    if (!parent.exists) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    if (parent.archived) throw api::Error(api::ErrorCode::ProjectIsArchived);
    co_return parent.can_write();
}

asio::awaitable<void> create_project(db::Tx& tx, const Doer& doer, Project& p) {
    p.id = 0;
    co_await check_parent_and_identifier(tx, p, 0);
    p.hex_color = normalize_hex(p.hex_color);
    auto now = util::now();
    auto rows = co_await tx.query(kInsertProject, p.title, p.description, p.identifier, p.hex_color, doer.user_id,
                                  p.parent_project_id, p.is_archived, p.position, now, now);
    p.id = rows[0].get<std::int64_t>(0);
    // Vikunja positions new projects by id so they keep creation order.
    if (p.position == 0) co_await tx.exec(kSetProjectPosition, static_cast<double>(p.id) * 65536, p.id);
    if (p.is_favorite) co_await set_favorite(tx, doer, FavoriteKind::Project, p.id, true);
    co_await create_default_views(tx, doer, p.id);
    auto loaded = co_await load_project(tx, doer, p.id);
    p = std::move(*loaded);
    co_await notify_project_created(tx, doer, p);
}

asio::awaitable<bool> can_update_project(db::Tx& tx, const Doer& doer, const Project& p) {
    if (p.id == kFavoritesProjectId) co_return false;
    if (is_saved_filter_project(p.id)) {
        auto rows = co_await tx.query(kSavedFilter, saved_filter_id_of(p.id));
        if (rows.empty()) throw api::Error(api::ErrorCode::SavedFilterDoesNotExist);
        co_return !doer.is_link_share() && rows[0].get<std::int64_t>("owner_id") == doer.user_id;
    }
    auto access = co_await project_access(tx, doer, p.id);
    if (!access.exists) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    auto stored = co_await tx.query(kStoredProject, p.id);
    auto stored_parent = stored[0].get<std::int64_t>("parent_project_id");
    // Moving under a new parent needs write access there (Vikunja CanUpdate; admin is checked on update).
    if (p.parent_sent && p.parent_project_id > 0 && p.parent_project_id != stored_parent) {
        auto parent = co_await project_access(tx, doer, p.parent_project_id);
        if (!parent.exists) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
        if (parent.archived) throw api::Error(api::ErrorCode::ProjectIsArchived);
        if (!parent.can_write()) throw api::Error(api::ErrorCode::GenericForbidden);
    }
    // While archived only un-archiving passes; the parent's state is checked on update (3016).
    if (access.archived && (p.is_archived || !stored[0].get<bool>("is_archived"))) {
        throw api::Error(api::ErrorCode::ProjectIsArchived);
    }
    co_return access.permission && *access.permission >= Permission::Write;
}

asio::awaitable<void> update_project(db::Tx& tx, const Doer& doer, Project& p) {
    if (is_saved_filter_project(p.id)) {
        co_await tx.exec(kUpdateSavedFilter, p.title, p.description, p.is_favorite, util::now(),
                         saved_filter_id_of(p.id));
        // Vikunja answers with SavedFilter.ToProject: no owner, no views.
        auto filter = co_await tx.query(kSavedFilter, saved_filter_id_of(p.id));
        p = saved_filter_project(filter[0]);
        p.views = std::nullopt;
        co_return;
    }
    auto stored_rows = co_await tx.query(kStoredProject, p.id);
    auto stored = stored_rows[0];
    auto stored_parent = stored.get<std::int64_t>("parent_project_id");
    bool stored_archived = stored.get<bool>("is_archived");
    if (!p.parent_sent) p.parent_project_id = stored_parent;
    co_await check_parent_and_identifier(tx, p, stored_parent);

    // Vikunja: checkProjectParentBeforeUpdate — a move needs admin on the project and on the new parent.
    bool reparent = p.parent_sent && p.parent_project_id != stored_parent;
    bool unarchive = stored_archived && !p.is_archived;
    if (reparent || unarchive) {
        std::optional<ProjectAccess> parent;
        if (p.parent_project_id > 0) {
            auto a = co_await project_access(tx, doer, p.parent_project_id);
            if (a.exists) parent = a;
        }
        if (reparent) {
            auto self = co_await project_access(tx, doer, p.id);
            if (self.permission != Permission::Admin) throw api::Error(api::ErrorCode::GenericForbidden);
            if (parent && parent->permission != Permission::Admin) throw api::Error(api::ErrorCode::GenericForbidden);
        }
        if (parent && parent->archived) {
            throw api::Error(api::ErrorCode::CannotUnarchiveWithArchivedParent,
                             "The parent project is archived. Un-archive the parent project first.");
        }
    }
    auto default_of = co_await tx.query(kIsDefaultProject, p.id);
    if (p.is_archived && !default_of.empty()) {
        throw api::Error(api::ErrorCode::CannotArchiveDefaultProject);
    }
    // Only an actual state change cascades, so a plain edit does not un-archive archived children.
    if (p.is_archived != stored_archived) {
        auto below = co_await descendants(tx, p.id);
        std::string head = std::string("UPDATE projects SET is_archived = ") + (p.is_archived ? "TRUE" : "FALSE") +
                           " WHERE id IN ";
        co_await exec_in(tx, head, below);
    }
    co_await set_favorite(tx, doer, FavoriteKind::Project, p.id, p.is_favorite);
    p.hex_color = normalize_hex(p.hex_color);
    co_await tx.exec(kUpdateProject, p.title, p.is_archived, p.identifier, p.hex_color, p.position, util::now(), p.id);
    if (p.parent_sent) co_await tx.exec(kUpdateParent, p.parent_project_id, p.id);
    if (!p.description.empty()) co_await tx.exec(kUpdateDescription, p.description, p.id);
    // Heal after the write so the project does not stay at its tiny position (Vikunja).
    if (p.position < 0.1) co_await recalculate_positions(tx, p.parent_project_id, stored.get<std::int64_t>("owner_id"));
    auto loaded = co_await load_project(tx, doer, p.id);
    p = std::move(*loaded);
    co_await emit_project_event(tx, doer, "project.updated", p.id);
}

asio::awaitable<bool> can_delete_project(db::Tx& tx, const Doer& doer, std::int64_t id) {
    // Pseudo-projects have no ACL of their own: nobody is their admin.
    if (id < 0) co_return false;
    auto access = co_await project_access(tx, doer, id);
    if (!access.exists) throw api::Error(api::ErrorCode::ProjectDoesNotExist);
    // Vikunja's IsAdmin ignores the archived state: archived projects can be deleted.
    co_return access.permission == Permission::Admin;
}

asio::awaitable<void> delete_project(db::Tx& tx, const FileStore& files, const Doer& doer, std::int64_t id) {
    auto projects = co_await descendants(tx, id);
    projects.insert(projects.begin(), id);
    // Vikunja refuses a user's default project, whoever asks (the bound project has no owner there).
    auto defaults = co_await ids_in(tx, "SELECT id FROM users WHERE default_project_id IN ", projects);
    if (!defaults.empty()) throw api::Error(api::ErrorCode::CannotDeleteDefaultProject);
    // The payload is the project as it was, and its webhooks still exist to hear it.
    co_await emit_project_event(tx, doer, "project.deleted", id);

    auto tasks = co_await ids_in(tx, "SELECT id FROM tasks WHERE project_id IN ", projects);
    auto views = co_await ids_in(tx, "SELECT id FROM project_views WHERE project_id IN ", projects);
    auto comments = co_await ids_in(tx, "SELECT id FROM task_comments WHERE task_id IN ", tasks);
    auto backgrounds = co_await ids_in(
        tx, "SELECT background_file_id FROM projects WHERE background_file_id > 0 AND id IN ", projects);

    // Attachments with their files rows; the bytes go once the transaction has committed.
    co_await delete_attachments_of_tasks(tx, files, tasks);
    static const std::vector<std::string> task_tables{"label_tasks", "task_assignees", "task_reminders",
                                                      "task_comments", "task_positions", "task_buckets",
                                                      "task_unread_statuses", "time_entries"};
    for (const auto& table : task_tables) {
        co_await exec_in(tx, "DELETE FROM " + table + " WHERE task_id IN ", tasks);
    }
    co_await exec_in(tx, "DELETE FROM task_relations WHERE task_id IN ", tasks);
    co_await exec_in(tx, "DELETE FROM task_relations WHERE other_task_id IN ", tasks);
    co_await exec_in(tx, "DELETE FROM reactions WHERE entity_kind = 0 AND entity_id IN ", tasks);
    co_await exec_in(tx, "DELETE FROM reactions WHERE entity_kind = 1 AND entity_id IN ", comments);
    co_await exec_in(tx, "DELETE FROM favorites WHERE kind = 1 AND entity_id IN ", tasks);
    co_await exec_in(tx, "DELETE FROM subscriptions WHERE entity_type = 3 AND entity_id IN ", tasks);
    co_await exec_in(tx, "DELETE FROM files WHERE id IN ", backgrounds);
    files.remove_after_commit(tx, backgrounds);
    co_await exec_in(tx, "DELETE FROM tasks WHERE id IN ", tasks);

    co_await exec_in(tx, "DELETE FROM task_positions WHERE project_view_id IN ", views);
    co_await exec_in(tx, "DELETE FROM task_buckets WHERE project_view_id IN ", views);
    co_await exec_in(tx, "DELETE FROM buckets WHERE project_view_id IN ", views);
    co_await exec_in(tx, "DELETE FROM project_views WHERE id IN ", views);
    co_await delete_project_webhooks(tx, projects);
    static const std::vector<std::string> project_tables{"users_projects", "team_projects", "link_shares",
                                                         "time_entries"};
    for (const auto& table : project_tables) {
        co_await exec_in(tx, "DELETE FROM " + table + " WHERE project_id IN ", projects);
    }
    co_await exec_in(tx, "DELETE FROM favorites WHERE kind = 2 AND entity_id IN ", projects);
    co_await exec_in(tx, "DELETE FROM subscriptions WHERE entity_type = 2 AND entity_id IN ", projects);
    co_await exec_in(tx, "DELETE FROM projects WHERE id IN ", projects);
}

asio::awaitable<std::vector<ProjectView>> create_default_views(db::Tx& tx, const Doer& doer, std::int64_t project_id,
                                                               bool list_filter) {
    struct Spec {
        const char* title;
        ViewKind kind;
        double position;
    };
    const Spec specs[4] = {{"List", ViewKind::List, 100},
                           {"Gantt", ViewKind::Gantt, 200},
                           {"Table", ViewKind::Table, 300},
                           {"Kanban", ViewKind::Kanban, 400}};
    std::vector<ProjectView> views;
    for (const auto& spec : specs) {
        ProjectView v;
        v.title = spec.title;
        v.project_id = project_id;
        v.view_kind = spec.kind;
        v.position = spec.position;
        if (spec.kind == ViewKind::Kanban) v.bucket_configuration_mode = BucketMode::Manual;
        if (spec.kind == ViewKind::List && list_filter) {
            v.filter = normalize_task_collection_text(R"({"filter":"done = false"})");
        }
        co_await create_view(tx, doer, v, true);
        views.push_back(std::move(v));
    }
    co_return views;
}

asio::awaitable<std::int64_t> create_project_with_defaults(db::Tx& tx, std::int64_t owner_id, const std::string& title) {
    Doer doer;
    doer.user_id = owner_id;
    Project p;
    p.title = title;
    co_await create_project(tx, doer, p);
    co_return p.id;
}

asio::awaitable<void> create_my_open_tasks_filter(db::Tx& tx, std::int64_t owner_id, const std::string& username) {
    util::json::Writer w;
    w.start_object().key("filter").string("done = false && assignees = " + username);
    w.key("filter_include_nulls").boolean(false).end_object();
    auto now = util::now();
    auto rows = co_await tx.query(kInsertSavedFilter, w.take(), "My Open Tasks", owner_id, now, now);
    // Vikunja creates it through SavedFilter.Create, which also gives the pseudo-project its four views.
    Doer doer;
    doer.user_id = owner_id;
    co_await create_default_views(tx, doer, project_id_of_saved_filter(rows[0].get<std::int64_t>(0)), false);
}

}  // namespace vicugna::models
