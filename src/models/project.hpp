// SPDX-License-Identifier: AGPL-3.0-or-later
/// Projects (table `projects`): the model, its JSON, the list with pseudo-projects (Favorites, saved filters),
/// create with the default views, update (archive, move, position, favourite) and the cascading hard delete.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/project_views.hpp"
#include "models/subscriptions.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

class FileStore;

struct Project {
    std::int64_t id = 0;
    std::string title;
    std::string description;
    std::string identifier;
    std::string hex_color;
    std::int64_t owner_id = 0;
    std::int64_t parent_project_id = 0;
    bool is_archived = false;
    std::int64_t background_file_id = 0;
    std::string background_blur_hash;
    bool is_favorite = false;
    double position = 0;
    std::optional<User> owner;                   ///< null when unknown (Vikunja's list leaves it out for Favorites)
    std::optional<std::vector<ProjectView>> views;  ///< null when not loaded
    std::optional<int> max_permission = 0;       ///< Vikunja writes 0 unless the list fills or clears it
    std::optional<Subscription> subscription;
    Timestamp created{};
    Timestamp updated{};

    bool parent_sent = false;  ///< request only: parent_project_id was in the body (explicit 0 detaches)
};

/// The Project object, keys in Vikunja's order (spec §3.2).
void write_project(util::json::Writer& w, const Project& project);

/// The writable fields of a request body. title 1–250, identifier ≤10 and hex_color ≤7 runes, else 412 2002.
Project project_from_json(const util::json::Object& in);

/// One project as GET /projects/{id} shows it (owner, views, favourite, subscription), also the Favorites and
/// saved-filter pseudo-projects. nullopt when it does not exist.
asio::awaitable<std::optional<Project>> load_project(db::Tx& tx, const Doer& doer, std::int64_t id);

struct ProjectListQuery {
    std::string search;
    bool archived = false;
    bool expand_permissions = false;
    std::int64_t limit = 0;  ///< 0 = everything
    std::int64_t offset = 0;
};
/// GET /projects: one page of the caller's projects plus the pseudo-projects, and the number of real matches.
asio::awaitable<std::pair<std::vector<Project>, std::int64_t>> list_projects(db::Tx& tx, const db::Dialect& dialect,
                                                                            const Doer& doer, const ProjectListQuery& q);

/// Parent checks for PUT /projects (Vikunja CanCreate): link shares never; a real parent needs write access
/// (3001 when missing, 3008 when archived). Returns false for "forbidden".
asio::awaitable<bool> can_create_project(db::Tx& tx, const Doer& doer, const Project& project);
/// Creates the project (identifier unique, 3007; a pseudo parent is 3009) with the four default views, fills
/// `project` as load_project would, and notifies the subscribers of the projects above it (project.created).
asio::awaitable<void> create_project(db::Tx& tx, const Doer& doer, Project& project);

/// Vikunja's CanUpdate for POST /projects/{id}: throws 3001 / 11001 / 3008, false for "forbidden".
asio::awaitable<bool> can_update_project(db::Tx& tx, const Doer& doer, const Project& project);
/// The update of spec §1.3 (archive cascade, move, position healing, favourite), then reloads `project`.
asio::awaitable<void> update_project(db::Tx& tx, const Doer& doer, Project& project);

/// Vikunja's CanDelete: admin on a real project (3001 when missing; pseudo-projects are forbidden).
asio::awaitable<bool> can_delete_project(db::Tx& tx, const Doer& doer, std::int64_t id);
/// Deletes the project and its descendants with every task (hard) and everything hanging off them; a user's
/// default project anywhere in the tree refuses the whole delete (3012). File bytes go after the commit.
asio::awaitable<void> delete_project(db::Tx& tx, const FileStore& files, const Doer& doer, std::int64_t id);

/// PUT /projects/{id}/duplicate permission (Vikunja ProjectDuplicate.CanCreate): read on the source (3001 when
/// missing), write on the target parent when one is given (3001 / 3008). False for "forbidden".
asio::awaitable<bool> can_duplicate_project(db::Tx& tx, const Doer& doer, std::int64_t source_id,
                                            std::int64_t parent_id);
/// Deep copy of a project under `parent_id` ("<title> - duplicate"): tasks with reminders, labels, assignees,
/// comments, attachments (bytes copied), relations between copied tasks and favourites; views with buckets,
/// bucket placements and positions; with `duplicate_shares` also user, team and link shares. Returns the copy.
asio::awaitable<Project> duplicate_project(db::Tx& tx, const FileStore& files, const Doer& doer,
                                           std::int64_t source_id, std::int64_t parent_id, bool duplicate_shares);

/// Creates a project owned by `owner_id` with Vikunja's four default views (List with `done = false`, Gantt,
/// Table, Kanban in manual mode) and the kanban buckets To-Do, Doing, Done. Returns the project id.
asio::awaitable<std::int64_t> create_project_with_defaults(db::Tx& tx, std::int64_t owner_id, const std::string& title);
/// The four default views of a new project (Vikunja: CreateDefaultViewsForProject).
asio::awaitable<std::vector<ProjectView>> create_default_views(db::Tx& tx, const Doer& doer, std::int64_t project_id,
                                                               bool list_filter = true);

/// The "My Open Tasks" saved filter every new user gets (Vikunja 2.4+).
asio::awaitable<void> create_my_open_tasks_filter(db::Tx& tx, std::int64_t owner_id, const std::string& username);

}  // namespace vicugna::models
