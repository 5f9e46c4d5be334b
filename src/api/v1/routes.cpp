// SPDX-License-Identifier: AGPL-3.0-or-later
// The v1 route table (Vikunja: pkg/routes/routes.go). Vikunja v1 creates with PUT and updates with POST.
#include "api/route_table.hpp"
#include "api/crud.hpp"
#include "api/v1/handlers.hpp"
#include "api/v1/notifications.hpp"
#include "api/v1/projects.hpp"
#include "api/v1/task_extras.hpp"
#include "api/v1/tasks.hpp"

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
    t.add(Verb::get, "/api/v1/projects", crud::read_all<ProjectResource>, User);
    t.add(Verb::put, "/api/v1/projects", crud::create<ProjectResource>, User);
    t.add(Verb::get, "/api/v1/projects/{project}", crud::read_one<ProjectResource>, User);
    t.add(Verb::post, "/api/v1/projects/{project}", crud::update<ProjectResource>, User);
    t.add(Verb::delete_, "/api/v1/projects/{project}", crud::remove<ProjectResource>, User);
    t.add(Verb::put, "/api/v1/projects/{projectid}/duplicate", crud::create<ProjectDuplicateResource>, User);

    // Project views and buckets (spec §2.4)
    t.add(Verb::get, "/api/v1/projects/{project}/views", crud::read_all<ProjectViewResource>, User);
    t.add(Verb::put, "/api/v1/projects/{project}/views", crud::create<ProjectViewResource>, User);
    t.add(Verb::get, "/api/v1/projects/{project}/views/{view}", crud::read_one<ProjectViewResource>, User);
    t.add(Verb::post, "/api/v1/projects/{project}/views/{view}", crud::update<ProjectViewResource>, User);
    t.add(Verb::delete_, "/api/v1/projects/{project}/views/{view}", crud::remove<ProjectViewResource>, User);
    t.add(Verb::get, "/api/v1/projects/{project}/views/{view}/buckets", crud::read_all<BucketResource>, User);
    t.add(Verb::put, "/api/v1/projects/{project}/views/{view}/buckets", crud::create<BucketResource>, User);
    t.add(Verb::post, "/api/v1/projects/{project}/views/{view}/buckets/{bucket}", crud::update<BucketResource>, User);
    t.add(Verb::delete_, "/api/v1/projects/{project}/views/{view}/buckets/{bucket}", crud::remove<BucketResource>,
          User);

    // Tasks (spec §2.5)
    t.add(Verb::put, "/api/v1/projects/{project}/tasks", crud::create<TaskResource>, User);
    t.add(Verb::get, "/api/v1/projects/{project}/tasks/by-index/{index}", crud::read_one<TaskResource>, User);
    t.add(Verb::post, "/api/v1/tasks/bulk", tasks_bulk, User);
    t.add(Verb::get, "/api/v1/tasks/{projecttask}", crud::read_one<TaskResource>, User);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}", crud::update<TaskResource>, User);
    t.add(Verb::delete_, "/api/v1/tasks/{projecttask}", crud::remove<TaskResource>, User);
    t.add(Verb::post, "/api/v1/tasks/{task}/position", task_position, User);
    t.add(Verb::put, "/api/v1/tasks/{projecttask}/duplicate", task_duplicate, User);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}/read", task_mark_read, User);
    t.add(Verb::post, "/api/v1/projects/{project}/views/{view}/buckets/{bucket}/tasks", task_bucket_move, User);

    // Task lists and search (spec §1.6, §2.5)
    t.add(Verb::get, "/api/v1/tasks", tasks_all, User);
    t.add(Verb::get, "/api/v1/projects/{project}/tasks", project_tasks, User);
    t.add(Verb::get, "/api/v1/projects/{project}/views/{view}/tasks", view_tasks, User);

    // Labels, assignees (spec §2.6)
    t.add(Verb::put, "/api/v1/tasks/{projecttask}/assignees", crud::create<TaskAssigneeResource>, User);
    t.add(Verb::delete_, "/api/v1/tasks/{projecttask}/assignees/{user}", crud::remove<TaskAssigneeResource>, User);
    t.add(Verb::get, "/api/v1/tasks/{projecttask}/assignees", crud::read_all<TaskAssigneeResource>, User);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}/assignees/bulk", crud::create<BulkAssigneesResource>, User);
    t.add(Verb::put, "/api/v1/tasks/{projecttask}/labels", crud::create<LabelTaskResource>, User);
    t.add(Verb::delete_, "/api/v1/tasks/{projecttask}/labels/{label}", crud::remove<LabelTaskResource>, User);
    t.add(Verb::get, "/api/v1/tasks/{projecttask}/labels", crud::read_all<LabelTaskResource>, User);
    t.add(Verb::post, "/api/v1/tasks/{projecttask}/labels/bulk", crud::create<LabelTaskBulkResource>, User);
    t.add(Verb::get, "/api/v1/labels", crud::read_all<LabelResource>, User);
    t.add(Verb::get, "/api/v1/labels/{label}", crud::read_one<LabelResource>, User);
    t.add(Verb::put, "/api/v1/labels", crud::create<LabelResource>, User);
    t.add(Verb::delete_, "/api/v1/labels/{label}", crud::remove<LabelResource>, User);
    t.add(Verb::post, "/api/v1/labels/{label}", crud::update<LabelResource>, User);

    // Comments, relations, reactions (spec §2.7)
    t.add(Verb::put, "/api/v1/tasks/{task}/relations", crud::create<TaskRelationResource>, User);
    t.add(Verb::delete_, "/api/v1/tasks/{task}/relations/{relationKind}/{otherTask}",
          crud::remove<TaskRelationResource>, User);
    if (config.service_enabletaskcomments) {
        t.add(Verb::get, "/api/v1/tasks/{task}/comments", crud::read_all<TaskCommentResource>, User);
        t.add(Verb::put, "/api/v1/tasks/{task}/comments", crud::create<TaskCommentResource>, User);
        t.add(Verb::delete_, "/api/v1/tasks/{task}/comments/{commentid}", crud::remove<TaskCommentResource>, User);
        t.add(Verb::post, "/api/v1/tasks/{task}/comments/{commentid}", crud::update<TaskCommentResource>, User);
        t.add(Verb::get, "/api/v1/tasks/{task}/comments/{commentid}", crud::read_one<TaskCommentResource>, User);
    }
    // One pattern for tasks and comments, so API tokens see Vikunja's "reactions" group.
    t.add(Verb::get, "/api/v1/{entitykind}/{entityid}/reactions", reactions_list, User);
    t.add(Verb::post, "/api/v1/{entitykind}/{entityid}/reactions/delete", crud::remove<ReactionResource>, User);
    t.add(Verb::put, "/api/v1/{entitykind}/{entityid}/reactions", crud::create<ReactionResource>, User);

    // Attachments (spec §2.7)
    if (config.service_enabletaskattachments) {
        t.add(Verb::get, "/api/v1/tasks/{task}/attachments", attachments_list, User);
        t.add(Verb::put, "/api/v1/tasks/{task}/attachments", attachments_upload, User, /*upload=*/true);
        t.add(Verb::get, "/api/v1/tasks/{task}/attachments/{attachment}", attachment_download, User);
        t.add(Verb::delete_, "/api/v1/tasks/{task}/attachments/{attachment}", attachment_delete, User);
    }

    // Saved filters (spec §2.8)
    t.add(Verb::put, "/api/v1/filters", filters_create, User);
    t.add(Verb::get, "/api/v1/filters/{filter}", filters_read, User);
    t.add(Verb::post, "/api/v1/filters/{filter}", filters_update, User);
    t.add(Verb::delete_, "/api/v1/filters/{filter}", filters_delete, User);

    // Subscriptions, notifications (spec §2.11)
    t.add(Verb::put, "/api/v1/subscriptions/{entity}/{entityID}", crud::create<SubscriptionResource>, User);
    t.add(Verb::delete_, "/api/v1/subscriptions/{entity}/{entityID}", crud::remove<SubscriptionResource>, User);
    t.add(Verb::get, "/api/v1/notifications", crud::read_all<NotificationResource>, User);
    t.add(Verb::post, "/api/v1/notifications/{notificationid}", crud::update<NotificationResource>, User);
    t.add(Verb::post, "/api/v1/notifications", notifications_mark_all, User);

    // E2E seeding (spec §2.17): mounted only when a testing token is configured.
    if (!config.service_testingtoken.empty()) {
        t.add(Verb::patch, "/api/v1/test/{table}", testing_seed, Access::Testing);
        t.add(Verb::delete_, "/api/v1/test/all", testing_truncate_all, Access::Testing);
    }
}

}  // namespace vicugna::api
