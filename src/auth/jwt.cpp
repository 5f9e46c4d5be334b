// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/jwt.hpp"

#include "util/crypto.hpp"

namespace vicugna::auth {
namespace {
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
}

std::string sign_jwt(std::string_view claims_json, std::string_view secret) {
    std::string signing_input = util::base64url_encode(kHeader) + "." + util::base64url_encode(claims_json);
    return signing_input + "." + util::base64url_encode(util::hmac_sha256(secret, signing_input));
}

std::optional<rapidjson::Document> verify_jwt(std::string_view token, std::string_view secret, long long now_unix) {
    auto first = token.find('.');
    auto second = token.find('.', first == std::string_view::npos ? first : first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) return std::nullopt;
    if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;

    std::string header_json, claims_json, signature;
    if (!util::base64url_decode(token.substr(0, first), header_json) ||
        !util::base64url_decode(token.substr(first + 1, second - first - 1), claims_json) ||
        !util::base64url_decode(token.substr(second + 1), signature)) {
        return std::nullopt;
    }
    // The algorithm is pinned: "none" or anything but HS256 is refused before the signature is looked at.
    rapidjson::Document header;
    header.Parse(header_json.data(), header_json.size());
    if (header.HasParseError() || !header.IsObject()) return std::nullopt;
    auto alg = header.FindMember("alg");
    if (alg == header.MemberEnd() || !alg->value.IsString() || std::string_view(alg->value.GetString()) != "HS256") {
        return std::nullopt;
    }
    std::string expected = util::hmac_sha256(secret, token.substr(0, second));
    if (!util::constant_time_equal(expected, signature)) return std::nullopt;

    rapidjson::Document claims;
    claims.Parse(claims_json.data(), claims_json.size());
    if (claims.HasParseError() || !claims.IsObject()) return std::nullopt;
    auto exp = claims.FindMember("exp");
    if (exp == claims.MemberEnd() || !exp->value.IsNumber() || exp->value.GetDouble() <= static_cast<double>(now_unix)) {
        return std::nullopt;
    }
    if (auto nbf = claims.FindMember("nbf"); nbf != claims.MemberEnd()) {
        if (!nbf->value.IsNumber() || nbf->value.GetDouble() > static_cast<double>(now_unix)) return std::nullopt;
    }
    return claims;
}

}  // namespace vicugna::auth
