// SPDX-License-Identifier: AGPL-3.0-or-later
// Reactions (Vikunja: pkg/models/reaction.go).
#include "models/reactions.hpp"

namespace vicugna::models {

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

}  // namespace vicugna::models
