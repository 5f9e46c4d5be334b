"""Webhook management and the delivery log (spec §2.12, §5; issue 6 §1 and the manual's /webhooks).

Behaviour checked against Vikunja's pkg/models/webhooks.go (Create: exactly one of project/user, an "http" URL,
known events, user-level webhooks only user-directed events; Update changes only `events`; secret and basic auth
are blanked in every response), webhooks_permissions.go (R lists, W manages, link shares never),
routes/api/v1/user_webhooks.go (create answers 200; someone else's webhook is a bare 404) and routes.go (nothing
is registered with webhooks.enabled off). Ours beside them: `task.completed`, the SSRF guard at create time (400
code 2002), the manual's POST/GET/DELETE /webhooks and each webhook's delivery log with redelivery.

Webhooks here only subscribe to events the tests never cause, so a delivery worker has nothing to send for them;
seeded pending deliveries are due far in the future.
"""

import json
import subprocess
import uuid

import pytest
from grants import link_share_token, make_link_share, share_with_user, table_rows
from task_extras_seed import is_bare_404, new_project, ok, uid
from wire import RFC3339, UUID_RE, assert_code_11, assert_error, call, now_text, parse_time, seed_rows

HOOK_KEYS = ["id", "target_url", "events", "project_id", "user_id", "secret", "basic_auth_user",
             "basic_auth_password", "created_by", "created", "updated"]
DELIVERY_KEYS = ["id", "uuid", "webhook_id", "event_name", "status", "attempts", "last_status_code",
                 "last_latency_ms", "last_error", "next_attempt_at", "delivered_at", "created", "updated"]
ATTEMPT_KEYS = ["attempt", "status_code", "latency_ms", "error", "created"]
ALL_EVENTS = sorted([
    "task.created", "task.updated", "task.deleted", "task.assignee.created", "task.assignee.deleted",
    "task.comment.created", "task.comment.edited", "task.comment.deleted", "task.attachment.created",
    "task.attachment.deleted", "task.relation.created", "task.relation.deleted", "project.updated",
    "project.deleted", "project.shared.user", "project.shared.team", "task.reminder.fired", "task.overdue",
    "tasks.overdue", "task.completed"])
USER_EVENTS = ["task.completed", "task.overdue", "task.reminder.fired", "tasks.overdue"]
# A public address written as a literal, so the SSRF guard needs no DNS. Nothing is ever sent to it here.
TARGET = "https://93.184.216.34/vicugna-hook"
QUIET = ["task.relation.deleted"]  # an event these tests never cause
SSRF_TARGETS = ["http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data",
                "http://[::1]:9000/hook", "http://localhost/hook"]
FAR_FUTURE = "2099-01-01T00:00:00Z"


def hooks_path(project_id):
    return "/projects/%d/webhooks" % project_id


def create_hook(server, user, project_id, /, **body):
    body.setdefault("target_url", TARGET)
    body.setdefault("events", QUIET)
    return call(server, "PUT", hooks_path(project_id), token=user["token"], json=body)


def new_hook(server, user, project_id, /, **body):
    return ok(create_hook(server, user, project_id, **body), 201)


def new_user_hook(server, user, **body):
    body.setdefault("target_url", TARGET)
    body.setdefault("events", ["task.overdue"])
    return ok(call(server, "PUT", "/user/settings/webhooks", token=user["token"], json=body))


def hooks_of(server, user, project_id, **params):
    return call(server, "GET", hooks_path(project_id), token=user["token"], params=params)


def stored_hook(server, hook_id):
    return next((row for row in table_rows(server, "webhooks") if row["id"] == hook_id), None)


def assert_hook_shape(hook, creator):
    assert list(hook) == HOOK_KEYS, hook
    assert isinstance(hook["id"], int) and hook["id"] > 0
    assert isinstance(hook["events"], list) and all(isinstance(e, str) for e in hook["events"])
    assert isinstance(hook["project_id"], int) and isinstance(hook["user_id"], int)
    assert hook["secret"] == "" and hook["basic_auth_user"] == "" and hook["basic_auth_password"] == ""
    assert list(hook["created_by"])[:3] == ["id", "name", "username"], hook
    assert hook["created_by"]["id"] == creator["id"] and "email" not in hook["created_by"]
    assert RFC3339.match(hook["created"]) and RFC3339.match(hook["updated"])


def register(srv):
    """A logged-in user on a throwaway server."""
    name = "u" + uuid.uuid4().hex[:12]
    user = ok(call(srv, "POST", "/register", json={"username": name, "password": "12345678",
                                                   "email": name + "@example.com"}))
    token = ok(call(srv, "POST", "/login", json={"username": name, "password": "12345678"}))["token"]
    return {"id": user["id"], "username": name, "token": token}


def seed_delivery(server, webhook_id, **fields):
    """One delivery row of `webhook_id` (defaults: a pending delivery due far in the future); returns it."""
    now = now_text()
    row = {"webhook_id": webhook_id, "uuid": str(uuid.uuid4()), "event_name": "task.created",
           "payload": json.dumps({"event_name": "task.created", "data": {"task": {"id": 1}}}), "status": "pending",
           "attempts": 0, "final_attempt": 10, "next_attempt_at": FAR_FUTURE, "locked_until": None,
           "last_status_code": None, "last_latency_ms": None, "last_error": None, "delivered_at": None,
           "created": now, "updated": now}
    row.update(fields)
    rows = seed_rows(server, "webhook_deliveries", [row])
    return next(r for r in rows if r["uuid"] == row["uuid"])


def seed_attempts(server, delivery_id, attempts):
    now = now_text()
    seed_rows(server, "webhook_delivery_attempts",
              [dict({"delivery_id": delivery_id, "latency_ms": 5, "error": None, "created": now}, **a)
               for a in attempts])


# --- event names -------------------------------------------------------------------------------------------------

def test_event_names(server, owner):
    r = call(server, "GET", "/webhooks/events", token=owner["token"])
    assert ok(r) == ALL_EVENTS and len(ALL_EVENTS) == 20
    assert ok(call(server, "GET", "/user/settings/webhooks/events", token=owner["token"])) == USER_EVENTS
    assert_code_11(call(server, "GET", "/webhooks/events"))


def test_event_names_for_link_shares(server, owner):
    # Vikunja serves the list to any authenticated caller; the user-level routes are for users only.
    project = new_project(server, owner)
    token = link_share_token(server, make_link_share(server, project["id"], 2, owner["id"]))
    assert ok(call(server, "GET", "/webhooks/events", token=token)) == ALL_EVENTS
    assert_error(call(server, "GET", "/user/settings/webhooks/events", token=token), 403, 1023)


# --- project webhooks ---------------------------------------------------------------------------------------------

def test_create_project_webhook_shape_and_secrets(server, owner, stranger):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"], events=["task.created", "task.completed"], secret="s3cret-key",
                    basic_auth_user="hook-user", basic_auth_password="hook-pass", id=99999, user_id=stranger["id"],
                    project_id=123456, created_by={"id": stranger["id"]})
    assert_hook_shape(hook, owner)
    assert hook["id"] != 99999 and hook["target_url"] == TARGET
    assert hook["events"] == ["task.created", "task.completed"]
    assert hook["project_id"] == project["id"] and hook["user_id"] == 0
    # Stored as sent; never shown again.
    row = stored_hook(server, hook["id"])
    assert row["secret"] == "s3cret-key" and row["basic_auth_user"] == "hook-user"
    assert row["basic_auth_password"] == "hook-pass" and row["user_id"] is None
    assert row["created_by_id"] == owner["id"] and json.loads(row["events"]) == hook["events"]
    listed = hooks_of(server, owner, project["id"])
    assert ok(listed) == [hook]
    assert "s3cret" not in listed.text and "hook-pass" not in listed.text


def test_create_accepts_the_v2_frontend_basic_auth_spelling(server, owner):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"], basicauthuser="alias-user", basicauthpassword="alias-pass")
    assert hook["basic_auth_user"] == "" and hook["basic_auth_password"] == ""
    row = stored_hook(server, hook["id"])
    assert (row["basic_auth_user"], row["basic_auth_password"]) == ("alias-user", "alias-pass")


def test_list_is_paginated_and_only_the_projects(server, owner):
    project, other = new_project(server, owner), new_project(server, owner)
    ids = [new_hook(server, owner, project["id"])["id"] for _ in range(3)]
    new_hook(server, owner, other["id"])
    r = hooks_of(server, owner, project["id"], per_page=2, page=1)
    assert [h["id"] for h in ok(r)] == ids[:2]
    assert r.headers["x-pagination-total-pages"] == "2" and r.headers["x-pagination-result-count"] == "2"
    r = hooks_of(server, owner, project["id"], per_page=2, page=2)
    assert [h["id"] for h in ok(r)] == ids[2:]
    assert ok(hooks_of(server, owner, new_project(server, owner)["id"])) == []
    assert hooks_of(server, owner, project["id"], page=-1).status_code == 400


def test_update_changes_only_events(server, owner, stranger):
    project, other = new_project(server, owner), new_project(server, owner)
    hook = new_hook(server, owner, project["id"], secret="keep-me", basic_auth_user="u", basic_auth_password="p")
    r = call(server, "POST", "%s/%d" % (hooks_path(project["id"]), hook["id"]), token=owner["token"],
             json={"events": ["task.comment.created", "task.overdue"], "target_url": "https://1.1.1.1/other",
                   "secret": "changed", "basic_auth_user": "x", "project_id": other["id"], "user_id": stranger["id"],
                   "id": 424242})
    updated = ok(r)
    assert_hook_shape(updated, owner)
    assert updated["id"] == hook["id"] and updated["events"] == ["task.comment.created", "task.overdue"]
    assert updated["target_url"] == TARGET and updated["project_id"] == project["id"] and updated["user_id"] == 0
    assert updated["created"] == hook["created"]
    row = stored_hook(server, hook["id"])
    assert row["target_url"] == TARGET and row["secret"] == "keep-me" and row["basic_auth_user"] == "u"
    assert row["project_id"] == project["id"] and row["user_id"] is None
    assert ok(hooks_of(server, owner, project["id"])) == [updated]


@pytest.mark.parametrize("body", [{}, {"events": []}, {"events": ["task.nope"]}, {"events": ["task.created", ""]}])
def test_update_needs_known_events(server, owner, body):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    err = assert_error(call(server, "POST", "%s/%d" % (hooks_path(project["id"]), hook["id"]), token=owner["token"],
                            json=body), 412, 2002)
    assert err["invalid_fields"][0].startswith("events"), err
    assert ok(hooks_of(server, owner, project["id"])) == [hook]


def test_delete_project_webhook_with_its_delivery_log(server, owner):
    project = new_project(server, owner)
    hook, keep = new_hook(server, owner, project["id"]), new_hook(server, owner, project["id"])
    gone = seed_delivery(server, hook["id"], status="failed")
    seed_attempts(server, gone["id"], [{"attempt": 1, "status_code": 500}])
    kept = seed_delivery(server, keep["id"], status="failed")
    seed_attempts(server, kept["id"], [{"attempt": 1, "status_code": 502}])
    r = call(server, "DELETE", "%s/%d" % (hooks_path(project["id"]), hook["id"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert ok(hooks_of(server, owner, project["id"])) == [keep]
    deliveries = {d["id"] for d in table_rows(server, "webhook_deliveries")}
    attempts = {a["delivery_id"] for a in table_rows(server, "webhook_delivery_attempts")}
    assert gone["id"] not in deliveries and gone["id"] not in attempts
    assert kept["id"] in deliveries and kept["id"] in attempts
    assert is_bare_404(call(server, "DELETE", "%s/%d" % (hooks_path(project["id"]), hook["id"]),
                            token=owner["token"]))


def test_webhook_of_another_project_is_not_found(server, owner):
    a, b = new_project(server, owner), new_project(server, owner)
    hook = new_hook(server, owner, a["id"])
    item = "%s/%d" % (hooks_path(b["id"]), hook["id"])
    assert is_bare_404(call(server, "POST", item, token=owner["token"], json={"events": ["task.created"]}))
    assert is_bare_404(call(server, "DELETE", item, token=owner["token"]))
    assert is_bare_404(call(server, "GET", item + "/deliveries", token=owner["token"]))
    assert is_bare_404(call(server, "DELETE", "%s/%d" % (hooks_path(a["id"]), 99999999), token=owner["token"]))
    # A user-level webhook is no project's.
    user_hook = new_user_hook(server, owner)
    assert is_bare_404(call(server, "DELETE", "%s/%d" % (hooks_path(a["id"]), user_hook["id"]),
                            token=owner["token"]))
    assert ok(hooks_of(server, owner, a["id"])) == [hook]


def test_missing_project(server, owner):
    assert_error(hooks_of(server, owner, 99999999), 404, 3001)
    assert_error(create_hook(server, owner, 99999999), 404, 3001)
    assert_error(call(server, "DELETE", "/projects/99999999/webhooks/1", token=owner["token"]), 404, 3001)


def test_read_shared_user_lists_but_cannot_manage(server, owner, new_user):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    reader, writer = new_user(), new_user()
    share_with_user(server, project["id"], reader["id"], 0)
    share_with_user(server, project["id"], writer["id"], 1)
    item = "%s/%d" % (hooks_path(project["id"]), hook["id"])

    assert ok(hooks_of(server, reader, project["id"])) == [hook]
    assert_error(create_hook(server, reader, project["id"]), 403, 0)
    assert_error(call(server, "POST", item, token=reader["token"], json={"events": ["task.created"]}), 403, 0)
    assert_error(call(server, "DELETE", item, token=reader["token"]), 403, 0)
    assert ok(hooks_of(server, owner, project["id"])) == [hook]

    # Write is enough to manage (Vikunja: project.CanWrite).
    made = new_hook(server, writer, project["id"])
    assert made["created_by"]["id"] == writer["id"]
    assert ok(call(server, "POST", item, token=writer["token"], json={"events": ["task.created"]}))["events"] == \
        ["task.created"]
    ok(call(server, "DELETE", item, token=writer["token"]))
    assert [h["id"] for h in ok(hooks_of(server, owner, project["id"]))] == [made["id"]]


def test_stranger_is_refused(server, owner, stranger):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    item = "%s/%d" % (hooks_path(project["id"]), hook["id"])
    assert_error(hooks_of(server, stranger, project["id"]), 403, 0)
    assert_error(create_hook(server, stranger, project["id"]), 403, 0)
    assert_error(call(server, "POST", item, token=stranger["token"], json={"events": ["task.created"]}), 403, 0)
    assert_error(call(server, "DELETE", item, token=stranger["token"]), 403, 0)
    assert_error(call(server, "GET", item + "/deliveries", token=stranger["token"]), 403, 0)
    # Through the user routes it is simply not theirs.
    assert is_bare_404(call(server, "DELETE", "/user/settings/webhooks/%d" % hook["id"], token=stranger["token"]))
    assert is_bare_404(call(server, "DELETE", "/webhooks/%d" % hook["id"], token=stranger["token"]))
    assert ok(hooks_of(server, owner, project["id"])) == [hook]


@pytest.mark.parametrize("permission", [0, 2])
def test_link_shares_cannot_list_or_manage(server, owner, permission):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    token = link_share_token(server, make_link_share(server, project["id"], permission, owner["id"]))
    item = "/projects/%d/webhooks/%d" % (project["id"], hook["id"])
    assert_error(call(server, "GET", hooks_path(project["id"]), token=token), 403, 0)
    assert_error(call(server, "PUT", hooks_path(project["id"]), token=token,
                      json={"target_url": TARGET, "events": QUIET}), 403, 0)
    assert_error(call(server, "POST", item, token=token, json={"events": ["task.created"]}), 403, 0)
    assert_error(call(server, "DELETE", item, token=token), 403, 0)
    assert_error(call(server, "GET", item + "/deliveries", token=token), 403, 0)
    for path in ["/user/settings/webhooks", "/webhooks"]:
        assert_error(call(server, "GET", path, token=token), 403, 1023)
    assert_error(call(server, "POST", "/webhooks", token=token, json={"target_url": TARGET, "events": QUIET}),
                 403, 1023)
    assert ok(hooks_of(server, owner, project["id"])) == [hook]


def test_archived_project_is_read_only(server, owner):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    ok(call(server, "POST", "/projects/%d" % project["id"], token=owner["token"],
            json=dict(project, is_archived=True)))
    assert ok(hooks_of(server, owner, project["id"])) == [hook]
    item = "%s/%d" % (hooks_path(project["id"]), hook["id"])
    assert_error(create_hook(server, owner, project["id"]), 412, 3008)
    assert_error(call(server, "POST", item, token=owner["token"], json={"events": ["task.created"]}), 412, 3008)
    assert_error(call(server, "DELETE", item, token=owner["token"]), 412, 3008)
    assert ok(hooks_of(server, owner, project["id"])) == [hook]


def test_deleting_a_project_deletes_its_webhooks_and_deliveries(server, owner):
    parent = new_project(server, owner)
    child = ok(call(server, "PUT", "/projects", token=owner["token"],
                    json={"title": uid("child"), "parent_project_id": parent["id"]}), 201)
    other = new_project(server, owner)
    hooks = [new_hook(server, owner, parent["id"]), new_hook(server, owner, child["id"])]
    kept = new_hook(server, owner, other["id"])
    deliveries = [seed_delivery(server, h["id"], status="delivered") for h in hooks]
    for d in deliveries:
        seed_attempts(server, d["id"], [{"attempt": 1, "status_code": 200}])
    ok(call(server, "DELETE", "/projects/%d" % parent["id"], token=owner["token"]))
    hook_ids = {h["id"] for h in table_rows(server, "webhooks")}
    assert not hook_ids & {h["id"] for h in hooks} and kept["id"] in hook_ids
    assert not {d["id"] for d in table_rows(server, "webhook_deliveries")} & {d["id"] for d in deliveries}
    assert not {a["delivery_id"] for a in table_rows(server, "webhook_delivery_attempts")} & \
        {d["id"] for d in deliveries}


# --- validation -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, field", [
    ({"target_url": ""}, "target_url"),
    ({"target_url": "ftp://93.184.216.34/x"}, "target_url"),
    ({"target_url": "93.184.216.34/hook"}, "target_url"),
    ({"target_url": "http://"}, "target_url"),
    ({"target_url": "http:///path"}, "target_url"),
    ({"target_url": "https://93.184.216.34/a b"}, "target_url"),
    ({"target_url": "https://93.184.216.34/" + "x" * 300}, "target_url"),
    ({"events": []}, "events"),
    ({"events": None}, "events"),
    ({"events": ["task.created", "task.exploded"]}, "events"),
    ({"secret": "s" * 256}, "secret"),
    ({"basic_auth_password": "p" * 256}, "basic_auth_password"),
])
def test_create_validation(server, owner, body, field):
    project = new_project(server, owner)
    err = assert_error(create_hook(server, owner, project["id"], **body), 412, 2002)
    assert err["invalid_fields"][0].startswith(field), err
    assert ok(hooks_of(server, owner, project["id"])) == []


@pytest.mark.parametrize("body", [{"target_url": 5}, {"events": "task.created"}, {"events": [1]},
                                  {"events": {"a": 1}}, {"secret": ["x"]}])
def test_create_wrong_json_types(server, owner, body):
    project = new_project(server, owner)
    assert_error(create_hook(server, owner, project["id"], **body), 400, 2004)


def test_bad_requests_never_500(server, owner):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    base = hooks_path(project["id"])
    for path in [base + "/abc", base + "/99999999999999999999999", base + "/%d/deliveries/x" % hook["id"],
                 "/user/settings/webhooks/abc", "/webhooks/-"]:
        method = "GET" if "deliveries" in path else "DELETE"
        assert_error(call(server, method, path, token=owner["token"]), 400, 2004)
    for data in ["not json", "[1, 2]", "\"text\""]:
        r = call(server, "PUT", base, token=owner["token"], data=data, headers={"Content-Type": "application/json"})
        assert_error(r, 400, 2004)
    assert call(server, "DELETE", "/webhooks/events", token=owner["token"]).status_code == 405
    assert ok(hooks_of(server, owner, project["id"])) == [hook]


# --- SSRF guard -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", SSRF_TARGETS)
def test_ssrf_guard_refuses_private_targets(server, owner, target):
    project = new_project(server, owner)
    err = assert_error(create_hook(server, owner, project["id"], target_url=target), 400, 2002)
    assert "target_url" in err["invalid_fields"][0] and len(err["message"]) > 20, err
    assert ok(hooks_of(server, owner, project["id"])) == []


def test_ssrf_guard_on_user_level_and_manual_webhooks(server, owner):
    body = {"target_url": "http://127.0.0.1:9/x", "events": ["task.overdue"]}
    assert_error(call(server, "PUT", "/user/settings/webhooks", token=owner["token"], json=body), 400, 2002)
    assert_error(call(server, "POST", "/webhooks", token=owner["token"], json=body), 400, 2002)
    assert ok(call(server, "GET", "/webhooks", token=owner["token"])) == []


def test_ssrf_guard_opened_by_config(server_factory):
    srv = server_factory(env={"VIKUNJA_OUTGOINGREQUESTS_ALLOWNONROUTABLEIPS": "true"})
    user = register(srv)
    project = ok(call(srv, "PUT", "/projects", token=user["token"], json={"title": uid("p")}), 201)
    made = [new_hook(srv, user, project["id"], target_url=t)["target_url"] for t in SSRF_TARGETS]
    assert made == SSRF_TARGETS
    assert ok(call(srv, "POST", "/webhooks", token=user["token"],
                   json={"target_url": "http://localhost:8000/hook", "events": ["task.created"]}), 201)


# --- user-level webhooks -----------------------------------------------------------------------------------------------

def test_user_webhook_create_and_list(server, owner, stranger):
    hook = new_user_hook(server, owner, events=["task.overdue", "task.completed"], secret="user-secret")
    assert_hook_shape(hook, owner)
    assert hook["user_id"] == owner["id"] and hook["project_id"] == 0
    row = stored_hook(server, hook["id"])
    assert row["project_id"] is None and row["user_id"] == owner["id"] and row["secret"] == "user-secret"
    theirs = new_user_hook(server, stranger)
    project = new_project(server, owner)
    new_hook(server, owner, project["id"])
    r = call(server, "GET", "/user/settings/webhooks", token=owner["token"])
    assert ok(r) == [hook] and "user-secret" not in r.text
    assert ok(call(server, "GET", "/user/settings/webhooks", token=stranger["token"])) == [theirs]


@pytest.mark.parametrize("events", [["task.created"], ["task.overdue", "project.updated"], ["nope"], []])
def test_user_webhook_events_are_restricted(server, owner, events):
    r = call(server, "PUT", "/user/settings/webhooks", token=owner["token"],
             json={"target_url": TARGET, "events": events})
    err = assert_error(r, 412, 2002)
    assert err["invalid_fields"][0].startswith("events"), err
    assert ok(call(server, "GET", "/user/settings/webhooks", token=owner["token"])) == []


def test_user_webhook_update_and_delete_only_own(server, owner, stranger):
    hook = new_user_hook(server, owner, secret="x")
    item = "/user/settings/webhooks/%d" % hook["id"]
    assert is_bare_404(call(server, "POST", item, token=stranger["token"], json={"events": ["task.overdue"]}))
    assert is_bare_404(call(server, "DELETE", item, token=stranger["token"]))
    updated = ok(call(server, "POST", item, token=owner["token"],
                      json={"events": ["tasks.overdue"], "target_url": "https://1.1.1.1/"}))
    assert updated["events"] == ["tasks.overdue"] and updated["target_url"] == TARGET
    assert updated["user_id"] == owner["id"] and updated["secret"] == ""
    # A project's webhook is not reachable through the user routes.
    project = new_project(server, owner)
    project_hook = new_hook(server, owner, project["id"])
    assert is_bare_404(call(server, "DELETE", "/user/settings/webhooks/%d" % project_hook["id"],
                            token=owner["token"]))
    assert ok(call(server, "DELETE", item, token=owner["token"])) == {"message": "Successfully deleted."}
    assert ok(call(server, "GET", "/user/settings/webhooks", token=owner["token"])) == []
    assert stored_hook(server, project_hook["id"]) is not None


# --- the manual's /webhooks ---------------------------------------------------------------------------------------------

def test_manual_webhooks(server, owner, stranger):
    r = call(server, "POST", "/webhooks", token=owner["token"],
             json={"events": ["task.created", "task.updated", "task.deleted"], "target_url": TARGET,
                   "secret": "manual-secret"})
    hook = ok(r, 201)
    assert_hook_shape(hook, owner)
    assert hook["project_id"] == 0 and hook["user_id"] == owner["id"]
    assert hook["events"] == ["task.created", "task.updated", "task.deleted"]
    assert stored_hook(server, hook["id"])["secret"] == "manual-secret"
    user_hook = new_user_hook(server, owner)
    listed = ok(call(server, "GET", "/webhooks", token=owner["token"]))
    assert listed == [hook, user_hook]
    assert ok(call(server, "GET", "/user/settings/webhooks", token=owner["token"])) == listed
    assert ok(call(server, "GET", "/webhooks", token=stranger["token"])) == []
    assert is_bare_404(call(server, "DELETE", "/webhooks/%d" % hook["id"], token=stranger["token"]))
    assert ok(call(server, "DELETE", "/webhooks/%d" % hook["id"], token=owner["token"]))["message"]
    assert ok(call(server, "GET", "/webhooks", token=owner["token"])) == [user_hook]
    assert is_bare_404(call(server, "DELETE", "/webhooks/%d" % hook["id"], token=owner["token"]))


def test_manual_webhook_validation(server, owner):
    for body in [{"events": ["task.nope"], "target_url": TARGET}, {"events": [], "target_url": TARGET},
                 {"events": ["task.created"]}, {"events": ["task.created"], "target_url": "mailto:x@y.z"}]:
        assert_error(call(server, "POST", "/webhooks", token=owner["token"], json=body), 412, 2002)
    assert ok(call(server, "GET", "/webhooks", token=owner["token"])) == []
    assert_code_11(call(server, "POST", "/webhooks", json={"events": ["task.created"], "target_url": TARGET}))


# --- webhooks.enabled --------------------------------------------------------------------------------------------------

def test_disabled_webhooks_have_no_routes(server_factory):
    srv = server_factory(env={"VIKUNJA_WEBHOOKS_ENABLED": "false"})
    user = register(srv)
    project = ok(call(srv, "PUT", "/projects", token=user["token"], json={"title": uid("p")}), 201)
    body = {"target_url": TARGET, "events": ["task.overdue"]}
    for method, path in [("GET", "/webhooks/events"), ("GET", "/projects/%d/webhooks" % project["id"]),
                         ("PUT", "/projects/%d/webhooks" % project["id"]),
                         ("POST", "/projects/%d/webhooks/1" % project["id"]),
                         ("GET", "/projects/%d/webhooks/1/deliveries" % project["id"]),
                         ("GET", "/user/settings/webhooks"), ("PUT", "/user/settings/webhooks"),
                         ("GET", "/user/settings/webhooks/events"), ("DELETE", "/user/settings/webhooks/1"),
                         ("GET", "/webhooks"), ("POST", "/webhooks"), ("DELETE", "/webhooks/1")]:
        r = call(srv, method, path, token=user["token"], json=body)
        assert is_bare_404(r), (method, path, r.status_code, r.text)
    assert ok(call(srv, "GET", "/info"))["webhooks_enabled"] is False


# --- delivery log ---------------------------------------------------------------------------------------------------------

def test_delivery_log_list_and_read(server, owner):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    other_hook = new_hook(server, owner, project["id"])
    delivered = seed_delivery(server, hook["id"], status="delivered", attempts=2, last_status_code=204,
                              last_latency_ms=31, last_error="", delivered_at=now_text(), next_attempt_at=now_text())
    seed_attempts(server, delivered["id"], [
        {"attempt": 2, "status_code": 204, "latency_ms": 31, "error": ""},
        {"attempt": 1, "status_code": None, "latency_ms": 3000, "error": "connection refused"}])
    failed = seed_delivery(server, hook["id"], status="failed", attempts=10, last_status_code=500,
                           last_latency_ms=12, last_error="HTTP 500: oops", next_attempt_at=now_text())
    pending = seed_delivery(server, hook["id"], event_name="task.updated")
    seed_delivery(server, other_hook["id"])
    base = "%s/%d/deliveries" % (hooks_path(project["id"]), hook["id"])

    r = call(server, "GET", base, token=owner["token"])
    listed = ok(r)
    assert [d["id"] for d in listed] == [pending["id"], failed["id"], delivered["id"]]  # newest first
    assert r.headers["x-pagination-total-pages"] == "1" and r.headers["x-pagination-result-count"] == "3"
    for d in listed:
        assert list(d) == DELIVERY_KEYS, d
        assert d["webhook_id"] == hook["id"] and UUID_RE.match(d["uuid"])
        assert RFC3339.match(d["next_attempt_at"]) and RFC3339.match(d["created"]) and RFC3339.match(d["updated"])
    by_id = {d["id"]: d for d in listed}
    assert by_id[pending["id"]]["status"] == "pending" and by_id[pending["id"]]["event_name"] == "task.updated"
    assert by_id[pending["id"]]["attempts"] == 0 and by_id[pending["id"]]["last_status_code"] is None
    assert by_id[pending["id"]]["last_latency_ms"] is None and by_id[pending["id"]]["delivered_at"] is None
    assert by_id[pending["id"]]["last_error"] is None
    assert by_id[delivered["id"]]["last_status_code"] == 204 and by_id[delivered["id"]]["last_latency_ms"] == 31
    assert RFC3339.match(by_id[delivered["id"]]["delivered_at"]) and by_id[delivered["id"]]["last_error"] == ""
    assert by_id[failed["id"]]["status"] == "failed" and by_id[failed["id"]]["last_error"] == "HTTP 500: oops"
    assert by_id[delivered["id"]]["uuid"] == delivered["uuid"]

    r = call(server, "GET", base, token=owner["token"], params={"per_page": 2, "page": 2})
    assert [d["id"] for d in ok(r)] == [delivered["id"]] and r.headers["x-pagination-total-pages"] == "2"

    one = ok(call(server, "GET", "%s/%d" % (base, delivered["id"]), token=owner["token"]))
    assert list(one) == DELIVERY_KEYS + ["payload", "attempt_log"]
    assert {k: one[k] for k in DELIVERY_KEYS} == by_id[delivered["id"]]
    assert one["payload"] == json.loads(delivered["payload"])
    assert [list(a) for a in one["attempt_log"]] == [ATTEMPT_KEYS, ATTEMPT_KEYS]
    assert [(a["attempt"], a["status_code"], a["latency_ms"], a["error"]) for a in one["attempt_log"]] == \
        [(1, None, 3000, "connection refused"), (2, 204, 31, "")]
    assert RFC3339.match(one["attempt_log"][0]["created"])
    assert ok(call(server, "GET", "%s/%d" % (base, pending["id"]), token=owner["token"]))["attempt_log"] == []


def test_delivery_of_another_webhook_is_not_found(server, owner):
    project = new_project(server, owner)
    hook, other = new_hook(server, owner, project["id"]), new_hook(server, owner, project["id"])
    theirs = seed_delivery(server, other["id"])
    base = "%s/%d/deliveries" % (hooks_path(project["id"]), hook["id"])
    assert ok(call(server, "GET", base, token=owner["token"])) == []
    assert is_bare_404(call(server, "GET", "%s/%d" % (base, theirs["id"]), token=owner["token"]))
    assert is_bare_404(call(server, "POST", "%s/%d/redeliver" % (base, theirs["id"]), token=owner["token"]))
    assert is_bare_404(call(server, "GET", "%s/99999999" % base, token=owner["token"]))


def test_redeliver(server, owner, new_user):
    project = new_project(server, owner)
    hook = new_hook(server, owner, project["id"])
    failed = seed_delivery(server, hook["id"], status="failed", attempts=10, final_attempt=10, last_status_code=500,
                           last_latency_ms=9, last_error="HTTP 500", locked_until=FAR_FUTURE,
                           next_attempt_at="2020-01-01T00:00:00Z", created="2020-01-01T00:00:00Z",
                           updated="2020-01-01T00:00:00Z")
    path = "%s/%d/deliveries/%d/redeliver" % (hooks_path(project["id"]), hook["id"], failed["id"])
    reader = new_user()
    share_with_user(server, project["id"], reader["id"], 0)
    assert_error(call(server, "POST", path, token=reader["token"]), 403, 0)
    assert ok(call(server, "GET", "%s/%d/deliveries" % (hooks_path(project["id"]), hook["id"]),
                   token=reader["token"]))[0]["status"] == "failed"

    again = ok(call(server, "POST", path, token=owner["token"]))
    assert list(again) == DELIVERY_KEYS
    assert again["id"] == failed["id"] and again["uuid"] == failed["uuid"] and again["status"] == "pending"
    assert again["attempts"] == 10 and again["last_status_code"] == 500 and again["last_error"] == "HTTP 500"
    assert parse_time(again["next_attempt_at"]) > parse_time("2020-01-01T00:00:00Z")
    assert parse_time(again["updated"]) > parse_time("2020-01-01T00:00:00Z")
    assert again["created"] == "2020-01-01T00:00:00Z"
    row = next(d for d in table_rows(server, "webhook_deliveries") if d["id"] == failed["id"])
    # webhooks.maxattempts (10) more attempts from here. A claim is kept: a delivery a worker is sending right now
    # is not sent a second time at once (the seeded row claims it until 2099).
    assert row["final_attempt"] == 20 and row["uuid"] == failed["uuid"]
    assert row["locked_until"].startswith("2099")


def test_user_webhook_delivery_log(server, owner, stranger):
    hook = new_user_hook(server, owner)
    delivery = seed_delivery(server, hook["id"], event_name="task.overdue", status="failed", attempts=1,
                             next_attempt_at=now_text())
    base = "/user/settings/webhooks/%d/deliveries" % hook["id"]
    assert [d["id"] for d in ok(call(server, "GET", base, token=owner["token"]))] == [delivery["id"]]
    assert ok(call(server, "GET", "%s/%d" % (base, delivery["id"]), token=owner["token"]))["event_name"] == \
        "task.overdue"
    for method, path in [("GET", base), ("GET", "%s/%d" % (base, delivery["id"])),
                         ("POST", "%s/%d/redeliver" % (base, delivery["id"]))]:
        assert is_bare_404(call(server, method, path, token=stranger["token"])), (method, path)
    again = ok(call(server, "POST", "%s/%d/redeliver" % (base, delivery["id"]), token=owner["token"]))
    assert again["status"] == "pending" and again["attempts"] == 1


def test_deleting_a_user_deletes_their_webhooks(server, new_user):
    user, other = new_user(), new_user()
    hooks = [new_user_hook(server, user),
             ok(call(server, "POST", "/webhooks", token=user["token"], json={"target_url": TARGET, "events": QUIET}),
                201)]
    kept = new_user_hook(server, other)
    delivery = seed_delivery(server, hooks[0]["id"], status="failed")
    seed_attempts(server, delivery["id"], [{"attempt": 1, "status_code": 500}])
    res = subprocess.run([str(server.binary), "user", "delete", str(user["id"]), "-c"], cwd=server.workdir,
                         env=server.environment(), capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    hook_ids = {h["id"] for h in table_rows(server, "webhooks")}
    assert not hook_ids & {h["id"] for h in hooks} and kept["id"] in hook_ids
    assert delivery["id"] not in {d["id"] for d in table_rows(server, "webhook_deliveries")}
    assert delivery["id"] not in {a["delivery_id"] for a in table_rows(server, "webhook_delivery_attempts")}
