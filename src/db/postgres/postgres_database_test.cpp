// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests of what only the PostgreSQL backend has: placeholder rewriting, host parsing, the session setup, the
// pool, reconnection and PostgreSQL's own types and errors. The storage contract both engines share is tested
// once, for both, in db/database_test.cpp. Tests needing a server read VICUGNA_TEST_PG_DSN
// (postgres://USER[:PASSWORD]@HOST:PORT/DBNAME[?sslmode=MODE]) and skip without it; each run works in a
// fresh schema.
#include "db/postgres/postgres_database.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "db/postgres/connection.hpp"
#include "db/test_support.hpp"

namespace vicugna::db::postgres {
namespace {

using test_support::error_from;
using test_support::exec;
using test_support::postgres_options_from_env;
using test_support::query;

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(PostgresPlaceholders, NumbersQuestionMarksInOrder) {
    EXPECT_EQ(rewrite_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)"),
              "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
    EXPECT_EQ(rewrite_placeholders("SELECT 1"), "SELECT 1");
    EXPECT_EQ(rewrite_placeholders("?"), "$1");
    EXPECT_EQ(rewrite_placeholders(""), "");
}

TEST(PostgresPlaceholders, SkipsStringsIdentifiersAndComments) {
    EXPECT_EQ(rewrite_placeholders("SELECT '?', 'it''s ?', \"odd?name\", ? FROM t"),
              "SELECT '?', 'it''s ?', \"odd?name\", $1 FROM t");
    EXPECT_EQ(rewrite_placeholders("SELECT ? -- why? because\n, ? /* and ? here */ , ?"),
              "SELECT $1 -- why? because\n, $2 /* and ? here */ , $3");
    EXPECT_EQ(rewrite_placeholders("SELECT ? -- trailing ?"), "SELECT $1 -- trailing ?");
    EXPECT_EQ(rewrite_placeholders("SELECT 'unterminated ?"), "SELECT 'unterminated ?");
    EXPECT_EQ(rewrite_placeholders("SELECT a-?, b/?"), "SELECT a-$1, b/$2");
}

TEST(PostgresTarget, ParsesHostForms) {
    auto target = [](std::string host) {
        Options o;
        o.host = std::move(host);
        Target t = make_target(o);
        return t.host + "|" + t.port;
    };
    EXPECT_EQ(target("db"), "db|5432");
    EXPECT_EQ(target("db:6543"), "db|6543");
    EXPECT_EQ(target("[::1]:6000"), "::1|6000");
    EXPECT_EQ(target("::1"), "::1|5432");
    EXPECT_EQ(target("/var/run/postgresql"), "/var/run/postgresql|5432");
    EXPECT_EQ(target("/tmp:55432"), "/tmp|55432");
}

TEST(PostgresDescribe, NamesTargetWithoutPassword) {
    Options o;
    o.type = "postgres";
    o.host = "db.example:6543";
    o.user = "vikunja";
    o.password = "secret";
    SyncDatabase db(o);  // connects lazily, so no server is needed
    EXPECT_EQ(db.db().describe(), "postgres://vikunja@db.example:6543/vikunja");
    EXPECT_EQ(db.db().dialect().name, "postgres");
    EXPECT_EQ(db.db().dialect().ilike, "ILIKE");
    EXPECT_TRUE(db.db().dialect().concurrent_writes);
}

TEST(PostgresConnect, RefusedConnectionNamesTargetAndReason) {
    Options o;
    o.type = "postgres";
    o.host = "127.0.0.1:1";  // nothing listens on port 1
    SyncDatabase db(o);
    auto e = error_from<ConnectionError>([&] { db.run([&]() -> asio::awaitable<void> { co_await db.db().ping(); }); });
    EXPECT_THAT(e.what(),
                HasSubstr("cannot connect to PostgreSQL at 127.0.0.1:1 database vikunja: connection refused"));
    EXPECT_EQ(e.kind(), ErrorKind::ConnectionLost);
}

class PostgresDatabase : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto base = postgres_options_from_env();
        if (!base) return;
        schema_ = test_support::create_test_schema(*base);
    }

    static void TearDownTestSuite() {
        auto base = postgres_options_from_env();
        if (!base || schema_.empty()) return;
        test_support::drop_test_schema(*base, schema_);
    }

    void SetUp() override {
        auto base = postgres_options_from_env();
        if (!base) GTEST_SKIP() << "VICUGNA_TEST_PG_DSN is not set";
        options_ = *base;
        options_.schema = schema_;
    }

    static inline std::string schema_;
    Options options_;
};

asio::awaitable<std::int64_t> backend_pid(Tx& tx) {
    Rows rows = co_await tx.query("SELECT pg_backend_pid() AS pid");
    co_return rows[0].get<std::int64_t>("pid");
}

TEST_F(PostgresDatabase, SessionUsesSchemaAndUtc) {
    SyncDatabase db(options_);
    Rows rows = query(db, "SELECT current_schema() AS s, current_setting('TimeZone') AS tz");
    EXPECT_EQ(rows[0].get<std::string>("s"), schema_);
    EXPECT_EQ(rows[0].get<std::string>("tz"), "UTC");
    if (options_.sslmode == "require") {
        EXPECT_TRUE(query(db, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0].get<bool>("ssl"));
    }
}

TEST_F(PostgresDatabase, ConvertsColumnsByType) {
    SyncDatabase db(options_);
    Rows rows = query(db,
                      "SELECT 1::int2 AS a, 2::int4 AS b, 3::int8 AS c, 26::oid AS d, 1.5::numeric AS e, "
                      "2.5::float4 AS f, 'Infinity'::float8 AS g, true AS h, '2024-01-02 03:04:05'::timestamp AS i, "
                      "'2024-01-02 05:04:05+02'::timestamptz AS j, '2024-01-02'::date AS k, NULL::text AS l, "
                      "'x'::varchar AS m");
    ASSERT_EQ(rows.size(), 1u);
    const auto& v = rows[0].values();
    for (int i : {0, 1, 2, 3}) EXPECT_TRUE(std::holds_alternative<std::int64_t>(v[i])) << i;
    EXPECT_EQ(std::get<std::int64_t>(v[2]), 3);
    EXPECT_EQ(std::get<double>(v[4]), 1.5);
    EXPECT_EQ(std::get<double>(v[5]), 2.5);
    EXPECT_TRUE(std::isinf(std::get<double>(v[6])));
    EXPECT_EQ(std::get<bool>(v[7]), true);
    EXPECT_EQ(std::get<Timestamp>(v[8]), *util::parse_time("2024-01-02T03:04:05Z"));
    EXPECT_EQ(std::get<Timestamp>(v[9]), *util::parse_time("2024-01-02T03:04:05Z"));
    EXPECT_EQ(std::get<std::string>(v[10]), "2024-01-02");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(v[11]));
    EXPECT_EQ(std::get<std::string>(v[12]), "x");
    EXPECT_EQ(rows.columns()[12], "m");
}

TEST_F(PostgresDatabase, ReportsConstraintNamesAndSqlstate) {
    // The kinds are part of the shared contract (database_test.cpp); the constraint and column names come from
    // PostgreSQL's error fields, and an unclassified error keeps its SQLSTATE in the message.
    SyncDatabase db(options_);
    exec(db, test_support::kParentsAndChildren);
    const std::string into_parents = "INSERT INTO parents VALUES (?, ?)";
    auto insert = [&](std::string sql, Value a, Value b) {
        return [&db, sql, a, b] {
            db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> { co_await tx.exec(sql, a, b); });
        };
    };

    EXPECT_EQ(error_from<UniqueViolation>(insert(into_parents, std::int64_t{2}, "a@example.com")).constraint(),
              "parents_email_key");
    EXPECT_EQ(error_from<UniqueViolation>(insert(into_parents, std::int64_t{1}, "b@example.com")).constraint(),
              "parents_pkey");
    const std::string into_children = "INSERT INTO children VALUES (?, ?)";
    EXPECT_EQ(error_from<ForeignKeyViolation>(insert(into_children, std::int64_t{1}, std::int64_t{99})).constraint(),
              "children_parent_fk");
    EXPECT_EQ(error_from<NotNullViolation>(insert(into_parents, std::int64_t{3}, Value{})).constraint(), "email");

    auto other = error_from<Error>([&] { query(db, "SELECT no_such_column FROM parents"); });
    EXPECT_EQ(other.kind(), ErrorKind::Other);
    EXPECT_THAT(other.what(), HasSubstr("42703"));
}
TEST_F(PostgresDatabase, StatementTimeoutIsTimeoutError) {
    options_.statement_timeout = 100ms;
    options_.max_open_connections = 1;
    SyncDatabase db(options_);
    auto e = error_from<TimeoutError>([&] { query(db, "SELECT pg_sleep(5)"); });
    EXPECT_EQ(e.kind(), ErrorKind::Timeout);
    // The connection survives a failed statement and serves the next transaction.
    EXPECT_EQ(query(db, "SELECT 7 AS n")[0].get<int>("n"), 7);
}

TEST_F(PostgresDatabase, AbandonedTransactionsConnectionIsRolledBackAndReused) {
    // Rollback on destruction is part of the shared contract; here, the pool rolls back the connection it gets
    // back with a transaction still open, and hands the same connection out again.
    options_.max_open_connections = 1;  // the second transaction must reuse the abandoned connection
    options_.max_connection_lifetime = 0ms;
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE abandoned_items (id BIGINT)");
    std::int64_t first_pid = 0, second_pid = 0, count = -1;
    db.run([&]() -> asio::awaitable<void> {
        auto tx = co_await db.db().begin(TxMode::Write);
        first_pid = co_await backend_pid(*tx);
        co_await tx->exec("INSERT INTO abandoned_items VALUES (?)", 1);
    });
    db.run([&]() -> asio::awaitable<void> {
        auto tx = co_await db.db().begin(TxMode::Read);
        second_pid = co_await backend_pid(*tx);
        Rows r = co_await tx->query("SELECT count(*) AS c FROM abandoned_items");
        count = r[0].get<std::int64_t>("c");
    });
    EXPECT_EQ(count, 0);
    EXPECT_EQ(first_pid, second_pid);
}

TEST_F(PostgresDatabase, FailedStatementAbortsTheTransaction) {
    // PostgreSQL aborts the whole transaction on a failed statement (SQLite only undoes the statement): the
    // commit then fails, nothing is kept, and the after-commit callbacks do not run.
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE aborted_items (id BIGINT)");
    int calls = 0;
    bool statement_failed = false, commit_failed = false;
    db.run([&]() -> asio::awaitable<void> {
        auto tx = co_await db.db().begin(TxMode::Write);
        tx->after_commit([&] { ++calls; });
        co_await tx->exec("INSERT INTO aborted_items VALUES (?)", 1);
        try {
            co_await tx->exec("INSERT INTO aborted_items VALUES (?)", "not a number");
        } catch (const Error&) {
            statement_failed = true;
        }
        try {
            co_await tx->commit();
        } catch (const Error&) {
            commit_failed = true;
        }
    });
    EXPECT_TRUE(statement_failed);
    EXPECT_TRUE(commit_failed);
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(query(db, "SELECT count(*) AS c FROM aborted_items")[0].get<int>("c"), 0);
}
TEST_F(PostgresDatabase, ReadsLargeResults) {
    // About 5 MB: libpq reads it in many pieces, each after waiting for the socket again.
    SyncDatabase db(options_);
    Rows rows = query(db, "SELECT n, repeat('x', 1000) AS filler FROM generate_series(1, 5000) AS n");
    ASSERT_EQ(rows.size(), 5000u);
    EXPECT_EQ(rows[4999].get<int>("n"), 5000);
    EXPECT_EQ(rows[0].get<std::string>("filler"), std::string(1000, 'x'));
}

TEST_F(PostgresDatabase, ConcurrentTransactionsShareASmallPool) {
    {
        SyncDatabase setup(options_);
        exec(setup, "CREATE TABLE concurrent_items (n BIGINT, pid BIGINT)");
    }
    options_.max_open_connections = 2;
    options_.max_idle_connections = 2;
    asio::io_context io;
    auto db = postgres::open(options_, io.get_executor());
    constexpr int kTasks = 8;
    std::atomic<int> in_flight{0}, most_in_flight{0}, finished{0};
    std::mutex errors_mutex;
    std::vector<std::string> errors;
    for (int i = 0; i < kTasks; ++i) {
        asio::co_spawn(
            io,
            [&, i]() -> asio::awaitable<void> {
                auto tx = co_await db->begin(TxMode::Write);
                const int now = ++in_flight;
                int seen = most_in_flight.load();
                while (now > seen && !most_in_flight.compare_exchange_weak(seen, now)) {
                }
                const std::int64_t pid = co_await backend_pid(*tx);
                co_await tx->exec("INSERT INTO concurrent_items VALUES (?, ?)", i, pid);
                co_await tx->query("SELECT pg_sleep(0.05)");
                // A result of several socket reads, completed on whichever thread sees the socket ready.
                Rows big = co_await tx->query("SELECT repeat('x', 1000) AS filler FROM generate_series(1, 300)");
                if (big.size() != 300) throw std::runtime_error("short result");
                --in_flight;
                co_await tx->commit();
            },
            [&](std::exception_ptr e) {
                if (e) {
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                        std::lock_guard lock(errors_mutex);
                        errors.emplace_back(ex.what());
                    }
                }
                ++finished;
            });
    }
    // io.run() returning also shows the backend leaves no timer or wait behind once the work is done.
    std::thread second([&] { io.run(); });
    io.run();
    second.join();

    EXPECT_EQ(finished, kTasks);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(most_in_flight, 2);
    db.reset();

    SyncDatabase check(options_);
    Rows rows = query(check, "SELECT count(*) AS c, count(DISTINCT pid) AS pids FROM concurrent_items");
    EXPECT_EQ(rows[0].get<int>("c"), kTasks);
    EXPECT_LE(rows[0].get<int>("pids"), 2);
}

TEST_F(PostgresDatabase, ReconnectsAfterBackendsAreTerminated) {
    options_.max_open_connections = 2;
    options_.max_connection_lifetime = 0ms;  // keep the pooled connections, so the dead ones get reused
    SyncDatabase db(options_);
    std::vector<std::int64_t> pids;
    db.run([&]() -> asio::awaitable<void> {
        auto a = co_await db.db().begin(TxMode::Read);
        auto b = co_await db.db().begin(TxMode::Read);
        pids.push_back(co_await backend_pid(*a));
        pids.push_back(co_await backend_pid(*b));
        co_await a->commit();
        co_await b->commit();
    });
    ASSERT_EQ(pids.size(), 2u);
    ASSERT_NE(pids[0], pids[1]);

    SyncDatabase admin(*postgres_options_from_env());
    for (std::int64_t pid : pids) {
        bool terminated = false;
        admin.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
            // The timeout argument makes the call wait until the backend has really exited.
            Rows r = co_await tx.query("SELECT pg_terminate_backend(?::int, 5000) AS ok", pid);
            terminated = r[0].get<bool>("ok");
        });
        ASSERT_TRUE(terminated);
    }

    for (int round = 0; round < 2; ++round) {
        std::int64_t pid = 0;
        db.transact(TxMode::Read, [&](Tx& tx) -> asio::awaitable<void> { pid = co_await backend_pid(tx); });
        EXPECT_NE(pid, 0);
        EXPECT_TRUE(std::find(pids.begin(), pids.end(), pid) == pids.end());
    }
    db.run([&]() -> asio::awaitable<void> { co_await db.db().ping(); });
}

}  // namespace
}  // namespace vicugna::db::postgres
