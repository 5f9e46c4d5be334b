// SPDX-License-Identifier: AGPL-3.0-or-later
// Tasks (Vikunja: pkg/models/tasks.go, tasks_permissions.go, bulk_task.go, task_position.go,
// kanban_task_bucket.go, task_duplicate.go, task_unread_statuses.go; routes.go).
#include "api/v1/tasks.hpp"

#include "api/errors.hpp"
#include "api/v1/handlers.hpp"
#include "api/v1/task_extras.hpp"
#include "models/buckets.hpp"

namespace vicugna::api::v1 {
namespace {

asio::awaitable<bool> can_write_project(db::Tx& tx, const models::Doer& doer, std::int64_t project_id) {
    auto access = co_await models::project_access(tx, doer, project_id);
    co_return models::check_project_writable(access);
}

// One full task; `expand` may be null. (No temporaries in the awaited call: GCC 12 coroutine bugs.)
asio::awaitable<models::Task> load_one(db::Tx& tx, const models::Doer& doer, std::int64_t task_id,
                                       std::int64_t view_id = 0, const models::TaskExpand* expand = nullptr) {
    std::vector<std::int64_t> ids{task_id};
    models::TaskExpand none;
    const models::TaskExpand& wanted = expand ? *expand : none;
    auto tasks = co_await models::load_tasks(tx, doer, ids, wanted, view_id);
    if (tasks.empty()) throw Error(ErrorCode::TaskDoesNotExist);
    co_return std::move(tasks.front());
}

// W on the project of every (live) task and on the destination project (Vikunja: BulkTask.CanUpdate).
asio::awaitable<bool> can_bulk_update(db::Tx& tx, const models::Doer& doer, const std::vector<std::int64_t>& ids,
                                      std::int64_t target) {
    auto projects = co_await models::projects_of_tasks(tx, ids);
    if (projects.empty()) throw Error(ErrorCode::BulkTasksNeedAtLeastOne);
    for (auto project_id : projects) {
        bool can = co_await can_write_project(tx, doer, project_id);
        if (!can) co_return false;
    }
    if (target == 0) co_return true;
    co_return co_await can_write_project(tx, doer, target);
}

std::vector<std::int64_t> int_array(const util::json::Object& in, const char* key) {
    std::vector<std::int64_t> out;
    const auto* v = in.get(key);
    if (!v) return out;
    if (!v->IsArray()) throw util::json::BadInput(std::string("field ") + key + " must be an array");
    for (const auto& item : v->GetArray()) {
        if (!item.IsInt64()) throw util::json::BadInput(std::string("field ") + key + " must hold integers");
        out.push_back(item.GetInt64());
    }
    return out;
}

std::vector<std::string> string_array(const util::json::Object& in, const char* key) {
    std::vector<std::string> out;
    const auto* v = in.get(key);
    if (!v) return out;
    if (!v->IsArray()) throw util::json::BadInput(std::string("field ") + key + " must be an array");
    for (const auto& item : v->GetArray()) {
        if (!item.IsString()) throw util::json::BadInput(std::string("field ") + key + " must hold strings");
        out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
}

}  // namespace

TaskResource::Model TaskResource::bind(Context& ctx) {
    Model m;
    if (ctx.params.count("projecttask")) m.task_id = ctx.id_param("projecttask");
    if (ctx.params.count("index")) {
        m.project_ref = ctx.params.at("project");
        m.index = ctx.id_param("index");
    } else if (ctx.params.count("project")) {
        m.project_id = ctx.id_param("project");
    }
    if (ctx.route.method == http::Verb::get) m.expand = models::parse_task_expand(query_values(ctx, "expand"));
    if (ctx.route.method == http::Verb::put || ctx.route.method == http::Verb::post) {
        auto body = ctx.body();
        m.input = models::task_input_from_json(body.object());
    }
    return m;
}

asio::awaitable<bool> TaskResource::can_create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await can_write_project(tx, doer, m.project_id);
}

asio::awaitable<void> TaskResource::create(db::Tx& tx, const models::Doer& doer, Model& m) {
    auto requested_bucket = m.input.task.bucket_id;
    auto requested_position = m.input.task.position;
    auto id = co_await models::create_task(tx, doer, m.project_id, m.input);
    // The answer shows the task as seen from the requested bucket's view (the client files the card under it).
    std::int64_t view_id = 0;
    if (requested_bucket != 0) view_id = co_await models::view_of_bucket(tx, requested_bucket);
    m.task = co_await load_one(tx, doer, id, view_id);
    if (view_id == 0) m.task.position = requested_position;
}

asio::awaitable<std::optional<models::Permission>> TaskResource::can_read(db::Tx& tx, const models::Doer& doer,
                                                                         Model& m) {
    if (!m.project_ref.empty()) {
        auto project_id = co_await models::resolve_project_ref(tx, m.project_ref);
        m.task_id = co_await models::task_id_by_index(tx, project_id, m.index);
    }
    auto access = co_await models::task_access(tx, doer, m.task_id);
    co_return access.project.max_permission();
}

asio::awaitable<void> TaskResource::read_one(db::Tx& tx, const models::Doer& doer, Model& m) {
    m.task = co_await load_one(tx, doer, m.task_id, 0, &m.expand);
    m.task.subscription = co_await models::load_task_subscription(tx, doer, m.task);
}

asio::awaitable<bool> TaskResource::can_update(db::Tx& tx, const models::Doer& doer, Model& m) {
    auto access = co_await models::task_access(tx, doer, m.task_id);
    auto target = m.input.task.project_id;
    if (target != 0 && target != access.project_id) {
        bool can_move = co_await can_write_project(tx, doer, target);
        if (!can_move) co_return false;
    }
    co_return models::check_project_writable(access.project);
}

asio::awaitable<void> TaskResource::update(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await models::update_task(tx, doer, m.task_id, m.input);
    m.task = co_await load_one(tx, doer, m.task_id);
}

asio::awaitable<bool> TaskResource::can_delete(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await can_write_task(tx, doer, m.task_id);
}

asio::awaitable<void> TaskResource::remove(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await models::delete_task(tx, doer, m.task_id);
}

void TaskResource::write(util::json::Writer& w, const Model& m) { models::write_task(w, m.task); }

// POST /tasks/bulk → {task_ids, fields, values, tasks}.
asio::awaitable<http::Response> tasks_bulk(Context& ctx) {
    auto body = ctx.body();
    auto in = body.object();
    auto ids = int_array(in, "task_ids");
    auto fields = string_array(in, "fields");
    const auto* values_json = in.get("values");
    if (values_json && !values_json->IsObject()) throw util::json::BadInput("field values must be an object");
    auto values = models::task_input_from_json(util::json::Object(values_json));
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    bool allowed = co_await can_bulk_update(*tx, doer, ids, values.task.project_id);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    for (const auto& f : fields) {
        if (!models::is_bulk_task_field(f)) throw Error(ErrorCode::InvalidTaskColumn);
    }
    co_await models::bulk_update_tasks(*tx, doer, ids, fields, values);
    models::TaskExpand no_expand;
    auto tasks = co_await models::load_tasks(*tx, doer, ids, no_expand);
    co_await tx->commit();
    util::json::Writer w;
    w.start_object();
    w.key("task_ids").start_array();
    for (auto id : ids) w.integer(id);
    w.end_array();
    w.key("fields").start_array();
    for (const auto& f : fields) w.string(f);
    w.end_array();
    values.task.nested = true;  // Go's zero Task: related_tasks and created_by are null
    w.key("values");
    models::write_task(w, values.task);
    w.key("tasks").start_array();
    for (const auto& t : tasks) models::write_task(w, t);
    w.end_array();
    w.end_object();
    co_return json(200, w.take());
}

// POST /tasks/{task}/position → TaskPosition.
asio::awaitable<http::Response> task_position(Context& ctx) {
    auto task_id = ctx.id_param("task");
    auto body = ctx.body();
    auto in = body.object();
    auto view_id = in.integer("project_view_id").value_or(0);
    auto position = in.number("position").value_or(0);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    bool allowed = co_await can_write_task(*tx, doer, task_id);
    if (!allowed) throw Error(ErrorCode::GenericForbidden);
    auto stored = co_await models::set_task_position(*tx, doer, task_id, view_id, position);
    co_await tx->commit();
    util::json::Writer w;
    w.start_object();
    w.key("task_id").integer(task_id);
    w.key("project_view_id").integer(view_id);
    w.key("position").number(stored);
    w.end_object();
    co_return json(200, w.take());
}

// POST /projects/{project}/views/{view}/buckets/{bucket}/tasks → TaskBucket.
asio::awaitable<http::Response> task_bucket_move(Context& ctx) {
    auto project_id = ctx.id_param("project");
    auto view_id = ctx.id_param("view");
    auto bucket_id = ctx.id_param("bucket");
    auto body = ctx.body();
    auto task_id = body.object().integer("task_id").value_or(0);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    bool project_writable = co_await can_write_project(*tx, doer, project_id);
    if (!project_writable) throw Error(ErrorCode::GenericForbidden);
    bool task_writable = co_await can_write_task(*tx, doer, task_id);
    if (!task_writable) throw Error(ErrorCode::GenericForbidden);
    auto final_bucket = co_await models::move_task_to_bucket(*tx, doer, project_id, view_id, bucket_id, task_id);
    auto bucket = co_await models::find_bucket(*tx, final_bucket);
    auto task = co_await load_one(*tx, doer, task_id, view_id);
    co_await tx->commit();
    util::json::Writer w;
    w.start_object();
    w.key("bucket_id").integer(final_bucket);
    w.key("bucket");
    if (bucket) {
        models::write_bucket(w, *bucket);
    } else {
        w.null();
    }
    w.key("task_id").integer(task_id);
    w.key("project_view_id").integer(view_id);
    w.key("task");
    models::write_task(w, task);
    w.end_object();
    co_return json(200, w.take());
}

// PUT /tasks/{projecttask}/duplicate → 201 {duplicated_task}.
asio::awaitable<http::Response> task_duplicate(Context& ctx) {
    auto task_id = ctx.id_param("projecttask");
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    auto access = co_await models::task_access(*tx, doer, task_id);
    if (!access.project.can_read() || !models::check_project_writable(access.project)) {
        throw Error(ErrorCode::GenericForbidden);
    }
    auto copy_id = co_await models::duplicate_task(*tx, ctx.files(), doer, task_id);
    auto copy = co_await load_one(*tx, doer, copy_id);
    co_await tx->commit();
    util::json::Writer w;
    w.start_object();
    w.key("duplicated_task");
    models::write_task(w, copy);
    w.end_object();
    co_return json(201, w.take());
}

// POST /tasks/{projecttask}/read → {"TaskID":…,"UserID":0} (Vikunja's struct has no json tags).
asio::awaitable<http::Response> task_mark_read(Context& ctx) {
    auto task_id = ctx.id_param("projecttask");
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Write);
    co_await models::mark_task_read(*tx, doer, task_id);
    co_await tx->commit();
    util::json::Writer w;
    w.start_object().key("TaskID").integer(task_id).key("UserID").integer(0).end_object();
    co_return json(200, w.take());
}

}  // namespace vicugna::api::v1
