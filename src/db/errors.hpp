// SPDX-License-Identifier: AGPL-3.0-or-later
/// Database errors, classified by the backends so models can catch the one they expect.
#pragma once
#include <stdexcept>
#include <string>

namespace vicugna::db {

enum class ErrorKind { Unique, ForeignKey, NotNull, ConnectionLost, Timeout, Other };

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, std::string constraint = {})
        : std::runtime_error(message), kind_(kind), constraint_(std::move(constraint)) {}
    ErrorKind kind() const { return kind_; }
    /// The violated constraint or index name when the engine reports it ("" otherwise).
    const std::string& constraint() const { return constraint_; }
    /// The store could not answer (connection lost or timed out): worth a retry, not a bug (503, not 500).
    bool unavailable() const { return kind_ == ErrorKind::ConnectionLost || kind_ == ErrorKind::Timeout; }

private:
    ErrorKind kind_;
    std::string constraint_;
};

struct UniqueViolation : Error {
    UniqueViolation(const std::string& m, std::string c = {}) : Error(ErrorKind::Unique, m, std::move(c)) {}
};
struct ForeignKeyViolation : Error {
    ForeignKeyViolation(const std::string& m, std::string c = {}) : Error(ErrorKind::ForeignKey, m, std::move(c)) {}
};
struct NotNullViolation : Error {
    NotNullViolation(const std::string& m, std::string c = {}) : Error(ErrorKind::NotNull, m, std::move(c)) {}
};
/// The server is unreachable or the connection broke; the message names the target.
struct ConnectionError : Error {
    explicit ConnectionError(const std::string& m) : Error(ErrorKind::ConnectionLost, m) {}
};
/// A statement ran past its time limit, or no connection came free in time.
struct TimeoutError : Error {
    explicit TimeoutError(const std::string& m) : Error(ErrorKind::Timeout, m) {}
};

/// Throws the typed exception matching `kind`.
[[noreturn]] void throw_error(ErrorKind kind, const std::string& message, const std::string& constraint = {});

}  // namespace vicugna::db
