// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/postgres/connection.hpp"

#include <libpq-fe.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cctype>
#include <charconv>
#include <cstdio>

namespace vicugna::db::postgres {

namespace {

using namespace std::chrono_literals;

// libpq's own connect_timeout does not apply to PQconnectPoll; we enforce this one.
constexpr auto kConnectTimeout = 10s;
// Past this many distinct statements on one connection, new ones run unnamed instead of being prepared,
// so dynamic SQL (filters, IN lists of varying length) cannot grow server memory without bound.
constexpr std::size_t kMaxPreparedPerConnection = 1000;

// Type OIDs from PostgreSQL's pg_type.dat; they are fixed for built-in types.
enum : Oid {
    kBoolOid = 16,
    kInt8Oid = 20,
    kInt2Oid = 21,
    kInt4Oid = 23,
    kOidOid = 26,
    kFloat4Oid = 700,
    kFloat8Oid = 701,
    kTimestampOid = 1114,
    kTimestampTzOid = 1184,
    kNumericOid = 1700,
};

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    return s;
}

// libpq's messages continue with hints on further lines; the first line carries the fact.
std::string first_line(const char* message) {
    std::string_view m = trim(message ? message : "");
    return std::string(m.substr(0, m.find('\n')));
}

// libpq says 'connection to server at "h" (1.2.3.4), port 5432 failed: Connection refused\n\tIs the server…';
// the caller already names the target, so keep only the reason from the first line.
std::string connect_reason(const char* message) {
    const std::string line = first_line(message);
    std::string_view m = line;
    if (auto at = m.find("failed: "); at != std::string_view::npos) m.remove_prefix(at + 8);
    if (m.starts_with("FATAL:")) m = trim(m.substr(6));
    std::string reason(m.empty() ? "unknown error" : m);
    if (reason.size() > 1 && std::isupper(static_cast<unsigned char>(reason[0])) &&
        std::islower(static_cast<unsigned char>(reason[1]))) {
        reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
    }
    return reason;
}

std::string to_text(const Value& v) {
    if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
    if (auto p = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *p);
        return buf;
    }
    if (auto p = std::get_if<bool>(&v)) return *p ? "true" : "false";
    if (auto p = std::get_if<std::string>(&v)) return *p;
    if (auto p = std::get_if<Timestamp>(&v)) return util::to_db_text(*p) + "+00";
    return {};
}

Value from_text(Oid type, std::string_view text) {
    switch (type) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kOidOid: {
            std::int64_t n = 0;
            std::from_chars(text.data(), text.data() + text.size(), n);
            return n;
        }
        case kBoolOid: return text == "t";
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid: {
            double d = 0;
            std::from_chars(text.data(), text.data() + text.size(), d);
            return d;
        }
        case kTimestampOid:
        case kTimestampTzOid:
            // 'infinity' and BC dates have no Timestamp; hand them over as text rather than inventing a time.
            if (auto t = util::parse_time(text)) return *t;
            return std::string(text);
        default: return std::string(text);
    }
}

Rows to_rows(const PGresult* r) {
    const int columns = PQnfields(r);
    const int count = PQntuples(r);
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(columns);
    for (int c = 0; c < columns; ++c) names->emplace_back(PQfname(r, c));
    Rows rows(std::move(names));
    rows.cells.reserve(static_cast<std::size_t>(count) * columns);
    for (int i = 0; i < count; ++i) {
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(r, i, c)) {
                rows.cells.emplace_back();
            } else {
                const auto length = static_cast<std::size_t>(PQgetlength(r, i, c));
                rows.cells.push_back(from_text(PQftype(r, c), {PQgetvalue(r, i, c), length}));
            }
        }
    }
    std::string_view affected = PQcmdTuples(const_cast<PGresult*>(r));
    std::from_chars(affected.data(), affected.data() + affected.size(), rows.affected);
    return rows;
}

}  // namespace

Target make_target(const Options& options) {
    Target t{.host = options.host,
             .port = "5432",
             .user = options.user,
             .password = options.password,
             .database = options.database,
             .sslmode = options.sslmode,
             .schema = options.schema,
             .statement_timeout = options.statement_timeout};
    if (t.host.empty()) t.host = "localhost";
    if (t.host.front() == '/') {  // unix-socket directory, optionally "/dir:port" (the port names the socket file)
        const auto colon = t.host.rfind(':');
        if (colon != std::string::npos && colon + 1 < t.host.size() &&
            t.host.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
            t.port = t.host.substr(colon + 1);
            t.host.resize(colon);
        }
        return t;
    }
    if (t.host.front() == '[') {  // "[::1]" or "[::1]:5432"
        const auto close = t.host.find(']');
        if (close == std::string::npos) return t;
        if (t.host.compare(close + 1, 1, ":") == 0) t.port = t.host.substr(close + 2);
        t.host = t.host.substr(1, close - 1);
        return t;
    }
    // One colon separates the port; several mean a bare IPv6 address.
    const auto colon = t.host.find(':');
    if (colon != std::string::npos && t.host.find(':', colon + 1) == std::string::npos) {
        t.port = t.host.substr(colon + 1);
        t.host.resize(colon);
    }
    return t;
}

Connection::Connection(asio::any_io_executor executor, std::string where)
    : executor_(std::move(executor)), where_(std::move(where)) {}

Connection::~Connection() {
    if (socket_) socket_->release();  // the descriptor belongs to libpq; PQfinish closes it
    if (conn_) PQfinish(conn_);
}

asio::awaitable<std::unique_ptr<Connection>> Connection::open(const Target& target, asio::any_io_executor executor) {
    using namespace asio::experimental::awaitable_operators;
    std::unique_ptr<Connection> c(new Connection(executor, target.where()));
    auto failed = [&](const std::string& reason) {
        return ConnectionError("cannot connect to PostgreSQL at " + target.where() + ": " + reason);
    };

    // PQconnectStart would look the host name up with a blocking getaddrinfo on this I/O thread. Resolve it
    // here instead and pass the addresses as hostaddr; the name stays in host (TLS checks, messages).
    std::string hosts = target.host;
    std::string addresses;
    boost::system::error_code not_numeric;
    asio::ip::make_address(target.host, not_numeric);
    if (target.host.front() != '/' && not_numeric) {
        asio::ip::tcp::resolver resolver(executor);
        auto [ec, results] =
            co_await resolver.async_resolve(target.host, target.port, asio::as_tuple(asio::use_awaitable));
        if (ec) throw failed("could not resolve host name: " + ec.message());
        hosts.clear();
        for (const auto& entry : results) {
            if (!addresses.empty()) {
                addresses += ',';
                hosts += ',';
            }
            addresses += entry.endpoint().address().to_string();
            hosts += target.host;  // libpq wants one name per address
        }
    }

    std::vector<std::pair<const char*, const char*>> settings{
        {"host", hosts.c_str()},
        {"port", target.port.c_str()},
        {"user", target.user.c_str()},
        {"dbname", target.database.c_str()},
        {"sslmode", target.sslmode.c_str()},
        {"application_name", "vicugna"},
        {"client_encoding", "UTF8"},
        // Notice a server that vanished without closing the connection within about a minute instead of
        // the kernel's two hours, so a statement waiting on it fails rather than hangs.
        {"keepalives_idle", "30"},
        {"keepalives_interval", "10"},
        {"keepalives_count", "3"},
    };
    if (!addresses.empty()) settings.emplace_back("hostaddr", addresses.c_str());
    if (!target.password.empty()) settings.emplace_back("password", target.password.c_str());
    std::vector<const char*> keys;
    std::vector<const char*> values;
    for (auto [key, value] : settings) {
        keys.push_back(key);
        values.push_back(value);
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    c->conn_ = PQconnectStartParams(keys.data(), values.data(), 0);
    if (!c->conn_) throw failed("out of memory");
    if (PQstatus(c->conn_) == CONNECTION_BAD) throw failed(connect_reason(PQerrorMessage(c->conn_)));
    // Without this libpq prints notices (e.g. "there is no transaction in progress") on stderr.
    PQsetNoticeProcessor(
        c->conn_, [](void*, const char* message) { spdlog::debug("PostgreSQL: {}", trim(message)); }, nullptr);

    asio::steady_timer deadline(executor, kConnectTimeout);
    // libpq's documented loop: behave as if PQconnectPoll had just asked for writability.
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
        if (status == PGRES_POLLING_FAILED) throw failed(connect_reason(PQerrorMessage(c->conn_)));
        // libpq opens a new socket for each address it tries, so watch whichever is current.
        c->watch_socket();
        auto which = co_await (c->wait(status == PGRES_POLLING_READING ? Wait::Read : Wait::Write) ||
                               deadline.async_wait(asio::use_awaitable));
        if (which.index() == 1) throw failed("timed out after " + std::to_string(kConnectTimeout.count()) + " s");
        status = PQconnectPoll(c->conn_);
    }
    if (PQsetnonblocking(c->conn_, 1) != 0) throw failed(connect_reason(PQerrorMessage(c->conn_)));
    c->watch_socket();

    // Timestamps are read back as UTC text (util::parse_time), whatever the server's default zone is. Statements
    // outside a transaction are reads (db::TxMode::Read runs in autocommit) and the server enforces it; writes
    // open their transaction with BEGIN READ WRITE.
    std::string setup = "SET TIME ZONE 'UTC'; SET default_transaction_read_only = on; SET statement_timeout = " +
                        std::to_string(target.statement_timeout.count());
    if (!target.schema.empty() && target.schema != "public") {
        char* quoted = PQescapeIdentifier(c->conn_, target.schema.data(), target.schema.size());
        if (!quoted) throw failed(connect_reason(PQerrorMessage(c->conn_)));
        setup += "; SET search_path TO ";
        setup += quoted;
        PQfreemem(quoted);
    }
    try {
        co_await c->execute(setup);
    } catch (const Error& e) {
        throw failed(std::string("session setup failed: ") + e.what());
    }
    c->opened_at_ = std::chrono::steady_clock::now();
    co_return c;
}

void Connection::watch_socket() {
    if (socket_) socket_->release();
    socket_.reset();
    socket_.emplace(executor_, PQsocket(conn_));
}

bool Connection::ready_now(Wait what) const {
    // TLS may already hold decrypted bytes that the socket no longer shows as readable.
    if (what == Wait::Read && PQsslInUse(conn_)) {
        auto* ssl = static_cast<SSL*>(PQsslStruct(conn_, "OpenSSL"));
        if (ssl && SSL_pending(ssl) > 0) return true;
    }
    pollfd p{.fd = PQsocket(conn_), .events = static_cast<short>(what == Wait::Read ? POLLIN : POLLOUT), .revents = 0};
    return ::poll(&p, 1, 0) > 0;
}

asio::awaitable<void> Connection::wait(Wait what) {
    // Asio registers descriptors edge-triggered and async_wait never looks at the current state, so readiness
    // that arrived before the wait was queued (bytes libpq left unread, buffer space freed just before) would
    // never be reported. So the wait is queued first and the state checked after, cancelling the wait (which
    // then means "ready") if it already holds. The completion can run on another thread before that check
    // is done; wait_mutex_ keeps the two apart. The initiation reads only its by-value arguments, because
    // Asio frees the initiation object once the completion resumes us.
    auto [ec] = co_await asio::async_initiate<decltype(asio::as_tuple(asio::use_awaitable)) const,
                                              void(boost::system::error_code)>(
        [](auto handler, Connection* self, Wait w) {
            std::lock_guard lock(self->wait_mutex_);
            self->socket_->async_wait(w == Wait::Read ? asio::posix::descriptor_base::wait_read
                                                      : asio::posix::descriptor_base::wait_write,
                                      std::move(handler));
            if (self->ready_now(w)) self->socket_->cancel();
        },
        asio::as_tuple(asio::use_awaitable), this, what);
    { std::lock_guard barrier(wait_mutex_); }  // the initiation above has returned
    if (ec && ec != asio::error::operation_aborted) {
        broken_ = true;
        throw ConnectionError("PostgreSQL connection to " + where_ + " failed: " + ec.message());
    }
}

bool Connection::usable() const { return !broken_ && !busy_ && PQstatus(conn_) == CONNECTION_OK; }

bool Connection::in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

ConnectionError Connection::lost() {
    broken_ = true;
    return ConnectionError("PostgreSQL connection to " + where_ + " lost: " + first_line(PQerrorMessage(conn_)));
}

void Connection::send_failed() {
    if (PQstatus(conn_) != CONNECTION_OK) throw lost();
    throw Error(ErrorKind::Other, "PostgreSQL: " + first_line(PQerrorMessage(conn_)));
}

asio::awaitable<void> Connection::flush() {
    for (;;) {
        const int pending = PQflush(conn_);
        if (pending == 0) co_return;
        if (pending < 0) throw lost();
        co_await wait(Wait::Write);
        // libpq asks callers to read while waiting to write, so a server busy writing to us cannot deadlock.
        if (!PQconsumeInput(conn_)) throw lost();
    }
}

asio::awaitable<Connection::Outcome> Connection::finish() {
    Outcome outcome;
    ResultPtr error;
    for (;;) {
        while (!PQisBusy(conn_)) {
            ResultPtr result(PQgetResult(conn_));
            if (!result) {
                busy_ = false;
                if (error) throw_result_error(error.get());
                co_return outcome;
            }
            switch (PQresultStatus(result.get())) {
                case PGRES_COMMAND_OK:
                case PGRES_TUPLES_OK:
                case PGRES_EMPTY_QUERY:
                    outcome.rows = to_rows(result.get());
                    outcome.tag = PQcmdStatus(result.get());
                    break;
                case PGRES_BAD_RESPONSE:
                case PGRES_NONFATAL_ERROR:
                case PGRES_FATAL_ERROR:
                    if (!error) error = std::move(result);  // the first error explains the rest
                    break;
                default:
                    // COPY and pipeline states need a different conversation; leaving it half-way ruins the connection.
                    broken_ = true;
                    throw Error(ErrorKind::Other, std::string("PostgreSQL: unsupported result status ") +
                                                      PQresStatus(PQresultStatus(result.get())));
            }
        }
        co_await wait(Wait::Read);
        if (!PQconsumeInput(conn_)) throw lost();
    }
}

void Connection::throw_result_error(const PGresult* result) {
    auto field = [result](int code) -> std::string {
        const char* v = PQresultErrorField(result, code);
        return v ? v : "";
    };
    const std::string state = field(PG_DIAG_SQLSTATE);
    last_sqlstate_ = state;
    std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (message.empty()) message = trim(PQresultErrorMessage(result));
    // Class 08 is "connection exception"; 57P01..57P05 mean the server is ending this session (shutdown,
    // pg_terminate_backend, idle timeout). Either way the connection is gone.
    if (PQstatus(conn_) != CONNECTION_OK || state.starts_with("08") || state.starts_with("57P")) {
        broken_ = true;
        throw ConnectionError("PostgreSQL connection to " + where_ + " lost: " + message);
    }
    message += " (SQLSTATE " + state + ")";
    if (state == "23505") throw UniqueViolation(message, field(PG_DIAG_CONSTRAINT_NAME));
    if (state == "23503") throw ForeignKeyViolation(message, field(PG_DIAG_CONSTRAINT_NAME));
    if (state == "23502") {
        // NOT NULL failures usually report only the column; prefer a constraint name when the server gives one.
        std::string name = field(PG_DIAG_CONSTRAINT_NAME);
        throw NotNullViolation(message, name.empty() ? field(PG_DIAG_COLUMN_NAME) : name);
    }
    if (state == "57014") throw TimeoutError(message);
    throw Error(ErrorKind::Other, message);
}

asio::awaitable<Rows> Connection::query(const std::string& sql, const std::vector<Value>& params) {
    if (!usable()) throw ConnectionError("PostgreSQL connection to " + where_ + " is not usable");
    // Everything goes as text with types left to the server (paramTypes 0), like a literal in the SQL.
    std::vector<std::string> texts(params.size());
    std::vector<const char*> pointers(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (std::holds_alternative<std::monostate>(params[i])) continue;
        texts[i] = to_text(params[i]);
        pointers[i] = texts[i].c_str();
    }
    const int count = static_cast<int>(params.size());

    auto statement = statements_.find(sql);
    if (statement == statements_.end() && statements_.size() < kMaxPreparedPerConnection) {
        std::string name = "s" + std::to_string(next_statement_++);
        busy_ = true;
        if (!PQsendPrepare(conn_, name.c_str(), sql.c_str(), 0, nullptr)) send_failed();
        co_await flush();
        co_await finish();
        statement = statements_.emplace(sql, std::move(name)).first;
    }
    const bool prepared = statement != statements_.end();
    busy_ = true;
    const int sent =
        prepared ? PQsendQueryPrepared(conn_, statement->second.c_str(), count, pointers.data(), nullptr, nullptr, 0)
                 : PQsendQueryParams(conn_, sql.c_str(), count, nullptr, pointers.data(), nullptr, nullptr, 0);
    if (!sent) send_failed();
    co_await flush();
    std::optional<Outcome> outcome;
    try {
        outcome = co_await finish();
    } catch (const Error&) {
        // After DDL the server may refuse a prepared statement ("cached plan must not change result type");
        // forget it so that the next use prepares it afresh.
        if (prepared && last_sqlstate_ == "0A000") statements_.erase(sql);
        throw;
    }
    co_return std::move(outcome->rows);
}

asio::awaitable<std::string> Connection::execute(std::string_view sql) {
    if (!usable()) throw ConnectionError("PostgreSQL connection to " + where_ + " is not usable");
    busy_ = true;
    if (!PQsendQuery(conn_, std::string(sql).c_str())) send_failed();
    co_await flush();
    Outcome outcome = co_await finish();
    co_return std::move(outcome.tag);
}

}  // namespace vicugna::db::postgres
