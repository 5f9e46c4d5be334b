// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/crypto.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace vicugna::util {
namespace {

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
    // RFC 4648 §10, with the padding dropped as JWTs do.
    EXPECT_EQ(base64url_encode(""), "");
    EXPECT_EQ(base64url_encode("f"), "Zg");
    EXPECT_EQ(base64url_encode("fo"), "Zm8");
    EXPECT_EQ(base64url_encode("foo"), "Zm9v");
    EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
    EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
    EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
    // The URL-safe alphabet: '-' and '_' where standard base64 has '+' and '/'.
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_EQ(base64url_encode("\xfb\xef\xbe"), "----");
    EXPECT_EQ(base64url_encode("\xff\xff\xff"), "____");
}

TEST(Base64Url, RoundTripsEveryLengthUpToFive) {
    const std::string bytes("\x00\xff\xfb\x10\x80", 5);
    for (std::size_t len = 0; len <= 5; ++len) {
        const std::string input = bytes.substr(0, len);
        const std::string encoded = base64url_encode(input);
        EXPECT_EQ(encoded.size(), (len * 4 + 2) / 3) << "length " << len;
        EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos) << encoded;
        std::string decoded = "stale";
        ASSERT_TRUE(base64url_decode(encoded, decoded)) << encoded;
        EXPECT_EQ(decoded, input) << "length " << len;
    }
}

TEST(Base64Url, RoundTripsAllByteValues) {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    std::string decoded;
    ASSERT_TRUE(base64url_decode(base64url_encode(all), decoded));
    EXPECT_EQ(decoded, all);
}

TEST(Base64Url, RejectsCharactersOutsideTheAlphabetAndImpossibleLengths) {
    std::string out;
    EXPECT_FALSE(base64url_decode("Zm9v=", out));   // padding is not part of base64url here
    EXPECT_FALSE(base64url_decode("Zm+v", out));    // standard alphabet
    EXPECT_FALSE(base64url_decode("Zm/v", out));
    EXPECT_FALSE(base64url_decode("Zm9v Yg", out));
    EXPECT_FALSE(base64url_decode("Zm9vY", out));   // one leftover character cannot encode a byte
    EXPECT_FALSE(base64url_decode("Z", out));
    EXPECT_TRUE(base64url_decode("", out));
    EXPECT_EQ(out, "");
}

std::string hex_of(std::string_view raw) { return to_hex(raw); }

TEST(Hex, LowerCaseTwoDigitsPerByte) {
    EXPECT_EQ(to_hex(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
    EXPECT_EQ(to_hex(""), "");
}

TEST(Sha256, MatchesFips180Vectors) {
    EXPECT_EQ(hex_of(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex_of(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
    const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
    ASSERT_EQ(mac.size(), 32u);
    EXPECT_EQ(hex_of(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, MatchesRfc4231TestCase1) {
    // Key: 20 bytes of 0x0b, data "Hi There".
    EXPECT_EQ(hex_of(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(Pbkdf2Sha256, MatchesRfc7914Vector) {
    // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64.
    const std::string key = pbkdf2_sha256("passwd", "salt", 1, 64);
    ASSERT_EQ(key.size(), 64u);
    EXPECT_EQ(hex_of(key),
              "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
              "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
}

TEST(Pbkdf2Sha256, RoundsAndLengthChangeTheKey) {
    const std::string one = pbkdf2_sha256("passwd", "salt", 1, 32);
    EXPECT_EQ(one, pbkdf2_sha256("passwd", "salt", 1, 64).substr(0, 32));  // a prefix of the longer output
    EXPECT_NE(one, pbkdf2_sha256("passwd", "salt", 2, 32));
    EXPECT_NE(one, pbkdf2_sha256("passwd", "pepper", 1, 32));
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("secret", "secret"));
    EXPECT_FALSE(constant_time_equal("secret", "secreT"));
    EXPECT_FALSE(constant_time_equal("Secret", "secret"));
    EXPECT_FALSE(constant_time_equal("secret", "secret2"));
    EXPECT_FALSE(constant_time_equal("secret", ""));
    EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(UuidV4, HasTheRfc4122Layout) {
    const std::regex layout("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        std::string id = uuid_v4();
        ASSERT_TRUE(std::regex_match(id, layout)) << id;
        seen.insert(std::move(id));
    }
    EXPECT_EQ(seen.size(), 200u);
}

TEST(Random, LengthsAndAlphabets) {
    EXPECT_EQ(random_bytes(0).size(), 0u);
    EXPECT_EQ(random_bytes(33).size(), 33u);
    const std::string hex = random_hex(16);
    EXPECT_EQ(hex.size(), 32u);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
    const std::string alnum = random_alnum(500);
    EXPECT_EQ(alnum.size(), 500u);
    EXPECT_EQ(alnum.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
              std::string::npos);
    EXPECT_NE(random_hex(16), random_hex(16));
}

}  // namespace
}  // namespace vicugna::util
