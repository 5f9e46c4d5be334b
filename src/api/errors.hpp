// SPDX-License-Identifier: AGPL-3.0-or-later
/// The one exception type for API errors, its code table, and the renderer to Vikunja's JSON error shape.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace vicugna::api {

enum class ErrorCode {
#define VICUGNA_ERROR(name, code, status, message) name,
#include "api/error_codes.def"
#undef VICUGNA_ERROR
};

struct ErrorInfo {
    int code;  ///< Vikunja's number; < 0 when the body carries no code
    unsigned status;
    const char* message;
};

const ErrorInfo& info(ErrorCode code);

/// Thrown anywhere in models/, auth/ or api/; rendered once, in dispatch.
class Error : public std::runtime_error {
public:
    explicit Error(ErrorCode code, std::string message = {}, std::vector<std::string> invalid_fields = {})
        : std::runtime_error(message.empty() ? info(code).message : message),
          code_(code),
          invalid_fields_(std::move(invalid_fields)) {}
    ErrorCode code() const { return code_; }
    const std::vector<std::string>& invalid_fields() const { return invalid_fields_; }

private:
    ErrorCode code_;
    std::vector<std::string> invalid_fields_;
};

/// A 412 code 2002 with `invalid_fields` ("field: reason"), as Vikunja's struct validation gives.
[[noreturn]] inline void invalid_field(const std::string& field, const std::string& reason) {
    throw Error(ErrorCode::InvalidData, {}, {field + ": " + reason});
}

/// {"code":N,"message":"…"[, "invalid_fields":[…]]} with the right status.
http::Response render(const Error& error);

}  // namespace vicugna::api
