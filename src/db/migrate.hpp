// SPDX-License-Identifier: AGPL-3.0-or-later
/// Schema migrations embedded in the binary (migrations/NNNN_name[.engine].sql), applied in order.
#pragma once
#include <string>
#include <vector>

#include "db/database.hpp"

namespace vicugna::db {

struct MigrationFile {
    const char* file;  ///< "0001_init.sql" or "0002_x.postgres.sql"
    const char* sql;
};

/// Generated at build time from migrations/*.sql.
const std::vector<MigrationFile>& embedded_migrations();

struct MigrationStatus {
    std::string id;  ///< "0001_init"
    bool applied;
};

/// The migrations for this engine, in order (an engine-specific file replaces the shared one of the same id).
std::vector<std::pair<std::string, std::string>> migrations_for(const Dialect& dialect);

/// Applies every pending migration, each in its own write transaction; returns the ids applied.
/// Safe when several processes start at once (the dialect's migration lock serialises them).
asio::awaitable<std::vector<std::string>> apply_migrations(Database& db);

/// Every known migration and whether it has been applied.
asio::awaitable<std::vector<MigrationStatus>> list_migrations(Database& db);

}  // namespace vicugna::db
