// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/favorites.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kIsFavorite = "SELECT 1 FROM favorites WHERE entity_id = ? AND user_id = ? AND kind = ?";
constexpr std::string_view kAddFavorite = "INSERT INTO favorites (entity_id, user_id, kind) VALUES (?, ?, ?)";
constexpr std::string_view kRemoveFavorite = "DELETE FROM favorites WHERE entity_id = ? AND user_id = ? AND kind = ?";

}  // namespace

asio::awaitable<bool> is_favorite(db::Tx& tx, const Doer& doer, FavoriteKind kind, std::int64_t entity_id) {
    if (doer.is_link_share()) co_return false;
    auto rows = co_await tx.query(kIsFavorite, entity_id, doer.user_id, kind);
    co_return !rows.empty();
}

asio::awaitable<void> set_favorite(db::Tx& tx, const Doer& doer, FavoriteKind kind, std::int64_t entity_id,
                                   bool favorite) {
    if (doer.is_link_share()) co_return;
    bool was = co_await is_favorite(tx, doer, kind, entity_id);
    if (favorite && !was) co_await tx.exec(kAddFavorite, entity_id, doer.user_id, kind);
    if (!favorite && was) co_await tx.exec(kRemoveFavorite, entity_id, doer.user_id, kind);
}

}  // namespace vicugna::models
