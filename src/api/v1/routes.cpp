// SPDX-License-Identifier: AGPL-3.0-or-later
// The v1 route table (Vikunja: pkg/routes/routes.go). Vikunja v1 creates with PUT and updates with POST.
#include "api/route_table.hpp"
#include "api/crud.hpp"
#include "api/v1/dialect.hpp"
#include "api/v1/handlers.hpp"
#include "api/v1/link_shares.hpp"
#include "api/v1/notifications.hpp"
#include "api/v1/projects.hpp"
#include "api/v1/task_extras.hpp"
#include "api/v1/tasks.hpp"
#include "api/v1/teams.hpp"
#include "api/v1/webhooks.hpp"

namespace vicugna::api {

void register_v1_routes(RouteTable& t, const config::Config& config) {
    using http::Verb;
    using namespace v1;
    constexpr auto Public = Access::Public;
    constexpr auto User = Access::User;
    // Link shares too: the routes of a project and its tasks, and those whose models answer link shares with
    // Vikunja's own refusal (403 code 0; reading or changing a saved filter 412 11002).
    constexpr auto Shared = Access::Shared;

    t.add(Verb::get, "/health", health, Public);

    // Service, auth, session (spec §2.1)
    t.add(Verb::get, "/api/v1/info", info, Public);
    t.add(Verb::post, "/api/v1/register", register_user, Public);
    t.add(Verb::post, "/api/v1/login", login, Public);
    t.add(Verb::post, "/api/v1/user/token/refresh", refresh_token, Public);
    t.add(Verb::post, "/api/v1/user/token", renew_token, Shared);
    t.add(Verb::post, "/api/v1/user/logout", logout, User);
    t.add(Verb::get, "/api/v1/token/test", token_test, User);
    t.add(Verb::post, "/api/v1/token/test", token_test_post, User);
    t.add(Verb::get, "/api/v1/routes", token_routes, User);

    // Current user (spec §2.2)
    t.add(Verb::get, "/api/v1/user", user_show, Shared);
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
    t.add(Verb::get, "/api/v1/projects", crud::read_all<ProjectResource>, Shared);
    t.add(Verb::put, "/api/v1/projects", crud::create<ProjectResource>, Shared);
    t.add(Verb::get, "/api/v1/projects/{project}", crud::read_one<ProjectResource>, Shared);
    t.add(Verb::post, "/api/v1/projects/{project}", crud::update<ProjectResource>, Shared);
    t.add(Verb::delete_, "/api/v1/projects/{project}", crud::remove<ProjectResource>, Shared);
    t.add(Verb::put, "/api/v1/projects/{projectid}/duplicate", crud::create<ProjectDuplicateResource>, Shared);

    // Link shares (spec §2.10): management is for users only; the auth route is public.
    if (config.service_enablelinksharing) {
        t.add(Verb::get, "/api/v1/projects/{project}/shares", crud::read_all<LinkShareResource>, User);
        t.add(Verb::put, "/api/v1/projects/{project}/shares", link_share_create, User);
        t.add(Verb::get, "/api/v1/projects/{project}/shares/{share}", crud::read_one<LinkShareResource>, User);
        t.add(Verb::delete_, "/api/v1/projects/{project}/shares/{share}", crud::remove<LinkShareResource>, User);
        t.add(Verb::post, "/api/v1/shares/{share}/auth", link_share_auth, Public);
    }

    // Project views and buckets (spec §2.4)
    t.add(Verb::get, "/api/v1/projects/{project}/views", crud::read_all<ProjectViewResource>, Shared);
    t.add(Verb::put, "/api/v1/projects/{project}/views", crud::create<ProjectViewResource>, Shared);
    t.add(Verb::get, "/api/v1/projects/{project}/views/{view}", crud::read_one<ProjectViewResource>, Shared);
    t.add(Verb::post, "/api/v1/projects/{project}/views/{view}", crud::update<ProjectViewResource>, Shared);
    t.add(Verb::delete_, "/api/v1/projects/{project}/views/{view}", crud::remove<ProjectViewResource>, Shared);
    t.add(Verb::get, "/api/v1/projects/{project}/views/{view}/buckets", crud::read_all<BucketResource>, Shared);
    t.add(Verb::put, "/api/v1/projects/{project}/views/{view}/buckets", crud::create<BucketResource>, Shared);
    t.add(Verb::post, "/api/v1/projects/{project}/views/{view}/buckets/{bucket}", crud::update<BucketResource>, Shared);
    t.add(Verb::delete_, "/api/v1/projects/{project}/views/{view}/buckets/{bucket}", crud::remove<BucketResource>,
          Shared);

    // Tasks (spec §2.5)
    t.add(Verb::put, "/api/v1/projects/{project}/tasks", crud::create<TaskResource>, Shared);
    t.add(Verb::get, "/api/v1/projects/{project}/tasks/by-index/{index}", crud::read_one<TaskResource>, Shared);
    t.add(Verb::post, "/api/v1/tasks/bulk", tasks_bulk, Shared);
    t.add(Verb::get, "/api/v1/tasks/{projecttask}", crud::read_one<TaskResource>, Shared);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}", crud::update<TaskResource>, Shared);
    t.add(Verb::delete_, "/api/v1/tasks/{projecttask}", crud::remove<TaskResource>, Shared);
    t.add(Verb::post, "/api/v1/tasks/{task}/position", task_position, Shared);
    t.add(Verb::put, "/api/v1/tasks/{projecttask}/duplicate", task_duplicate, Shared);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}/read", task_mark_read, Shared);
    t.add(Verb::post, "/api/v1/projects/{project}/views/{view}/buckets/{bucket}/tasks", task_bucket_move, Shared);

    // Task lists and search (spec §1.6, §2.5)
    t.add(Verb::get, "/api/v1/tasks", tasks_all, Shared);
    t.add(Verb::get, "/api/v1/projects/{project}/tasks", project_tasks, Shared);
    t.add(Verb::get, "/api/v1/projects/{project}/views/{view}/tasks", view_tasks, Shared);

    // The operations manual's dialect (ours, docs/api-compat.md): API tokens reach each route through the v1
    // route it stands for. The literal /tasks/search wins over /tasks/{projecttask} in the router.
    t.add_alias(Verb::post, "/api/v1/tasks", crud::create<DialectTaskResource>, Shared, Verb::put,
                "/api/v1/projects/{project}/tasks");
    t.add_alias(Verb::put, "/api/v1/tasks/{projecttask}", crud::update<DialectTaskResource>, Shared, Verb::post,
                "/api/v1/tasks/{projecttask}");
    t.add_alias(Verb::get, "/api/v1/tasks/search", tasks_search, Shared, Verb::get, "/api/v1/tasks");

    // Labels, assignees (spec §2.6)
    t.add(Verb::put, "/api/v1/tasks/{projecttask}/assignees", crud::create<TaskAssigneeResource>, Shared);
    t.add(Verb::delete_, "/api/v1/tasks/{projecttask}/assignees/{user}", crud::remove<TaskAssigneeResource>, Shared);
    t.add(Verb::get, "/api/v1/tasks/{projecttask}/assignees", crud::read_all<TaskAssigneeResource>, Shared);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}/assignees/bulk", crud::create<BulkAssigneesResource>, Shared);
    t.add(Verb::put, "/api/v1/tasks/{projecttask}/labels", crud::create<LabelTaskResource>, Shared);
    t.add(Verb::delete_, "/api/v1/tasks/{projecttask}/labels/{label}", crud::remove<LabelTaskResource>, Shared);
    t.add(Verb::get, "/api/v1/tasks/{projecttask}/labels", crud::read_all<LabelTaskResource>, Shared);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}/labels/bulk", crud::create<LabelTaskBulkResource>, Shared);
    t.add(Verb::get, "/api/v1/labels", crud::read_all<LabelResource>, Shared);
    t.add(Verb::get, "/api/v1/labels/{label}", crud::read_one<LabelResource>, Shared);
    t.add(Verb::put, "/api/v1/labels", crud::create<LabelResource>, Shared);
    t.add(Verb::delete_, "/api/v1/labels/{label}", crud::remove<LabelResource>, Shared);
    t.add(Verb::post, "/api/v1/labels/{label}", crud::update<LabelResource>, Shared);

    // Comments, relations, reactions (spec §2.7)
    t.add(Verb::put, "/api/v1/tasks/{task}/relations", crud::create<TaskRelationResource>, Shared);
    t.add(Verb::delete_, "/api/v1/tasks/{task}/relations/{relationKind}/{otherTask}",
          crud::remove<TaskRelationResource>, Shared);
    if (config.service_enabletaskcomments) {
        t.add(Verb::get, "/api/v1/tasks/{task}/comments", crud::read_all<TaskCommentResource>, Shared);
        t.add(Verb::put, "/api/v1/tasks/{task}/comments", crud::create<TaskCommentResource>, Shared);
        t.add(Verb::delete_, "/api/v1/tasks/{task}/comments/{commentid}", crud::remove<TaskCommentResource>, Shared);
        t.add(Verb::post, "/api/v1/tasks/{task}/comments/{commentid}", crud::update<TaskCommentResource>, Shared);
        t.add(Verb::get, "/api/v1/tasks/{task}/comments/{commentid}", crud::read_one<TaskCommentResource>, Shared);
    }
    // One pattern for tasks and comments, so API tokens see Vikunja's "reactions" group.
    t.add(Verb::get, "/api/v1/{entitykind}/{entityid}/reactions", reactions_list, Shared);
    t.add(Verb::post, "/api/v1/{entitykind}/{entityid}/reactions/delete", crud::remove<ReactionResource>, Shared);
    t.add(Verb::put, "/api/v1/{entitykind}/{entityid}/reactions", crud::create<ReactionResource>, Shared);

    // Attachments (spec §2.7)
    if (config.service_enabletaskattachments) {
        t.add(Verb::get, "/api/v1/tasks/{task}/attachments", attachments_list, Shared);
        t.add(Verb::put, "/api/v1/tasks/{task}/attachments", attachments_upload, Shared, /*upload=*/true);
        t.add(Verb::get, "/api/v1/tasks/{task}/attachments/{attachment}", attachment_download, Shared);
        t.add(Verb::delete_, "/api/v1/tasks/{task}/attachments/{attachment}", attachment_delete, Shared);
    }

    // Saved filters (spec §2.8)
    t.add(Verb::put, "/api/v1/filters", filters_create, Shared);
    t.add(Verb::get, "/api/v1/filters/{filter}", filters_read, Shared);
    t.add(Verb::post, "/api/v1/filters/{filter}", filters_update, Shared);
    t.add(Verb::delete_, "/api/v1/filters/{filter}", filters_delete, Shared);

    // Teams, user search, sharing projects with users and teams (spec §2.2, §2.9, §2.10)
    t.add(Verb::get, "/api/v1/users", users_search, User);
    t.add(Verb::get, "/api/v1/teams", crud::read_all<TeamResource>, User);
    t.add(Verb::put, "/api/v1/teams", crud::create<TeamResource>, User);
    t.add(Verb::get, "/api/v1/teams/{team}", crud::read_one<TeamResource>, User);
    t.add(Verb::post, "/api/v1/teams/{team}", crud::update<TeamResource>, User);
    t.add(Verb::delete_, "/api/v1/teams/{team}", crud::remove<TeamResource>, User);
    t.add(Verb::put, "/api/v1/teams/{team}/members", crud::create<TeamMemberResource>, User);
    t.add(Verb::delete_, "/api/v1/teams/{team}/members/{user}", crud::remove<TeamMemberResource>, User);
    t.add(Verb::post, "/api/v1/teams/{team}/members/{user}/admin", crud::update<TeamMemberResource>, User);
    t.add(Verb::get, "/api/v1/projects/{project}/users", crud::read_all<ProjectUserResource>, User);
    t.add(Verb::put, "/api/v1/projects/{project}/users", crud::create<ProjectUserResource>, User);
    t.add(Verb::post, "/api/v1/projects/{project}/users/{user}", crud::update<ProjectUserResource>, User);
    t.add(Verb::delete_, "/api/v1/projects/{project}/users/{user}", crud::remove<ProjectUserResource>, User);
    t.add(Verb::get, "/api/v1/projects/{project}/teams", crud::read_all<ProjectTeamResource>, User);
    t.add(Verb::put, "/api/v1/projects/{project}/teams", crud::create<ProjectTeamResource>, User);
    t.add(Verb::post, "/api/v1/projects/{project}/teams/{team}", crud::update<ProjectTeamResource>, User);
    t.add(Verb::delete_, "/api/v1/projects/{project}/teams/{team}", crud::remove<ProjectTeamResource>, User);

    // Subscriptions, notifications (spec §2.11)
    t.add(Verb::put, "/api/v1/subscriptions/{entity}/{entityID}", crud::create<SubscriptionResource>, User);
    t.add(Verb::delete_, "/api/v1/subscriptions/{entity}/{entityID}", crud::remove<SubscriptionResource>, User);
    t.add(Verb::get, "/api/v1/notifications", crud::read_all<NotificationResource>, User);
    t.add(Verb::post, "/api/v1/notifications/{notificationid}", crud::update<NotificationResource>, User);
    t.add(Verb::post, "/api/v1/notifications", notifications_mark_all, User);

    // Webhooks (spec §2.12), only when enabled, as Vikunja registers them. Ours beside them: each webhook's
    // delivery log, and the operations manual's /webhooks (project-less webhooks of the caller, any event).
    if (config.webhooks_enabled) {
        t.add(Verb::get, "/api/v1/webhooks/events", webhook_events, Shared);
        t.add(Verb::get, "/api/v1/projects/{project}/webhooks", webhooks_list, Shared);
        t.add(Verb::put, "/api/v1/projects/{project}/webhooks", project_webhook_create, Shared);
        t.add(Verb::post, "/api/v1/projects/{project}/webhooks/{webhook}", webhook_update, Shared);
        t.add(Verb::delete_, "/api/v1/projects/{project}/webhooks/{webhook}", webhook_delete, Shared);
        t.add(Verb::get, "/api/v1/projects/{project}/webhooks/{webhook}/deliveries", webhook_deliveries, Shared);
        t.add(Verb::get, "/api/v1/projects/{project}/webhooks/{webhook}/deliveries/{delivery}", webhook_delivery,
              Shared);
        t.add(Verb::post, "/api/v1/projects/{project}/webhooks/{webhook}/deliveries/{delivery}/redeliver",
              webhook_redeliver, Shared);
        t.add(Verb::get, "/api/v1/user/settings/webhooks", webhooks_list, User);
        t.add(Verb::put, "/api/v1/user/settings/webhooks", user_webhook_create, User);
        t.add(Verb::get, "/api/v1/user/settings/webhooks/events", user_webhook_events, User);
        t.add(Verb::post, "/api/v1/user/settings/webhooks/{webhook}", webhook_update, User);
        t.add(Verb::delete_, "/api/v1/user/settings/webhooks/{webhook}", webhook_delete, User);
        t.add(Verb::get, "/api/v1/user/settings/webhooks/{webhook}/deliveries", webhook_deliveries, User);
        t.add(Verb::get, "/api/v1/user/settings/webhooks/{webhook}/deliveries/{delivery}", webhook_delivery, User);
        t.add(Verb::post, "/api/v1/user/settings/webhooks/{webhook}/deliveries/{delivery}/redeliver",
              webhook_redeliver, User);
        t.add(Verb::get, "/api/v1/webhooks", webhooks_list, User);
        t.add(Verb::post, "/api/v1/webhooks", webhook_create, User);
        t.add(Verb::delete_, "/api/v1/webhooks/{webhook}", webhook_delete, User);
    }

    // E2E seeding (spec §2.17): mounted only when a testing token is configured.
    if (!config.service_testingtoken.empty()) {
        t.add(Verb::patch, "/api/v1/test/{table}", testing_seed, Access::Testing);
        t.add(Verb::delete_, "/api/v1/test/all", testing_truncate_all, Access::Testing);
    }
}

}  // namespace vicugna::api
