// SPDX-License-Identifier: AGPL-3.0-or-later
// The storage contract, written once and run on both engines: SQLite on a temporary file and PostgreSQL in a
// fresh schema of the database named by VICUGNA_TEST_PG_DSN (postgres://USER[:PASSWORD]@HOST:PORT/DBNAME
// [?sslmode=MODE]); the PostgreSQL cases are skipped when it is unset.
#include "db/database.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "db/migrate.hpp"
#include "db/test_support.hpp"
#include "util/crypto.hpp"

namespace vicugna::db {

namespace test_support {

std::optional<Options> postgres_options_from_env() {
    const char* env = std::getenv("VICUGNA_TEST_PG_DSN");
    if (!env || !*env) return std::nullopt;
    std::string_view dsn = env;
    for (std::string_view scheme : {"postgres://", "postgresql://"}) {
        if (dsn.starts_with(scheme)) dsn.remove_prefix(scheme.size());
    }
    Options o;
    o.type = "postgres";
    if (auto query = dsn.find("?sslmode="); query != std::string_view::npos) {
        o.sslmode = dsn.substr(query + 9);
        dsn = dsn.substr(0, query);
    }
    if (auto at = dsn.find('@'); at != std::string_view::npos) {
        std::string_view user = dsn.substr(0, at);
        if (auto colon = user.find(':'); colon != std::string_view::npos) {
            o.password = user.substr(colon + 1);
            user = user.substr(0, colon);
        }
        o.user = user;
        dsn.remove_prefix(at + 1);
    }
    const auto slash = dsn.find('/');
    o.host = dsn.substr(0, slash);
    if (slash != std::string_view::npos) o.database = dsn.substr(slash + 1);
    return o;
}

std::string create_test_schema(const Options& base) {
    std::string schema = "vicugna_test_" + util::random_hex(6);
    SyncDatabase admin(base);
    admin.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        const std::string sql = "CREATE SCHEMA " + schema;
        co_await tx.exec_script(sql);
    });
    return schema;
}

void drop_test_schema(const Options& base, const std::string& schema) {
    SyncDatabase admin(base);
    admin.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        const std::string sql = "DROP SCHEMA " + schema + " CASCADE";
        co_await tx.exec_script(sql);
    });
}

}  // namespace test_support

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using test_support::error_from;
using test_support::exec;
using test_support::query;


std::int64_t count(SyncDatabase& db, const std::string& table) {
    return query(db, "SELECT COUNT(*) AS c FROM " + table)[0].get<std::int64_t>("c");
}


/// Collects the exceptions of coroutines spawned on a loop, from whichever thread they finish on.
class Outcomes {
public:
    auto handler() {
        return [this](std::exception_ptr e) {
            std::lock_guard lock(mutex_);
            ++finished_;
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                errors_.emplace_back(ex.what());
            }
        };
    }
    int finished() {
        std::lock_guard lock(mutex_);
        return finished_;
    }
    std::string errors() {
        std::lock_guard lock(mutex_);
        std::string all;
        for (const auto& e : errors_) all += e + "\n";
        return all;
    }

private:
    std::mutex mutex_;
    int finished_ = 0;
    std::vector<std::string> errors_;
};

class DatabaseContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "sqlite") {
            dir_ = fs::temp_directory_path() / ("vicugna-db-test-" + util::random_hex(8));
            fs::create_directories(dir_);
            options_.type = "sqlite";
            options_.path = (dir_ / "test.db").string();
            return;
        }
#ifndef VICUGNA_WITH_POSTGRES
        GTEST_SKIP() << "built without PostgreSQL";
#endif
        auto base = test_support::postgres_options_from_env();
        if (!base) GTEST_SKIP() << "VICUGNA_TEST_PG_DSN is not set";
        schema_ = test_support::create_test_schema(*base);
        options_ = *base;
        options_.schema = schema_;
    }

    void TearDown() override {
        if (!schema_.empty()) test_support::drop_test_schema(*test_support::postgres_options_from_env(), schema_);
        if (!dir_.empty()) {
            std::error_code ec;
            fs::remove_all(dir_, ec);
        }
    }

    /// DDL for an auto-increment id column on this engine.
    static std::string id_column(SyncDatabase& db) { return std::string(db.db().dialect().id_column); }

    Options options_;
    fs::path dir_;
    std::string schema_;
};

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseContract, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& engine) { return engine.param; });

TEST_P(DatabaseContract, DialectNamesTheEngine) {
    SyncDatabase db(options_);
    const Dialect& d = db.db().dialect();
    EXPECT_EQ(d.name, GetParam());
    EXPECT_EQ(d.concurrent_writes, GetParam() == "postgres");
    EXPECT_EQ(d.ilike, GetParam() == "postgres" ? "ILIKE" : "LIKE");
    EXPECT_FALSE(d.id_column.empty());
    EXPECT_THAT(db.db().describe(), HasSubstr(GetParam()));
    db.run([&]() -> asio::awaitable<void> { co_await db.db().ping(); });
}

TEST_P(DatabaseContract, RoundTripsEveryValueType) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE value_types (id " + id_column(db) +
                 ", i BIGINT, d DOUBLE PRECISION, b BOOLEAN, f BOOLEAN, s TEXT, t TIMESTAMPTZ, z TIMESTAMPTZ, "
                 "n BIGINT, o TEXT, e TEXT)");
    const Timestamp when = *util::parse_time("2024-01-02T03:04:05Z");
    const Timestamp zero = *util::parse_time("0001-01-01T00:00:00Z");  // Vikunja's "no date"
    const std::string text = "h\xc3\xa9llo 'quoted' \"double\" ? $1 \\ \t\n";
    const std::int64_t big = -9007199254740993;  // not representable as a double
    const Value false_value = false;
    const Value null_value;
    const std::optional<std::int64_t> no_int;
    const std::string empty;
    db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        co_await tx.exec("INSERT INTO value_types (i, d, b, f, s, t, z, n, o, e) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         big, 0.1, true, false_value, text, when, zero, no_int, null_value, empty);
    });

    Rows rows = query(db, "SELECT i, d, b, f, s, t, z, n, o, e FROM value_types");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.columns(), (std::vector<std::string>{"i", "d", "b", "f", "s", "t", "z", "n", "o", "e"}));
    Row row = rows[0];
    EXPECT_EQ(row.get<std::int64_t>("i"), big);
    EXPECT_EQ(row.get<double>("d"), 0.1);  // exact
    EXPECT_TRUE(row.get<bool>("b"));
    EXPECT_FALSE(row.get<bool>("f"));
    EXPECT_EQ(row.get<std::optional<bool>>("b"), true);
    EXPECT_EQ(row.get<std::string>("s"), text);
    EXPECT_EQ(row.get<Timestamp>("t"), when);
    EXPECT_EQ(row.get<std::optional<Timestamp>>("t"), when);
    EXPECT_EQ(row.get<Timestamp>("z"), zero);
    EXPECT_TRUE(util::is_zero_time(row.get<Timestamp>("z")));
    EXPECT_EQ(row.get<std::string>("e"), "");  // an empty string is not NULL
    EXPECT_FALSE(row.is_null("e"));
    EXPECT_EQ(row.get<std::optional<std::string>>("e"), std::string());
    // By index as well as by name.
    EXPECT_EQ(row.get<std::int64_t>(0), big);
    EXPECT_EQ(row.get<std::string>(4), text);

    // NULLs: nullopt through optionals, the zero value otherwise.
    EXPECT_TRUE(row.is_null("n"));
    EXPECT_TRUE(row.is_null("o"));
    EXPECT_EQ(row.get<std::optional<std::int64_t>>("n"), std::nullopt);
    EXPECT_EQ(row.get<std::optional<std::string>>("o"), std::nullopt);
    EXPECT_EQ(row.get<std::optional<Timestamp>>("o"), std::nullopt);
    EXPECT_EQ(row.get<std::optional<bool>>("n"), std::nullopt);
    EXPECT_EQ(row.get<std::optional<double>>("n"), std::nullopt);
    EXPECT_EQ(row.get<std::int64_t>("n"), 0);
    EXPECT_EQ(row.get<int>("n"), 0);
    EXPECT_EQ(row.get<std::string>("o"), "");
    EXPECT_FALSE(row.get<bool>("n"));
    EXPECT_EQ(row.get<Timestamp>("o"), Timestamp{});

    // The same values as parameters of a WHERE, in the other shapes model code passes them.
    std::int64_t matches = 0;
    const std::optional<std::string> optional_text = text;
    db.transact(TxMode::Read, [&](Tx& tx) -> asio::awaitable<void> {
        Rows r = co_await tx.query(
            "SELECT count(*) AS c FROM value_types WHERE i = ? AND s = ? AND t = ? AND b = ? AND f = ? AND z = ?",
            -9007199254740993L, optional_text, when, true, false, zero);
        matches = r[0].get<std::int64_t>("c");
    });
    EXPECT_EQ(matches, 1);
}

TEST_P(DatabaseContract, UnknownColumnNameThrows) {
    SyncDatabase db(options_);
    Rows rows = query(db, "SELECT 1 AS one");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].get<int>("one"), 1);
    auto e = error_from<Error>([&] { rows[0].get<int>("two"); });
    EXPECT_EQ(e.kind(), ErrorKind::Other);
    EXPECT_THAT(e.what(), HasSubstr("two"));
}

TEST_P(DatabaseContract, TimestampParametersCompareInTimeOrder) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE events (id BIGINT, at TIMESTAMPTZ)");
    const Timestamp zero = *util::parse_time("0001-01-01T00:00:00Z");
    const Timestamp t1 = *util::parse_time("2018-12-01T09:59:59Z");
    const Timestamp t2 = *util::parse_time("2018-12-01T10:00:00Z");
    const Timestamp t3 = *util::parse_time("2100-01-01T00:00:00Z");
    db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        co_await tx.exec("INSERT INTO events VALUES (?, ?), (?, ?), (?, ?), (?, ?)", 3, t3, 1, t1, 0, zero, 2, t2);
    });
    std::vector<std::int64_t> later, ordered;
    db.transact(TxMode::Read, [&](Tx& tx) -> asio::awaitable<void> {
        for (auto row : co_await tx.query("SELECT id FROM events WHERE at >= ? ORDER BY at", t2)) {
            later.push_back(row.get<std::int64_t>("id"));
        }
        for (auto row : co_await tx.query("SELECT id, at FROM events ORDER BY at DESC")) {
            ordered.push_back(row.get<std::int64_t>("id"));
        }
    });
    EXPECT_EQ(later, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(ordered, (std::vector<std::int64_t>{3, 2, 1, 0}));
}

TEST_P(DatabaseContract, ReturningIdAndAffectedCounts) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE items (id " + id_column(db) + ", name TEXT NOT NULL)");
    std::vector<std::int64_t> ids;
    std::int64_t inserted = 0, updated = 0, deleted = 0, untouched = -1;
    std::vector<std::string> returned_names;
    db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        for (const char* name : {"a", "b", "c"}) {
            Rows r = co_await tx.query("INSERT INTO items (name) VALUES (?) RETURNING id", name);
            ids.push_back(r[0].get<std::int64_t>("id"));
        }
        inserted = co_await tx.exec("INSERT INTO items (name) VALUES (?), (?)", "d", "e");
        updated = co_await tx.exec("UPDATE items SET name = ? WHERE id > ?", "z", ids[0]);
        Rows r = co_await tx.query("UPDATE items SET name = ? WHERE id = ? RETURNING name", "y", ids[0]);
        returned_names.push_back(r[0].get<std::string>("name"));
        deleted = co_await tx.exec("DELETE FROM items WHERE name = ?", "z");
        untouched = co_await tx.exec("DELETE FROM items WHERE id = ?", 12345);
    });
    EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(inserted, 2);
    EXPECT_EQ(updated, 4);
    EXPECT_EQ(returned_names, std::vector<std::string>{"y"});
    EXPECT_EQ(deleted, 4);
    EXPECT_EQ(untouched, 0);
    EXPECT_EQ(count(db, "items"), 1);
}

TEST_P(DatabaseContract, ResetIdSequenceMovesPastExplicitIds) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE seeded (id " + id_column(db) + ", name TEXT);" + "CREATE TABLE seeded_empty (id " +
                 id_column(db) + ", name TEXT);" + "INSERT INTO seeded (id, name) VALUES (1, 'a'), (7, 'b')");
    // Engines whose dialect has no statement move the sequence by themselves.
    auto reset = [&](const std::string& table) {
        std::string sql(db.db().dialect().reset_id_sequence);
        if (sql.empty()) return;
        for (auto pos = sql.find("{table}"); pos != std::string::npos; pos = sql.find("{table}")) {
            sql.replace(pos, 7, table);
        }
        db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> { co_await tx.query(sql); });
    };
    reset("seeded");
    reset("seeded_empty");
    std::int64_t next = 0, first = 0;
    db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        next = (co_await tx.query("INSERT INTO seeded (name) VALUES (?) RETURNING id", "c"))[0].get<std::int64_t>(0);
        first = (co_await tx.query("INSERT INTO seeded_empty (name) VALUES (?) RETURNING id", "x"))[0]
                    .get<std::int64_t>(0);
    });
    EXPECT_EQ(next, 8);
    EXPECT_EQ(first, 1);
}

TEST_P(DatabaseContract, ClassifiesConstraintViolations) {
    SyncDatabase db(options_);
    exec(db, test_support::kParentsAndChildren);
    auto insert = [&](std::string sql, Value a, Value b) {
        return [&db, sql, a, b] {
            db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> { co_await tx.exec(sql, a, b); });
        };
    };
    const std::string into_parents = "INSERT INTO parents VALUES (?, ?)";
    const std::string into_children = "INSERT INTO children VALUES (?, ?)";
    const Value one = std::int64_t{1}, two = std::int64_t{2}, three = std::int64_t{3}, ninety_nine = std::int64_t{99};

    auto unique = error_from<UniqueViolation>(insert(into_parents, two, "a@example.com"));
    EXPECT_EQ(unique.kind(), ErrorKind::Unique);
    EXPECT_THAT(unique.constraint(), HasSubstr("email"));  // the index name or the column, per engine

    auto primary = error_from<UniqueViolation>(insert(into_parents, one, "b@example.com"));
    EXPECT_EQ(primary.kind(), ErrorKind::Unique);
    EXPECT_THAT(primary.constraint(), HasSubstr("parents"));

    auto foreign = error_from<ForeignKeyViolation>(insert(into_children, one, ninety_nine));
    EXPECT_EQ(foreign.kind(), ErrorKind::ForeignKey);

    auto not_null = error_from<NotNullViolation>(insert(into_parents, three, Value{}));
    EXPECT_EQ(not_null.kind(), ErrorKind::NotNull);
    EXPECT_THAT(not_null.constraint(), HasSubstr("email"));

    auto other = error_from<Error>([&] { query(db, "SELECT no_such_column FROM parents"); });
    EXPECT_EQ(other.kind(), ErrorKind::Other);

    // None of the failed transactions left anything behind, and the database still takes writes.
    insert(into_children, one, one)();
    EXPECT_EQ(count(db, "parents"), 1);
    EXPECT_EQ(count(db, "children"), 1);
}

TEST_P(DatabaseContract, ReadOnlyTransactionRejectsWrites) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE read_only_items (id BIGINT)");
    auto write_in_read_tx = [&] {
        db.transact(TxMode::Read, [](Tx& tx) -> asio::awaitable<void> {
            co_await tx.exec("INSERT INTO read_only_items VALUES (?)", 1);
        });
    };
    EXPECT_THROW(write_in_read_tx(), Error);
    EXPECT_EQ(count(db, "read_only_items"), 0);
}

TEST_P(DatabaseContract, RollsBackWhenDestroyedWithoutCommit) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE abandoned_items (id BIGINT)");
    db.run([&]() -> asio::awaitable<void> {
        auto tx = co_await db.db().begin(TxMode::Write);
        co_await tx->exec("INSERT INTO abandoned_items VALUES (?)", 1);
        // Destroyed here without commit().
    });
    EXPECT_EQ(count(db, "abandoned_items"), 0);

    // An exception out of the transaction body: rolled back, and the exception reaches the caller.
    auto failing = [&] {
        db.transact(TxMode::Write, [](Tx& tx) -> asio::awaitable<void> {
            co_await tx.exec("INSERT INTO abandoned_items VALUES (?)", 2);
            throw std::runtime_error("the handler failed");
        });
    };
    EXPECT_THROW(failing(), std::runtime_error);
    EXPECT_EQ(count(db, "abandoned_items"), 0);

    // The abandoned transactions released whatever they held: a new write commits.
    db.transact(TxMode::Write, [](Tx& tx) -> asio::awaitable<void> {
        co_await tx.exec("INSERT INTO abandoned_items VALUES (?)", 3);
    });
    Rows rows = query(db, "SELECT id FROM abandoned_items");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].get<std::int64_t>("id"), 3);
}

TEST_P(DatabaseContract, AfterCommitRunsOnlyOnCommit) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE callback_items (id BIGINT)");
    std::vector<int> calls;
    db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        tx.after_commit([&] { calls.push_back(1); });
        tx.after_commit([&] { calls.push_back(2); });
        co_await tx.exec("INSERT INTO callback_items VALUES (?)", 1);
        EXPECT_TRUE(calls.empty()) << "ran before commit";
    });
    EXPECT_EQ(calls, (std::vector<int>{1, 2}));  // once each, in the order queued

    // Dropped without commit: the callback never runs.
    db.run([&]() -> asio::awaitable<void> {
        auto tx = co_await db.db().begin(TxMode::Write);
        tx->after_commit([&] { calls.push_back(3); });
        co_await tx->exec("INSERT INTO callback_items VALUES (?)", 2);
    });
    // Failed with an exception: neither.
    auto failing = [&] {
        db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
            tx.after_commit([&] { calls.push_back(4); });
            co_await tx.exec("INSERT INTO callback_items VALUES (?)", 3);
            throw std::runtime_error("the handler failed");
        });
    };
    EXPECT_THROW(failing(), std::runtime_error);
    EXPECT_EQ(calls, (std::vector<int>{1, 2}));
    EXPECT_EQ(count(db, "callback_items"), 1);

    // A read transaction's commit runs its callbacks too.
    db.transact(TxMode::Read, [&](Tx& tx) -> asio::awaitable<void> {
        tx.after_commit([&] { calls.push_back(5); });
        co_await tx.query("SELECT 1");
    });
    EXPECT_EQ(calls, (std::vector<int>{1, 2, 5}));
}

TEST_P(DatabaseContract, ExecScriptRunsSeveralStatements) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE script_items (id BIGINT, note TEXT); INSERT INTO script_items VALUES (1, '?');"
             "-- a comment?\nINSERT INTO script_items VALUES (2, 'two');");
    Rows rows = query(db, "SELECT id, note FROM script_items ORDER BY id");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].get<std::string>("note"), "?");
    EXPECT_EQ(rows[1].get<std::int64_t>("id"), 2);
    EXPECT_EQ(rows[1].get<std::string>("note"), "two");
}

TEST_P(DatabaseContract, ReadersSeeCommittedDataOnly) {
    SyncDatabase db(options_);
    exec(db, "CREATE TABLE visible_items (id BIGINT)");
    std::int64_t own = -1, before = -1, after = -1;
    db.run([&]() -> asio::awaitable<void> {
        auto writer = co_await db.db().begin(TxMode::Write);
        co_await writer->exec("INSERT INTO visible_items VALUES (?)", 1);
        own = (co_await writer->query("SELECT COUNT(*) AS c FROM visible_items"))[0].get<std::int64_t>("c");
        {
            auto reader = co_await db.db().begin(TxMode::Read);
            before = (co_await reader->query("SELECT COUNT(*) AS c FROM visible_items"))[0].get<std::int64_t>("c");
        }
        co_await writer->commit();
        auto reader = co_await db.db().begin(TxMode::Read);
        after = (co_await reader->query("SELECT COUNT(*) AS c FROM visible_items"))[0].get<std::int64_t>("c");
    });
    EXPECT_EQ(own, 1);     // a transaction sees its own writes
    EXPECT_EQ(before, 0);  // others do not, until the commit
    EXPECT_EQ(after, 1);
}

// Two coroutines on one thread each open a write transaction, the second while the first is still open.
// SQLite has one writer, so the second waits for the first to commit (and then sees its row); PostgreSQL
// runs both at once (and the second does not see the uncommitted row).
TEST_P(DatabaseContract, WriteTransactionsOverlapOnlyWhereTheDialectAllows) {
    {
        SyncDatabase setup(options_);
        exec(setup, "CREATE TABLE ordered_items (n BIGINT)");
    }
    asio::io_context io;
    auto db = open(options_, io.get_executor());
    std::vector<std::string> events;
    std::int64_t seen_by_second = -1;
    bool first_begun = false, second_has_read = false;
    asio::steady_timer first_has_begun(io, asio::steady_timer::time_point::max());
    // The first transaction stays open until the second has begun and read, or for a while where it cannot
    // begin (long enough for the second to have asked; it cannot get in before the commit in any case).
    const bool concurrent = db->dialect().concurrent_writes;
    asio::steady_timer hold(io, concurrent ? std::chrono::milliseconds(10s) : std::chrono::milliseconds(200ms));
    Outcomes outcomes;

    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            auto tx = co_await db->begin(TxMode::Write);
            events.push_back("first begun");
            first_begun = true;
            first_has_begun.cancel();
            co_await tx->exec("INSERT INTO ordered_items VALUES (?)", 1);
            if (!second_has_read) {
                boost::system::error_code ec;  // operation_aborted once the second one has read
                co_await hold.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
            events.push_back("first committing");
            co_await tx->commit();
            events.push_back("first committed");
        },
        outcomes.handler());
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            if (!first_begun) {
                boost::system::error_code ec;  // operation_aborted when the first one cancels the timer
                co_await first_has_begun.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
            events.push_back("second requested");
            auto tx = co_await db->begin(TxMode::Write);
            events.push_back("second begun");
            Rows r = co_await tx->query("SELECT COUNT(*) AS c FROM ordered_items");
            seen_by_second = r[0].get<std::int64_t>("c");
            second_has_read = true;
            hold.cancel();
            co_await tx->exec("INSERT INTO ordered_items VALUES (?)", 2);
            co_await tx->commit();
            events.push_back("second committed");
        },
        outcomes.handler());
    io.run();
    db.reset();

    ASSERT_EQ(outcomes.finished(), 2);
    ASSERT_EQ(outcomes.errors(), "");
    auto at = [&](const std::string& e) { return std::find(events.begin(), events.end(), e) - events.begin(); };
    ASSERT_EQ(events.size(), 6u);
    EXPECT_LT(at("first begun"), at("second requested"));
    if (concurrent) {
        EXPECT_LT(at("second begun"), at("first committing"));
        EXPECT_EQ(seen_by_second, 0);
    } else {
        EXPECT_EQ(events, (std::vector<std::string>{"first begun", "second requested", "first committing",
                                                    "first committed", "second begun", "second committed"}));
        EXPECT_EQ(seen_by_second, 1);
    }
    SyncDatabase check(options_);
    EXPECT_EQ(count(check, "ordered_items"), 2);
}

TEST_P(DatabaseContract, ConcurrentWriteTransactionsFromManyCoroutines) {
    {
        SyncDatabase setup(options_);
        exec(setup, "CREATE TABLE tallies (name TEXT PRIMARY KEY, n BIGINT NOT NULL);"
                    "INSERT INTO tallies VALUES ('hits', 0);"
                    "CREATE TABLE tally_writes (i BIGINT, n BIGINT)");
    }
    asio::io_context io;
    auto db = open(options_, io.get_executor());
    constexpr int kTasks = 8;
    Outcomes outcomes;
    for (int i = 0; i < kTasks; ++i) {
        asio::co_spawn(
            io,
            [&, i]() -> asio::awaitable<void> {
                auto tx = co_await db->begin(TxMode::Write);
                co_await tx->exec("UPDATE tallies SET n = n + 1 WHERE name = ?", "hits");
                // Yield to the loop between statements, so the coroutines interleave where the engine allows.
                asio::steady_timer pause(co_await asio::this_coro::executor, 5ms);
                co_await pause.async_wait(asio::use_awaitable);
                Rows r = co_await tx->query("SELECT n FROM tallies WHERE name = ?", "hits");
                co_await tx->exec("INSERT INTO tally_writes VALUES (?, ?)", i, r[0].get<std::int64_t>("n"));
                co_await tx->commit();
            },
            outcomes.handler());
    }
    // Two threads run the loop, as the server's I/O threads do.
    std::thread second([&] { io.run(); });
    io.run();
    second.join();
    db.reset();

    EXPECT_EQ(outcomes.finished(), kTasks);
    EXPECT_EQ(outcomes.errors(), "");
    SyncDatabase check(options_);
    EXPECT_EQ(query(check, "SELECT n FROM tallies")[0].get<std::int64_t>("n"), kTasks);
    // Every transaction saw its own increment on top of all earlier committed ones: no update was lost.
    std::set<std::int64_t> seen, tasks;
    for (auto row : query(check, "SELECT i, n FROM tally_writes")) {
        tasks.insert(row.get<std::int64_t>("i"));
        seen.insert(row.get<std::int64_t>("n"));
    }
    EXPECT_EQ(tasks.size(), static_cast<std::size_t>(kTasks));
    EXPECT_EQ(seen, (std::set<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_P(DatabaseContract, MigrationsApplyOnceAndAreListed) {
    SyncDatabase db(options_);
    std::vector<std::string> all;
    for (const auto& [id, sql] : migrations_for(db.db().dialect())) {
        EXPECT_EQ(sql.find("@ID@"), std::string::npos) << id;
        all.push_back(id);
    }
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.front(), "0001_init");

    std::vector<MigrationStatus> before, after;
    std::vector<std::string> first, second;
    db.run([&]() -> asio::awaitable<void> {
        before = co_await list_migrations(db.db());
        first = co_await apply_migrations(db.db());
        second = co_await apply_migrations(db.db());
        after = co_await list_migrations(db.db());
    });
    EXPECT_EQ(first, all);
    EXPECT_TRUE(second.empty());
    ASSERT_EQ(before.size(), all.size());
    ASSERT_EQ(after.size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(before[i].id, all[i]);
        EXPECT_FALSE(before[i].applied) << all[i];
        EXPECT_EQ(after[i].id, all[i]);
        EXPECT_TRUE(after[i].applied) << all[i];
    }
    EXPECT_EQ(count(db, "migrations"), static_cast<std::int64_t>(all.size()));

    for (const char* table : {"users", "tasks", "sessions", "api_tokens", "vicugna_settings", "projects"}) {
        EXPECT_NO_THROW(EXPECT_EQ(count(db, table), 0) << table) << table;
    }
    EXPECT_THROW(count(db, "no_such_table"), Error);  // so the checks above can fail
    // The schema takes rows: an auto-increment id on users, a text key on vicugna_settings.
    std::int64_t user_id = 0;
    const Timestamp now = util::now();
    db.transact(TxMode::Write, [&](Tx& tx) -> asio::awaitable<void> {
        Rows r = co_await tx.query("INSERT INTO users (username, created, updated) VALUES (?, ?, ?) RETURNING id",
                                   "alice", now, now);
        user_id = r[0].get<std::int64_t>("id");
        co_await tx.exec("INSERT INTO vicugna_settings (name, value) VALUES (?, ?)", "k", "v");
    });
    EXPECT_EQ(user_id, 1);
    Rows user = query(db, "SELECT username, is_admin, status, created FROM users");
    ASSERT_EQ(user.size(), 1u);
    EXPECT_EQ(user[0].get<std::string>("username"), "alice");
    EXPECT_FALSE(user[0].get<bool>("is_admin"));  // column defaults apply
    EXPECT_EQ(user[0].get<int>("status"), 0);
    EXPECT_EQ(user[0].get<Timestamp>("created"), now);

    // A fresh Database on the same storage finds nothing left to apply.
    SyncDatabase reopened(options_);
    std::vector<std::string> third;
    reopened.run([&]() -> asio::awaitable<void> { third = co_await apply_migrations(reopened.db()); });
    EXPECT_TRUE(third.empty());
}

TEST(DatabaseOpen, UnknownTypeIsRefused) {
    Options o;
    o.type = "oracle";
    try {
        SyncDatabase db(o);
        FAIL() << "opened an oracle database";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Other);
        EXPECT_THAT(e.what(), HasSubstr("oracle"));
    }
}

TEST(DatabaseOpen, SqliteFileThatCannotBeCreatedIsAConnectionError) {
    Options o;
    o.type = "sqlite";
    o.path = "/nonexistent-dir-" + util::random_hex(4) + "/vikunja.db";
    EXPECT_THROW(SyncDatabase db(o), ConnectionError);
}

TEST(ThrowError, ThrowsTheTypedExceptionForEachKind) {
    EXPECT_THROW(throw_error(ErrorKind::Unique, "m", "c"), UniqueViolation);
    EXPECT_THROW(throw_error(ErrorKind::ForeignKey, "m"), ForeignKeyViolation);
    EXPECT_THROW(throw_error(ErrorKind::NotNull, "m"), NotNullViolation);
    EXPECT_THROW(throw_error(ErrorKind::ConnectionLost, "m"), ConnectionError);
    EXPECT_THROW(throw_error(ErrorKind::Timeout, "m"), TimeoutError);
    try {
        throw_error(ErrorKind::Unique, "message", "constraint");
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Unique);
        EXPECT_STREQ(e.what(), "message");
        EXPECT_EQ(e.constraint(), "constraint");
    }
    try {
        throw_error(ErrorKind::Other, "other");
    } catch (const UniqueViolation&) {
        ADD_FAILURE() << "Other became a UniqueViolation";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Other);
    }
}

}  // namespace
}  // namespace vicugna::db
