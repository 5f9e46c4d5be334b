// SPDX-License-Identifier: AGPL-3.0-or-later
// Comments, relations and reactions (Vikunja: pkg/models/task_comments.go, task_comment_permissions.go,
// task_relation.go, task_relation_permissions.go, reaction.go, reaction_permissions.go).
#include "api/errors.hpp"
#include "api/pagination.hpp"
#include "api/v1/handlers.hpp"
#include "api/v1/task_extras.hpp"

namespace vicugna::api::v1 {
namespace {

// Vikunja's dbtext validator on SQLite and PostgreSQL.
constexpr std::size_t kMaxCommentBytes = 1048576;
constexpr std::size_t kMaxReactionRunes = 20;

}  // namespace

// --- /tasks/{task}/comments ------------------------------------------------------------------------------------

TaskCommentResource::Model TaskCommentResource::bind(Context& ctx) {
    Model m;
    m.task_id = ctx.id_param("task");
    if (ctx.params.count("commentid")) m.id = ctx.id_param("commentid");
    auto body = ctx.body();
    m.comment = body.object().string("comment").value_or("");
    m.newest_first = ctx.request.query_value("order_by").value_or("") == "desc";
    if (writes_body(ctx)) {
        if (m.comment.empty()) invalid_field("comment", "non zero value required");
        if (m.comment.size() > kMaxCommentBytes) invalid_field("comment", "does not validate as dbtext");
    }
    return m;
}

asio::awaitable<bool> TaskCommentResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto can_write = co_await can_write_task(tx, doer, m.task_id);
    co_return can_write;
}

asio::awaitable<void> TaskCommentResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::insert_task_comment(tx, doer, m);
}

asio::awaitable<std::optional<Permission>> TaskCommentResource::can_read(db::Tx& tx, const Doer& doer, Model& m) {
    auto access = co_await models::task_access(tx, doer, m.task_id);
    co_return access.project.max_permission();
}

asio::awaitable<void> TaskCommentResource::read_one(db::Tx& tx, const Doer&, Model& m) {
    auto comment = co_await models::find_task_comment(tx, m.task_id, m.id);
    if (!comment) throw Error(ErrorCode::TaskCommentDoesNotExist);
    m = std::move(*comment);
}

asio::awaitable<bool> TaskCommentResource::can_read_all(db::Tx& tx, const Doer& doer, Model& m) {
    auto access = co_await models::task_access(tx, doer, m.task_id);
    if (!access.project.can_read()) throw Error(ErrorCode::Forbidden);
    co_return true;
}

asio::awaitable<crud::Page<models::TaskComment>> TaskCommentResource::read_all(db::Tx& tx, const Doer&, Model& m,
                                                                               const crud::ListQuery& q) {
    auto [comments, total] = co_await models::list_task_comments(tx, m.task_id, q.search, m.newest_first,
                                                                 q.paging.limit(), q.paging.offset());
    co_return crud::Page<models::TaskComment>{std::move(comments), total};
}

// Only the author edits or deletes, and only while they can still write the task.
asio::awaitable<bool> TaskCommentResource::can_update(db::Tx& tx, const Doer& doer, Model& m) {
    bool can_write = co_await can_write_task(tx, doer, m.task_id);
    if (!can_write) co_return false;
    auto stored = co_await models::find_task_comment(tx, m.task_id, m.id);
    if (!stored) throw Error(ErrorCode::TaskCommentDoesNotExist);
    co_return stored->author_id == doer.id();
}

asio::awaitable<void> TaskCommentResource::update(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::update_task_comment(tx, doer, m);
}

asio::awaitable<bool> TaskCommentResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto allowed = co_await can_update(tx, doer, m);
    co_return allowed;
}

asio::awaitable<void> TaskCommentResource::remove(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::delete_task_comment(tx, doer, m.task_id, m.id);
}

void TaskCommentResource::write(util::json::Writer& w, const Model& m) { models::write_task_comment(w, m); }

// --- /tasks/{task}/relations -----------------------------------------------------------------------------------

TaskRelationResource::Model TaskRelationResource::bind(Context& ctx) {
    Model m;
    // The path's task wins over a body "task_id" (clients echo the whole object).
    m.task_id = ctx.id_param("task");
    auto body = ctx.body();
    auto in = body.object();
    m.other_task_id = in.integer("other_task_id").value_or(0);
    m.relation_kind = in.string("relation_kind").value_or("");
    if (ctx.params.count("relationKind")) {
        m.relation_kind = ctx.params.at("relationKind");
        m.other_task_id = ctx.id_param("otherTask");
    }
    return m;
}

asio::awaitable<bool> TaskRelationResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    if (!models::inverse_relation_kind(m.relation_kind)) throw Error(ErrorCode::InvalidRelationKind);
    bool can_write = co_await can_write_task(tx, doer, m.task_id);
    if (!can_write) co_return false;
    // The other task may live in any project the caller can read.
    auto other = co_await models::task_access(tx, doer, m.other_task_id);
    co_return other.project.can_read();
}

asio::awaitable<void> TaskRelationResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::create_task_relation(tx, doer, m);
}

asio::awaitable<bool> TaskRelationResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto can_write = co_await can_write_task(tx, doer, m.task_id);
    co_return can_write;
}

asio::awaitable<void> TaskRelationResource::remove(db::Tx& tx, const Doer& doer, Model& m) {
    co_await models::delete_task_relation(tx, doer, m);
}

void TaskRelationResource::write(util::json::Writer& w, const Model& m) { models::write_task_relation(w, m); }

// --- /{entitykind}/{entityid}/reactions ----------------------------------------------------------------------

ReactionResource::Model ReactionResource::bind(Context& ctx) {
    Model m;
    m.kind_name = ctx.params.at("entitykind");
    m.entity_id = ctx.id_param("entityid");
    auto body = ctx.body();
    m.value = body.object().string("value").value_or("");
    if (ctx.route.method == http::Verb::put) {
        if (m.value.empty()) invalid_field("value", "non zero value required");
        // The column is varchar(20); Vikunja leaves longer values to the database.
        if (rune_count(m.value) > kMaxReactionRunes) invalid_field("value", m.value + " is longer than 20 characters");
    }
    return m;
}

asio::awaitable<bool> ReactionResource::can_create(db::Tx& tx, const Doer& doer, Model& m) {
    auto kind = models::reaction_kind_from_path(m.kind_name);
    auto task_id = co_await models::reaction_task_id(tx, kind, m.entity_id);
    auto can_write = co_await can_write_task(tx, doer, task_id);
    co_return can_write;
}

asio::awaitable<void> ReactionResource::create(db::Tx& tx, const Doer& doer, Model& m) {
    // Reactions belong to users; a link share has no user to react as.
    if (doer.is_link_share()) throw Error(ErrorCode::NotAllowedAsLinkShare);
    auto kind = models::reaction_kind_from_path(m.kind_name);
    m.user = co_await models::doer_as_user(tx, doer);
    co_await models::add_reaction(tx, doer.user_id, kind, m);
}

asio::awaitable<bool> ReactionResource::can_delete(db::Tx& tx, const Doer& doer, Model& m) {
    auto allowed = co_await can_create(tx, doer, m);
    co_return allowed;
}

asio::awaitable<void> ReactionResource::remove(db::Tx& tx, const Doer& doer, Model& m) {
    if (doer.is_link_share()) throw Error(ErrorCode::NotAllowedAsLinkShare);
    auto kind = models::reaction_kind_from_path(m.kind_name);
    co_await models::remove_reaction(tx, doer.user_id, kind, m);
}

void ReactionResource::write(util::json::Writer& w, const Model& m) { models::write_reaction(w, m); }

asio::awaitable<http::Response> reactions_list(Context& ctx) {
    auto model = ReactionResource::bind(ctx);
    auto paging = read_paging(ctx);
    auto doer = ctx.doer();
    auto tx = co_await ctx.begin(db::TxMode::Read);
    auto kind = models::reaction_kind_from_path(model.kind_name);
    auto task_id = co_await models::reaction_task_id(*tx, kind, model.entity_id);
    auto access = co_await models::task_access(*tx, doer, task_id);
    if (!access.project.can_read()) throw Error(ErrorCode::Forbidden);
    std::vector<std::int64_t> ids{model.entity_id};
    auto reactions = co_await models::reactions_for(*tx, kind, ids);
    const auto& map = reactions[model.entity_id];
    util::json::Writer w;
    models::write_reactions(w, map);  // a map, or null when there are none (Vikunja's nil map)
    auto res = json(200, w.take());
    auto n = static_cast<std::int64_t>(map.size());
    set_pagination(res, paging, n, n);
    co_return res;
}

}  // namespace vicugna::api::v1
