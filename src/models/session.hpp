// SPDX-License-Identifier: AGPL-3.0-or-later
/// Login sessions (table `sessions`): the refresh-token side of authentication, stored hashed.
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

struct Session {
    std::string id;  ///< UUID
    std::int64_t user_id = 0;
    std::string device_info;
    std::string ip_address;
    bool is_long_session = false;
    Timestamp last_active{};
    Timestamp created{};
};

void write_session(util::json::Writer& w, const Session& s);

/// A new session and its cleartext refresh token (only its SHA-256 is stored).
asio::awaitable<std::pair<Session, std::string>> create_session(db::Tx& tx, std::int64_t user_id,
                                                                std::string device_info, std::string ip,
                                                                bool is_long);

/// Exchanges a refresh token for a fresh one on the same session (rotation). nullopt when the token is unknown,
/// already rotated, or the session idled past its lifetime (`ttl` / `ttl_long` seconds since last activity).
asio::awaitable<std::optional<std::pair<Session, std::string>>> rotate_session(db::Tx& tx,
                                                                               const std::string& refresh_token,
                                                                               std::int64_t ttl,
                                                                               std::int64_t ttl_long);

asio::awaitable<std::vector<Session>> list_sessions(db::Tx& tx, std::int64_t user_id);
/// Deletes one session of the user; false when the user has no session with that id.
asio::awaitable<bool> delete_session(db::Tx& tx, std::int64_t user_id, const std::string& id);
asio::awaitable<void> delete_user_sessions(db::Tx& tx, std::int64_t user_id);

}  // namespace vicugna::models
