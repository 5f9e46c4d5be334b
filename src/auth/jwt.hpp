// SPDX-License-Identifier: AGPL-3.0-or-later
/// JSON Web Tokens, HS256 only: the algorithm is pinned, `exp` and `nbf` are checked.
#pragma once
#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace vicugna::auth {

/// Signs the claims (a JSON object text) with HS256.
std::string sign_jwt(std::string_view claims_json, std::string_view secret);

/// Verifies signature, algorithm, `exp` and `nbf` (against `now_unix`). Returns the claims or nullopt.
std::optional<rapidjson::Document> verify_jwt(std::string_view token, std::string_view secret, long long now_unix);

}  // namespace vicugna::auth
