// SPDX-License-Identifier: AGPL-3.0-or-later
/// API tokens (table `api_tokens`): `tk_` + 40 hex, stored as a salted PBKDF2-SHA256 hash as Vikunja stores them.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "util/json.hpp"

namespace vicugna::models {

namespace asio = boost::asio;
using util::Timestamp;

struct APIToken {
    std::int64_t id = 0;
    std::string title;
    std::string permissions;  ///< JSON object {group: [permission, …]}
    Timestamp expires_at{};
    Timestamp created{};
    std::int64_t owner_id = 0;
    std::string token;        ///< cleartext, only right after creation
    std::string token_hash;   ///< hex PBKDF2 of the token (not serialised)
    std::string token_salt;
};

void write_api_token(util::json::Writer& w, const APIToken& t);

inline constexpr std::string_view kAPITokenPrefix = "tk_";

asio::awaitable<APIToken> create_api_token(db::Tx& tx, APIToken token);
/// The owner's tokens, optionally filtered by title, newest paging applied by the caller.
asio::awaitable<std::pair<std::vector<APIToken>, std::int64_t>> list_api_tokens(db::Tx& tx, std::int64_t owner_id,
                                                                                const std::string& search,
                                                                                std::int64_t limit,
                                                                                std::int64_t offset);
asio::awaitable<bool> delete_api_token(db::Tx& tx, std::int64_t owner_id, std::int64_t id);
/// Candidates for a presented token: rows sharing its last eight characters.
asio::awaitable<std::vector<APIToken>> find_api_tokens_by_last_eight(db::Tx& tx, std::string_view last_eight);
/// True when `token` matches the stored salted hash (PBKDF2-SHA256, 10000 rounds, 50 bytes).
bool api_token_matches(const APIToken& stored, std::string_view token);

}  // namespace vicugna::models
