// SPDX-License-Identifier: AGPL-3.0-or-later
/// The embedded SQLite backend: WAL, busy timeout, pooled read connections and one writer thread.
#pragma once
#include <memory>

#include "db/database.hpp"

namespace vicugna::db::sqlite {

/// Opens (creating if needed) the file at `options.path`; "memory" means a temporary file.
/// Throws db::Error when the file cannot be opened or SQLite is older than 3.35 (RETURNING).
std::unique_ptr<Database> open(const Options& options, asio::any_io_executor executor);

}  // namespace vicugna::db::sqlite
