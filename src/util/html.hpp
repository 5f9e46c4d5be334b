// SPDX-License-Identifier: AGPL-3.0-or-later
/// Reading the HTML the web editor writes (task descriptions, comments) with libxml2's HTML parser.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace vicugna::util {

/// The value of `attribute` on every `<tag>` element of the HTML fragment, in document order, each value once
/// (entities decoded; names compared case-insensitively as HTML does). Broken HTML is read as browsers would.
std::vector<std::string> html_attribute_values(std::string_view html, std::string_view tag, std::string_view attribute);

}  // namespace vicugna::util
