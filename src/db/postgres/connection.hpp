// SPDX-License-Identifier: AGPL-3.0-or-later
/// One libpq connection driven without blocking on the Asio loop: connect, prepared statements, simple scripts.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/database.hpp"

struct pg_conn;
struct pg_result;

namespace vicugna::db::postgres {

/// Where and how to connect, derived once from db::Options.
struct Target {
    std::string host;  ///< host name, address, or a unix-socket directory starting with '/'
    std::string port;
    std::string user;
    std::string password;
    std::string database;
    std::string sslmode;
    std::string schema;
    std::chrono::milliseconds statement_timeout{0};

    /// "127.0.0.1:5432 database vikunja", for error messages (never the password).
    std::string where() const { return host + ":" + port + " database " + database; }
};

/// Splits "host", "host:port", "[v6]:port", "/socket/dir" or "/socket/dir:port" (port default 5432)
/// and copies the rest.
Target make_target(const Options& options);

/// Used by one coroutine at a time (a Tx's statements are sequential); the pool hands it between transactions.
class Connection {
public:
    /// Connects, then sets the session up (UTC time zone, statement_timeout, search_path).
    /// Throws db::ConnectionError naming the target and libpq's reason.
    static asio::awaitable<std::unique_ptr<Connection>> open(const Target& target, asio::any_io_executor executor);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Runs one statement with $n placeholders; it is prepared on this connection the first time it is seen.
    /// Throws the db::Error subclass matching the SQLSTATE.
    asio::awaitable<Rows> query(const std::string& sql, const std::vector<Value>& params);
    /// Runs one or more statements without parameters (simple query protocol); returns the last command tag.
    asio::awaitable<std::string> execute(std::string_view sql);

    /// False once the connection broke or a statement was abandoned half-way; such a connection is closed.
    bool usable() const;
    /// True when a transaction is open (or the state is unknown), so ROLLBACK is owed before reuse.
    bool in_transaction() const;
    std::chrono::steady_clock::time_point opened_at() const { return opened_at_; }

private:
    struct Outcome {
        Rows rows;
        std::string tag;
    };
    enum class Wait { Read, Write };

    Connection(asio::any_io_executor executor, std::string where);
    asio::awaitable<void> wait(Wait what);
    asio::awaitable<void> flush();
    asio::awaitable<Outcome> finish();
    void watch_socket();
    bool ready_now(Wait what) const;
    void send_failed();
    ConnectionError lost();
    [[noreturn]] void throw_result_error(const pg_result* result);

    asio::any_io_executor executor_;
    std::string where_;
    pg_conn* conn_ = nullptr;
    // Watches libpq's socket without owning it: released before destruction or when libpq switches sockets.
    std::optional<asio::posix::stream_descriptor> socket_;
    std::mutex wait_mutex_;  // see wait()
    std::unordered_map<std::string, std::string> statements_;  // SQL → prepared statement name
    std::uint64_t next_statement_ = 1;
    std::string last_sqlstate_;  // of the last statement that failed
    bool busy_ = false;  // a command was sent and its results are not all read yet
    bool broken_ = false;
    std::chrono::steady_clock::time_point opened_at_ = std::chrono::steady_clock::now();
};

}  // namespace vicugna::db::postgres
