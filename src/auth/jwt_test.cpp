// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/jwt.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "auth/authenticate.hpp"
#include "util/crypto.hpp"

namespace vicugna::auth {
namespace {

constexpr std::string_view kSecret = "test-secret";
constexpr long long kNow = 1700000000;

std::string claims_expiring_at(long long exp) {
    return R"({"id":7,"username":"alice","exp":)" + std::to_string(exp) + "}";
}

/// A token with any header, signed with HS256 over the header and payload as given.
std::string forge(std::string_view header_json, std::string_view claims_json, std::string_view secret = kSecret) {
    std::string input = util::base64url_encode(header_json) + "." + util::base64url_encode(claims_json);
    return input + "." + util::base64url_encode(util::hmac_sha256(secret, input));
}

std::vector<std::string> split(const std::string& token) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
        parts.push_back(token.substr(start, dot - start));
    }
    parts.push_back(token.substr(start));
    return parts;
}

long long unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TEST(Jwt, SignsAndVerifiesRoundTrip) {
    const std::string token = sign_jwt(claims_expiring_at(kNow + 60), kSecret);
    auto parts = split(token);
    ASSERT_EQ(parts.size(), 3u);
    std::string header;
    ASSERT_TRUE(util::base64url_decode(parts[0], header));
    EXPECT_EQ(header, R"({"alg":"HS256","typ":"JWT"})");

    auto claims = verify_jwt(token, kSecret, kNow);
    ASSERT_TRUE(claims);
    ASSERT_TRUE(claims->IsObject());
    EXPECT_EQ((*claims)["id"].GetInt64(), 7);
    EXPECT_STREQ((*claims)["username"].GetString(), "alice");
    EXPECT_EQ((*claims)["exp"].GetInt64(), kNow + 60);
}

TEST(Jwt, SignatureIsHmacSha256OfHeaderAndPayload) {
    const std::string token = sign_jwt(R"({"exp":1})", kSecret);
    auto parts = split(token);
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[2], util::base64url_encode(util::hmac_sha256(kSecret, parts[0] + "." + parts[1])));
    EXPECT_EQ(parts[2].size(), 43u);  // 32 bytes, no padding
}

TEST(Jwt, WrongSecretIsRefused) {
    const std::string token = sign_jwt(claims_expiring_at(kNow + 60), kSecret);
    EXPECT_FALSE(verify_jwt(token, "another-secret", kNow));
    EXPECT_FALSE(verify_jwt(token, "", kNow));
}

TEST(Jwt, TamperedPayloadIsRefused) {
    const std::string token = sign_jwt(claims_expiring_at(kNow + 60), kSecret);
    auto parts = split(token);
    const std::string tampered_claims = R"({"id":1,"username":"alice","exp":)" + std::to_string(kNow + 60) + "}";
    const std::string tampered = parts[0] + "." + util::base64url_encode(tampered_claims) + "." + parts[2];
    EXPECT_FALSE(verify_jwt(tampered, kSecret, kNow));
    // Also a tampered signature.
    // (The first character: its bits all count, unlike the last one's low two bits.)
    std::string bad_signature = parts[0] + "." + parts[1] + "." + parts[2];
    const std::size_t first_sig_char = parts[0].size() + parts[1].size() + 2;
    bad_signature[first_sig_char] = bad_signature[first_sig_char] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_jwt(bad_signature, kSecret, kNow));
}

TEST(Jwt, AlgorithmNoneIsRefused) {
    const std::string claims = claims_expiring_at(kNow + 60);
    // Unsigned, as an attacker would send it.
    const std::string unsigned_token =
        util::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + util::base64url_encode(claims) + ".";
    EXPECT_FALSE(verify_jwt(unsigned_token, kSecret, kNow));
    // Even with a valid HMAC over it: the algorithm is pinned, not taken from the header.
    EXPECT_FALSE(verify_jwt(forge(R"({"alg":"none","typ":"JWT"})", claims), kSecret, kNow));
    // The same forge with the right header verifies, so the header alone made the difference.
    EXPECT_TRUE(verify_jwt(forge(R"({"alg":"HS256","typ":"JWT"})", claims), kSecret, kNow));
}

TEST(Jwt, OtherAlgorithmsAndBadHeadersAreRefused) {
    const std::string claims = claims_expiring_at(kNow + 60);
    for (const char* header : {R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"hs256","typ":"JWT"})",
                               R"({"alg":"RS256"})", R"({"typ":"JWT"})", R"({"alg":256})", R"(["HS256"])",
                               "not json"}) {
        EXPECT_FALSE(verify_jwt(forge(header, claims), kSecret, kNow)) << header;
    }
    // No "typ" is fine: only the algorithm matters.
    EXPECT_TRUE(verify_jwt(forge(R"({"alg":"HS256"})", claims), kSecret, kNow));
}

TEST(Jwt, ExpiryIsChecked) {
    EXPECT_FALSE(verify_jwt(sign_jwt(claims_expiring_at(kNow), kSecret), kSecret, kNow));  // exp == now
    EXPECT_FALSE(verify_jwt(sign_jwt(claims_expiring_at(kNow - 1), kSecret), kSecret, kNow));
    EXPECT_TRUE(verify_jwt(sign_jwt(claims_expiring_at(kNow + 1), kSecret), kSecret, kNow));
    // The same token expires as time passes.
    const std::string token = sign_jwt(claims_expiring_at(kNow + 10), kSecret);
    EXPECT_TRUE(verify_jwt(token, kSecret, kNow + 9));
    EXPECT_FALSE(verify_jwt(token, kSecret, kNow + 10));
}

TEST(Jwt, MissingOrNonNumericExpiryIsRefused) {
    EXPECT_FALSE(verify_jwt(sign_jwt(R"({"id":7})", kSecret), kSecret, kNow));
    EXPECT_FALSE(verify_jwt(sign_jwt(R"({"id":7,"exp":null})", kSecret), kSecret, kNow));
    EXPECT_FALSE(verify_jwt(sign_jwt(R"({"id":7,"exp":"9999999999"})", kSecret), kSecret, kNow));
    // A fractional exp (NumericDate allows it) is compared as a number.
    EXPECT_TRUE(verify_jwt(sign_jwt(R"({"exp":1700000000.5})", kSecret), kSecret, kNow));
}

TEST(Jwt, NotBeforeIsChecked) {
    auto with_nbf = [](long long nbf) {
        return sign_jwt(R"({"exp":)" + std::to_string(kNow + 100) + R"(,"nbf":)" + std::to_string(nbf) + "}",
                        kSecret);
    };
    EXPECT_FALSE(verify_jwt(with_nbf(kNow + 1), kSecret, kNow));
    EXPECT_TRUE(verify_jwt(with_nbf(kNow), kSecret, kNow));
    EXPECT_TRUE(verify_jwt(with_nbf(kNow - 100), kSecret, kNow));
    EXPECT_FALSE(verify_jwt(sign_jwt(R"({"exp":)" + std::to_string(kNow + 100) + R"(,"nbf":"soon"})", kSecret),
                            kSecret, kNow));
}

TEST(Jwt, ClaimsMustBeAJsonObject) {
    EXPECT_FALSE(verify_jwt(sign_jwt("[1,2,3]", kSecret), kSecret, kNow));
    EXPECT_FALSE(verify_jwt(sign_jwt("not json", kSecret), kSecret, kNow));
    EXPECT_FALSE(verify_jwt(sign_jwt("", kSecret), kSecret, kNow));
}

TEST(Jwt, MalformedTokensAreRefused) {
    const std::string token = sign_jwt(claims_expiring_at(kNow + 60), kSecret);
    auto parts = split(token);
    ASSERT_EQ(parts.size(), 3u);
    ASSERT_TRUE(verify_jwt(token, kSecret, kNow));
    const std::vector<std::string> malformed = {
        "",
        ".",
        "..",
        "abc",
        parts[0] + "." + parts[1],                                   // two parts
        parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2],  // four parts
        token + ".",                                                  // trailing dot: four parts
        parts[0] + "." + parts[1] + "." + parts[2] + "=",             // padding is not base64url
        parts[0] + "!." + parts[1] + "." + parts[2],                  // bad base64 in the header
        parts[0] + "." + parts[1] + "*." + parts[2],                  // bad base64 in the payload
        parts[0] + "." + parts[1] + "." + parts[2].substr(0, 42) + "+",  // standard base64 alphabet
        parts[0] + "." + parts[1] + "." + parts[2].substr(0, 41),     // impossible base64 length
        parts[0] + "." + parts[1] + "." + parts[2].substr(0, 40),     // truncated signature (30 bytes)
        parts[0] + "." + parts[1] + "." + parts[2] + "AAA",           // signature too long (34 bytes)
        " " + token,
    };
    for (const auto& t : malformed) EXPECT_FALSE(verify_jwt(t, kSecret, kNow)) << '"' << t << '"';
}

TEST(IssueUserJwt, CarriesVikunjasClaims) {
    const long long before = unix_now();
    const std::string token = issue_user_jwt(kSecret, 42, "alice", true, "session-id-1", 600);
    const long long after = unix_now();

    auto claims = verify_jwt(token, kSecret, before);
    ASSERT_TRUE(claims);
    const auto& c = *claims;
    ASSERT_TRUE(c.HasMember("type"));
    EXPECT_TRUE(c["type"].IsInt64());  // a number, not "1": Vikunja's frontend compares it numerically
    EXPECT_EQ(c["type"].GetInt64(), 1);
    EXPECT_EQ(c["id"].GetInt64(), 42);
    EXPECT_STREQ(c["username"].GetString(), "alice");
    ASSERT_TRUE(c["is_admin"].IsBool());
    EXPECT_TRUE(c["is_admin"].GetBool());
    EXPECT_STREQ(c["sid"].GetString(), "session-id-1");
    ASSERT_TRUE(c["exp"].IsInt64());
    EXPECT_GE(c["exp"].GetInt64(), before + 600);
    EXPECT_LE(c["exp"].GetInt64(), after + 600);
    ASSERT_TRUE(c["jti"].IsString());
    EXPECT_TRUE(std::regex_match(c["jti"].GetString(),
                                 std::regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")))
        << c["jti"].GetString();
}

TEST(IssueUserJwt, EachTokenIsDistinctAndExpires) {
    const long long now = unix_now();
    const std::string a = issue_user_jwt(kSecret, 1, "bob", false, "s", 60);
    const std::string b = issue_user_jwt(kSecret, 1, "bob", false, "s", 60);
    EXPECT_NE(a, b);  // distinct jti
    auto ca = verify_jwt(a, kSecret, now);
    auto cb = verify_jwt(b, kSecret, now);
    ASSERT_TRUE(ca && cb);
    EXPECT_STRNE((*ca)["jti"].GetString(), (*cb)["jti"].GetString());
    EXPECT_FALSE((*ca)["is_admin"].GetBool());
    EXPECT_FALSE(verify_jwt(a, kSecret, now + 61));
    EXPECT_FALSE(verify_jwt(a, "other", now));
}

TEST(IssueUserJwt, UsernameIsJsonEscaped) {
    const std::string name = "al\"ice\\ \xc3\xa9";
    auto claims = verify_jwt(issue_user_jwt(kSecret, 1, name, false, "s", 60), kSecret, unix_now());
    ASSERT_TRUE(claims);
    EXPECT_EQ(std::string((*claims)["username"].GetString()), name);
}

}  // namespace
}  // namespace vicugna::auth
