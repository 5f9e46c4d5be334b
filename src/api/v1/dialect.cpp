// SPDX-License-Identifier: AGPL-3.0-or-later
// The operations manual's integration dialect (ours; spec §10 lists what Vikunja lacks). Bodies and query
// parameters are translated into v1's forms, then v1's task resource and task list do the work.
#include "api/v1/dialect.hpp"

#include <array>
#include <charconv>

#include "api/errors.hpp"
#include "api/v1/handlers.hpp"
#include "api/v1/task_extras.hpp"
#include "models/task_collection.hpp"

namespace vicugna::api::v1 {
namespace {

using Model = DialectTaskResource::Model;

// The task dates that, without a zone, are read in the caller's time zone.
constexpr std::array<const char*, 3> kDateKeys = {"due_date", "start_date", "end_date"};

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return v;
}

// `project_id` may be a numeric string (the manual sends os.getenv(…)); anything else but a number is a bind error,
// as a non-numeric project in v1's create path is.
void normalise_project_id(rapidjson::Document& body) {
    auto it = body.FindMember("project_id");
    if (it == body.MemberEnd() || it->value.IsNull() || it->value.IsInt64()) return;
    std::optional<std::int64_t> id;
    if (it->value.IsString()) id = parse_int({it->value.GetString(), it->value.GetStringLength()});
    if (!id) throw util::json::BadInput("field project_id must be a number");
    it->value.SetInt64(*id);
}

// `labels`: names, ids or label objects ({id} or {title}); null entries and empty names are skipped. Taken out
// of the body (v1's reader ignores labels). Absent or null: the labels stay as they are.
std::optional<std::vector<models::LabelRef>> take_labels(rapidjson::Document& body) {
    auto it = body.FindMember("labels");
    if (it == body.MemberEnd()) return std::nullopt;
    std::optional<std::vector<models::LabelRef>> refs;
    if (!it->value.IsNull()) {
        if (!it->value.IsArray()) throw util::json::BadInput("field labels must be an array");
        refs.emplace();
        for (const auto& v : it->value.GetArray()) {
            models::LabelRef ref;
            if (v.IsString()) {
                ref.title.assign(v.GetString(), v.GetStringLength());
            } else if (v.IsInt64()) {
                ref.id = v.GetInt64();
            } else if (v.IsObject()) {
                util::json::Object label(&v);
                ref.id = label.integer("id").value_or(0);
                if (ref.id == 0) ref.title = label.string("title").value_or("");
            } else if (!v.IsNull()) {
                throw util::json::BadInput("field labels must hold label names, ids or labels");
            }
            if (ref.id == 0 && ref.title.empty()) continue;
            if (ref.id == 0) {
                models::Label label;
                label.title = ref.title;
                validate_label(label);
            }
            refs->push_back(std::move(ref));
        }
    }
    body.RemoveMember(it);
    return refs;
}

// Dates without a zone (Python's isoformat()) are wall-clock times in the user's time zone setting, else
// service.timezone; they become RFC 3339 UTC for v1's reader.
asio::awaitable<void> localise_dates(db::Tx& tx, const models::Doer& doer, Model& m) {
    std::optional<std::string> zone;
    for (const char* key : kDateKeys) {
        auto it = m.body.FindMember(key);
        if (it == m.body.MemberEnd() || !it->value.IsString()) continue;
        if (!zone) {
            zone = co_await models::user_timezone(tx, doer.user_id);
            if (zone->empty()) zone = m.service_timezone;
        }
        auto t = util::parse_time_in_zone({it->value.GetString(), it->value.GetStringLength()}, *zone);
        if (!t) continue;  // v1's reader refused it already
        auto text = util::to_rfc3339(*t);
        it->value.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), m.body.GetAllocator());
    }
}

// The body through v1's reader, and the labels as ids (found or created in this transaction).
asio::awaitable<void> read_input(db::Tx& tx, const models::Doer& doer, Model& m) {
    m.input = models::task_input_from_json(util::json::Object(&m.body));
    if (m.labels) m.input.label_ids = co_await models::find_or_create_labels(tx, doer, *m.labels);
}

// The stored task in v1's JSON with the body's keys laid over it: a null resets the field, as JSON merge patch.
asio::awaitable<void> merge_stored(db::Tx& tx, const models::Doer& doer, Model& m) {
    std::vector<std::int64_t> ids{m.task_id};
    models::TaskExpand none;
    auto stored = co_await models::load_tasks(tx, doer, ids, none);
    if (stored.empty()) throw Error(ErrorCode::TaskDoesNotExist);
    util::json::Writer w;
    models::write_task(w, stored.front());
    auto text = w.take();
    rapidjson::Document merged;
    merged.Parse(text.data(), text.size());
    auto& alloc = merged.GetAllocator();
    for (const auto& member : m.body.GetObject()) {
        rapidjson::Value value(member.value, alloc);
        if (auto it = merged.FindMember(member.name); it != merged.MemberEnd()) {
            it->value = value;  // RapidJSON assignment moves
        } else {
            rapidjson::Value name(member.name, alloc);
            merged.AddMember(name, value, alloc);
        }
    }
    m.body = std::move(merged);
}

std::optional<std::string> search_param(const Context& ctx, const std::string& key) {
    auto v = ctx.request.query_value(key);
    if (v && v->empty()) v.reset();
    return v;
}

[[noreturn]] void invalid_search_value(const std::string& key, const std::string& expected) {
    throw Error(ErrorCode::InvalidTaskFilterValue, "The task filter value is invalid: " + key + " " + expected + ".");
}

std::int64_t search_int(const std::string& key, const std::string& text) {
    auto v = parse_int(text);
    if (!v) invalid_search_value(key, "must be an integer");
    return *v;
}

// `due_before` / `due_after`: ISO 8601, read in `zone` when it has none.
std::string due_clause(const std::string& key, const std::string& text, std::string_view op, const std::string& zone) {
    auto t = util::parse_time_in_zone(text, zone);
    if (!t) invalid_search_value(key, "must be an ISO 8601 date");
    return "due_date " + std::string(op) + " '" + util::to_rfc3339(*t) + "'";
}

// The label clauses: each `labels` value (a name or an id) must be on the task; one name may match several
// visible labels, so each value is an `in` over the ids it names.
asio::awaitable<std::vector<std::string>> label_clauses(const Context& ctx, db::Tx& tx, const models::Doer& doer) {
    std::vector<std::string> values;
    for (const auto& param : query_values(ctx, "labels")) {
        for (std::size_t start = 0; start <= param.size();) {
            auto comma = std::min(param.find(',', start), param.size());
            auto value = param.substr(start, comma - start);
            auto first = value.find_first_not_of(" \t");
            if (first != std::string::npos) values.push_back(value.substr(first, value.find_last_not_of(" \t") - first + 1));
            start = comma + 1;
        }
    }
    auto labels = co_await models::visible_labels_titled(tx, doer, values);
    std::vector<std::string> clauses;
    for (const auto& value : values) {
        std::string ids;
        auto add = [&](std::int64_t id) { ids += (ids.empty() ? "" : ", ") + std::to_string(id); };
        if (auto id = parse_int(value)) add(*id);
        for (const auto& label : labels) {
            if (label.title == value) add(label.id);
        }
        // Label id 0 never exists: a name no visible label has matches no task.
        clauses.push_back("labels in " + (ids.empty() ? std::string("0") : ids));
    }
    co_return clauses;
}

// The search parameters as one v1 filter expression (each clause is a single comparison, so joining them with &&
// needs no parentheses).
asio::awaitable<std::string> search_filter(const Context& ctx, db::Tx& tx, const models::Doer& doer) {
    std::vector<std::string> clauses;
    if (auto done = search_param(ctx, "done")) {
        // Go's strconv.ParseBool, as v1 reads flags (Python's requests sends True/False).
        auto value = parse_go_bool(*done);
        if (!value) invalid_search_value("done", "must be true or false");
        clauses.push_back(*value ? "done = true" : "done = false");
    }
    if (auto priority = search_param(ctx, "priority")) {
        clauses.push_back("priority = " + std::to_string(search_int("priority", *priority)));
    }
    auto due_before = search_param(ctx, "due_before");
    auto due_after = search_param(ctx, "due_after");
    if (due_before || due_after) {
        auto zone = co_await models::user_timezone(tx, doer.user_id);
        if (zone.empty()) zone = ctx.config().service_timezone;
        if (due_before) clauses.push_back(due_clause("due_before", *due_before, "<", zone));
        if (due_after) clauses.push_back(due_clause("due_after", *due_after, ">", zone));
    }
    auto labels = co_await label_clauses(ctx, tx, doer);
    clauses.insert(clauses.end(), labels.begin(), labels.end());
    std::string filter;
    for (const auto& c : clauses) filter += (filter.empty() ? "" : " && ") + c;
    co_return filter;
}

}  // namespace

DialectTaskResource::Model DialectTaskResource::bind(Context& ctx) {
    Model m;
    if (ctx.params.count("projecttask")) m.task_id = ctx.id_param("projecttask");
    auto body = ctx.body();
    m.body.CopyFrom(body.document(), m.body.GetAllocator());
    normalise_project_id(m.body);
    m.labels = take_labels(m.body);
    // v1's reader checks the given fields now, so a bad body is refused before the permission check, as in v1.
    m.input = models::task_input_from_json(util::json::Object(&m.body));
    m.project_id = m.input.task.project_id;
    m.service_timezone = ctx.config().service_timezone;
    return m;
}

asio::awaitable<bool> DialectTaskResource::can_create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await TaskResource::can_create(tx, doer, m);
}

asio::awaitable<void> DialectTaskResource::create(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await localise_dates(tx, doer, m);
    co_await read_input(tx, doer, m);
    co_await TaskResource::create(tx, doer, m);
}

asio::awaitable<bool> DialectTaskResource::can_update(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_return co_await TaskResource::can_update(tx, doer, m);
}

asio::awaitable<void> DialectTaskResource::update(db::Tx& tx, const models::Doer& doer, Model& m) {
    co_await localise_dates(tx, doer, m);
    co_await merge_stored(tx, doer, m);
    co_await read_input(tx, doer, m);
    co_await TaskResource::update(tx, doer, m);
}

void DialectTaskResource::write(util::json::Writer& w, const Model& m) { TaskResource::write(w, m); }

asio::awaitable<http::Response> tasks_search(Context& ctx) {
    auto paging = read_paging(ctx);
    models::TaskListParams params;
    params.search = ctx.request.query_value("s").value_or("");
    params.sort_by = query_values(ctx, "sort_by");
    params.order_by = query_values(ctx, "order_by");
    if (auto project = search_param(ctx, "project_id")) params.project_id = search_int("project_id", *project);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Read);
    params.filter = co_await search_filter(ctx, *tx, doer);
    co_return co_await task_list_response(ctx, *tx, params, paging);
}

}  // namespace vicugna::api::v1
