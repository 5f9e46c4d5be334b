// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/instance.hpp"

#include "util/crypto.hpp"

namespace vicugna::models {
namespace {
constexpr std::string_view kSelect = "SELECT value FROM vicugna_settings WHERE name = 'jwt_secret'";
constexpr std::string_view kInsert =
    "INSERT INTO vicugna_settings (name, value) VALUES ('jwt_secret', ?) ON CONFLICT (name) DO NOTHING";
}  // namespace

asio::awaitable<StoredSecret> load_or_create_jwt_secret(db::Database& db) {
    {
        auto tx = co_await db.begin(db::TxMode::Read);
        auto rows = co_await tx->query(kSelect);
        if (!rows.empty()) co_return StoredSecret{rows[0].get<std::string>(0), false};
    }
    std::string candidate = util::random_hex(32);
    auto tx = co_await db.begin(db::TxMode::Write);
    bool inserted = co_await tx->exec(kInsert, candidate) == 1;
    auto rows = co_await tx->query(kSelect);
    co_await tx->commit();
    co_return StoredSecret{rows[0].get<std::string>(0), inserted};
}

}  // namespace vicugna::models
