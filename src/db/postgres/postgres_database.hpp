// SPDX-License-Identifier: AGPL-3.0-or-later
/// The PostgreSQL backend of db::Database: non-blocking libpq on the Asio loop with a connection pool.
#pragma once
#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "db/database.hpp"

namespace vicugna::db::postgres {

/// A Database over a pool of up to `options.max_open_connections` connections, opened lazily.
/// Does not connect yet, so it does not throw for an unreachable server; begin() and ping() do.
std::unique_ptr<db::Database> open(const db::Options& options, boost::asio::any_io_executor executor);

/// Turns `?` placeholders into $1..$n, leaving those inside quoted strings, quoted identifiers and comments.
std::string rewrite_placeholders(std::string_view sql);

}  // namespace vicugna::db::postgres
