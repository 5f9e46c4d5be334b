// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/migrate.hpp"

#include <map>
#include <set>

namespace vicugna::db {
namespace {

constexpr std::string_view kCreateMigrationTable =
    "CREATE TABLE IF NOT EXISTS migrations (id VARCHAR(255) PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)";
constexpr std::string_view kSelectApplied = "SELECT id FROM migrations";
constexpr std::string_view kInsertApplied = "INSERT INTO migrations (id, applied_at) VALUES (?, ?)";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

asio::awaitable<std::set<std::string>> applied_ids(Tx& tx) {
    std::set<std::string> ids;
    for (auto row : co_await tx.query(kSelectApplied)) ids.insert(row.get<std::string>(0));
    co_return ids;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> migrations_for(const Dialect& dialect) {
    // "0002_x.sql" is shared; "0002_x.sqlite.sql" replaces it for that engine only.
    std::map<std::string, std::string> chosen;
    std::set<std::string> specific;
    for (const auto& m : embedded_migrations()) {
        std::string name = m.file;
        name.resize(name.size() - 4);  // ".sql"
        std::string engine;
        if (auto dot = name.find('.'); dot != std::string::npos) {
            engine = name.substr(dot + 1);
            name.resize(dot);
        }
        if (!engine.empty() && engine != dialect.name) continue;
        if (engine.empty() && specific.count(name)) continue;
        if (!engine.empty()) specific.insert(name);
        chosen[name] = replace_all(m.sql, "@ID@", dialect.id_column);
    }
    return {chosen.begin(), chosen.end()};
}

asio::awaitable<std::vector<std::string>> apply_migrations(Database& db) {
    std::vector<std::string> applied;
    for (const auto& [id, sql] : migrations_for(db.dialect())) {
        auto tx = co_await db.begin(TxMode::Write);
        if (!db.dialect().migration_lock.empty()) co_await tx->exec(db.dialect().migration_lock);
        co_await tx->exec(kCreateMigrationTable);
        if ((co_await applied_ids(*tx)).count(id)) continue;
        co_await tx->exec_script(sql);
        co_await tx->exec(kInsertApplied, id, util::now());
        co_await tx->commit();
        applied.push_back(id);
    }
    co_return applied;
}

asio::awaitable<std::vector<MigrationStatus>> list_migrations(Database& db) {
    std::set<std::string> done;
    {
        auto tx = co_await db.begin(TxMode::Write);
        co_await tx->exec(kCreateMigrationTable);
        done = co_await applied_ids(*tx);
        co_await tx->commit();
    }
    std::vector<MigrationStatus> out;
    for (const auto& [id, sql] : migrations_for(db.dialect())) out.push_back({id, done.count(id) > 0});
    co_return out;
}

}  // namespace vicugna::db
