// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <optional>
#include <thread>

#include "api/dispatch.hpp"
#include "app/periodic_jobs.hpp"
#include "auth/password.hpp"
#include "db/counters.hpp"
#include "db/migrate.hpp"
#include "events/outbox.hpp"
#include "http/server.hpp"
#include "models/file_store.hpp"
#include "models/instance.hpp"
#include "models/webhook_deliveries.hpp"

namespace vicugna::app {
namespace {

namespace asio = boost::asio;

/// Runs one coroutine to completion on a loop that no thread runs yet (start-up work).
template <class T>
T run_now(asio::io_context& io, asio::awaitable<T> work) {
    auto future = asio::co_spawn(io, std::move(work), asio::use_future);
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        // A loop that ran out of work stops; restart it so a completion posted later still runs.
        if (io.run_one() == 0) io.restart();
    }
    io.restart();
    return future.get();
}

models::DeliverySettings delivery_settings(const config::Config& c) {
    models::DeliverySettings s;
    s.outbound.allow_nonroutable = c.allow_nonroutable_ips();
    s.outbound.proxy_url = c.proxy_url();
    s.outbound.proxy_password = c.proxy_password();
    s.outbound.timeout_seconds = static_cast<long>(c.webhooks_timeoutseconds);
    s.outbound.user_agent = "Vikunja/v" VICUGNA_VERSION;  // the shape Vikunja sends; receivers may match on it
    s.max_attempts = static_cast<int>(c.webhooks_maxattempts);
    s.retry_initial_seconds = static_cast<int>(c.webhooks_retryinitialseconds);
    s.concurrency = static_cast<int>(c.webhooks_deliveryworkers);
    return s;
}

}  // namespace

db::Options database_options(const config::Config& c) {
    db::Options o;
    o.type = c.database_type;
    o.path = c.database_path;
    if (o.path != "memory" && !c.service_rootpath.empty() && std::filesystem::path(o.path).is_relative()) {
        o.path = (std::filesystem::path(c.service_rootpath) / o.path).string();
    }
    o.host = c.database_host;
    o.user = c.database_user;
    o.password = c.database_password;
    o.database = c.database_database;
    o.sslmode = c.database_sslmode;
    o.schema = c.database_schema;
    o.max_open_connections = static_cast<int>(c.database_maxopenconnections);
    o.max_idle_connections = static_cast<int>(c.database_maxidleconnections);
    o.max_connection_lifetime = std::chrono::milliseconds(c.database_maxconnectionlifetime);
    o.slow_query_threshold = std::chrono::milliseconds(c.database_slowquerythreshold);
    return o;
}

int serve(const config::Config& config) {
    unsigned threads = config.service_threads > 0 ? static_cast<unsigned>(config.service_threads)
                                                  : std::max(1u, std::thread::hardware_concurrency());
    asio::io_context io(static_cast<int>(threads));

    std::unique_ptr<db::Database> database;
    std::string secret = config.jwt_secret();
    try {
        database = db::open(database_options(config), io.get_executor());
        auto applied = run_now(io, db::apply_migrations(*database));
        for (const auto& id : applied) spdlog::info("applied migration {}", id);
        if (secret.empty()) {
            auto stored = run_now(io, models::load_or_create_jwt_secret(*database));
            secret = stored.value;
            if (stored.created) {
                spdlog::warn("service.secret is not set: generated one and stored it in the database; "
                             "set service.secret to manage it yourself");
            }
        }
    } catch (const std::exception& e) {
        spdlog::error("cannot start: database {}: {}", database ? database->describe() : config.database_type, e.what());
        return 1;
    }
    // Stored files (attachments) live in files.basepath, relative to service.rootpath like the SQLite file.
    std::filesystem::path files_dir = config.files_basepath;
    if (files_dir.is_relative() && !config.service_rootpath.empty()) {
        files_dir = std::filesystem::path(config.service_rootpath) / files_dir;
    }
    models::FileStore files(files_dir);
    if (config.service_publicurl.empty()) {
        spdlog::warn("service.publicurl is not set: link-share URLs and CORS use the request's origin rules only");
    }

    // bcrypt gets its own threads: at cost 11 one hash takes ~100 ms and would stall an I/O thread.
    auth::PasswordHasher hasher(static_cast<int>(config.service_bcryptrounds), std::max(1u, threads / 2),
                                static_cast<int>(config.service_bcryptqueue));
    // Counters live where every process can see them: Redis when configured, else the shared database.
    std::unique_ptr<db::Counters> counters;
    if (config.keyvalue_type == "redis") {
        counters = db::redis_counters({config.redis_host, config.redis_password, static_cast<int>(config.redis_db)});
    } else {
        counters = db::database_counters(*database);
    }
    api::Services services{config, *database, *counters, hasher, files, secret};
    api::Api api(services);

    http::ServerOptions options;
    options.host = config.listen_host;
    options.port = config.listen_port;
    options.read_timeout = std::chrono::seconds(config.service_readtimeout);
    options.idle_timeout = std::chrono::seconds(config.service_idletimeout);
    http::Server server(
        io, options, [&api](http::Request& req) { return api.handle(req); },
        [&api](http::Verb method, std::string_view path) { return api.body_limit(method, path); });
    try {
        server.start();
    } catch (const std::exception& e) {
        spdlog::error("cannot listen on {}: {}", config.service_interface, e.what());
        return 1;
    }
    spdlog::info("Vicugna {} listening on {} ({} threads, database {})", VICUGNA_VERSION, config.service_interface,
                 threads, database->describe());
    // Webhook deliveries queued before a restart (or by other processes) are sent from here on.
    std::optional<models::DeliveryWorker> deliveries;
    if (config.webhooks_enabled) {
        deliveries.emplace(io.get_executor(), *database, delivery_settings(config));
        events::set_outbox_listener([&deliveries] { deliveries->wake(); });
        deliveries->start();
    }
    // The periodic jobs only raise webhook events here (Vikunja also mails reminders; we send no mail).
    PeriodicJobs jobs(io, *database, config.service_timezone);
    if (config.webhooks_enabled) jobs.start();

    // Shutdown: stop accepting, let in-flight requests finish (bounded), then stop the loop.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer drain(io);
    auto deadline = std::chrono::steady_clock::now();
    std::function<void()> wait_for_drain = [&] {
        if ((server.open_connections() == 0 && !jobs.busy()) || std::chrono::steady_clock::now() >= deadline) {
            if (server.open_connections() > 0) spdlog::warn("shutdown: closing {} busy connections", server.open_connections());
            io.stop();
            return;
        }
        drain.expires_after(std::chrono::milliseconds(20));
        drain.async_wait([&](const boost::system::error_code&) { wait_for_drain(); });
    };
    // The loop runs until a signal stops it, whatever operations happen to be pending. The guard must exist
    // before the restart: a worker thread of the start-up work (the SQLite writer) may release its own work
    // guard only after run_now returned, which stops a loop that has no other work; restarting with this guard
    // in place clears such a stop, and no later release can reach zero again.
    auto keep_running = asio::make_work_guard(io);
    io.restart();
    bool signalled = false;
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        signalled = true;
        keep_running.reset();
        spdlog::info("received signal {}: shutting down", signal);
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config.service_shutdowntimeout);
        server.stop();
        jobs.stop();
        // Requests still draining keep queueing deliveries (the listener stays); the next start sends them.
        if (deliveries) deliveries->stop();
        wait_for_drain();
    });

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
    if (!signalled) spdlog::error("the event loop stopped without a shutdown signal");
    // Let cancelled sessions and closing database connections finish before their owners are destroyed.
    io.restart();
    io.run_for(std::chrono::seconds(1));
    events::set_outbox_listener({});
    spdlog::info("stopped");
    return 0;
}

}  // namespace vicugna::app
