// SPDX-License-Identifier: AGPL-3.0-or-later
/// Helpers for the storage unit tests (included by *_test.cpp only): database set-up and small synchronous calls.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <type_traits>

#include "db/database.hpp"

namespace vicugna::db::test_support {

/// Connection options from VICUGNA_TEST_PG_DSN (schema "public"), or nullopt when it is unset or empty.
/// (Defined in db/database_test.cpp, like the two below.)
std::optional<Options> postgres_options_from_env();
/// Creates a schema with a random name through a separate connection to `base` and returns its name.
std::string create_test_schema(const Options& base);
/// Drops a schema made by create_test_schema, with everything in it.
void drop_test_schema(const Options& base, const std::string& schema);

/// Two tables with a primary key, a named unique constraint, NOT NULL and a named foreign key, and one parent row
/// (id 1, 'a@example.com'): the fixture for the error-classification tests.
inline constexpr const char* kParentsAndChildren =
    "CREATE TABLE parents (id BIGINT PRIMARY KEY, email TEXT NOT NULL, "
    "CONSTRAINT parents_email_key UNIQUE (email));"
    "CREATE TABLE children (id BIGINT PRIMARY KEY, "
    "parent_id BIGINT NOT NULL CONSTRAINT children_parent_fk REFERENCES parents (id));"
    "INSERT INTO parents VALUES (1, 'a@example.com')";

/// Runs `sql` (one or more statements) in its own committed transaction.
inline void exec(SyncDatabase& db, const std::string& sql) {
    db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> { co_await tx.exec_script(sql); });
}

inline Rows query(SyncDatabase& db, const std::string& sql) {
    Rows rows;
    db.transact(TxMode::Read, [&](Tx& tx) -> asio::awaitable<void> { rows = co_await tx.query(sql); });
    return rows;
}

/// The exception of type E that `fn` throws (a default one, and a test failure, if it throws another or none).
template <class E>
E error_from(const std::function<void()>& fn) {
    try {
        fn();
        ADD_FAILURE() << "no exception";
    } catch (const E& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected exception: " << e.what();
    }
    if constexpr (std::is_same_v<E, Error>) {
        return Error(ErrorKind::Other, "");
    } else {
        return E("");
    }
}

}  // namespace vicugna::db::test_support
