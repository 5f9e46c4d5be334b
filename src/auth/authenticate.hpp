// SPDX-License-Identifier: AGPL-3.0-or-later
/// Turns an Authorization header into the caller's identity: user JWTs (with their session) and API tokens.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "models/link_shares.hpp"

namespace vicugna::auth {

namespace asio = boost::asio;

/// The authenticated caller.
struct Auth {
    enum class Kind { None, User, LinkShare };
    Kind kind = Kind::None;
    std::int64_t user_id = 0;
    std::string username;
    bool is_admin = false;
    std::string session_id;         ///< JWT logins only
    std::int64_t api_token_id = 0;  ///< non-zero when authenticated by an API token
    std::string api_token_permissions;  ///< that token's {group: [permission]} JSON
    std::optional<models::LinkShare> link_share;  ///< Kind::LinkShare: the share as stored now (not as signed)
};

/// Checks a bearer credential. A JWT must verify, and be either a user token (type 1) whose session still exists
/// and whose user is neither disabled nor locked, or (when `link_shares` is on) a link-share token (type 2) whose
/// share still exists with the signed hash. The share row is read on every request, so deleting a share or lowering
/// its permission takes effect at once; a token of a deleted share throws api::Error LinkShareTokenInvalid (400
/// 13003, as Vikunja). An API token (`tk_…`) must match a stored hash and not be expired.
/// Returns nullopt for anything else (the caller answers 401 code 11). Reads through the caller's transaction, which
/// the request's handler then reuses (one read transaction per request).
asio::awaitable<std::optional<Auth>> authenticate_bearer(db::Tx& tx, std::string_view secret, bool link_shares,
                                                         std::string_view credential);

/// Signs a 10-minute (service.jwtttlshort) access token with Vikunja's claims.
std::string issue_user_jwt(std::string_view secret, std::int64_t user_id, const std::string& username, bool is_admin,
                           const std::string& session_id, std::int64_t ttl_seconds);

/// Signs a link-share token (service.jwtttl) with Vikunja's claims: type 2, id, hash, project_id, permission,
/// sharedByID, exp.
std::string issue_link_share_jwt(std::string_view secret, const models::LinkShare& share, std::int64_t ttl_seconds);

}  // namespace vicugna::auth
