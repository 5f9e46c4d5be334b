# SPDX-License-Identifier: AGPL-3.0-or-later
"""Webhook delivery end to end: a real receiver process on loopback hears what the server sends.

The servers here allow non-routable targets (the receiver is on 127.0.0.1) and retry after about a second.
Covers Vikunja's payload and signature (spec §5.2), our timestamped signature and delivery id, every project
event with its documented `data` keys, ancestor and user-level matching, retries, durability across kill -9,
two processes sharing one database, and rolled-back changes.
"""
import hashlib
import hmac
import signal
import time
import uuid

import pytest

from vicugna_harness import VicugnaServer
from webhook_receiver import Receiver
from wire import RFC3339, UUID_RE, call, seed_rows

HOOK_ENV = {
    "VIKUNJA_OUTGOINGREQUESTS_ALLOWNONROUTABLEIPS": "true",
    "VIKUNJA_WEBHOOKS_RETRYINITIALSECONDS": "1",
    "VIKUNJA_LOG_LEVEL": "INFO",
}

# Spec §5.1: the keys of `data` per event (the project-directed ones).
DATA_KEYS = {
    "task.created": {"task", "doer", "project"},
    "task.updated": {"task", "doer", "project"},
    "task.completed": {"task", "doer", "project"},
    "task.deleted": {"task", "doer", "project"},
    "task.assignee.created": {"task", "assignee", "doer", "project"},
    "task.assignee.deleted": {"task", "assignee", "doer", "project"},
    "task.comment.created": {"task", "comment", "doer", "project"},
    "task.comment.edited": {"task", "comment", "doer", "project"},
    "task.comment.deleted": {"task", "comment", "doer", "project"},
    "task.attachment.created": {"task", "attachment", "doer", "project"},
    "task.attachment.deleted": {"task", "attachment", "doer", "project"},
    "task.relation.created": {"task", "relation", "doer", "project"},
    "task.relation.deleted": {"task", "relation", "doer", "project"},
    "project.updated": {"project", "doer"},
    "project.deleted": {"project", "doer"},
    "project.shared.user": {"project", "user", "doer"},
    "project.shared.team": {"project", "team", "doer"},
}


def ok(r, status=200):
    assert r.status_code == status, (r.request.method, r.request.url, r.status_code, r.text)
    return r.json()


def uid(prefix):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def start_server(pytestconfig, env=None, **kw):
    if pytestconfig.getoption("--base-url"):
        pytest.skip("needs servers started by the harness")
    return VicugnaServer(pytestconfig.getoption("--vicugna-binary"), pytestconfig.getoption("--backend"),
                         env={**HOOK_ENV, **(env or {})}, **kw).start()


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def hooks_server(pytestconfig):
    srv = start_server(pytestconfig)
    yield srv
    srv.close()


@pytest.fixture
def rx(receiver):
    receiver.control(clear=True)
    return receiver


def register(srv):
    name = uid("u")
    user = ok(call(srv, "POST", "/register", json={"username": name, "password": "12345678",
                                                     "email": name + "@example.com"}))
    token = ok(call(srv, "POST", "/login", json={"username": name, "password": "12345678"}))["token"]
    return {"id": user["id"], "username": name, "token": token}


def new_project(srv, user, parent=0):
    body = {"title": uid("p"), "parent_project_id": parent}
    return ok(call(srv, "PUT", "/projects", token=user["token"], json=body), 201)


def new_task(srv, user, project_id, **fields):
    body = {"title": uid("t"), **fields}
    return ok(call(srv, "PUT", f"/projects/{project_id}/tasks", token=user["token"], json=body), 201)


def project_hook(srv, user, project_id, url, events, **extra):
    body = {"target_url": url, "events": events, **extra}
    return ok(call(srv, "PUT", f"/projects/{project_id}/webhooks", token=user["token"], json=body), 201)


def events_for(received, task_id=None):
    """(event_name, task id or None) of each received request, in arrival order."""
    out = []
    for r in received:
        data = r["json"]["data"]
        out.append((r["json"]["event_name"], (data.get("task") or {}).get("id")))
    return [e for e in out if task_id is None or e[1] == task_id]


def test_payload_headers_and_both_signatures(hooks_server, rx):
    user = register(hooks_server)
    project = new_project(hooks_server, user)
    secret = "s3cret-" + uuid.uuid4().hex
    project_hook(hooks_server, user, project["id"], rx.url, ["task.created"], secret=secret,
                 basic_auth_user="hook-user", basic_auth_password="hook-pass")
    task = new_task(hooks_server, user, project["id"])

    got = rx.wait_for(lambda rs: rs if rs else None)
    assert len(got) == 1
    req = got[0]
    headers = {k.lower(): v for k, v in req["headers"].items()}
    raw = req["raw"]
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("Vikunja/")
    # Vikunja's signature: hex HMAC-SHA256 of the exact body.
    assert headers["x-vikunja-signature"] == hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    # Ours: t=<unix>,v1=<hex HMAC of "t.body">, with t also in X-Vicugna-Timestamp.
    parts = dict(p.split("=", 1) for p in headers["x-vicugna-signature"].split(","))
    assert parts["t"] == headers["x-vicugna-timestamp"]
    assert abs(int(parts["t"]) - time.time()) < 60
    signed = parts["t"].encode() + b"." + raw
    assert parts["v1"] == hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert UUID_RE.match(headers["x-vicugna-delivery"])
    assert headers["authorization"] == "Basic aG9vay11c2VyOmhvb2stcGFzcw=="  # hook-user:hook-pass

    body = req["json"]
    assert body["event_name"] == body["event"] == "task.created"
    assert RFC3339.match(body["time"]) and RFC3339.match(body["timestamp"])
    assert body["timestamp"].endswith("Z")
    assert body["user_id"] == user["id"]
    data = body["data"]
    assert set(data) == {"task", "doer", "project"}
    assert data["task"]["id"] == task["id"] and data["task"]["title"] == task["title"]
    assert "buckets" in data["task"]  # re-read with expand=buckets, as Vikunja
    assert data["project"]["id"] == project["id"]
    assert data["doer"]["id"] == user["id"] and data["doer"]["username"] == user["username"]
    assert "email" not in data["doer"]


def test_unsigned_without_secret(hooks_server, rx):
    user = register(hooks_server)
    project = new_project(hooks_server, user)
    project_hook(hooks_server, user, project["id"], rx.url, ["task.created"])
    new_task(hooks_server, user, project["id"])
    req = rx.wait_for(lambda rs: rs[0] if rs else None)
    headers = {k.lower() for k in req["headers"]}
    assert "x-vikunja-signature" not in headers and "x-vicugna-signature" not in headers
    assert "authorization" not in headers
    assert "x-vicugna-delivery" in headers and "x-vicugna-timestamp" in headers


def test_every_project_event_fires_with_its_data_keys(hooks_server, rx):
    owner, other = register(hooks_server), register(hooks_server)
    project = new_project(hooks_server, owner)
    pid = project["id"]
    all_events = ok(call(hooks_server, "GET", "/webhooks/events", token=owner["token"]))
    assert set(DATA_KEYS) <= set(all_events)
    project_hook(hooks_server, owner, pid, rx.url, sorted(DATA_KEYS))
    t = owner["token"]

    ok(call(hooks_server, "PUT", f"/projects/{pid}/users", token=t,
            json={"username": other["username"], "permission": 1}), 201)
    team = ok(call(hooks_server, "PUT", "/teams", token=t, json={"name": uid("team")}), 201)
    ok(call(hooks_server, "PUT", f"/projects/{pid}/teams", token=t, json={"team_id": team["id"], "permission": 0}),
       201)
    a = new_task(hooks_server, owner, pid)
    b = new_task(hooks_server, owner, pid)
    ok(call(hooks_server, "POST", f"/tasks/{a['id']}", token=t, json={**a, "title": "renamed"}))
    ok(call(hooks_server, "PUT", f"/tasks/{a['id']}/assignees", token=t, json={"user_id": other["id"]}), 201)
    ok(call(hooks_server, "DELETE", f"/tasks/{a['id']}/assignees/{other['id']}", token=t))
    comment = ok(call(hooks_server, "PUT", f"/tasks/{a['id']}/comments", token=t, json={"comment": "first"}), 201)
    ok(call(hooks_server, "POST", f"/tasks/{a['id']}/comments/{comment['id']}", token=t, json={"comment": "edited"}))
    ok(call(hooks_server, "DELETE", f"/tasks/{a['id']}/comments/{comment['id']}", token=t))
    upload = ok(call(hooks_server, "PUT", f"/tasks/{a['id']}/attachments", token=t,
                     files=[("files", ("a.txt", b"hello", "text/plain"))]))
    attachment = upload["success"][0]
    ok(call(hooks_server, "DELETE", f"/tasks/{a['id']}/attachments/{attachment['id']}", token=t))
    ok(call(hooks_server, "PUT", f"/tasks/{a['id']}/relations", token=t,
            json={"other_task_id": b["id"], "relation_kind": "related"}), 201)
    ok(call(hooks_server, "DELETE", f"/tasks/{a['id']}/relations/related/{b['id']}", token=t))
    ok(call(hooks_server, "POST", f"/tasks/{a['id']}", token=t, json={"title": "renamed", "done": True}))
    ok(call(hooks_server, "DELETE", f"/tasks/{b['id']}", token=t))
    ok(call(hooks_server, "POST", f"/projects/{pid}", token=t, json={**project, "title": "renamed project"}))
    ok(call(hooks_server, "DELETE", f"/projects/{pid}", token=t))

    got = rx.wait_for(lambda rs: rs if {r["json"]["event_name"] for r in rs} >= set(DATA_KEYS) else None,
                      what="one request per project event")
    by_event = {}
    for r in got:
        by_event.setdefault(r["json"]["event_name"], []).append(r["json"]["data"])
    for name, keys in DATA_KEYS.items():
        for data in by_event[name]:
            assert set(data) == keys, (name, sorted(data))
            assert "email" not in data["doer"]
    assert by_event["task.assignee.created"][0]["assignee"]["id"] == other["id"]
    assert "email" not in by_event["task.assignee.created"][0]["assignee"]
    assert by_event["project.shared.user"][0]["user"]["id"] == other["id"]
    assert by_event["project.shared.team"][0]["team"]["id"] == team["id"]
    assert by_event["task.comment.edited"][0]["comment"]["comment"] == "edited"
    assert by_event["task.attachment.created"][0]["attachment"]["id"] == attachment["id"]
    assert by_event["task.relation.created"][0]["relation"]["other_task_id"] == b["id"]
    assert by_event["task.deleted"][0]["task"]["id"] == b["id"]  # the snapshot from before the delete
    assert by_event["project.deleted"][0]["project"]["id"] == pid
    completed = by_event["task.completed"]
    assert len(completed) == 1 and completed[0]["task"]["id"] == a["id"] and completed[0]["task"]["done"] is True
    # Completing also sends task.updated with done: true (Vikunja's event for it).
    assert any(d["task"]["done"] for d in by_event["task.updated"])
    # The deleted project's webhook heard project.deleted; with nothing left to send it is removed, with its log.
    deadline = time.monotonic() + 10
    while any(h["project_id"] == pid for h in seed_rows(hooks_server, "webhooks", [])):
        assert time.monotonic() < deadline, "the deleted project's webhook was not removed"
        time.sleep(0.2)
    assert not [d for d in seed_rows(hooks_server, "webhook_deliveries", []) if d["event_name"] == "project.deleted"
                and d["payload"].find(f'"id":{pid},') >= 0]


def test_completion_by_bucket_move_and_bulk_update(hooks_server, rx):
    user = register(hooks_server)
    project = new_project(hooks_server, user)
    pid, t = project["id"], user["token"]
    project_hook(hooks_server, user, pid, rx.url, ["task.completed"])
    views = ok(call(hooks_server, "GET", f"/projects/{pid}/views", token=t))
    kanban = next(v for v in views if v["view_kind"] == "kanban")
    buckets = ok(call(hooks_server, "GET", f"/projects/{pid}/views/{kanban['id']}/buckets", token=t))
    done_bucket = buckets[-1]
    ok(call(hooks_server, "POST", f"/projects/{pid}/views/{kanban['id']}", token=t,
            json={**kanban, "done_bucket_id": done_bucket["id"]}))
    moved, bulk1, bulk2, untouched = (new_task(hooks_server, user, pid) for _ in range(4))
    ok(call(hooks_server, "POST", f"/projects/{pid}/views/{kanban['id']}/buckets/{done_bucket['id']}/tasks",
            token=t, json={"task_id": moved["id"]}))
    ok(call(hooks_server, "POST", "/tasks/bulk", token=t,
            json={"task_ids": [bulk1["id"], bulk2["id"]], "fields": ["done"], "values": {"done": True}}))
    got = rx.wait_for(lambda rs: rs if len(rs) >= 3 else None)
    time.sleep(0.5)
    ids = sorted(e[1] for e in events_for(rx.received()))
    assert ids == sorted([moved["id"], bulk1["id"], bulk2["id"]])
    assert untouched["id"] not in ids and len(got) >= 3
    # Already done: updating it again is no new completion.
    ok(call(hooks_server, "POST", f"/tasks/{bulk1['id']}", token=t, json={"title": "again", "done": True}))
    new_task(hooks_server, user, pid, done=False)
    time.sleep(1.5)
    assert len(rx.received()) == 3


def test_ancestor_hooks_fire_and_siblings_do_not(hooks_server, rx):
    user = register(hooks_server)
    parent = new_project(hooks_server, user)
    child = new_project(hooks_server, user, parent=parent["id"])
    sibling = new_project(hooks_server, user, parent=parent["id"])
    project_hook(hooks_server, user, parent["id"], rx.url + "?hook=parent", ["task.created"])
    project_hook(hooks_server, user, sibling["id"], rx.url + "?hook=sibling", ["task.created"])
    task = new_task(hooks_server, user, child["id"])
    rx.wait_for(lambda rs: rs if rs else None)
    time.sleep(1)
    got = rx.received()
    assert [r["path"] for r in got] == ["/hook?hook=parent"]
    assert got[0]["json"]["data"]["task"]["id"] == task["id"]


def test_user_level_hook_hears_readable_projects_only(hooks_server, rx):
    owner, reader = register(hooks_server), register(hooks_server)
    shared, private = new_project(hooks_server, owner), new_project(hooks_server, owner)
    ok(call(hooks_server, "PUT", f"/projects/{shared['id']}/users", token=owner["token"],
            json={"username": reader["username"], "permission": 0}), 201)
    # The manual's dialect: POST /webhooks makes a webhook of the caller for every project they can read.
    ok(call(hooks_server, "POST", "/webhooks", token=reader["token"],
            json={"events": ["task.created", "task.completed"], "target_url": rx.url}), 201)
    seen = new_task(hooks_server, owner, shared["id"])
    new_task(hooks_server, owner, private["id"])
    rx.wait_for(lambda rs: rs if rs else None)
    time.sleep(1)
    assert events_for(rx.received()) == [("task.created", seen["id"])]


def test_retry_after_500_resends_the_same_delivery(hooks_server, rx):
    user = register(hooks_server)
    project = new_project(hooks_server, user)
    project_hook(hooks_server, user, project["id"], rx.url, ["task.created"], secret="k")
    rx.control(statuses=[500], clear=True)
    new_task(hooks_server, user, project["id"])
    got = rx.wait_for(lambda rs: rs if len(rs) >= 2 else None, timeout=30, what="the retry after a 500")
    time.sleep(2)
    got = rx.received()
    assert [r["status"] for r in got] == [500, 200]
    first, second = ({k.lower(): v for k, v in r["headers"].items()} for r in got)
    assert first["x-vicugna-delivery"] == second["x-vicugna-delivery"]
    assert got[0]["raw"] == got[1]["raw"]  # the same body, so the same X-Vikunja-Signature
    assert first["x-vikunja-signature"] == second["x-vikunja-signature"]
    assert got[1]["at"] - got[0]["at"] >= 0.4  # backed off, not resent at once


def test_rolled_back_change_fires_nothing(hooks_server, rx):
    user, other = register(hooks_server), register(hooks_server)
    project = new_project(hooks_server, user)
    pid, t = project["id"], user["token"]
    ok(call(hooks_server, "PUT", f"/projects/{pid}/users", token=t,
            json={"username": other["username"], "permission": 1}), 201)
    task = new_task(hooks_server, user, pid)
    project_hook(hooks_server, user, pid, rx.url, sorted(DATA_KEYS))
    # The assignment is made (and task.assignee.created queued) before the unknown cover image is refused, so
    # the whole update rolls back.
    r = call(hooks_server, "POST", f"/tasks/{task['id']}", token=t,
             json={"title": "never", "assignees": [{"id": other["id"]}], "cover_image_attachment_id": 999999})
    assert r.status_code == 400 and r.json()["code"] == 4020, r.text
    assert ok(call(hooks_server, "GET", f"/tasks/{task['id']}", token=t))["assignees"] is None
    marker = new_task(hooks_server, user, pid)
    rx.wait_for(lambda rs: rs if rs else None)
    time.sleep(1)
    assert events_for(rx.received()) == [("task.created", marker["id"])]


def test_kill_9_with_deliveries_pending_loses_none(pytestconfig, rx):
    srv = start_server(pytestconfig)
    try:
        user = register(srv)
        project = new_project(srv, user)
        project_hook(srv, user, project["id"], rx.url, ["task.created"])
        rx.control(statuses=[503] * 5, clear=True)  # every first attempt fails: all 5 stay pending
        tasks = [new_task(srv, user, project["id"]) for _ in range(5)]
        rx.wait_for(lambda rs: rs if len(rs) >= 5 else None)
        srv.process.send_signal(signal.SIGKILL)
        srv.process.wait()
        srv.process = None
        srv.start()
        got = rx.wait_for(lambda rs: rs if len([r for r in rs if r["status"] == 200]) >= 5 else None, timeout=40,
                          what="every delivery after the restart")
        delivered = sorted(r["json"]["data"]["task"]["id"] for r in got if r["status"] == 200)
        assert delivered == sorted(t["id"] for t in tasks)
    finally:
        srv.close()


def test_kill_9_during_a_send_resends_after_the_lease(pytestconfig, rx):
    # A 2 s timeout makes the claim's lease short (timeout + 15 s), so the test waits about 20 s.
    srv = start_server(pytestconfig, env={"VIKUNJA_WEBHOOKS_TIMEOUTSECONDS": "2"})
    try:
        user = register(srv)
        project = new_project(srv, user)
        project_hook(srv, user, project["id"], rx.url, ["task.created"])
        rx.control(delay=1.5, clear=True)  # the server is killed while the receiver holds the request
        task = new_task(srv, user, project["id"])
        time.sleep(0.7)
        srv.process.send_signal(signal.SIGKILL)
        srv.process.wait()
        srv.process = None
        rx.control(clear=False)
        srv.start()
        got = rx.wait_for(lambda rs: rs if len(rs) >= 2 else None, timeout=45,
                          what="the delivery sent again after its lease expired")
        assert {r["json"]["data"]["task"]["id"] for r in got} == {task["id"]}
        ids = {r["headers"].get("X-Vicugna-Delivery") for r in got}
        assert len(ids) == 1  # the same delivery, which a receiver can drop as a duplicate
    finally:
        srv.close()


def test_two_processes_on_one_database_send_each_delivery_once(pytestconfig, rx):
    first = start_server(pytestconfig)
    second = None
    try:
        shared = ({"VIKUNJA_DATABASE_DATABASE": first.database} if first.backend == "postgres"
                  else {"VIKUNJA_DATABASE_PATH": str(first.workdir / "vikunja.db")})
        second = start_server(pytestconfig, env=shared)
        user = register(first)
        project = new_project(first, user)
        project_hook(first, user, project["id"], rx.url, ["task.created", "task.updated"])
        rx.control(clear=True)
        created = []
        for i in range(30):
            srv = first if i % 2 == 0 else second
            created.append(new_task(srv, user, project["id"])["id"])
        got = rx.wait_for(lambda rs: rs if len(rs) >= 30 else None, timeout=40)
        time.sleep(2)
        got = rx.received()
        ids = [r["headers"].get("X-Vicugna-Delivery") for r in got]
        assert len(ids) == len(set(ids)) == 30
        assert sorted(r["json"]["data"]["task"]["id"] for r in got) == sorted(created)
    finally:
        if second:
            second.close()
        first.close()


def test_guard_refuses_a_private_target_when_sending(pytestconfig, rx):
    # The webhook was made while private targets were allowed; with the guard on again, every attempt is refused
    # before any connection and recorded as the attempt's failure.
    srv = start_server(pytestconfig)
    try:
        user = register(srv)
        project = new_project(srv, user)
        hook = project_hook(srv, user, project["id"], rx.url, ["task.created"])
        srv.restart(env={"VIKUNJA_OUTGOINGREQUESTS_ALLOWNONROUTABLEIPS": "false"})
        rx.control(clear=True)
        new_task(srv, user, project["id"])
        path = f"/projects/{project['id']}/webhooks/{hook['id']}/deliveries"
        deadline = time.monotonic() + 15
        while True:
            deliveries = ok(call(srv, "GET", path, token=user["token"]))
            if deliveries and deliveries[0]["attempts"] >= 1 and deliveries[0]["last_error"]:
                break
            assert time.monotonic() < deadline, deliveries
            time.sleep(0.2)
        assert deliveries[0]["status"] == "pending" and deliveries[0]["last_status_code"] is None
        assert "non-routable" in deliveries[0]["last_error"]
        assert rx.received() == []
    finally:
        srv.close()
