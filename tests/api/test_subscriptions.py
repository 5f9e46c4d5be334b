"""Subscriptions: PUT/DELETE /subscriptions/{entity}/{entityID} (spec §2.11, §3.6, §4.2 12xxx;
client-usage A.1, A.2 `subscription`, checklist 29).

Behaviour checked against Vikunja's pkg/models/subscription.go (Create refuses an entity already
covered, also through a project above it; the subscription hierarchy task → project → parents) and
subscription_permissions.go (create needs read access; delete needs the user's own row).
"""

import grants
import pytest
from wire import RFC3339, call, assert_error
from task_extras_seed import new_project, new_task, ok

SUBSCRIPTION_KEYS = ["id", "entity", "entity_id", "created"]


def grant(server, project_id, user_id, permission=0):
    grants.share_with_user(server, project_id, user_id, permission)


def subscribe(server, user, entity, entity_id):
    return call(server, "PUT", "/subscriptions/%s/%d" % (entity, entity_id), token=user["token"],
                json={"entity": entity, "entity_id": entity_id})


def unsubscribe(server, user, entity, entity_id):
    return call(server, "DELETE", "/subscriptions/%s/%d" % (entity, entity_id), token=user["token"])


def subscription_of(server, user, entity, entity_id):
    path = "/projects/%d" % entity_id if entity == "project" else "/tasks/%d" % entity_id
    return ok(call(server, "GET", path, token=user["token"])).get("subscription")


def new_child_project(server, user, parent_id):
    r = call(server, "PUT", "/projects", token=user["token"], json={"title": "child", "parent_project_id": parent_id})
    return ok(r, 201)


# --- create ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("entity", ["project", "task"])
def test_subscribe_shape_and_read_back(server, owner, entity):
    project = new_project(server, owner)
    entity_id = project["id"] if entity == "project" else new_task(server, owner, project["id"])["id"]
    assert subscription_of(server, owner, entity, entity_id) is None

    body = ok(subscribe(server, owner, entity, entity_id), 201)
    assert list(body) == SUBSCRIPTION_KEYS
    assert body["entity"] == entity and body["entity_id"] == entity_id
    assert isinstance(body["id"], int) and body["id"] > 0
    assert RFC3339.match(body["created"])
    assert subscription_of(server, owner, entity, entity_id) == body


def test_subscribe_without_body(server, owner):
    project = new_project(server, owner)
    r = call(server, "PUT", "/subscriptions/project/%d" % project["id"], token=owner["token"])
    assert ok(r, 201)["entity_id"] == project["id"]


@pytest.mark.parametrize("entity", ["project", "task"])
def test_subscribe_twice_is_12002(server, owner, entity):
    project = new_project(server, owner)
    entity_id = project["id"] if entity == "project" else new_task(server, owner, project["id"])["id"]
    first = ok(subscribe(server, owner, entity, entity_id), 201)
    assert_error(subscribe(server, owner, entity, entity_id), 412, 12002)
    assert subscription_of(server, owner, entity, entity_id) == first


def test_task_covered_by_project_subscription(server, owner):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    via = ok(subscribe(server, owner, "project", project["id"]), 201)
    # Checklist 29: the task shows the project's subscription, so the web app says "subscribed via project".
    assert subscription_of(server, owner, "task", task["id"]) == via
    assert_error(subscribe(server, owner, "task", task["id"]), 412, 12002)
    assert subscription_of(server, owner, "task", task["id"]) == via


def test_sub_project_covered_by_parent_subscription(server, owner):
    parent = new_project(server, owner)
    child = new_child_project(server, owner, parent["id"])
    task = new_task(server, owner, child["id"])
    via = ok(subscribe(server, owner, "project", parent["id"]), 201)
    assert subscription_of(server, owner, "project", child["id"]) == via
    listed = {p["id"]: p for p in ok(call(server, "GET", "/projects", token=owner["token"]))}
    assert listed[child["id"]].get("subscription") == via
    assert listed[parent["id"]].get("subscription") == via
    assert subscription_of(server, owner, "task", task["id"]) == via
    assert_error(subscribe(server, owner, "project", child["id"]), 412, 12002)
    assert_error(subscribe(server, owner, "task", task["id"]), 412, 12002)


def test_nearest_subscription_wins(server, owner):
    parent = new_project(server, owner)
    child = new_child_project(server, owner, parent["id"])
    task = new_task(server, owner, child["id"])
    own = ok(subscribe(server, owner, "task", task["id"]), 201)
    child_sub = ok(subscribe(server, owner, "project", child["id"]), 201)
    # The parent is still free: a subscription covers what is below it, not above.
    ok(subscribe(server, owner, "project", parent["id"]), 201)
    assert subscription_of(server, owner, "task", task["id"]) == own
    assert subscription_of(server, owner, "project", child["id"]) == child_sub


def test_unsubscribed_project_has_no_subscription_key_value(server, owner):
    project = new_project(server, owner)
    body = ok(call(server, "GET", "/projects/%d" % project["id"], token=owner["token"]))
    assert body.get("subscription") is None  # absent or null, never {}


@pytest.mark.parametrize("entity", ["namespace", "label", "tasks", "Project", "1"])
def test_unknown_entity_is_12001(server, owner, entity):
    project = new_project(server, owner)
    assert_error(subscribe(server, owner, entity, project["id"]), 412, 12001)
    assert subscription_of(server, owner, "project", project["id"]) is None


def test_subscribe_missing_entities(server, owner):
    assert_error(subscribe(server, owner, "project", 99999999), 404, 3001)
    assert_error(subscribe(server, owner, "task", 99999999), 404, 4002)


def test_subscribe_id_not_a_number(server, owner):
    r = call(server, "PUT", "/subscriptions/project/abc", token=owner["token"])
    assert r.status_code == 400, r.text


@pytest.mark.parametrize("entity", ["project", "task"])
def test_stranger_cannot_subscribe(server, owner, stranger, entity):
    project = new_project(server, owner)
    entity_id = project["id"] if entity == "project" else new_task(server, owner, project["id"])["id"]
    assert_error(subscribe(server, stranger, entity, entity_id), 403, 0)
    # Read back once the stranger may look: the refused request left no subscription behind.
    grant(server, project["id"], stranger["id"])
    assert subscription_of(server, stranger, entity, entity_id) is None
    assert subscription_of(server, owner, entity, entity_id) is None


def test_reader_can_subscribe(server, owner, stranger):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    grant(server, project["id"], stranger["id"], 0)
    body = ok(subscribe(server, stranger, "task", task["id"]), 201)
    assert subscription_of(server, stranger, "task", task["id"]) == body
    # Subscriptions are per user: the owner's view is unchanged.
    assert subscription_of(server, owner, "task", task["id"]) is None


def test_subscriptions_need_a_user(server):
    r = call(server, "PUT", "/subscriptions/project/1")
    assert r.status_code == 401


def test_api_tokens_cannot_subscribe(server, owner):
    """Spec §2.16: the subscriptions group is never grantable, so no token reaches these routes."""
    routes = ok(call(server, "GET", "/routes", token=owner["token"]))
    assert "subscriptions" not in routes
    project = new_project(server, owner)
    token = ok(call(server, "PUT", "/tokens", token=owner["token"],
                    json={"title": "t", "permissions": {"projects": ["read_one"]},
                          "expires_at": "2099-01-01T00:00:00Z"}), 201)["token"]
    r = call(server, "PUT", "/subscriptions/project/%d" % project["id"], token=token)
    assert r.status_code == 401, r.text
    assert subscription_of(server, owner, "project", project["id"]) is None


# --- delete ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("entity", ["project", "task"])
def test_unsubscribe(server, owner, entity):
    project = new_project(server, owner)
    entity_id = project["id"] if entity == "project" else new_task(server, owner, project["id"])["id"]
    ok(subscribe(server, owner, entity, entity_id), 201)
    assert ok(unsubscribe(server, owner, entity, entity_id)) == {"message": "Successfully deleted."}
    assert subscription_of(server, owner, entity, entity_id) is None
    # Gone: a second delete has nothing of the user's to remove.
    assert_error(unsubscribe(server, owner, entity, entity_id), 403, 0)
    # And subscribing works again.
    ok(subscribe(server, owner, entity, entity_id), 201)


def test_unsubscribe_inherited_is_refused(server, owner):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    via = ok(subscribe(server, owner, "project", project["id"]), 201)
    assert_error(unsubscribe(server, owner, "task", task["id"]), 403, 0)
    assert subscription_of(server, owner, "task", task["id"]) == via


def test_unsubscribe_others_subscription_is_refused(server, owner, stranger):
    project = new_project(server, owner)
    mine = ok(subscribe(server, owner, "project", project["id"]), 201)
    assert_error(unsubscribe(server, stranger, "project", project["id"]), 403, 0)
    assert subscription_of(server, owner, "project", project["id"]) == mine


def test_unsubscribe_unknown_entity(server, owner):
    project = new_project(server, owner)
    mine = ok(subscribe(server, owner, "project", project["id"]), 201)
    assert_error(unsubscribe(server, owner, "label", project["id"]), 403, 0)
    assert subscription_of(server, owner, "project", project["id"]) == mine


def test_unsubscribe_after_losing_access(server, owner, stranger):
    parent = new_project(server, owner)
    child = new_child_project(server, owner, parent["id"])
    grant(server, parent["id"], stranger["id"])
    ok(subscribe(server, stranger, "project", child["id"]), 201)
    # Moving the child to the root takes the stranger's access away; their own row can still go.
    moved = call(server, "POST", "/projects/%d" % child["id"], token=owner["token"],
                 json={"title": child["title"], "parent_project_id": 0})
    ok(moved)
    assert call(server, "GET", "/projects/%d" % child["id"], token=stranger["token"]).status_code == 403
    assert ok(unsubscribe(server, stranger, "project", child["id"])) == {"message": "Successfully deleted."}


# --- assignees are subscribed ----------------------------------------------------------------------

def test_assignee_is_subscribed_to_the_task(server, owner, stranger):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    grant(server, project["id"], stranger["id"])
    ok(call(server, "PUT", "/tasks/%d/assignees" % task["id"], token=owner["token"],
            json={"user_id": stranger["id"]}), 201)
    sub = subscription_of(server, stranger, "task", task["id"])
    assert sub is not None and sub["entity"] == "task" and sub["entity_id"] == task["id"]
    assert_error(subscribe(server, stranger, "task", task["id"]), 412, 12002)


def test_assignee_already_covered_by_project_keeps_it(server, owner, stranger):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    grant(server, project["id"], stranger["id"])
    via = ok(subscribe(server, stranger, "project", project["id"]), 201)
    ok(call(server, "PUT", "/tasks/%d/assignees" % task["id"], token=owner["token"],
            json={"user_id": stranger["id"]}), 201)
    assert subscription_of(server, stranger, "task", task["id"]) == via
