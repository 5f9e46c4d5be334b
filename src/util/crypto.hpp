// SPDX-License-Identifier: AGPL-3.0-or-later
/// Small cryptographic helpers on OpenSSL: randomness, hashes, HMAC, PBKDF2, encodings.
#pragma once
#include <string>
#include <string_view>

namespace vicugna::util {

/// `n` bytes from the OS CSPRNG.
std::string random_bytes(std::size_t n);
/// Lower-case hex of `n` random bytes (2n characters).
std::string random_hex(std::size_t n);
/// Random alphanumeric string of `n` characters (link-share hashes).
std::string random_alnum(std::size_t n);
/// RFC 4122 version 4 UUID.
std::string uuid_v4();

std::string to_hex(std::string_view bytes);
std::string sha256(std::string_view data);  ///< raw 32 bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  ///< raw 32 bytes
std::string pbkdf2_sha256(std::string_view password, std::string_view salt, int rounds, std::size_t key_len);

std::string base64url_encode(std::string_view bytes);  ///< without padding
bool base64url_decode(std::string_view text, std::string& out);

/// Comparison whose time does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace vicugna::util
