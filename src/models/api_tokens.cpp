// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/api_tokens.hpp"

#include "util/crypto.hpp"

namespace vicugna::models {
namespace {

constexpr int kPbkdf2Rounds = 10000;
constexpr std::size_t kPbkdf2KeyLength = 50;

constexpr std::string_view kInsert =
    "INSERT INTO api_tokens (title, token_salt, token_hash, token_last_eight, permissions, expires_at, created, "
    "owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kColumns =
    "SELECT id, title, token_salt, token_hash, permissions, expires_at, created, owner_id FROM api_tokens ";
constexpr std::string_view kDelete = "DELETE FROM api_tokens WHERE id = ? AND owner_id = ?";

APIToken from_row(const db::Row& r) {
    APIToken t;
    t.id = r.get<std::int64_t>("id");
    t.title = r.get<std::string>("title");
    t.token_salt = r.get<std::string>("token_salt");
    t.token_hash = r.get<std::string>("token_hash");
    t.permissions = r.get<std::string>("permissions");
    t.expires_at = r.get<Timestamp>("expires_at");
    t.created = r.get<Timestamp>("created");
    t.owner_id = r.get<std::int64_t>("owner_id");
    return t;
}

std::string hash_token(std::string_view token, std::string_view salt) {
    return util::to_hex(util::pbkdf2_sha256(token, salt, kPbkdf2Rounds, kPbkdf2KeyLength));
}

}  // namespace

void write_api_token(util::json::Writer& w, const APIToken& t) {
    w.start_object();
    w.key("id").integer(t.id);
    w.key("title").string(t.title);
    if (!t.token.empty()) w.key("token").string(t.token);
    w.key("permissions").raw(t.permissions);
    w.key("expires_at").time(t.expires_at);
    w.key("created").time(t.created);
    if (t.owner_id) w.key("owner_id").integer(t.owner_id);
    w.end_object();
}

asio::awaitable<APIToken> create_api_token(db::Tx& tx, APIToken t) {
    t.token = std::string(kAPITokenPrefix) + util::random_hex(20);
    t.token_salt = util::random_hex(16);
    t.token_hash = hash_token(t.token, t.token_salt);
    t.created = util::now();
    auto rows = co_await tx.query(kInsert, t.title, t.token_salt, t.token_hash, t.token.substr(t.token.size() - 8),
                                  t.permissions, t.expires_at, t.created, t.owner_id);
    t.id = rows[0].get<std::int64_t>(0);
    co_return t;
}

asio::awaitable<std::pair<std::vector<APIToken>, std::int64_t>> list_api_tokens(db::Tx& tx, std::int64_t owner_id,
                                                                                const std::string& search,
                                                                                std::int64_t limit,
                                                                                std::int64_t offset) {
    std::string where = "WHERE owner_id = ?";
    std::vector<db::Value> args{owner_id};
    if (!search.empty()) {
        where += " AND LOWER(title) LIKE ?";
        std::string pattern = "%";
        for (char c : search) pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        args.emplace_back(pattern + "%");
    }
    auto count = co_await tx.run("SELECT COUNT(*) FROM api_tokens " + where, args);
    std::string sql = std::string(kColumns) + where + " ORDER BY id";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<APIToken> out;
    for (auto row : co_await tx.run(sql, std::move(args))) out.push_back(from_row(row));
    co_return std::pair{std::move(out), count[0].get<std::int64_t>(0)};
}

asio::awaitable<bool> delete_api_token(db::Tx& tx, std::int64_t owner_id, std::int64_t id) {
    co_return co_await tx.exec(kDelete, id, owner_id) > 0;
}

asio::awaitable<std::vector<APIToken>> find_api_tokens_by_last_eight(db::Tx& tx, std::string_view last_eight) {
    std::vector<APIToken> out;
    std::vector<db::Value> args{std::string(last_eight)};
    auto rows = co_await tx.run(std::string(kColumns) + "WHERE token_last_eight = ?", std::move(args));
    for (auto row : rows) out.push_back(from_row(row));
    co_return out;
}

bool api_token_matches(const APIToken& stored, std::string_view token) {
    return util::constant_time_equal(hash_token(token, stored.token_salt), stored.token_hash);
}

}  // namespace vicugna::models
