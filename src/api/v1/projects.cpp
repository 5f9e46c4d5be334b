// SPDX-License-Identifier: AGPL-3.0-or-later
// Projects, project views and kanban buckets as CRUD resources (Vikunja: pkg/models/project*.go, kanban*.go).
#include "api/v1/projects.hpp"

namespace vicugna::api::v1 {
namespace {

bool has_body(const Context& ctx) {
    return ctx.request.method == http::Verb::put || ctx.request.method == http::Verb::post;
}

// Project (or saved-filter pseudo-project) access; a missing one is its resource's 404.
asio::awaitable<models::ProjectAccess> existing_project(db::Tx& tx, const models::Doer& doer, std::int64_t id) {
    auto access = co_await models::project_access(tx, doer, id);
    if (!access.exists) {
        throw Error(models::is_saved_filter_project(id) ? ErrorCode::SavedFilterDoesNotExist
                                                        : ErrorCode::ProjectDoesNotExist);
    }
    co_return access;
}

// Vikunja's Project.IsAdmin: pseudo-projects have no admin, the archived state does not matter.
// Saved filters answer for their owner (SavedFilter.CanUpdate).
asio::awaitable<bool> is_admin(db::Tx& tx, const models::Doer& doer, std::int64_t project_id) {
    if (project_id == models::kFavoritesProjectId) co_return false;
    auto access = co_await existing_project(tx, doer, project_id);
    co_return access.permission == models::Permission::Admin;
}

// Vikunja's Project.CanWrite as the buckets use it: an archived project answers 3008 first.
asio::awaitable<bool> can_write(db::Tx& tx, const models::Doer& doer, std::int64_t project_id) {
    if (project_id == models::kFavoritesProjectId) co_return false;
    auto access = co_await existing_project(tx, doer, project_id);
    if (access.archived) throw Error(ErrorCode::ProjectIsArchived);
    co_return access.can_write();
}

asio::awaitable<models::ProjectView> existing_view(db::Tx& tx, std::int64_t project_id, std::int64_t view_id) {
    auto view = co_await models::find_view(tx, project_id, view_id);
    if (!view) throw Error(ErrorCode::ProjectViewDoesNotExist);
    co_return *view;
}

}  // namespace

// ---- projects ----------------------------------------------------------------------------------------------

ProjectResource::Model ProjectResource::bind(Context& ctx) {
    Model m;
    if (has_body(ctx)) {
        auto body = ctx.body();
        m.project = models::project_from_json(body.object());
    }
    if (ctx.params.count("project")) m.project.id = ctx.id_param("project");
    m.archived = ctx.query_flag("is_archived");
    m.expand_permissions = ctx.request.query_value("expand").value_or("") == "permissions";
    m.dialect = &ctx.db().dialect();
    m.files = &ctx.files();
    return m;
}

asio::awaitable<bool> ProjectResource::can_create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await models::can_create_project(tx, doer, m.project);
}

asio::awaitable<void> ProjectResource::create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await models::create_project(tx, doer, m.project);
}

asio::awaitable<std::optional<models::Permission>> ProjectResource::can_read(db::Tx& tx, const models::Doer& doer,
                                                                            Model& m) {
    auto access = co_await existing_project(tx, doer, m.project.id);
    // Vikunja's header is the granted level; the archived state shows in is_archived.
    co_return access.permission;
}

asio::awaitable<void> ProjectResource::read_one(db::Tx& tx, const models::Doer& doer, Model& m) {
    auto project = co_await models::load_project(tx, doer, m.project.id);
    if (!project) throw Error(ErrorCode::ProjectDoesNotExist);
    m.project = std::move(*project);
}

asio::awaitable<bool> ProjectResource::can_read_all(db::Tx&, const models::Doer&, Model&) { co_return true; }

asio::awaitable<crud::Page<models::Project>> ProjectResource::read_all(db::Tx& tx, const models::Doer& doer, Model& m,
                                                                       const crud::ListQuery& q) {
    models::ProjectListQuery list{q.search, m.archived, m.expand_permissions, q.paging.limit(), q.paging.offset()};
    auto [projects, total] = co_await models::list_projects(tx, *m.dialect, doer, list);
    co_return crud::Page<models::Project>{std::move(projects), total};
}

asio::awaitable<bool> ProjectResource::can_update(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await models::can_update_project(tx, doer, m.project);
}

asio::awaitable<void> ProjectResource::update(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await models::update_project(tx, doer, m.project);
}

asio::awaitable<bool> ProjectResource::can_delete(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await models::can_delete_project(tx, doer, m.project.id);
}

asio::awaitable<void> ProjectResource::remove(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await models::delete_project(tx, *m.files, doer, m.project.id);
}

void ProjectResource::write(util::json::Writer& w, const Model& m) { models::write_project(w, m.project); }
void ProjectResource::write(util::json::Writer& w, const models::Project& p) { models::write_project(w, p); }

// ---- duplicate ---------------------------------------------------------------------------------------------

ProjectDuplicateResource::Model ProjectDuplicateResource::bind(Context& ctx) {
    Model m;
    m.source_id = ctx.id_param("projectid");
    auto body = ctx.body();
    auto in = body.object();
    m.parent_project_id = in.integer("parent_project_id").value_or(0);
    m.duplicate_shares = in.boolean("duplicate_shares").value_or(false);
    m.files = &ctx.files();
    return m;
}

asio::awaitable<bool> ProjectDuplicateResource::can_create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await models::can_duplicate_project(tx, doer, m.source_id, m.parent_project_id);
}

asio::awaitable<void> ProjectDuplicateResource::create(db::Tx& tx, const models::Doer& doer, Model& m) {
    m.project =
        co_await models::duplicate_project(tx, *m.files, doer, m.source_id, m.parent_project_id, m.duplicate_shares);
}

void ProjectDuplicateResource::write(util::json::Writer& w, const Model& m) {
    w.start_object();
    if (m.parent_project_id != 0) w.key("parent_project_id").integer(m.parent_project_id);
    if (m.duplicate_shares) w.key("duplicate_shares").boolean(true);
    if (m.project) {
        w.key("duplicated_project");
        models::write_project(w, *m.project);
    }
    w.end_object();
}

// ---- views -------------------------------------------------------------------------------------------------

ProjectViewResource::Model ProjectViewResource::bind(Context& ctx) {
    Model m;
    m.project_id = ctx.id_param("project");
    if (ctx.params.count("view")) m.view_id = ctx.id_param("view");
    if (has_body(ctx)) {
        auto body = ctx.body();
        m.view = models::view_from_json(body.object());
    }
    m.view.project_id = m.project_id;
    m.timezone = ctx.config().service_timezone;
    return m;
}

asio::awaitable<bool> ProjectViewResource::can_create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await is_admin(tx, doer, m.project_id);
}

asio::awaitable<void> ProjectViewResource::create(db::Tx& tx, const models::Doer& doer, Model& m) {
    models::validate_view_filters(m.view, m.timezone);
    co_await models::create_view(tx, doer, m.view, true);
}

asio::awaitable<std::optional<models::Permission>> ProjectViewResource::can_read(db::Tx& tx, const models::Doer& doer,
                                                                                Model& m) {
    auto access = co_await existing_project(tx, doer, m.project_id);
    co_return access.permission;
}

asio::awaitable<void> ProjectViewResource::read_one(db::Tx& tx, const models::Doer&, Model& m) {
    m.view = co_await existing_view(tx, m.project_id, m.view_id);
}

asio::awaitable<bool> ProjectViewResource::can_read_all(db::Tx& tx, const models::Doer& doer, Model& m) {
    auto access = co_await existing_project(tx, doer, m.project_id);
    co_return access.can_read();
}

asio::awaitable<crud::Page<models::ProjectView>> ProjectViewResource::read_all(db::Tx& tx, const models::Doer&,
                                                                               Model& m, const crud::ListQuery&) {
    // Vikunja returns every view of the project, unpaginated.
    std::vector<models::ProjectView> views;
    if (m.project_id == models::kFavoritesProjectId) {
        views = models::favorites_views();
    } else {
        std::vector<std::int64_t> ids{m.project_id};
        auto all = co_await models::views_for_projects(tx, ids);
        views = std::move(all[m.project_id]);
    }
    auto total = static_cast<std::int64_t>(views.size());
    co_return crud::Page<models::ProjectView>{std::move(views), total};
}

asio::awaitable<bool> ProjectViewResource::can_update(db::Tx& tx, const models::Doer& doer, Model& m) {
    if (!models::is_saved_filter_project(m.project_id)) m.stored = co_await existing_view(tx, m.project_id, m.view_id);
    bool admin = co_await is_admin(tx, doer, m.project_id);
    if (admin && !m.stored) m.stored = co_await existing_view(tx, m.project_id, m.view_id);
    co_return admin;
}

asio::awaitable<void> ProjectViewResource::update(db::Tx& tx, const models::Doer& doer, Model& m) {
    models::validate_view_filters(m.view, m.timezone);
    co_await models::update_view(tx, doer, m.view, *m.stored);
}

asio::awaitable<bool> ProjectViewResource::can_delete(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await can_update(tx, doer, m);
}

asio::awaitable<void> ProjectViewResource::remove(db::Tx& tx, const models::Doer&, Model& m) {
    co_await models::delete_view(tx, m.stored->id);
}

void ProjectViewResource::write(util::json::Writer& w, const Model& m) { models::write_view(w, m.view); }
void ProjectViewResource::write(util::json::Writer& w, const models::ProjectView& v) { models::write_view(w, v); }

// ---- buckets -----------------------------------------------------------------------------------------------

BucketResource::Model BucketResource::bind(Context& ctx) {
    Model m;
    m.project_id = ctx.id_param("project");
    m.view_id = ctx.id_param("view");
    if (ctx.params.count("bucket")) m.bucket_id = ctx.id_param("bucket");
    if (has_body(ctx)) {
        auto body = ctx.body();
        m.bucket = models::bucket_from_json(body.object());
    }
    m.bucket.id = m.bucket_id;
    m.bucket.project_view_id = m.view_id;
    return m;
}

asio::awaitable<bool> BucketResource::can_create(db::Tx& tx, const models::Doer& doer, Model& m) {
    m.view = co_await existing_view(tx, m.project_id, m.view_id);
    co_return co_await can_write(tx, doer, m.project_id);
}

asio::awaitable<void> BucketResource::create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await models::create_bucket(tx, doer, m.bucket);
}

asio::awaitable<bool> BucketResource::can_read_all(db::Tx& tx, const models::Doer& doer, Model& m) {
    m.view = co_await existing_view(tx, m.project_id, m.view_id);
    auto access = co_await existing_project(tx, doer, m.project_id);
    co_return access.can_read();
}

asio::awaitable<crud::Page<models::Bucket>> BucketResource::read_all(db::Tx& tx, const models::Doer&, Model& m,
                                                                     const crud::ListQuery&) {
    // Vikunja returns every bucket of the view, unpaginated and without tasks.
    auto buckets = co_await models::buckets_of_view(tx, m.view_id);
    auto total = static_cast<std::int64_t>(buckets.size());
    co_return crud::Page<models::Bucket>{std::move(buckets), total};
}

// Vikunja's canDoBucket: the bucket must exist (10001) and its view must belong to the project (3014).
asio::awaitable<bool> BucketResource::can_update(db::Tx& tx, const models::Doer& doer, Model& m) {
    auto stored = co_await models::find_bucket(tx, m.bucket_id);
    if (!stored) throw Error(ErrorCode::BucketDoesNotExist);
    m.view = co_await existing_view(tx, m.project_id, stored->project_view_id);
    m.bucket.project_view_id = stored->project_view_id;
    co_return co_await can_write(tx, doer, m.project_id);
}

asio::awaitable<void> BucketResource::update(db::Tx& tx, const models::Doer&, Model& m) {
    co_await models::update_bucket(tx, m.bucket);
}

asio::awaitable<bool> BucketResource::can_delete(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await can_update(tx, doer, m);
}

asio::awaitable<void> BucketResource::remove(db::Tx& tx, const models::Doer&, Model& m) {
    co_await models::delete_bucket(tx, m.bucket, *m.view);
}

void BucketResource::write(util::json::Writer& w, const Model& m) { models::write_bucket(w, m.bucket); }
void BucketResource::write(util::json::Writer& w, const models::Bucket& b) { models::write_bucket(w, b); }

}  // namespace vicugna::api::v1
