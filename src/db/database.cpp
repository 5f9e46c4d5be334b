// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/database.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <charconv>

#include "db/sqlite/sqlite_database.hpp"
#ifdef VICUGNA_WITH_POSTGRES
#include "db/postgres/postgres_database.hpp"
#endif

namespace vicugna::db {

void throw_error(ErrorKind kind, const std::string& message, const std::string& constraint) {
    switch (kind) {
        case ErrorKind::Unique: throw UniqueViolation(message, constraint);
        case ErrorKind::ForeignKey: throw ForeignKeyViolation(message, constraint);
        case ErrorKind::NotNull: throw NotNullViolation(message, constraint);
        case ErrorKind::ConnectionLost: throw ConnectionError(message);
        case ErrorKind::Timeout: throw TimeoutError(message);
        case ErrorKind::Other: break;
    }
    throw Error(ErrorKind::Other, message, constraint);
}

const Value& Row::at(std::string_view column) const {
    for (std::size_t i = 0; i < columns_->size(); ++i) {
        if ((*columns_)[i] == column) return values_[i];
    }
    throw Error(ErrorKind::Other, "no column named " + std::string(column) + " in the result");
}

namespace {

std::int64_t to_int(const Value& v) {
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto p = std::get_if<bool>(&v)) return *p ? 1 : 0;
    if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
    if (auto p = std::get_if<std::string>(&v)) {
        std::int64_t out = 0;
        std::from_chars(p->data(), p->data() + p->size(), out);
        return out;
    }
    return 0;
}

double to_double(const Value& v) {
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
    return static_cast<double>(to_int(v));
}

bool to_bool(const Value& v) {
    if (auto p = std::get_if<std::string>(&v)) return *p == "t" || *p == "true" || *p == "1";
    return to_int(v) != 0;
}

std::string to_string(const Value& v) {
    if (auto p = std::get_if<std::string>(&v)) return *p;
    if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
    if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
    if (auto p = std::get_if<bool>(&v)) return *p ? "true" : "false";
    if (auto p = std::get_if<Timestamp>(&v)) return util::to_rfc3339(*p);
    return {};
}

std::optional<Timestamp> to_time(const Value& v) {
    if (auto p = std::get_if<Timestamp>(&v)) return *p;
    if (auto p = std::get_if<std::string>(&v)) return util::parse_time(*p);
    return std::nullopt;
}

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

}  // namespace

template <class T>
T Row::convert(const Value& v) {
    if constexpr (IsOptional<T>::value) {
        if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
        return convert<typename T::value_type>(v);
    } else if constexpr (std::is_same_v<T, bool>) {
        return to_bool(v);
    } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, int>) {
        return static_cast<T>(to_int(v));
    } else if constexpr (std::is_same_v<T, double>) {
        return to_double(v);
    } else if constexpr (std::is_same_v<T, std::string>) {
        return to_string(v);
    } else {
        static_assert(std::is_same_v<T, Timestamp>);
        return to_time(v).value_or(Timestamp{});
    }
}

template bool Row::convert<bool>(const Value&);
template int Row::convert<int>(const Value&);
template std::int64_t Row::convert<std::int64_t>(const Value&);
template double Row::convert<double>(const Value&);
template std::string Row::convert<std::string>(const Value&);
template Timestamp Row::convert<Timestamp>(const Value&);
template std::optional<bool> Row::convert<std::optional<bool>>(const Value&);
template std::optional<std::int64_t> Row::convert<std::optional<std::int64_t>>(const Value&);
template std::optional<double> Row::convert<std::optional<double>>(const Value&);
template std::optional<std::string> Row::convert<std::optional<std::string>>(const Value&);
template std::optional<Timestamp> Row::convert<std::optional<Timestamp>>(const Value&);

asio::awaitable<void> Tx::commit() {
    co_await do_commit();
    auto callbacks = std::move(after_commit_);
    after_commit_.clear();
    for (auto& fn : callbacks) fn();
}

std::unique_ptr<Database> open(const Options& options, asio::any_io_executor executor) {
    if (options.type == "sqlite") return sqlite::open(options, std::move(executor));
#ifdef VICUGNA_WITH_POSTGRES
    if (options.type == "postgres") return postgres::open(options, std::move(executor));
#endif
    throw Error(ErrorKind::Other, "unsupported database type '" + options.type + "'");
}

SyncDatabase::SyncDatabase(const Options& options)
    : loop_(std::make_unique<asio::io_context>()), db_(open(options, loop_->get_executor())) {}

SyncDatabase::~SyncDatabase() {
    db_.reset();
    loop_->restart();
    loop_->poll();  // let the backend finish closing its connections
}

void SyncDatabase::run(const std::function<asio::awaitable<void>()>& fn) {
    auto done = asio::co_spawn(*loop_, fn(), asio::use_future);
    loop_->restart();
    // Run until this coroutine finishes; backends may keep their own timers pending on the loop.
    while (done.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        if (loop_->run_one() == 0) loop_->restart();  // out of work for now: a completion may still be posted
    }
    done.get();
}

void SyncDatabase::transact(TxMode mode, const std::function<asio::awaitable<void>(Tx&)>& fn) {
    run([&]() -> asio::awaitable<void> {
        auto tx = co_await db_->begin(mode);
        co_await fn(*tx);
        co_await tx->commit();
    });
}

}  // namespace vicugna::db
