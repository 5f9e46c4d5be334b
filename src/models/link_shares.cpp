// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/link_shares.hpp"

#include <algorithm>

#include "util/crypto.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, hash, name, project_id, permission, sharing_type, password, shared_by_id, created, updated "
    "FROM link_shares ";
constexpr std::string_view kById = "WHERE id = ?";
constexpr std::string_view kByHash = "WHERE hash = ?";
constexpr std::string_view kInsert =
    "INSERT INTO link_shares (hash, name, project_id, permission, sharing_type, password, shared_by_id, created, "
    "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kDelete = "DELETE FROM link_shares WHERE id = ?";

LinkShare from_row(const db::Row& row) {
    LinkShare s;
    s.id = row.get<std::int64_t>("id");
    s.hash = row.get<std::string>("hash");
    s.name = row.get<std::optional<std::string>>("name").value_or("");
    s.project_id = row.get<std::int64_t>("project_id");
    s.permission = static_cast<Permission>(std::clamp<std::int64_t>(row.get<std::int64_t>("permission"), 0, 2));
    s.sharing_type = static_cast<SharingType>(row.get<std::int64_t>("sharing_type"));
    s.password_hash = row.get<std::optional<std::string>>("password").value_or("");
    s.shared_by_id = row.get<std::int64_t>("shared_by_id");
    s.created = row.get<Timestamp>("created");
    s.updated = row.get<Timestamp>("updated");
    return s;
}

asio::awaitable<std::optional<LinkShare>> find_one(db::Tx& tx, std::string_view where, db::Value key) {
    static const std::string by_id = std::string(kColumns) + std::string(kById);
    static const std::string by_hash = std::string(kColumns) + std::string(kByHash);
    auto rows = co_await tx.query(where == kById ? by_id : by_hash, std::move(key));
    if (rows.empty()) co_return std::nullopt;
    co_return from_row(rows[0]);
}

}  // namespace

User link_share_user(const LinkShare& share) {
    User u;
    u.id = -share.id;
    u.username = "link-share-" + std::to_string(share.id);
    u.settings = UserSettings{};
    u.settings.name = share.name.empty() ? "Link Share" : share.name + " (Link Share)";
    u.settings.overdue_tasks_reminders_enabled = false;
    u.settings.overdue_tasks_reminders_time.clear();
    u.issuer.clear();  // not a local account: no password, settings or sessions
    u.created = share.created;
    u.updated = share.updated;
    return u;
}

void write_link_share(util::json::Writer& w, const LinkShare& share) {
    w.key("id").integer(share.id);
    w.key("hash").string(share.hash);
    w.key("name").string(share.name);
    w.key("permission").integer(static_cast<int>(share.permission));
    w.key("sharing_type").integer(static_cast<int>(share.sharing_type));
    w.key("password").string("");
    w.key("shared_by");
    if (share.shared_by) {
        w.start_object();
        write_user(w, *share.shared_by);
        w.end_object();
    } else {
        w.null();
    }
    w.key("created").time(share.created);
    w.key("updated").time(share.updated);
}

asio::awaitable<std::optional<LinkShare>> find_link_share(db::Tx& tx, std::int64_t id) {
    co_return co_await find_one(tx, kById, id);
}

asio::awaitable<std::optional<LinkShare>> find_link_share_by_hash(db::Tx& tx, std::string_view hash) {
    co_return co_await find_one(tx, kByHash, std::string(hash));
}

asio::awaitable<std::pair<std::vector<LinkShare>, std::int64_t>> list_link_shares(
    db::Tx& tx, std::int64_t project_id, const std::string& search, std::int64_t limit, std::int64_t offset) {
    std::string where = "WHERE project_id = ?";
    std::vector<db::Value> args{project_id};
    if (!search.empty()) {
        where += " AND LOWER(name) LIKE ?";
        args.emplace_back(db::lowercase_like_pattern(search));
    }
    auto count = co_await tx.run("SELECT COUNT(*) FROM link_shares " + where, args);
    std::string sql = std::string(kColumns) + where + " ORDER BY id";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<LinkShare> shares;
    std::vector<std::int64_t> creators;
    for (auto row : co_await tx.run(sql, std::move(args))) {
        shares.push_back(from_row(row));
        creators.push_back(shares.back().shared_by_id);
    }
    auto users = co_await load_public_users(tx, creators);
    for (auto& s : shares) {
        if (auto it = users.find(s.shared_by_id); it != users.end()) s.shared_by = it->second;
    }
    co_return std::pair{std::move(shares), count[0].get<std::int64_t>(0)};
}

asio::awaitable<void> insert_link_share(db::Tx& tx, LinkShare& share) {
    share.hash = util::random_alnum(40);
    share.sharing_type = share.password_hash.empty() ? SharingType::WithoutPassword : SharingType::WithPassword;
    share.created = share.updated = util::now();
    std::optional<std::string> password;
    if (!share.password_hash.empty()) password = share.password_hash;
    auto rows = co_await tx.query(kInsert, share.hash, share.name, share.project_id,
                                  static_cast<std::int64_t>(share.permission),
                                  static_cast<std::int64_t>(share.sharing_type), password, share.shared_by_id,
                                  share.created, share.updated);
    share.id = rows[0].get<std::int64_t>(0);
}

asio::awaitable<std::map<std::int64_t, User>> load_link_share_users(db::Tx& tx,
                                                                    const std::vector<std::int64_t>& share_ids) {
    std::map<std::int64_t, User> users;
    if (share_ids.empty()) co_return users;
    std::string sql = std::string(kColumns) + "WHERE id IN " + db::placeholders(share_ids.size());
    for (auto row : co_await tx.run(sql, std::vector<db::Value>(share_ids.begin(), share_ids.end()))) {
        auto u = link_share_user(from_row(row));
        users.emplace(u.id, std::move(u));
    }
    co_return users;
}

asio::awaitable<void> delete_link_share(db::Tx& tx, std::int64_t id) { co_await tx.exec(kDelete, id); }

}  // namespace vicugna::models
