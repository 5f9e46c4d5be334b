// SPDX-License-Identifier: AGPL-3.0-or-later
/// Instance-wide settings kept in the database (table `vicugna_settings`), shared by every process.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <string>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

struct StoredSecret {
    std::string value;
    bool created = false;  ///< this call generated it (first start without service.secret)
};

/// The JWT secret stored in the database, generated once when missing. Safe when processes start together:
/// the first insert wins and everyone reads the winner.
asio::awaitable<StoredSecret> load_or_create_jwt_secret(db::Database& db);

}  // namespace vicugna::models
