// SPDX-License-Identifier: AGPL-3.0-or-later
/// bcrypt hashing on its own small bounded thread pool, so a burst of logins never stalls the I/O threads.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <string>
#include <string_view>

namespace vicugna::auth {

namespace asio = boost::asio;

class PasswordHasher {
public:
    /// `threads` workers; at most `max_queued` hashes waiting or running, more throw ServiceUnavailable (503).
    PasswordHasher(int cost, unsigned threads, int max_queued);
    ~PasswordHasher();

    /// A new `$2b$` hash of `password` (checked for 8–72 bytes by the caller).
    asio::awaitable<std::string> hash(std::string password);
    /// True when `password` matches a `$2a$`/`$2b$`/`$2y$` hash (Go-made hashes included).
    asio::awaitable<bool> verify(std::string password, std::string hash);

    /// Synchronous forms for the CLI.
    std::string hash_now(std::string_view password) const;
    static bool verify_now(std::string_view password, std::string_view hash);

private:
    template <class R, class F>
    asio::awaitable<R> offload(F& fn);

    int cost_;
    int max_queued_;
    std::atomic<int> queued_{0};
    asio::thread_pool pool_;
};

}  // namespace vicugna::auth
