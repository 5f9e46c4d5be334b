// SPDX-License-Identifier: AGPL-3.0-or-later
// Labels, labels on tasks and assignees (Vikunja: pkg/models/label.go, label_permissions.go, label_task.go,
// label_task_permissions.go, task_assignees.go, task_assignees_permissions.go).
#include "api/v1/task_extras.hpp"

#include "api/errors.hpp"
#include "models/tasks.hpp"

namespace vicugna::api::v1 {
namespace {

// Project.CanWrite: archived projects answer 3008 rather than "no" (to those who can see them at all).
// The assignee routes find the project through the task (GetProjectSimpleByTaskID): a missing task is 3001.
asio::awaitable<models::TaskAccess> assignee_task(db::Tx& tx, const Doer& doer, std::int64_t task_id) {
    std::optional<models::TaskAccess> access;
    try {
        access = co_await models::task_access(tx, doer, task_id);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::TaskDoesNotExist) throw;
    }
    if (!access) throw Error(ErrorCode::ProjectDoesNotExist);
    co_return *access;
}

std::optional<util::Timestamp> sent_time(const util::json::Object& in, const char* key) {
    auto t = in.time(key);
    return t ? *t : std::nullopt;
}

// The elements of a bulk body's array field (null or absent = none); anything but objects is a bind error.
std::vector<util::json::Object> objects_in(const util::json::Object& in, const char* key, bool& is_null) {
    std::vector<util::json::Object> out;
    const auto* array = in.get(key);
    is_null = !array || array->IsNull();
    if (is_null) return out;
    if (!array->IsArray()) throw util::json::BadInput(std::string(key) + " must be an array");
    for (const auto& v : array->GetArray()) {
        if (!v.IsObject()) throw util::json::BadInput(std::string(key) + " must hold objects");
        out.emplace_back(&v);
    }
    return out;
}

void write_optional_time(util::json::Writer& w, const char* key, util::Timestamp t) {
    w.key(key).time(t == util::Timestamp{} ? std::nullopt : std::optional(t));
}

}  // namespace

// Vikunja's struct tags: title runelength(1|250), hex_color runelength(0|7) (the '#' is cut afterwards).
void validate_label(const models::Label& l) {
    if (l.title.empty()) invalid_field("title", "non zero value required");
    if (rune_count(l.title) > 250) invalid_field("title", l.title + " does not validate as runelength(1|250)");
    if (rune_count(l.hex_color) > 7) {
        invalid_field("hex_color", l.hex_color + " does not validate as runelength(0|7)");
    }
}

bool writes_body(const Context& ctx) {
    return ctx.route.method == http::Verb::put || ctx.route.method == http::Verb::post;
}

std::size_t rune_count(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

asio::awaitable<bool> can_write_task(db::Tx& tx, const Doer& doer, std::int64_t task_id) {
    auto access = co_await models::task_access(tx, doer, task_id);
    co_return models::check_project_writable(access.project);
}

// --- /labels -----------------------------------------------------------------------------------------------

LabelResource::Model LabelResource::bind(Context& ctx) {
    Model m;
    // The path wins over a body "id" (clients send the whole object back).
    if (ctx.params.count("label")) m.id = ctx.id_param("label");
    auto body = ctx.body();
    auto in = body.object();
    m.title = in.string("title").value_or("");
    m.description = in.string("description").value_or("");
    m.hex_color = in.string("hex_color").value_or("");
    if (writes_body(ctx)) validate_label(m);
    return m;
}

asio::awaitable<bool> LabelResource::can_create(db::Tx&, const Doer& doer, Model&) { co_return !doer.is_link_share(); }

asio::awaitable<void> LabelResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::insert_label(tx, doer, m);
}

asio::awaitable<std::optional<Permission>> LabelResource::can_read(db::Tx& tx, const Doer& doer, Model& m) {
    // A missing label is just not visible: 403, as Vikunja's hasAccessToLabel answers.
    auto permission = co_await models::label_permission(tx, doer, m.id);
    co_return permission;
}

asio::awaitable<void> LabelResource::read_one(db::Tx& tx, const Doer&, Model& m) {
    auto label = co_await models::find_label(tx, m.id);
    if (!label) throw Error(ErrorCode::LabelDoesNotExist);
    m = std::move(*label);
}

asio::awaitable<bool> LabelResource::can_read_all(db::Tx&, const Doer&, Model&) { co_return true; }

asio::awaitable<crud::Page<models::Label>> LabelResource::read_all(db::Tx& tx, const Doer& doer, Model&,
                                                                   const crud::ListQuery& q) {
    auto [labels, total] =
        co_await models::list_visible_labels(tx, doer, q.search, q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::Label>{std::move(labels), total};
}

asio::awaitable<bool> LabelResource::can_update(db::Tx& tx, const Doer& doer, Model& m) {
    auto owner = co_await models::owns_label(tx, doer, m.id);
    co_return owner;
}

asio::awaitable<void> LabelResource::update(db::Tx& tx, const Doer&, Model& m) {
    co_await models::update_label(tx, m);
}

asio::awaitable<bool> LabelResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto owner = co_await models::owns_label(tx, doer, m.id);
    co_return owner;
}

asio::awaitable<void> LabelResource::remove(db::Tx& tx, const Doer&, Model& m) {
    co_await models::delete_label(tx, m.id);
}

void LabelResource::write(util::json::Writer& w, const Model& m) { models::write_label(w, m); }

// --- /tasks/{projecttask}/labels -----------------------------------------------------------------------------

LabelTaskResource::Model LabelTaskResource::bind(Context& ctx) {
    Model m;
    m.task_id = ctx.id_param("projecttask");
    auto body = ctx.body();
    m.label_id = body.object().integer("label_id").value_or(0);
    if (ctx.params.count("label")) m.label_id = ctx.id_param("label");
    return m;
}

asio::awaitable<bool> LabelTaskResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    // Vikunja's order: the label exists (8002), I can see it (else a plain 403), I can write the task.
    auto label = co_await models::find_label(tx, m.label_id);
    if (!label) throw Error(ErrorCode::LabelDoesNotExist);
    bool visible = co_await models::can_see_label(tx, doer, m.label_id);
    if (!visible) co_return false;
    auto can_write = co_await can_write_task(tx, doer, m.task_id);
    co_return can_write;
}

asio::awaitable<void> LabelTaskResource::create(db::Tx& tx, const Doer&, Model& m) {
    m.created = co_await models::add_task_label(tx, m.task_id, m.label_id);
}

asio::awaitable<bool> LabelTaskResource::can_read_all(db::Tx& tx, const Doer& doer, Model& m) {
    auto access = co_await models::task_access(tx, doer, m.task_id);
    if (!access.project.can_read()) throw Error(ErrorCode::NoPermissionToSeeTask);
    co_return true;
}

asio::awaitable<crud::Page<models::Label>> LabelTaskResource::read_all(db::Tx& tx, const Doer&, Model& m,
                                                                       const crud::ListQuery& q) {
    auto [labels, total] =
        co_await models::list_task_labels(tx, m.task_id, q.search, q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::Label>{std::move(labels), total};
}

asio::awaitable<bool> LabelTaskResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    bool can_write = co_await can_write_task(tx, doer, m.task_id);
    if (!can_write) co_return false;
    // A label that is not on the task is a 403, not a 404 (Vikunja's LabelTask.CanDelete).
    auto on_task = co_await models::task_has_label(tx, m.task_id, m.label_id);
    co_return on_task;
}

asio::awaitable<void> LabelTaskResource::remove(db::Tx& tx, const Doer&, Model& m) {
    co_await models::remove_task_label(tx, m.task_id, m.label_id);
}

void LabelTaskResource::write(util::json::Writer& w, const Model& m) {
    w.start_object();
    w.key("label_id").integer(m.label_id);
    w.key("created").time(m.created);
    w.end_object();
}

void LabelTaskResource::write(util::json::Writer& w, const models::Label& label) { models::write_label(w, label); }

LabelTaskBulkResource::Model LabelTaskBulkResource::bind(Context& ctx) {
    Model m;
    m.task_id = ctx.id_param("projecttask");
    auto body = ctx.body();
    for (const auto& in : objects_in(body.object(), "labels", m.labels_null)) {
        models::Label l;
        l.id = in.integer("id").value_or(0);
        l.title = in.string("title").value_or("");
        l.description = in.string("description").value_or("");
        l.hex_color = in.string("hex_color").value_or("");
        l.created = sent_time(in, "created").value_or(util::Timestamp{});
        l.updated = sent_time(in, "updated").value_or(util::Timestamp{});
        m.labels.push_back(std::move(l));
    }
    return m;
}

asio::awaitable<bool> LabelTaskBulkResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto can_write = co_await can_write_task(tx, doer, m.task_id);
    co_return can_write;
}

asio::awaitable<void> LabelTaskBulkResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    std::vector<std::int64_t> ids;
    for (const auto& l : m.labels) ids.push_back(l.id);
    co_await models::replace_task_labels(tx, doer, m.task_id, ids);
}

void LabelTaskBulkResource::write(util::json::Writer& w, const Model& m) {
    w.start_object();
    w.key("labels");
    if (m.labels_null) {
        w.null();
    } else {
        w.start_array();
        for (const auto& l : m.labels) {
            w.start_object();
            w.key("id").integer(l.id);
            w.key("title").string(l.title);
            w.key("description").string(l.description);
            w.key("hex_color").string(l.hex_color);
            w.key("created_by").null();
            write_optional_time(w, "created", l.created);
            write_optional_time(w, "updated", l.updated);
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
}

// --- /tasks/{projecttask}/assignees --------------------------------------------------------------------------

TaskAssigneeResource::Model TaskAssigneeResource::bind(Context& ctx) {
    Model m;
    m.task_id = ctx.id_param("projecttask");
    auto body = ctx.body();
    m.user_id = body.object().integer("user_id").value_or(0);
    if (ctx.params.count("user")) m.user_id = ctx.id_param("user");
    return m;
}

asio::awaitable<bool> TaskAssigneeResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto access = co_await assignee_task(tx, doer, m.task_id);
    m.project_id = access.project_id;
    co_return models::check_project_writable(access.project);
}

asio::awaitable<void> TaskAssigneeResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    m.created = co_await models::assign_user(tx, doer, m.task_id, m.project_id, m.user_id);
}

asio::awaitable<bool> TaskAssigneeResource::can_read_all(db::Tx& tx, const Doer& doer, Model& m) {
    auto access = co_await assignee_task(tx, doer, m.task_id);
    if (!access.project.can_read()) throw Error(ErrorCode::Forbidden);
    co_return true;
}

asio::awaitable<crud::Page<models::User>> TaskAssigneeResource::read_all(db::Tx& tx, const Doer&, Model& m,
                                                                         const crud::ListQuery& q) {
    auto [users, total] =
        co_await models::list_task_assignees(tx, m.task_id, q.search, q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::User>{std::move(users), total};
}

asio::awaitable<bool> TaskAssigneeResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto access = co_await assignee_task(tx, doer, m.task_id);
    co_return models::check_project_writable(access.project);
}

asio::awaitable<void> TaskAssigneeResource::remove(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::unassign_user(tx, doer, m.task_id, m.user_id);
}

void TaskAssigneeResource::write(util::json::Writer& w, const Model& m) {
    w.start_object();
    w.key("user_id").integer(m.user_id);
    w.key("created").time(m.created);
    w.end_object();
}

void TaskAssigneeResource::write(util::json::Writer& w, const models::User& user) {
    w.start_object();
    models::write_user(w, user);
    w.end_object();
}

BulkAssigneesResource::Model BulkAssigneesResource::bind(Context& ctx) {
    Model m;
    m.task_id = ctx.id_param("projecttask");
    auto body = ctx.body();
    for (const auto& in : objects_in(body.object(), "assignees", m.assignees_null)) {
        models::User u;
        u.id = in.integer("id").value_or(0);
        u.settings.name = in.string("name").value_or("");
        u.username = in.string("username").value_or("");
        u.created = sent_time(in, "created").value_or(util::Timestamp{});
        u.updated = sent_time(in, "updated").value_or(util::Timestamp{});
        m.assignees.push_back(std::move(u));
    }
    return m;
}

asio::awaitable<bool> BulkAssigneesResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto access = co_await assignee_task(tx, doer, m.task_id);
    m.project_id = access.project_id;
    co_return models::check_project_writable(access.project);
}

asio::awaitable<void> BulkAssigneesResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    std::vector<std::int64_t> ids;
    for (const auto& u : m.assignees) ids.push_back(u.id);
    co_await models::replace_task_assignees(tx, doer, m.task_id, m.project_id, ids);
}

void BulkAssigneesResource::write(util::json::Writer& w, const Model& m) {
    w.start_object();
    w.key("assignees");
    if (m.assignees_null) {
        w.null();
    } else {
        w.start_array();
        for (const auto& u : m.assignees) {
            w.start_object();
            w.key("id").integer(u.id);
            w.key("name").string(u.settings.name);
            w.key("username").string(u.username);
            write_optional_time(w, "created", u.created);
            write_optional_time(w, "updated", u.updated);
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
}

}  // namespace vicugna::api::v1
