// SPDX-License-Identifier: AGPL-3.0-or-later
/// Link shares (table `link_shares`; Vikunja: pkg/models/link_sharing.go): a secret hash that lets anyone holding it
/// act on one project, as the pseudo-user −share id, with the share's permission.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

enum class SharingType { Undefined = 0, WithoutPassword = 1, WithPassword = 2 };

struct LinkShare {
    std::int64_t id = 0;
    std::string hash;  ///< 40 random letters and digits, the public part of the share's URL
    std::string name;
    std::int64_t project_id = 0;
    Permission permission = Permission::Read;
    SharingType sharing_type = SharingType::Undefined;
    std::string password_hash;  ///< bcrypt; empty without a password
    std::int64_t shared_by_id = 0;
    std::optional<User> shared_by;  ///< filled for JSON; null in the auth response as Vikunja sends it
    Timestamp created{};
    Timestamp updated{};
};

/// The user a link share acts as: id −share id, username "link-share-<id>", name "<name> (Link Share)".
User link_share_user(const LinkShare& share);
/// Vikunja's LinkSharing JSON; the password is never sent (always "").
void write_link_share(util::json::Writer& w, const LinkShare& share);

asio::awaitable<std::optional<LinkShare>> find_link_share(db::Tx& tx, std::int64_t id);
asio::awaitable<std::optional<LinkShare>> find_link_share_by_hash(db::Tx& tx, std::string_view hash);
/// The shares of a project, `search` matching the name; with their creators. Returns (page, total).
asio::awaitable<std::pair<std::vector<LinkShare>, std::int64_t>> list_link_shares(
    db::Tx& tx, std::int64_t project_id, const std::string& search, std::int64_t limit, std::int64_t offset);
/// Inserts the share with a new hash; `password_hash` empty = no password. Fills id, hash, type and timestamps.
asio::awaitable<void> insert_link_share(db::Tx& tx, LinkShare& share);
/// The pseudo-users of these shares, keyed by their (negative) user id; deleted shares are absent.
asio::awaitable<std::map<std::int64_t, User>> load_link_share_users(db::Tx& tx,
                                                                    const std::vector<std::int64_t>& share_ids);
asio::awaitable<void> delete_link_share(db::Tx& tx, std::int64_t id);

}  // namespace vicugna::models
