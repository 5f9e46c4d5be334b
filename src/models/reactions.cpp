// SPDX-License-Identifier: AGPL-3.0-or-later
// Reactions (Vikunja: pkg/models/reaction.go).
#include "models/reactions.hpp"

#include "api/errors.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kCommentTask = "SELECT task_id FROM task_comments WHERE id = ?";
constexpr std::string_view kFind =
    "SELECT created FROM reactions WHERE user_id = ? AND entity_id = ? AND entity_kind = ? AND value = ?";
constexpr std::string_view kInsert =
    "INSERT INTO reactions (user_id, entity_id, entity_kind, value, created) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kDelete =
    "DELETE FROM reactions WHERE user_id = ? AND entity_id = ? AND entity_kind = ? AND value = ?";

}  // namespace

void write_reactions(util::json::Writer& w, const ReactionMap& reactions) {
    if (reactions.empty()) {
        w.null();
        return;
    }
    w.start_object();
    for (const auto& [value, users] : reactions) {
        w.key(value).start_array();
        for (const auto& u : users) {
            w.start_object();
            write_user(w, u);
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
}

asio::awaitable<std::map<std::int64_t, ReactionMap>> reactions_for(db::Tx& tx, ReactionKind kind,
                                                                   const std::vector<std::int64_t>& entity_ids) {
    std::map<std::int64_t, ReactionMap> out;
    if (entity_ids.empty()) co_return out;
    std::string sql = "SELECT reactions.entity_id, reactions.value, " + public_user_columns("u", "u_") +
                      " FROM reactions JOIN users u ON u.id = reactions.user_id"
                      " WHERE reactions.entity_kind = ? AND reactions.entity_id IN " +
                      db::placeholders(entity_ids.size()) + " ORDER BY reactions.id";
    std::vector<db::Value> args;
    args.reserve(entity_ids.size() + 1);
    args.emplace_back(static_cast<std::int64_t>(kind));
    args.insert(args.end(), entity_ids.begin(), entity_ids.end());
    for (auto row : co_await tx.run(sql, std::move(args))) {
        out[row.get<std::int64_t>("entity_id")][row.get<std::string>("value")].push_back(public_user_from_row(row, "u_"));
    }
    co_return out;
}

ReactionKind reaction_kind_from_path(std::string_view name) {
    if (name == "tasks") return ReactionKind::Task;
    if (name == "comments") return ReactionKind::Comment;
    throw api::Error(api::ErrorCode::InvalidReactionEntityKind);
}

asio::awaitable<std::int64_t> reaction_task_id(db::Tx& tx, ReactionKind kind, std::int64_t entity_id) {
    if (kind == ReactionKind::Task) co_return entity_id;
    auto rows = co_await tx.query(kCommentTask, entity_id);
    if (rows.empty()) throw api::Error(api::ErrorCode::TaskCommentDoesNotExist);
    co_return rows[0].get<std::int64_t>(0);
}

asio::awaitable<void> add_reaction(db::Tx& tx, std::int64_t user_id, ReactionKind kind, Reaction& r) {
    auto existing = co_await tx.query(kFind, user_id, r.entity_id, static_cast<std::int64_t>(kind), r.value);
    if (!existing.empty()) {
        r.created = existing[0].get<Timestamp>(0);
        co_return;
    }
    r.created = util::now();
    co_await tx.exec(kInsert, user_id, r.entity_id, static_cast<std::int64_t>(kind), r.value, r.created);
}

asio::awaitable<void> remove_reaction(db::Tx& tx, std::int64_t user_id, ReactionKind kind, const Reaction& r) {
    co_await tx.exec(kDelete, user_id, r.entity_id, static_cast<std::int64_t>(kind), r.value);
}

void write_reaction(util::json::Writer& w, const Reaction& r) {
    w.start_object();
    w.key("user");
    if (r.user.id == 0) {
        w.null();
    } else {
        w.start_object();
        write_user(w, r.user);
        w.end_object();
    }
    w.key("value").string(r.value);
    w.key("created").time(r.created);
    w.end_object();
}

}  // namespace vicugna::models
