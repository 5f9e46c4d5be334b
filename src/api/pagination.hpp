// SPDX-License-Identifier: AGPL-3.0-or-later
/// Vikunja's paging parameters and headers, in one place for every list endpoint.
#pragma once
#include <cstdint>

#include "api/context.hpp"

namespace vicugna::api {

struct Paging {
    std::int64_t page = 1;      ///< 0 means "everything"
    std::int64_t per_page = 50;
    std::int64_t limit() const { return page == 0 ? 0 : per_page; }
    std::int64_t offset() const { return page == 0 ? 0 : (page - 1) * per_page; }
};

/// Reads `page` and `per_page`: per_page is clamped to service.maxitemsperpage; negative page or per_page < 1 → 400.
Paging read_paging(const Context& ctx);
/// Sets x-pagination-total-pages and x-pagination-result-count.
void set_pagination(http::Response& res, const Paging& paging, std::int64_t total, std::int64_t count);

}  // namespace vicugna::api
