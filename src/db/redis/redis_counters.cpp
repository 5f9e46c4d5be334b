// SPDX-License-Identifier: AGPL-3.0-or-later
// Counters in Redis through hiredis. Calls block, so they run on two worker threads, never on an I/O thread;
// connections are reused and re-made after an error (Redis restarted).
#include <hiredis/hiredis.h>

#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <mutex>
#include <vector>

#include "db/counters.hpp"
#include "util/offload.hpp"

namespace vicugna::db {
namespace {

constexpr timeval kTimeout{2, 0};
// INCR and EXPIRE in one atomic step: the first hit of a window sets its lifetime.
constexpr const char* kHitScript =
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n";

struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;
struct ReplyDeleter {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

/// Sends one command; a null reply means the connection failed.
ReplyPtr send(redisContext* c, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    return ReplyPtr(static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
}

class RedisCounters final : public Counters {
public:
    explicit RedisCounters(RedisOptions options) : options_(std::move(options)), workers_(2) {
        auto colon = options_.host.rfind(':');
        host_ = options_.host.substr(0, colon);
        port_ = colon == std::string::npos ? 6379 : std::stoi(options_.host.substr(colon + 1));
    }
    ~RedisCounters() override { workers_.join(); }

    asio::awaitable<std::int64_t> hit(const std::string& name, std::chrono::seconds window) override {
        auto work = [this, key = "vicugna:counter:" + name, seconds = std::to_string(window.count())] {
            auto reply = command({"EVAL", kHitScript, "1", key, seconds});
            return static_cast<std::int64_t>(reply->integer);
        };
        co_return co_await util::run_on<std::int64_t>(workers_.get_executor(), std::move(work));
    }
    asio::awaitable<void> reset(const std::string& name) override {
        auto work = [this, key = "vicugna:counter:" + name] {
            command({"DEL", key});
            return 0;
        };
        co_await util::run_on<int>(workers_.get_executor(), std::move(work));
    }
    asio::awaitable<void> ping() override {
        auto work = [this] {
            command({"PING"});
            return 0;
        };
        co_await util::run_on<int>(workers_.get_executor(), std::move(work));
    }
    std::string describe() const override { return "redis://" + options_.host + "/" + std::to_string(options_.db); }

private:
    ContextPtr connect() const {
        ContextPtr c(redisConnectWithTimeout(host_.c_str(), port_, kTimeout));
        if (!c || c->err) {
            throw ConnectionError("cannot connect to Redis at " + options_.host + ": " +
                                  (c ? c->errstr : "out of memory"));
        }
        redisSetTimeout(c.get(), kTimeout);
        auto setup = [&](const std::vector<std::string>& args) {
            ReplyPtr r = send(c.get(), args);
            if (!r || r->type == REDIS_REPLY_ERROR) {
                throw ConnectionError("Redis at " + options_.host + " refused " + args[0] + ": " +
                                      (r ? std::string(r->str, r->len) : std::string(c->errstr)));
            }
        };
        if (!options_.password.empty()) setup({"AUTH", options_.password});
        if (options_.db != 0) setup({"SELECT", std::to_string(options_.db)});
        return c;
    }

    /// Runs one command on a pooled connection; a connection that failed is dropped, not reused.
    ReplyPtr command(const std::vector<std::string>& args) {
        ContextPtr c;
        {
            std::lock_guard guard(mutex_);
            if (!idle_.empty()) {
                c = std::move(idle_.back());
                idle_.pop_back();
            }
        }
        if (!c) c = connect();
        ReplyPtr reply = send(c.get(), args);
        if (!reply) throw ConnectionError("Redis at " + options_.host + ": " + c->errstr);
        if (reply->type == REDIS_REPLY_ERROR) {
            throw Error(ErrorKind::Other, "Redis at " + options_.host + ": " + std::string(reply->str, reply->len));
        }
        std::lock_guard guard(mutex_);
        idle_.push_back(std::move(c));
        return reply;
    }

    RedisOptions options_;
    std::string host_;
    int port_ = 6379;
    asio::thread_pool workers_;
    std::mutex mutex_;
    std::vector<ContextPtr> idle_;
};

}  // namespace

std::unique_ptr<Counters> redis_counters(const RedisOptions& options) {
    return std::make_unique<RedisCounters>(options);
}

}  // namespace vicugna::db
