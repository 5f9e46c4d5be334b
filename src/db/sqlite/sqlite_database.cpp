// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/sqlite/sqlite_database.hpp"

#include <sqlite3.h>
#include <spdlog/spdlog.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <deque>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "util/crypto.hpp"

namespace vicugna::db::sqlite {
namespace {

constexpr Dialect kDialect{"sqlite", "LIKE", "INTEGER PRIMARY KEY AUTOINCREMENT", "", false};
constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    std::string text = std::string(what) + ": " + msg;
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
                throw UniqueViolation(text, msg);
            }
            if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) throw ForeignKeyViolation(text, msg);
            if (rc == SQLITE_CONSTRAINT_NOTNULL) throw NotNullViolation(text, msg);
            break;
        case SQLITE_BUSY:
        case SQLITE_LOCKED: throw TimeoutError(text);
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL: throw ConnectionError(text);
        default: break;
    }
    throw Error(ErrorKind::Other, text);
}

/// One sqlite3 handle with a cache of prepared statements keyed by SQL text.
class Connection {
public:
    Connection(const std::string& path, bool read_only, std::chrono::milliseconds slow) : slow_(slow) {
        int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
        if (int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            throw ConnectionError("cannot open SQLite database " + path + ": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        // busy_timeout first, so the pragmas below wait for other processes instead of failing.
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
        if (!read_only) script("PRAGMA journal_mode=WAL");
        script("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
    }
    ~Connection() {
        for (auto& [sql, statement] : statements_) sqlite3_finalize(statement.stmt);
        sqlite3_close(db_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void script(std::string_view sql) {
        std::string text(sql);
        char* err = nullptr;
        if (int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
            std::string msg = err ? err : "";
            sqlite3_free(err);
            fail(db_, sqlite3_extended_errcode(db_), "SQL script failed (" + msg + ")");
        }
    }

    Rows run(std::string_view sql, const std::vector<Value>& params) {
        const Statement& statement = prepare(sql);
        sqlite3_stmt* stmt = statement.stmt;
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() { sqlite3_reset(s); sqlite3_clear_bindings(s); }
        } reset{stmt};
        bind(stmt, params);
        const auto started = std::chrono::steady_clock::now();
        Rows rows(statement.columns);
        const int n = static_cast<int>(statement.columns->size());
        for (;;) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) fail(db_, sqlite3_extended_errcode(db_), "statement failed");
            for (int i = 0; i < n; ++i) rows.cells.push_back(column(stmt, i));
        }
        // sqlite3_changes64 keeps the count of the last write; a read reports none.
        rows.affected = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(db_);
        if (slow_.count() > 0) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
            if (ms > slow_) spdlog::warn("slow query ({} ms): {}", ms.count(), sql);
        }
        return rows;
    }

private:
    /// A prepared statement and its column names, made once per SQL text and connection.
    struct Statement {
        sqlite3_stmt* stmt;
        ColumnNames columns;
    };

    const Statement& prepare(std::string_view sql) {
        if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                    nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, "cannot prepare statement");
        auto names = std::make_shared<std::vector<std::string>>();
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) names->emplace_back(sqlite3_column_name(stmt, i));
        return statements_.emplace(std::string(sql), Statement{stmt, std::move(names)}).first->second;
    }

    void bind(sqlite3_stmt* stmt, const std::vector<Value>& params) {
        if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
            throw Error(ErrorKind::Other, "wrong number of parameters for statement");
        }
        for (int i = 0; i < static_cast<int>(params.size()); ++i) {
            const Value& v = params[i];
            int rc = std::visit(
                [&](const auto& x) -> int {
                    using T = std::decay_t<decltype(x)>;
                    if constexpr (std::is_same_v<T, std::monostate>) return sqlite3_bind_null(stmt, i + 1);
                    else if constexpr (std::is_same_v<T, std::int64_t>) return sqlite3_bind_int64(stmt, i + 1, x);
                    else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt, i + 1, x);
                    else if constexpr (std::is_same_v<T, bool>) return sqlite3_bind_int(stmt, i + 1, x ? 1 : 0);
                    else if constexpr (std::is_same_v<T, std::string>) {
                        return sqlite3_bind_text64(stmt, i + 1, x.data(), x.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
                    } else {
                        std::string text = util::to_db_text(x);
                        return sqlite3_bind_text64(stmt, i + 1, text.data(), text.size(), SQLITE_TRANSIENT,
                                                   SQLITE_UTF8);
                    }
                },
                v);
            if (rc != SQLITE_OK) fail(db_, rc, "cannot bind parameter");
        }
    }

    static Value column(sqlite3_stmt* stmt, int i) {
        switch (sqlite3_column_type(stmt, i)) {
            case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
            case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
            case SQLITE_NULL: return std::monostate{};
            default: {
                auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
                return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
            }
        }
    }

    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
    };
    sqlite3* db_ = nullptr;
    std::chrono::milliseconds slow_;  ///< database.slowquerythreshold; 0: off
    std::unordered_map<std::string, Statement, Hash, std::equal_to<>> statements_;
};

/// Hands out the writer to one transaction at a time, in arrival order, without blocking a thread.
class AsyncLock {
public:
    asio::awaitable<void> lock() {
        co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
            [this](auto handler) {
                std::unique_lock guard(mutex_);
                if (!locked_) {
                    locked_ = true;
                    guard.unlock();
                    auto ex = asio::get_associated_executor(handler);
                    asio::post(ex, std::move(handler));
                    return;
                }
                // std::function needs a copyable target; the handler itself is move-only. The work guard keeps
                // the waiter's event loop from running out of work (and stopping) while it queues here.
                auto work = asio::make_work_guard(asio::get_associated_executor(handler));
                auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                waiters_.emplace_back([shared, work]() mutable {
                    asio::post(work.get_executor(), std::move(*shared));
                    work.reset();
                });
            },
            asio::use_awaitable);
    }
    void unlock() {
        std::function<void()> next;
        {
            std::lock_guard guard(mutex_);
            if (waiters_.empty()) {
                locked_ = false;
                return;
            }
            next = std::move(waiters_.front());
            waiters_.pop_front();
        }
        next();
    }

private:
    std::mutex mutex_;
    bool locked_ = false;
    std::deque<std::function<void()>> waiters_;
};

class SqliteDatabase final : public Database {
public:
    SqliteDatabase(std::string path, bool temporary, std::chrono::milliseconds slow)
        : path_(std::move(path)), temporary_(temporary), slow_(slow) {
        if (sqlite3_libversion_number() < 3035000) {
            throw Error(ErrorKind::Other, "SQLite 3.35 or newer is needed (RETURNING); found " +
                                              std::string(sqlite3_libversion()));
        }
        writer_connection_ = std::make_unique<Connection>(path_, false, slow_);
    }
    ~SqliteDatabase() override {
        if (!temporary_) return;
        readers_.clear();
        writer_connection_.reset();
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ec;
            std::filesystem::remove(path_ + suffix, ec);
        }
    }

    const Dialect& dialect() const override { return kDialect; }
    std::string describe() const override { return "sqlite:" + path_; }

    asio::awaitable<std::unique_ptr<Tx>> begin(TxMode mode) override;
    asio::awaitable<void> ping() override {
        auto tx = co_await begin(TxMode::Read);
        co_await tx->query("SELECT 1");
    }

    std::unique_ptr<Connection> take_reader() {
        {
            std::lock_guard guard(readers_mutex_);
            if (!readers_.empty()) {
                auto c = std::move(readers_.back());
                readers_.pop_back();
                return c;
            }
        }
        return std::make_unique<Connection>(path_, true, slow_);
    }
    void give_back_reader(std::unique_ptr<Connection> c) {
        std::lock_guard guard(readers_mutex_);
        readers_.push_back(std::move(c));
    }

    std::unique_ptr<Connection> writer_connection_;
    AsyncLock writer_lock_;

private:
    std::string path_;
    bool temporary_;
    std::chrono::milliseconds slow_;
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Connection>> readers_;
};

/// Reads run inline on the calling I/O thread: a statement on a warm page cache takes microseconds.
class ReadTx final : public Tx {
public:
    // BEGIN/ROLLBACK go through the statement cache: parsing them per request showed in profiles.
    ReadTx(SqliteDatabase& db) : Tx(TxMode::Read), db_(db), conn_(db.take_reader()) { conn_->run("BEGIN", {}); }
    ~ReadTx() override {
        try {
            conn_->run("ROLLBACK", {});
            db_.give_back_reader(std::move(conn_));
        } catch (...) {
            // A connection that cannot end its transaction is dropped, not reused.
        }
    }
    asio::awaitable<Rows> run(std::string_view sql, std::vector<Value> params) override {
        co_return conn_->run(sql, params);
    }
    asio::awaitable<void> exec_script(std::string_view sql) override {
        conn_->script(sql);
        co_return;
    }

protected:
    asio::awaitable<void> do_commit() override { co_return; }

private:
    SqliteDatabase& db_;
    std::unique_ptr<Connection> conn_;
};

/// Writes go through the one writer connection, one transaction at a time (BEGIN IMMEDIATE), inline on the calling
/// I/O thread like reads. (They used to hop to a writer thread per statement; under load each hop back waited behind
/// every queued read while the transaction held the writer, and writes took hundreds of milliseconds.)
class WriteTx final : public Tx {
public:
    explicit WriteTx(SqliteDatabase& db) : Tx(TxMode::Write), db_(db) {}
    ~WriteTx() override {
        if (!open_) return;
        try {
            db_.writer_connection_->run("ROLLBACK", {});
        } catch (const std::exception& e) {
            spdlog::error("SQLite rollback failed: {}", e.what());
        }
        db_.writer_lock_.unlock();
    }
    asio::awaitable<void> start() {
        co_await db_.writer_lock_.lock();
        try {
            db_.writer_connection_->run("BEGIN IMMEDIATE", {});
        } catch (...) {
            db_.writer_lock_.unlock();
            throw;
        }
        open_ = true;
    }
    asio::awaitable<Rows> run(std::string_view sql, std::vector<Value> params) override {
        co_return db_.writer_connection_->run(sql, params);
    }
    asio::awaitable<void> exec_script(std::string_view sql) override {
        db_.writer_connection_->script(sql);
        co_return;
    }

protected:
    asio::awaitable<void> do_commit() override {
        db_.writer_connection_->run("COMMIT", {});
        open_ = false;
        db_.writer_lock_.unlock();
        co_return;
    }

private:
    SqliteDatabase& db_;
    bool open_ = false;
};

asio::awaitable<std::unique_ptr<Tx>> SqliteDatabase::begin(TxMode mode) {
    if (mode == TxMode::Read) co_return std::make_unique<ReadTx>(*this);
    auto tx = std::make_unique<WriteTx>(*this);
    co_await tx->start();
    co_return tx;
}

}  // namespace

std::unique_ptr<Database> open(const Options& options, asio::any_io_executor) {
    // Memory statistics put one global mutex around every SQLite allocation; with several I/O threads reading
    // at once it showed as lock contention in profiles. It must be set before SQLite initialises (harmless
    // SQLITE_MISUSE if something initialised it already).
    static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)memstatus_off;
    if (options.path != "memory") {
        return std::make_unique<SqliteDatabase>(options.path, false, options.slow_query_threshold);
    }
    // "memory": a private temporary file (readers and the writer need one shared file), removed on close.
    auto path = std::filesystem::temp_directory_path() / ("vicugna-" + util::random_hex(8) + ".db");
    return std::make_unique<SqliteDatabase>(path.string(), true, options.slow_query_threshold);
}

}  // namespace vicugna::db::sqlite
