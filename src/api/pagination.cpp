// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/pagination.hpp"

#include <charconv>

#include "api/errors.hpp"

namespace vicugna::api {
namespace {
std::optional<std::int64_t> read_int(const Context& ctx, const char* key) {
    auto text = ctx.request.query_value(key);
    if (!text || text->empty()) return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || p != text->data() + text->size()) throw Error(ErrorCode::BadPaging);
    return v;
}
}  // namespace

Paging read_paging(const Context& ctx) {
    Paging p;
    std::int64_t max = ctx.config().service_maxitemsperpage;
    p.per_page = max;
    if (auto page = read_int(ctx, "page")) {
        if (*page < 0) throw Error(ErrorCode::BadPaging);
        p.page = *page;
    }
    // Vikunja (web/handler/read_all.go): per_page 0 means the default, negative is refused, above max is clamped.
    if (auto per_page = read_int(ctx, "per_page")) {
        if (*per_page < 0) throw Error(ErrorCode::BadPaging);
        if (*per_page > 0) p.per_page = std::min(*per_page, max);
    }
    return p;
}

void set_pagination(http::Response& res, const Paging& paging, std::int64_t total, std::int64_t count) {
    // Vikunja counts pages by per_page even for page=0 ("everything"), and reports 0 pages whenever this
    // response is empty, also past the last page.
    std::int64_t pages = count == 0 ? 0 : (total + paging.per_page - 1) / paging.per_page;
    res.set_header("x-pagination-total-pages", std::to_string(pages));
    res.set_header("x-pagination-result-count", std::to_string(count));
}

}  // namespace vicugna::api
