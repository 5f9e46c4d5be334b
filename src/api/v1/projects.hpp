// SPDX-License-Identifier: AGPL-3.0-or-later
/// CRUD resources for projects, project views and kanban buckets (spec §2.3, §2.4), used by routes.cpp.
#pragma once
#include <optional>
#include <string>

#include "api/crud.hpp"
#include "models/buckets.hpp"
#include "models/project.hpp"
#include "models/project_views.hpp"

namespace vicugna::api::v1 {

/// /projects and /projects/{project} (Vikunja: models.Project).
struct ProjectResource {
    struct Model {
        models::Project project;
        bool archived = false;            ///< list: ?is_archived=true
        bool expand_permissions = false;  ///< list: ?expand=permissions
        const db::Dialect* dialect = nullptr;
        const models::FileStore* files = nullptr;  ///< delete removes attachment and background bytes
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<std::optional<models::Permission>> can_read(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> read_one(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::Project>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                                 const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::Project& p);
};

/// PUT /projects/{projectid}/duplicate (Vikunja: models.ProjectDuplicate).
struct ProjectDuplicateResource {
    struct Model {
        std::int64_t source_id = 0;
        std::int64_t parent_project_id = 0;
        bool duplicate_shares = false;
        std::optional<models::Project> project;
        const models::FileStore* files = nullptr;  ///< attachment bytes are linked to the copies
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    /// {parent_project_id (omitted when 0), duplicate_shares (omitted when false), duplicated_project}
    static void write(util::json::Writer& w, const Model& m);
};

/// /projects/{project}/views[/{view}] (Vikunja: models.ProjectView).
struct ProjectViewResource {
    struct Model {
        std::int64_t project_id = 0;
        std::int64_t view_id = 0;
        models::ProjectView view;
        std::optional<models::ProjectView> stored;
        std::string timezone;  ///< service.timezone, for filter validation
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<std::optional<models::Permission>> can_read(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> read_one(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::ProjectView>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                                     const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::ProjectView& v);
};

/// /projects/{project}/views/{view}/buckets[/{bucket}] (Vikunja: models.Bucket).
struct BucketResource {
    struct Model {
        std::int64_t project_id = 0;
        std::int64_t view_id = 0;
        std::int64_t bucket_id = 0;
        models::Bucket bucket;
        std::optional<models::ProjectView> view;
    };
    static Model bind(Context& ctx);
    static asio::awaitable<bool> can_create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> create(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<crud::Page<models::Bucket>> read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                                const crud::ListQuery& q);
    static asio::awaitable<bool> can_update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> update(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m);
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m);
    static void write(util::json::Writer& w, const Model& m);
    static void write(util::json::Writer& w, const models::Bucket& b);
};

}  // namespace vicugna::api::v1
