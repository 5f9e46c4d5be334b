// SPDX-License-Identifier: AGPL-3.0-or-later
/// The server process: owns config, database, password pool, API and listener; starts and stops them in order.
#pragma once
#include "config/config.hpp"
#include "db/database.hpp"

namespace vicugna::app {

/// Settings for the database layer derived from config (db/ does not know Config).
db::Options database_options(const config::Config& config);

/// Runs `vicugna serve`: migrates, serves until SIGINT/SIGTERM, drains in-flight requests, returns the exit code.
int serve(const config::Config& config);

}  // namespace vicugna::app
