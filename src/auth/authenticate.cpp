// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/authenticate.hpp"

#include <mutex>
#include <unordered_set>

#include "api/errors.hpp"
#include "auth/jwt.hpp"
#include "models/api_tokens.hpp"
#include "models/user.hpp"
#include "util/crypto.hpp"
#include "util/json.hpp"

namespace vicugna::auth {
namespace {

// One round trip checks the user and the session together.
constexpr std::string_view kUserWithSession =
    "SELECT u.username, u.status, u.is_admin, "
    "(SELECT COUNT(*) FROM sessions s WHERE s.id = ? AND s.user_id = u.id) AS sessions "
    "FROM users u WHERE u.id = ?";
constexpr std::string_view kUserStatus = "SELECT username, status, is_admin FROM users WHERE id = ?";

// The JWT "type" claim (Vikunja: AuthTypeUser, AuthTypeLinkShare).
constexpr std::int64_t kUserToken = 1;
constexpr std::int64_t kLinkShareToken = 2;

bool usable(models::UserStatus s) { return s != models::UserStatus::Disabled && s != models::UserStatus::Locked; }

/// Remembers (token, stored hash) pairs already verified: PBKDF2 costs milliseconds, and the pair can only
/// match again. The stored row is still read on every request, so deleting a token revokes it at once.
class VerifiedTokens {
public:
    bool contains(const std::string& key) {
        std::lock_guard guard(mutex_);
        return keys_.count(key) > 0;
    }
    void insert(std::string key) {
        std::lock_guard guard(mutex_);
        if (keys_.size() > 10000) keys_.clear();
        keys_.insert(std::move(key));
    }

private:
    std::mutex mutex_;
    std::unordered_set<std::string> keys_;
};

VerifiedTokens& verified_tokens() {
    static VerifiedTokens cache;
    return cache;
}

asio::awaitable<std::optional<Auth>> authenticate_user_jwt(db::Tx& tx, const util::json::Object& claims) {
    std::optional<std::int64_t> id;
    std::optional<std::string> sid;
    try {
        id = claims.integer("id");
        sid = claims.string("sid");
    } catch (const util::json::BadInput&) {
        co_return std::nullopt;
    }
    if (!id || !sid) co_return std::nullopt;
    auto rows = co_await tx.query(kUserWithSession, *sid, *id);
    if (rows.empty() || rows[0].get<std::int64_t>("sessions") == 0) co_return std::nullopt;
    if (!usable(static_cast<models::UserStatus>(rows[0].get<int>("status")))) co_return std::nullopt;
    Auth a;
    a.kind = Auth::Kind::User;
    a.user_id = *id;
    a.username = rows[0].get<std::string>("username");
    a.is_admin = rows[0].get<bool>("is_admin");
    a.session_id = *sid;
    co_return a;
}

// The signed permission and project are ignored: the stored row is what the share allows now.
asio::awaitable<std::optional<Auth>> authenticate_link_share_jwt(db::Tx& tx, const util::json::Object& claims) {
    std::optional<std::int64_t> id;
    std::optional<std::string> hash;
    try {
        id = claims.integer("id");
        hash = claims.string("hash");
    } catch (const util::json::BadInput&) {
        co_return std::nullopt;
    }
    if (!id || !hash) co_return std::nullopt;
    auto share = co_await models::find_link_share(tx, *id);
    if (!share || !util::constant_time_equal(share->hash, *hash)) throw api::Error(api::ErrorCode::LinkShareTokenInvalid);
    Auth a;
    a.kind = Auth::Kind::LinkShare;
    a.username = models::link_share_user(*share).username;
    a.link_share = std::move(share);
    co_return a;
}

asio::awaitable<std::optional<Auth>> authenticate_jwt(db::Tx& tx, std::string_view secret, bool link_shares,
                                                      std::string_view token) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    auto claims = verify_jwt(token, secret, now.count());
    if (!claims) co_return std::nullopt;
    util::json::Object c(&*claims);
    std::optional<std::int64_t> type;
    try {
        type = c.integer("type");
    } catch (const util::json::BadInput&) {
        co_return std::nullopt;
    }
    if (type == kUserToken) co_return co_await authenticate_user_jwt(tx, c);
    if (type == kLinkShareToken && link_shares) co_return co_await authenticate_link_share_jwt(tx, c);
    co_return std::nullopt;
}

asio::awaitable<std::optional<Auth>> authenticate_api_token(db::Tx& tx, std::string_view token) {
    if (token.size() != models::kAPITokenPrefix.size() + 40) co_return std::nullopt;
    auto candidates = co_await models::find_api_tokens_by_last_eight(tx, token.substr(token.size() - 8));
    for (const auto& stored : candidates) {
        std::string key = util::sha256(token) + stored.token_hash;
        if (!verified_tokens().contains(key)) {
            if (!models::api_token_matches(stored, token)) continue;
            verified_tokens().insert(key);
        }
        if (stored.expires_at <= util::now()) co_return std::nullopt;
        auto rows = co_await tx.query(kUserStatus, stored.owner_id);
        if (rows.empty() || !usable(static_cast<models::UserStatus>(rows[0].get<int>("status")))) co_return std::nullopt;
        Auth a;
        a.kind = Auth::Kind::User;
        a.user_id = stored.owner_id;
        a.username = rows[0].get<std::string>("username");
        a.is_admin = rows[0].get<bool>("is_admin");
        a.api_token_id = stored.id;
        a.api_token_permissions = stored.permissions;
        co_return a;
    }
    co_return std::nullopt;
}

}  // namespace

asio::awaitable<std::optional<Auth>> authenticate_bearer(db::Tx& tx, std::string_view secret, bool link_shares,
                                                         std::string_view credential) {
    if (credential.starts_with(models::kAPITokenPrefix)) co_return co_await authenticate_api_token(tx, credential);
    co_return co_await authenticate_jwt(tx, secret, link_shares, credential);
}

std::string issue_user_jwt(std::string_view secret, std::int64_t user_id, const std::string& username, bool is_admin,
                           const std::string& session_id, std::int64_t ttl_seconds) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    util::json::Writer w;
    w.start_object();
    w.key("type").integer(kUserToken);
    w.key("id").integer(user_id);
    w.key("username").string(username);
    w.key("is_admin").boolean(is_admin);
    w.key("exp").integer(now.count() + ttl_seconds);
    w.key("sid").string(session_id);
    w.key("jti").string(util::uuid_v4());
    w.end_object();
    return sign_jwt(w.take(), secret);
}

std::string issue_link_share_jwt(std::string_view secret, const models::LinkShare& share, std::int64_t ttl_seconds) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    util::json::Writer w;
    w.start_object();
    w.key("type").integer(kLinkShareToken);
    w.key("id").integer(share.id);
    w.key("hash").string(share.hash);
    w.key("project_id").integer(share.project_id);
    w.key("permission").integer(static_cast<int>(share.permission));
    w.key("sharedByID").integer(share.shared_by_id);
    w.key("exp").integer(now.count() + ttl_seconds);
    w.end_object();
    return sign_jwt(w.take(), secret);
}

}  // namespace vicugna::auth
