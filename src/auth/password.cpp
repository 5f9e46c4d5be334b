// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/password.hpp"

#include <crypt.h>


#include <cstring>
#include <memory>

#include "api/errors.hpp"
#include "util/crypto.hpp"
#include "util/offload.hpp"

namespace vicugna::auth {

PasswordHasher::PasswordHasher(int cost, unsigned threads, int max_queued)
    : cost_(cost), max_queued_(max_queued), pool_(threads) {}

PasswordHasher::~PasswordHasher() { pool_.join(); }

std::string PasswordHasher::hash_now(std::string_view password) const {
    std::string random = util::random_bytes(16);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost_), random.data(), static_cast<int>(random.size()),
                          setting, sizeof setting)) {
        throw std::runtime_error("bcrypt salt generation failed");
    }
    auto data = std::make_unique<crypt_data>();
    std::string pw(password);
    const char* out = crypt_r(pw.c_str(), setting, data.get());
    if (!out || out[0] == '*') throw std::runtime_error("bcrypt hashing failed");
    return out;
}

bool PasswordHasher::verify_now(std::string_view password, std::string_view hash) {
    if (hash.size() < 7 || hash[0] != '$' || hash[1] != '2') return false;
    std::string h(hash);
    // Go's bcrypt writes $2a$; libxcrypt verifies $2a$, $2b$ and $2y$ alike.
    auto data = std::make_unique<crypt_data>();
    std::string pw(password);
    const char* out = crypt_r(pw.c_str(), h.c_str(), data.get());
    return out && out[0] != '*' && util::constant_time_equal(out, h);
}

template <class R, class F>
asio::awaitable<R> PasswordHasher::offload(F& fn) {
    if (queued_.fetch_add(1) >= max_queued_) {
        queued_.fetch_sub(1);
        throw api::Error(api::ErrorCode::ServiceUnavailable, "Too many password checks at once; try again shortly.");
    }
    struct Release {
        std::atomic<int>& n;
        ~Release() { n.fetch_sub(1); }
    } release{queued_};
    co_return co_await util::run_on<R>(pool_.get_executor(), std::move(fn));
}

asio::awaitable<std::string> PasswordHasher::hash(std::string password) {
    auto work = [this, p = std::move(password)] { return hash_now(p); };
    co_return co_await offload<std::string>(work);
}

asio::awaitable<bool> PasswordHasher::verify(std::string password, std::string hash) {
    auto work = [p = std::move(password), h = std::move(hash)] { return verify_now(p, h); };
    co_return co_await offload<bool>(work);
}

}  // namespace vicugna::auth
