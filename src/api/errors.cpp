// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/errors.hpp"

#include "util/json.hpp"

namespace vicugna::api {

const ErrorInfo& info(ErrorCode code) {
    static constexpr ErrorInfo kTable[] = {
#define VICUGNA_ERROR(name, code, status, message) {code, status, message},
#include "api/error_codes.def"
#undef VICUGNA_ERROR
    };
    return kTable[static_cast<int>(code)];
}

http::Response render(const Error& error) {
    const ErrorInfo& i = info(error.code());
    util::json::Writer w;
    w.start_object();
    if (i.code >= 0) w.key("code").integer(i.code);
    w.key("message").string(error.what());
    if (!error.invalid_fields().empty()) {
        w.key("invalid_fields").start_array();
        for (const auto& f : error.invalid_fields()) w.string(f);
        w.end_array();
    }
    w.end_object();
    http::Response res;
    res.status = i.status;
    res.body = w.take();
    return res;
}

}  // namespace vicugna::api
