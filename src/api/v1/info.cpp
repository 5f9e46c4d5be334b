// SPDX-License-Identifier: AGPL-3.0-or-later
// Instance information, health and the token self-test (Vikunja: pkg/routes/api/shared/info.go, healthcheck.go).
#include <spdlog/spdlog.h>

#include "api/errors.hpp"
#include "api/v1/handlers.hpp"

namespace vicugna::api::v1 {
namespace {

/// files.maxsize as Vikunja shows it ("20MB").
std::string human_size(std::int64_t bytes) {
    constexpr std::pair<std::int64_t, const char*> kUnits[] = {
        {std::int64_t{1} << 40, "TB"}, {1 << 30, "GB"}, {1 << 20, "MB"}, {1 << 10, "KB"}};
    for (auto [size, unit] : kUnits) {
        if (bytes % size == 0) return std::to_string(bytes / size) + unit;
    }
    return std::to_string(bytes) + "B";
}

std::string build_info(const Context& ctx) {
    const auto& c = ctx.config();
    util::json::Writer w;
    w.start_object();
    w.key("version").string("v" VICUGNA_VERSION);
    w.key("frontend_url").string(c.service_publicurl);
    w.key("motd").string(c.service_motd);
    w.key("link_sharing_enabled").boolean(c.service_enablelinksharing);
    w.key("max_file_size").string(human_size(c.files_maxsize));
    w.key("max_items_per_page").integer(c.service_maxitemsperpage);
    // Features not served yet are reported as off, so clients do not offer pages that would fail.
    w.key("available_migrators").start_array().end_array();
    w.key("task_attachments_enabled").boolean(c.service_enabletaskattachments);
    w.key("enabled_background_providers").start_array().end_array();
    w.key("totp_enabled").boolean(false);
    w.key("legal").start_object();
    w.key("imprint_url").string(c.legal_imprinturl);
    w.key("privacy_policy_url").string(c.legal_privacyurl);
    w.end_object();
    w.key("caldav_enabled").boolean(false);
    w.key("auth").start_object();
    w.key("local").start_object();
    w.key("enabled").boolean(c.auth_local_enabled);
    w.key("registration_enabled").boolean(c.auth_local_enabled && c.service_enableregistration);
    w.end_object();
    w.key("ldap").start_object().key("enabled").boolean(false).end_object();
    w.key("openid_connect").start_object().key("enabled").boolean(false);
    w.key("providers").start_array().end_array().end_object();
    w.end_object();
    w.key("email_reminders_enabled").boolean(c.service_enableemailreminders && c.mailer_enabled);
    w.key("user_deletion_enabled").boolean(false);
    w.key("task_comments_enabled").boolean(c.service_enabletaskcomments);
    w.key("demo_mode_enabled").boolean(c.service_demomode);
    w.key("webhooks_enabled").boolean(c.webhooks_enabled);
    w.key("public_teams_enabled").boolean(c.service_enablepublicteams);
    w.key("allow_icon_changes").boolean(c.service_allowiconchanges);
    w.key("enabled_pro_features").start_array().end_array();
    w.key("concurrent_writes").boolean(ctx.db().dialect().concurrent_writes);
    w.end_object();
    return w.take();
}

}  // namespace

asio::awaitable<http::Response> info(Context& ctx) {
    // The configuration is fixed for the life of the process, so the answer is built once; container
    // health checks poll this route.
    static const std::string body = build_info(ctx);
    co_return json(200, body);
}

asio::awaitable<http::Response> health(Context& ctx) {
    // The database and, when counters live there, Redis (Vikunja's health check pings both).
    std::string reason;
    try {
        co_await ctx.db().ping();
        co_await ctx.services.counters.ping();
    } catch (const std::exception& e) {
        reason = e.what();
    }
    if (!reason.empty()) {
        spdlog::warn("health check failed: {}", reason);
        util::json::Writer w;
        w.start_object().key("message").string("Service Unavailable").key("reason").string(reason);
        w.end_object();
        co_return json(503, w.take());
    }
    http::Response res;
    res.content_type = "text/plain; charset=utf-8";
    res.body = "OK";
    co_return res;
}

asio::awaitable<http::Response> token_test(Context&) { co_return message("ok"); }

// Vikunja answers a POST to the self-test with a teapot.
asio::awaitable<http::Response> token_test_post(Context&) { co_return message("🍵", 418); }

}  // namespace vicugna::api::v1
