// SPDX-License-Identifier: AGPL-3.0-or-later
/// The only database layer: Database (a factory for transactions), Tx (one per request), Rows/Row (typed
/// getters) and Dialect (the few places SQLite and PostgreSQL differ). Models never see driver types.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "db/errors.hpp"
#include "util/time.hpp"

namespace vicugna::db {

namespace asio = boost::asio;
using util::Timestamp;

/// A bound parameter or a fetched column. Booleans and timestamps are normalised by the backends.
using Value = std::variant<std::monostate, std::int64_t, double, bool, std::string, Timestamp>;

/// Column names of a result, shared by every result of one prepared statement (not copied per query).
using ColumnNames = std::shared_ptr<const std::vector<std::string>>;

/// One row of a result; getters convert between the engines' representations (0/1 vs true, text vs timestamptz).
class Row {
public:
    Row(const std::vector<std::string>* columns, const Value* values) : columns_(columns), values_(values) {}

    /// T is int64_t, int, double, bool, std::string, Timestamp, or std::optional of one (NULL → nullopt).
    /// A NULL read as a non-optional T gives T's zero value. Throws db::Error for an unknown column.
    template <class T>
    T get(std::string_view column) const { return convert<T>(at(column)); }
    template <class T>
    T get(std::size_t index) const {
        if (index >= columns_->size()) throw Error(ErrorKind::Other, "column index out of range");
        return convert<T>(values_[index]);
    }
    bool is_null(std::string_view column) const { return std::holds_alternative<std::monostate>(at(column)); }
    const std::vector<std::string>& columns() const { return *columns_; }
    std::span<const Value> values() const { return {values_, columns_->size()}; }

private:
    const Value& at(std::string_view column) const;
    template <class T>
    static T convert(const Value& v);

    const std::vector<std::string>* columns_;
    const Value* values_;
};

/// A fully fetched result set: the cells of all rows in one row-major vector (one allocation, not one per row).
class Rows {
public:
    explicit Rows(ColumnNames names = nullptr) : names_(names ? std::move(names) : no_columns()) {}

    std::vector<Value> cells;
    std::int64_t affected = 0;  ///< rows changed by INSERT/UPDATE/DELETE

    const std::vector<std::string>& columns() const { return *names_; }
    std::size_t size() const { return names_->empty() ? 0 : cells.size() / names_->size(); }
    bool empty() const { return size() == 0; }
    Row operator[](std::size_t i) const {
        if (i >= size()) throw Error(ErrorKind::Other, "row index out of range");
        return Row(names_.get(), cells.data() + i * names_->size());
    }

    class Iterator {
    public:
        Iterator(const Rows* rows, std::size_t i) : rows_(rows), i_(i) {}
        Row operator*() const { return (*rows_)[i_]; }
        Iterator& operator++() { ++i_; return *this; }
        bool operator!=(const Iterator& o) const { return i_ != o.i_; }
    private:
        const Rows* rows_;
        std::size_t i_;
    };
    Iterator begin() const { return {this, 0}; }
    Iterator end() const { return {this, size()}; }

private:
    static const ColumnNames& no_columns() {
        static const ColumnNames empty = std::make_shared<const std::vector<std::string>>();
        return empty;
    }
    ColumnNames names_;
};

/// What differs between the engines, asked for by name instead of branching on the engine.
struct Dialect {
    std::string_view name;            ///< "sqlite" or "postgres"
    std::string_view ilike;           ///< case-insensitive LIKE operator
    std::string_view id_column;       ///< DDL for an auto-increment 64-bit primary key (migrations' @ID@)
    std::string_view migration_lock;  ///< statement that serialises concurrent migrators ("" if none needed)
    bool concurrent_writes;           ///< several writers at once (false on SQLite)
    /// Appended to a SELECT that claims queued rows, so concurrent claimers skip each other's rows instead of
    /// waiting ("" where writers are serialised anyway).
    std::string_view skip_locked = {};
    /// Statement that moves `{table}`'s id sequence past its largest id after explicit-id inserts ("" if automatic).
    std::string_view reset_id_sequence = {};
};

enum class TxMode { Read, Write };

/// `%search%` lowercased, for `LOWER(column) LIKE ?`: a case-insensitive "contains" that reads the same on both
/// engines (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
inline std::string lowercase_like_pattern(std::string_view search) {
    std::string pattern = "%";
    for (char c : search) pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return pattern + "%";
}

/// "(?, ?, ?)" for an IN list of n values; "(NULL)" when n is 0, which matches nothing.
inline std::string placeholders(std::size_t n) {
    if (n == 0) return "(NULL)";
    std::string s = "(?";
    for (std::size_t i = 1; i < n; ++i) s += ", ?";
    return s + ")";
}

/// One transaction. Rolled back unless commit() was called (also when destroyed without commit).
/// SQL uses `?` placeholders; the PostgreSQL backend rewrites them to $n.
class Tx {
public:
    virtual ~Tx() = default;

    template <class... Args>
    asio::awaitable<Rows> query(std::string_view sql, Args&&... args) {
        return run(sql, std::vector<Value>{to_value(std::forward<Args>(args))...});
    }
    /// Runs a statement and returns the number of rows it changed.
    template <class... Args>
    asio::awaitable<std::int64_t> exec(std::string_view sql, Args&&... args) {
        return affected(run(sql, std::vector<Value>{to_value(std::forward<Args>(args))...}));
    }
    virtual asio::awaitable<Rows> run(std::string_view sql, std::vector<Value> params) = 0;
    /// Several statements without parameters (migrations).
    virtual asio::awaitable<void> exec_script(std::string_view sql) = 0;

    /// Commits, then runs the after-commit callbacks (events are published only for committed changes).
    asio::awaitable<void> commit();
    /// Queues work to run once the transaction has committed; dropped on rollback.
    void after_commit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }

    TxMode mode() const { return mode_; }

    /// Converts a C++ argument to a bound parameter (integers widen to int64, text is copied).
    template <class T>
    static Value to_value(T&& v) {
        using D = std::decay_t<T>;
        if constexpr (std::is_same_v<D, Value> || std::is_same_v<D, bool> || std::is_same_v<D, Timestamp>) {
            return Value(std::forward<T>(v));
        } else if constexpr (std::is_integral_v<D> || std::is_enum_v<D>) {
            return static_cast<std::int64_t>(v);
        } else if constexpr (std::is_floating_point_v<D>) {
            return static_cast<double>(v);
        } else if constexpr (std::is_convertible_v<const D&, std::string_view>) {
            return std::string(std::string_view(v));
        } else {
            // std::optional<U>: empty binds NULL.
            return v ? to_value(*v) : Value{};
        }
    }

protected:
    static asio::awaitable<std::int64_t> affected(asio::awaitable<Rows> rows) { co_return (co_await std::move(rows)).affected; }
    explicit Tx(TxMode mode) : mode_(mode) {}
    virtual asio::awaitable<void> do_commit() = 0;

private:
    TxMode mode_;
    std::vector<std::function<void()>> after_commit_;
};

/// Connection settings, filled from config by the caller (db/ does not know Config).
struct Options {
    std::string type = "sqlite";  ///< "sqlite" or "postgres"
    std::string path = "vikunja.db";
    std::string host = "localhost";  ///< "host" or "host:port"
    std::string user = "vikunja";
    std::string password;
    std::string database = "vikunja";
    std::string sslmode = "disable";
    std::string schema = "public";
    int max_open_connections = 100;
    int max_idle_connections = 50;
    std::chrono::milliseconds max_connection_lifetime{10000};
    std::chrono::milliseconds statement_timeout{30000};
    std::chrono::milliseconds slow_query_threshold{0};  ///< 0: never log slow queries
};

class Database {
public:
    virtual ~Database() = default;
    virtual const Dialect& dialect() const = 0;
    /// Opens a transaction. Write transactions on SQLite are serialised; on PostgreSQL they share the pool.
    /// Throws db::ConnectionError when the database cannot be reached.
    virtual asio::awaitable<std::unique_ptr<Tx>> begin(TxMode mode) = 0;
    /// Round trip to the server (health checks).
    virtual asio::awaitable<void> ping() = 0;
    /// A human description of the target for log lines, without secrets ("sqlite:./vikunja.db", "postgres:db:5432/vikunja").
    virtual std::string describe() const = 0;
};

/// Opens the database named by `options.type`. Connections are made lazily or at once depending on the engine.
/// Throws db::Error for an unknown type or an unusable SQLite file.
std::unique_ptr<Database> open(const Options& options, asio::any_io_executor executor);

/// A database on a private event loop, for synchronous callers (CLI commands, unit tests).
class SyncDatabase {
public:
    explicit SyncDatabase(const Options& options);
    ~SyncDatabase();
    Database& db() { return *db_; }
    /// Runs the coroutine to completion on the private loop; rethrows its exception.
    void run(const std::function<asio::awaitable<void>()>& fn);
    /// Runs `fn(tx)` in one transaction and commits it.
    void transact(TxMode mode, const std::function<asio::awaitable<void>(Tx&)>& fn);

private:
    std::unique_ptr<asio::io_context> loop_;
    std::unique_ptr<Database> db_;
};

}  // namespace vicugna::db
