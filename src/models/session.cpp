// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/session.hpp"

#include "util/crypto.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kColumns = "SELECT id, user_id, device_info, ip_address, is_long_session, last_active, created FROM sessions ";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (id, user_id, token_hash, device_info, ip_address, is_long_session, last_active, created) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindByTokenHash = "WHERE token_hash = ?";
constexpr std::string_view kRotate = "UPDATE sessions SET token_hash = ?, last_active = ? WHERE id = ? AND token_hash = ?";
constexpr std::string_view kListSessions = "WHERE user_id = ? ORDER BY last_active DESC, id";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE id = ? AND user_id = ?";
constexpr std::string_view kDeleteUserSessions = "DELETE FROM sessions WHERE user_id = ?";
constexpr std::string_view kDeleteExpired = "DELETE FROM sessions WHERE id = ?";

Session from_row(const db::Row& r) {
    return Session{r.get<std::string>("id"),          r.get<std::int64_t>("user_id"),
                   r.get<std::string>("device_info"), r.get<std::string>("ip_address"),
                   r.get<bool>("is_long_session"),    r.get<Timestamp>("last_active"),
                   r.get<Timestamp>("created")};
}

std::string hash_token(const std::string& token) { return util::to_hex(util::sha256(token)); }

}  // namespace

void write_session(util::json::Writer& w, const Session& s) {
    w.start_object();
    w.key("id").string(s.id);
    w.key("device_info").string(s.device_info);
    w.key("ip_address").string(s.ip_address);
    w.key("last_active").time(s.last_active);
    w.key("created").time(s.created);
    w.end_object();
}

asio::awaitable<std::pair<Session, std::string>> create_session(db::Tx& tx, std::int64_t user_id,
                                                                std::string device_info, std::string ip,
                                                                bool is_long) {
    Session s{util::uuid_v4(), user_id, std::move(device_info), std::move(ip), is_long, util::now(), util::now()};
    std::string token = util::random_hex(32);
    co_await tx.exec(kInsertSession, s.id, s.user_id, hash_token(token), s.device_info, s.ip_address,
                     s.is_long_session, s.last_active, s.created);
    co_return std::pair{std::move(s), std::move(token)};
}

asio::awaitable<std::optional<std::pair<Session, std::string>>> rotate_session(db::Tx& tx,
                                                                               const std::string& refresh_token,
                                                                               std::int64_t ttl,
                                                                               std::int64_t ttl_long) {
    std::string old_hash = hash_token(refresh_token);
    auto rows = co_await tx.query(std::string(kColumns) + std::string(kFindByTokenHash), old_hash);
    if (rows.empty()) co_return std::nullopt;
    Session s = from_row(rows[0]);
    auto lifetime = std::chrono::seconds(s.is_long_session ? ttl_long : ttl);
    if (s.last_active + lifetime < util::now()) {
        co_await tx.exec(kDeleteExpired, s.id);
        co_return std::nullopt;
    }
    std::string token = util::random_hex(32);
    s.last_active = util::now();
    // The old hash in the WHERE clause makes two concurrent refreshes with the same token produce one winner.
    auto rotated = co_await tx.exec(kRotate, hash_token(token), s.last_active, s.id, old_hash);
    if (rotated != 1) co_return std::nullopt;
    co_return std::pair{std::move(s), std::move(token)};
}

asio::awaitable<std::vector<Session>> list_sessions(db::Tx& tx, std::int64_t user_id) {
    std::vector<Session> out;
    auto rows = co_await tx.query(std::string(kColumns) + std::string(kListSessions), user_id);
    for (auto row : rows) out.push_back(from_row(row));
    co_return out;
}

asio::awaitable<bool> delete_session(db::Tx& tx, std::int64_t user_id, const std::string& id) {
    co_return co_await tx.exec(kDeleteSession, id, user_id) > 0;
}

asio::awaitable<void> delete_user_sessions(db::Tx& tx, std::int64_t user_id) {
    co_await tx.exec(kDeleteUserSessions, user_id);
}

}  // namespace vicugna::models
