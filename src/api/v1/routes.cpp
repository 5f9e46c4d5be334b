// SPDX-License-Identifier: AGPL-3.0-or-later
// The v1 route table (Vikunja: pkg/routes/routes.go). Vikunja v1 creates with PUT and updates with POST.
#include "api/route_table.hpp"
#include "api/crud.hpp"
#include "api/v1/handlers.hpp"

namespace vicugna::api {

void register_v1_routes(RouteTable& t, const config::Config& config) {
    using http::Verb;
    using namespace v1;
    constexpr auto Public = Access::Public;
    constexpr auto User = Access::User;

    t.add(Verb::get, "/health", health, Public);

    // Service, auth, session (spec §2.1)
    t.add(Verb::get, "/api/v1/info", info, Public);
    t.add(Verb::post, "/api/v1/register", register_user, Public);
    t.add(Verb::post, "/api/v1/login", login, Public);
    t.add(Verb::post, "/api/v1/user/token/refresh", refresh_token, Public);
    t.add(Verb::post, "/api/v1/user/token", renew_token, User);
    t.add(Verb::post, "/api/v1/user/logout", logout, User);
    t.add(Verb::get, "/api/v1/token/test", token_test, User);
    t.add(Verb::post, "/api/v1/token/test", token_test_post, User);
    t.add(Verb::get, "/api/v1/routes", token_routes, User);

    // Current user (spec §2.2)
    t.add(Verb::get, "/api/v1/user", user_show, User);
    t.add(Verb::post, "/api/v1/user/password", user_change_password, User);
    t.add(Verb::post, "/api/v1/user/settings/general", user_settings_general, User);
    t.add(Verb::get, "/api/v1/user/timezones", user_timezones, User);
    t.add(Verb::get, "/api/v1/user/sessions", user_sessions, User);
    t.add(Verb::delete_, "/api/v1/user/sessions/{session}", user_session_delete, User);

    // API tokens (spec §2.13)
    t.add(Verb::get, "/api/v1/tokens", tokens_list, User);
    t.add(Verb::put, "/api/v1/tokens", tokens_create, User);
    t.add(Verb::delete_, "/api/v1/tokens/{token}", tokens_delete, User);

    // Projects (spec §2.3)

    // Project views and buckets (spec §2.4)

    // Tasks (spec §2.5)

    // Task lists and search (spec §1.6, §2.5)

    // Labels, assignees (spec §2.6)

    // Comments, relations, reactions (spec §2.7)

    // Attachments (spec §2.7)

    // Saved filters (spec §2.8)

    // E2E seeding (spec §2.17): mounted only when a testing token is configured.
    if (!config.service_testingtoken.empty()) {
        t.add(Verb::patch, "/api/v1/test/{table}", testing_seed, Access::Testing);
        t.add(Verb::delete_, "/api/v1/test/all", testing_truncate_all, Access::Testing);
    }
}

}  // namespace vicugna::api
