"""The operations manual's integration dialect and the Idempotency-Key header (ours; docs/api-compat.md).

POST /tasks (project in the body, labels by name, dates without a zone in the user's time zone), PUT /tasks/{id}
(merge: only the given keys change), GET /tasks/search (plain query parameters compiled to a v1 filter), and
Idempotency-Key on every write (a retry with the same key and request gets the first answer). Each dialect route
must answer like the v1 route it stands for: the same task JSON, the same errors, the same permission checks.
"""

import datetime
import hashlib
import json
import threading
import uuid

import pytest
from grants import share_with_user, table_rows
from task_extras_seed import new_label, new_project, ok, uid
from test_api_tokens import created_token
from test_http import FRONTEND_ORIGINS, header_set
from test_link_shares import share_token
from wire import assert_error, call, now_text, seed_rows

ZERO = "0001-01-01T00:00:00Z"


def dialect_create(server, user, body, **kw):
    return call(server, "POST", "/tasks", token=user["token"], json=body, **kw)


def created(server, user, **body):
    return ok(dialect_create(server, user, body), 201)


def merge(server, user, task_id, body, **kw):
    return call(server, "PUT", "/tasks/%d" % task_id, token=user["token"], json=body, **kw)


def get_task(server, user, task_id):
    return ok(call(server, "GET", "/tasks/%d" % task_id, token=user["token"]))


def search(server, user, **params):
    return call(server, "GET", "/tasks/search", token=user["token"], params=params)


def found_ids(r):
    return [t["id"] for t in ok(r)]


def label_titles(task):
    return sorted(label["title"] for label in task["labels"] or [])


def set_timezone(server, user, zone):
    """Through the settings route, which writes every setting: the current ones with another time zone."""
    settings = ok(call(server, "GET", "/user", token=user["token"]))["settings"]
    settings["timezone"] = zone
    ok(call(server, "POST", "/user/settings/general", token=user["token"], json=settings))


def project_task_ids(server, user, project_id):
    return [t["id"] for t in ok(call(server, "GET", "/projects/%d/tasks" % project_id, token=user["token"]))]


def my_labels(server, user):
    return ok(call(server, "GET", "/labels", token=user["token"]))


@pytest.fixture
def project(server, owner):
    return new_project(server, owner)


# ---------------------------------------------------------------------------------------
# POST /tasks
# ---------------------------------------------------------------------------------------

def test_create_answers_201_with_the_v1_task(server, owner, project):
    r = dialect_create(server, owner, {"title": "Research: x", "description": "<p>d</p>", "project_id": project["id"],
                                       "priority": 2, "hex_color": "#aabbcc"})
    task = ok(r, 201)
    v1 = ok(call(server, "PUT", "/projects/%d/tasks" % project["id"], token=owner["token"],
                 json={"title": "v1"}), 201)
    assert list(task) == list(v1)
    assert task["title"] == "Research: x" and task["description"] == "<p>d</p>"
    assert task["project_id"] == project["id"] and task["priority"] == 2 and task["hex_color"] == "aabbcc"
    assert task["created_by"]["id"] == owner["id"]
    stored = get_task(server, owner, task["id"])
    assert {k: stored[k] for k in task} == task


@pytest.mark.parametrize("as_text", [False, True])
def test_project_id_as_number_or_numeric_string(server, owner, project, as_text):
    pid = str(project["id"]) if as_text else project["id"]
    task = created(server, owner, title="t", project_id=pid)
    assert task["project_id"] == project["id"]
    assert task["id"] in project_task_ids(server, owner, project["id"])


def test_project_errors_are_v1s(server, owner, new_user, project):
    def both(pid_body, pid_path):
        d = dialect_create(server, owner, {"title": "t", "project_id": pid_body})
        v = call(server, "PUT", "/projects/%s/tasks" % pid_path, token=owner["token"], json={"title": "t"})
        assert (d.status_code, d.json().get("code")) == (v.status_code, v.json().get("code")), (d.text, v.text)
        return d

    assert_error(both(999999999, "999999999"), 404, 3001)
    assert_error(both("999999999", "999999999"), 404, 3001)
    assert_error(both("abc", "abc"), 400, 2004)
    assert_error(both(-1, "-1"), 403, 0)
    for value in (1.5, True, {"id": 1}, [1], " 1", "1x", ""):
        assert_error(dialect_create(server, owner, {"title": "t", "project_id": value}), 400, 2004)
    # Missing: no project 0 exists.
    assert_error(dialect_create(server, owner, {"title": "t"}), 404, 3001)
    assert_error(dialect_create(server, owner, {"title": "t", "project_id": None}), 404, 3001)
    # Another user's project, one shared read-only, an archived one.
    stranger = new_user()
    assert_error(dialect_create(server, stranger, {"title": "t", "project_id": project["id"]}), 403, 0)
    share_with_user(server, project["id"], stranger["id"], 0)
    assert_error(dialect_create(server, stranger, {"title": "t", "project_id": project["id"]}), 403, 0)
    archived = new_project(server, owner)
    ok(call(server, "POST", "/projects/%d" % archived["id"], token=owner["token"], json=dict(archived, is_archived=True)))
    assert_error(dialect_create(server, owner, {"title": "t", "project_id": archived["id"]}), 412, 3008)
    assert project_task_ids(server, owner, project["id"]) == []


def test_shared_writer_can_create(server, owner, new_user, project):
    writer = new_user()
    share_with_user(server, project["id"], writer["id"], 1)
    task = created(server, writer, title="t", project_id=project["id"], labels=["writer-label"])
    assert task["created_by"]["id"] == writer["id"]
    assert [label["created_by"]["id"] for label in task["labels"]] == [writer["id"]]


def test_body_errors_are_v1s(server, owner, project):
    pid = project["id"]
    assert_error(dialect_create(server, owner, {"project_id": pid}), 400, 4001)
    assert_error(dialect_create(server, owner, {"title": "", "project_id": pid}), 400, 4001)
    body = assert_error(dialect_create(server, owner, {"title": "t", "project_id": pid, "hex_color": "#123456789"}),
                        412, 2002)
    assert body["invalid_fields"][0].startswith("hex_color")
    for field, value in [("title", 5), ("done", "yes"), ("priority", "high"), ("due_date", "tomorrow"),
                         ("due_date", 5), ("labels", "research"), ("labels", {"a": 1}), ("labels", [True]),
                         ("labels", [["x"]]), ("labels", [{"id": "x"}])]:
        assert_error(dialect_create(server, owner, {"title": "t", "project_id": pid, field: value}), 400, 2004)
    r = call(server, "POST", "/tasks", token=owner["token"], data="{nope", headers={"Content-Type": "application/json"})
    assert_error(r, 400, 2004)
    assert_error(call(server, "POST", "/tasks", json={"title": "t", "project_id": pid}), 401, 11)
    assert project_task_ids(server, owner, pid) == []


def test_labels_found_created_and_skipped(server, owner, project):
    existing = new_label(server, owner, title=uid("existing"))
    fresh = uid("fresh")
    task = created(server, owner, title="t", project_id=project["id"],
                   labels=[existing["title"], None, fresh, existing["title"], "", fresh])
    assert [label["title"] for label in task["labels"]] == [existing["title"], fresh]
    assert task["labels"][0]["id"] == existing["id"]
    mine = {label["title"]: label for label in my_labels(server, owner)}
    assert mine[fresh]["id"] == task["labels"][1]["id"]
    assert mine[fresh]["created_by"]["id"] == owner["id"]
    # The next task reuses the label made for the first one.
    again = created(server, owner, title="t2", project_id=project["id"], labels=[fresh])
    assert again["labels"][0]["id"] == mine[fresh]["id"]
    assert [label["title"] for label in my_labels(server, owner)].count(fresh) == 1


def test_labels_by_id_and_as_label_objects(server, owner, project):
    a, b, c = (new_label(server, owner) for _ in range(3))
    task = created(server, owner, title="t", project_id=project["id"],
                   labels=[a["id"], {"id": b["id"], "title": "ignored"}, {"title": c["title"]}])
    assert sorted(label["id"] for label in task["labels"]) == sorted([a["id"], b["id"], c["id"]])
    assert_error(dialect_create(server, owner, {"title": "t", "project_id": project["id"], "labels": [999999999]}),
                 404, 8002)


def test_label_titles_match_exactly_and_prefer_my_own(server, owner, new_user, project):
    other = new_user()
    title = uid("Shared")
    # `other` owns a label with the title on a task `owner` can read, so `owner` sees it.
    other_project = new_project(server, other)
    share_with_user(server, other_project["id"], owner["id"], 0)
    others_label = new_label(server, other, title=title)
    created(server, other, title="t", project_id=other_project["id"], labels=[title])
    task = created(server, owner, title="t", project_id=project["id"], labels=[title])
    assert task["labels"][0]["id"] == others_label["id"]
    mine = new_label(server, owner, title=title)
    task = created(server, owner, title="t", project_id=project["id"], labels=[title])
    assert task["labels"][0]["id"] == mine["id"]
    # Another case is another title.
    task = created(server, owner, title="t", project_id=project["id"], labels=[title.upper()])
    assert task["labels"][0]["id"] not in (mine["id"], others_label["id"])


def test_invisible_labels_are_never_reused(server, owner, new_user, project):
    other = new_user()
    hidden = new_label(server, other, title=uid("hidden"))
    task = created(server, owner, title="t", project_id=project["id"], labels=[hidden["title"]])
    assert task["labels"][0]["id"] != hidden["id"]
    assert task["labels"][0]["created_by"]["id"] == owner["id"]
    assert_error(dialect_create(server, owner, {"title": "t", "project_id": project["id"], "labels": [hidden["id"]]}),
                 403, 8003)


def test_a_failed_create_leaves_nothing_behind(server, owner, project):
    before = len(my_labels(server, owner))
    long_name = "x" * 251
    body = assert_error(dialect_create(server, owner, {"title": "t", "project_id": project["id"],
                                                       "labels": [uid("new"), long_name]}), 412, 2002)
    assert body["invalid_fields"][0].startswith("title")
    # A label made in the same transaction goes with the task when a later label fails.
    fresh = uid("rolled-back")
    assert_error(dialect_create(server, owner, {"title": "t", "project_id": project["id"],
                                                "labels": [fresh, 999999999]}), 404, 8002)
    assert len(my_labels(server, owner)) == before
    assert project_task_ids(server, owner, project["id"]) == []
    assert created(server, owner, title="t", project_id=project["id"], labels=["y" * 250])["labels"][0]["title"] == "y" * 250


def test_link_share_uses_visible_labels_but_cannot_create_any(server, owner, project):
    label = new_label(server, owner, title=uid("on-project"))
    created(server, owner, title="seed", project_id=project["id"], labels=[label["title"]])
    _, share_jwt = share_token(server, owner, project["id"], permission=1)
    share = {"token": share_jwt}
    task = created(server, share, title="by share", project_id=project["id"], labels=[label["title"]])
    assert task["labels"][0]["id"] == label["id"]
    assert_error(dialect_create(server, share, {"title": "t", "project_id": project["id"], "labels": [uid("new")]}),
                 403, 0)
    other = new_project(server, owner)
    assert_error(dialect_create(server, share, {"title": "t", "project_id": other["id"]}), 403, 0)


def test_naive_due_date_is_read_in_the_users_time_zone(server, owner, project):
    task = created(server, owner, title="t", project_id=project["id"], due_date="2026-12-14T09:30:00")
    assert task["due_date"] == "2026-12-14T09:30:00Z"  # no setting: service.timezone (GMT)
    set_timezone(server, owner, "Europe/Berlin")
    task = created(server, owner, title="t", project_id=project["id"], due_date="2026-12-14T09:30:00",
                   start_date="2026-07-01T12:00:00.123456", end_date="2026-07-02")
    assert task["due_date"] == "2026-12-14T08:30:00Z"
    assert task["start_date"] == "2026-07-01T10:00:00Z"  # summer time, microseconds dropped
    assert task["end_date"] == "2026-07-01T22:00:00Z"
    # A zone or Z is taken as given.
    task = created(server, owner, title="t", project_id=project["id"], due_date="2026-12-14T09:30:00Z",
                   start_date="2026-12-14T09:30:00+05:00")
    assert task["due_date"] == "2026-12-14T09:30:00Z" and task["start_date"] == "2026-12-14T04:30:00Z"
    set_timezone(server, owner, "America/New_York")
    task = created(server, owner, title="t", project_id=project["id"],
                   due_date=datetime.datetime(2026, 3, 1, 23, 15, 0, 999999).isoformat())
    assert task["due_date"] == "2026-03-02T04:15:00Z"


def test_naive_due_date_without_a_user_setting_uses_service_timezone(server_factory, new_user):
    srv = server_factory(env={"VIKUNJA_SERVICE_TIMEZONE": "Asia/Tokyo"})
    r = call(srv, "POST", "/register", json={"username": uid("u"), "password": "12345678", "email": uid("e") + "@x.io"})
    user = ok(r)
    jwt = ok(call(srv, "POST", "/login", json={"username": user["username"], "password": "12345678"}))["token"]
    p = ok(call(srv, "PUT", "/projects", token=jwt, json={"title": "p"}), 201)
    task = ok(call(srv, "POST", "/tasks", token=jwt, json={"title": "t", "project_id": p["id"],
                                                            "due_date": "2026-12-14T09:30:00"}), 201)
    assert task["due_date"] == "2026-12-14T00:30:00Z"


def test_api_token_reaches_post_tasks_through_tasks_create(server, owner, project):
    token = created_token(server, owner["token"], {"tasks": ["create"]})["token"]
    task = ok(call(server, "POST", "/tasks", token=token, json={"title": "t", "project_id": project["id"]}), 201)
    assert task["project_id"] == project["id"]
    assert call(server, "GET", "/tasks/search", token=token).status_code == 401
    assert merge(server, {"token": token}, task["id"], {"done": True}).status_code == 401
    reader = created_token(server, owner["token"], {"tasks": ["read_all", "update"]})["token"]
    assert found_ids(call(server, "GET", "/tasks/search", token=reader)) == [task["id"]]
    assert ok(merge(server, {"token": reader}, task["id"], {"done": True}))["done"] is True
    assert call(server, "POST", "/tasks", token=reader, json={"title": "t", "project_id": project["id"]}).status_code == 401
    # The dialect adds no permissions of its own.
    routes = ok(call(server, "GET", "/routes", token=owner["token"]))
    assert routes["tasks"]["create"] == {"path": "/api/v1/projects/:project/tasks", "method": "PUT"}
    assert routes["tasks"]["update"] == {"path": "/api/v1/tasks/:projecttask", "method": "POST"}
    assert "search" not in routes["tasks"] and "tasks_search" not in routes


# ---------------------------------------------------------------------------------------
# PUT /tasks/{id}
# ---------------------------------------------------------------------------------------

def full_task(server, owner, project):
    return created(server, owner, title="full", description="<p>keep me</p>", project_id=project["id"], priority=4,
                   hex_color="112233", percent_done=0.25, due_date="2030-01-02T03:04:05Z",
                   start_date="2030-01-01T00:00:00Z", repeat_mode=0, labels=[uid("keep"), uid("keep")],
                   reminders=[{"reminder": "2030-01-01T12:00:00Z"}, {"relative_to": "due_date", "relative_period": -60}],
                   assignees=[{"id": owner["id"]}], is_favorite=True)


def test_put_changes_only_the_given_keys(server, owner, project):
    task = full_task(server, owner, project)
    done = ok(merge(server, owner, task["id"], {"done": True}))
    assert done["done"] is True and done["done_at"] != ZERO
    for key in task:
        if key not in ("done", "done_at", "updated"):
            assert done[key] == task[key], key
    assert get_task(server, owner, task["id"])["done"] is True
    renamed = ok(merge(server, owner, task["id"], {"title": "renamed", "priority": 1}))
    assert renamed["title"] == "renamed" and renamed["priority"] == 1
    assert renamed["description"] == "<p>keep me</p>" and renamed["done"] is True
    assert label_titles(renamed) == label_titles(task) and renamed["assignees"] == task["assignees"]
    reopened = ok(merge(server, owner, task["id"], {"done": False}))
    assert reopened["done"] is False and reopened["done_at"] == ZERO and reopened["reminders"] == task["reminders"]


def test_put_answers_like_v1_update(server, owner, project):
    task = created(server, owner, title="t", project_id=project["id"])
    mine = ok(merge(server, owner, task["id"], {"description": "x"}))
    v1 = ok(call(server, "POST", "/tasks/%d" % task["id"], token=owner["token"], json=mine))
    assert list(mine) == list(v1)
    # v1 stays a full replace: what POST omits is reset.
    ok(merge(server, owner, task["id"], {"description": "kept by PUT", "priority": 3}))
    v1 = ok(call(server, "POST", "/tasks/%d" % task["id"], token=owner["token"], json={"title": "t"}))
    assert v1["description"] == "" and v1["priority"] == 0


def test_put_labels_replace_the_set(server, owner, project):
    task = created(server, owner, title="t", project_id=project["id"], labels=["a-" + uid(), "b-" + uid()])
    kept = ok(merge(server, owner, task["id"], {"priority": 2}))
    assert label_titles(kept) == label_titles(task)
    kept = ok(merge(server, owner, task["id"], {"labels": None}))
    assert label_titles(kept) == label_titles(task)
    new = uid("c")
    changed = ok(merge(server, owner, task["id"], {"labels": [task["labels"][0]["title"], new]}))
    assert label_titles(changed) == sorted([task["labels"][0]["title"], new])
    assert label_titles(get_task(server, owner, task["id"])) == label_titles(changed)
    # The task's label objects as GET returns them are accepted back.
    again = ok(merge(server, owner, task["id"], {"labels": changed["labels"]}))
    assert label_titles(again) == label_titles(changed)
    cleared = ok(merge(server, owner, task["id"], {"labels": []}))
    assert cleared["labels"] is None


def test_put_null_resets_a_field(server, owner, project):
    task = created(server, owner, title="t", project_id=project["id"], description="d", due_date="2030-01-01T00:00:00Z")
    reset = ok(merge(server, owner, task["id"], {"description": None, "due_date": None, "title": None}))
    assert reset["description"] == "" and reset["due_date"] == ZERO
    assert reset["title"] == "t"  # an empty title keeps the stored one, as in v1


def test_put_naive_dates_and_project_moves(server, owner, project):
    set_timezone(server, owner, "Europe/Berlin")
    task = created(server, owner, title="t", project_id=project["id"])
    changed = ok(merge(server, owner, task["id"], {"due_date": "2026-12-14T09:30:00.5"}))
    assert changed["due_date"] == "2026-12-14T08:30:00Z"
    other = new_project(server, owner)
    moved = ok(merge(server, owner, task["id"], {"project_id": str(other["id"])}))
    assert moved["project_id"] == other["id"] and moved["due_date"] == "2026-12-14T08:30:00Z"
    assert project_task_ids(server, owner, other["id"]) == [task["id"]]


def test_put_errors_are_v1s(server, owner, new_user, project):
    task = created(server, owner, title="t", project_id=project["id"], description="d")
    stranger = new_user()

    def both(user, task_id, body):
        d = call(server, "PUT", "/tasks/%s" % task_id, token=user["token"], json=body)
        v = call(server, "POST", "/tasks/%s" % task_id, token=user["token"], json=body)
        assert (d.status_code, d.json().get("code")) == (v.status_code, v.json().get("code")), (d.text, v.text)
        return d

    assert_error(both(stranger, task["id"], {"done": True}), 403, 0)
    assert_error(both(owner, 999999999, {"done": True}), 404, 4002)
    assert_error(both(owner, "abc", {"done": True}), 400, 2004)
    assert_error(both(owner, task["id"], {"hex_color": "#123456789"}), 412, 2002)
    share_with_user(server, project["id"], stranger["id"], 0)
    assert_error(both(stranger, task["id"], {"done": True}), 403, 0)
    foreign = new_project(server, stranger)
    assert_error(merge(server, owner, task["id"], {"project_id": foreign["id"]}), 403, 0)
    assert_error(merge(server, owner, task["id"], {"project_id": "x"}), 400, 2004)
    assert_error(merge(server, owner, task["id"], {"labels": [999999999]}), 404, 8002)
    assert get_task(server, owner, task["id"])["description"] == "d"
    deleted = created(server, owner, title="gone", project_id=project["id"])
    ok(call(server, "DELETE", "/tasks/%d" % deleted["id"], token=owner["token"]))
    assert_error(merge(server, owner, deleted["id"], {"done": True}), 404, 4002)


# ---------------------------------------------------------------------------------------
# GET /tasks/search
# ---------------------------------------------------------------------------------------

@pytest.fixture
def seeded(server, owner):
    """Two projects of `owner` with tasks that differ in done, priority, labels, due dates and text."""
    p1, p2 = new_project(server, owner), new_project(server, owner)
    red, blue = uid("red"), uid("blue")
    tasks = {
        "a": created(server, owner, title="alpha report", project_id=p1["id"], priority=1, labels=[red],
                     due_date="2030-01-10T10:00:00Z"),
        "b": created(server, owner, title="beta", description="needle inside", project_id=p1["id"], priority=3,
                     labels=[red, blue], due_date="2030-01-20T10:00:00Z", done=True),
        "c": created(server, owner, title="gamma", project_id=p2["id"], priority=3, labels=[blue]),
        "d": created(server, owner, title="delta report", project_id=p2["id"], priority=5,
                     due_date="2030-01-05T10:00:00Z"),
    }
    ids = {k: t["id"] for k, t in tasks.items()}
    label_ids = {"red": tasks["a"]["labels"][0]["id"], "blue": tasks["c"]["labels"][0]["id"]}
    return {"p1": p1, "p2": p2, "red": red, "blue": blue, "ids": ids, "label_ids": label_ids}


def test_search_without_parameters_lists_every_readable_task(server, owner, new_user, seeded):
    ids = seeded["ids"]
    r = search(server, owner)
    assert sorted(found_ids(r)) == sorted(ids.values())
    assert r.headers["x-pagination-result-count"] == "4" and r.headers["x-pagination-total-pages"] == "1"
    stranger = new_user()
    r = search(server, stranger)
    assert r.status_code == 200 and r.text.strip() == "[]"
    assert r.headers["x-pagination-result-count"] == "0" and r.headers["x-pagination-total-pages"] == "0"


def test_search_done(server, owner, seeded):
    ids = seeded["ids"]
    for value in ("false", "False", "0", "f"):
        assert sorted(found_ids(search(server, owner, done=value))) == sorted([ids["a"], ids["c"], ids["d"]])
    for value in ("true", "True", "1", "T"):
        assert found_ids(search(server, owner, done=value)) == [ids["b"]]


def test_search_project_priority_and_text(server, owner, seeded):
    ids = seeded["ids"]
    assert found_ids(search(server, owner, project_id=seeded["p2"]["id"])) == [ids["c"], ids["d"]]
    assert found_ids(search(server, owner, priority=3)) == [ids["b"], ids["c"]]
    assert found_ids(search(server, owner, s="report")) == [ids["a"], ids["d"]]
    assert found_ids(search(server, owner, s="needle")) == [ids["b"]]


def test_search_labels_by_name_or_id(server, owner, seeded):
    ids, red, blue = seeded["ids"], seeded["red"], seeded["blue"]
    assert found_ids(search(server, owner, labels=red)) == [ids["a"], ids["b"]]
    assert found_ids(search(server, owner, labels=seeded["label_ids"]["blue"])) == [ids["b"], ids["c"]]
    # Several labels: each must be on the task, comma-separated or repeated.
    assert found_ids(search(server, owner, labels="%s, %s" % (red, blue))) == [ids["b"]]
    assert found_ids(search(server, owner, labels=[red, seeded["label_ids"]["blue"]])) == [ids["b"]]
    r = search(server, owner, labels="no-such-label")
    assert ok(r) == [] and r.headers["x-pagination-result-count"] == "0"


def test_search_due_dates(server, owner, seeded):
    ids = seeded["ids"]
    assert found_ids(search(server, owner, due_before="2030-01-15T00:00:00Z")) == [ids["a"], ids["d"]]
    assert found_ids(search(server, owner, due_after="2030-01-08")) == [ids["a"], ids["b"]]
    assert found_ids(search(server, owner, due_after="2030-01-06", due_before="2030-01-15")) == [ids["a"]]
    # Without a zone: the user's time zone. 10:00 UTC is 11:00 in Berlin.
    set_timezone(server, owner, "Europe/Berlin")
    assert found_ids(search(server, owner, due_after="2030-01-10T10:30:00")) == [ids["a"], ids["b"]]
    assert found_ids(search(server, owner, due_after="2030-01-10T11:30:00.000001")) == [ids["b"]]


def test_search_combined_sorted_and_paged(server, owner, seeded):
    ids = seeded["ids"]
    r = search(server, owner, done="false", priority=3, labels=seeded["blue"], project_id=seeded["p2"]["id"])
    assert found_ids(r) == [ids["c"]]
    # Nulls sort last, as in v1.
    assert found_ids(search(server, owner, sort_by="due_date")) == [ids["d"], ids["a"], ids["b"], ids["c"]]
    assert found_ids(search(server, owner, sort_by="priority", order_by="desc")) == [ids["d"], ids["b"], ids["c"], ids["a"]]
    assert found_ids(search(server, owner, sort_by=["priority", "id"], order_by=["asc", "desc"])) == \
        [ids["a"], ids["c"], ids["b"], ids["d"]]
    r = search(server, owner, done="false", sort_by="title", per_page=2, page=2)
    assert found_ids(r) == [ids["c"]]
    assert r.headers["x-pagination-total-pages"] == "2" and r.headers["x-pagination-result-count"] == "1"
    r = search(server, owner, done="false", per_page=2, page=3)
    assert ok(r) == [] and r.headers["x-pagination-total-pages"] == "0"


def test_search_matches_the_v1_filter_it_stands_for(server, owner, seeded):
    ids, lid = seeded["ids"], seeded["label_ids"]
    v1 = call(server, "GET", "/tasks", token=owner["token"],
              params={"filter": "done = false && labels in %d" % lid["blue"]})
    assert found_ids(search(server, owner, done="false", labels=seeded["blue"])) == found_ids(v1) == [ids["c"]]
    assert ok(search(server, owner, done="false", labels=seeded["blue"])) == ok(v1)


def test_search_reads_only_what_the_caller_can_read(server, owner, new_user, seeded):
    other = new_user()
    assert_error(search(server, other, project_id=seeded["p1"]["id"]), 403, 7003)
    assert_error(search(server, owner, project_id=999999999), 404, 3001)
    share_with_user(server, seeded["p1"]["id"], other["id"], 0)
    assert found_ids(search(server, other)) == [seeded["ids"]["a"], seeded["ids"]["b"]]
    # A label on tasks of several projects finds only the readable ones.
    assert found_ids(search(server, other, labels=seeded["blue"])) == [seeded["ids"]["b"]]


@pytest.mark.parametrize("params,status,code", [
    ({"done": "maybe"}, 400, 4019), ({"priority": "high"}, 400, 4019), ({"priority": "1.5"}, 400, 4019),
    ({"project_id": "x"}, 400, 4019), ({"due_before": "tomorrow"}, 400, 4019), ({"due_after": "2030-13-01"}, 400, 4019),
    ({"priority": "99999999999999999999"}, 400, 4019),
])
def test_search_bad_values(server, owner, params, status, code):
    assert_error(search(server, owner, **params), status, code)


@pytest.mark.parametrize("params", [{"sort_by": "bogus"}, {"sort_by": "position"},
                                    {"sort_by": "id", "order_by": "sideways"}])
def test_search_sort_errors_are_v1s(server, owner, params):
    v1 = call(server, "GET", "/tasks", token=owner["token"], params=params)
    assert v1.status_code == 400
    r = search(server, owner, **params)
    assert (r.status_code, r.json()) == (v1.status_code, v1.json())


def test_search_paging_errors_and_route_order(server, owner):
    r = search(server, owner, page=-1)
    assert r.status_code == 400
    assert search(server, owner, per_page=0).status_code == 200
    # /tasks/search is not task "search".
    assert search(server, owner).status_code == 200
    assert call(server, "POST", "/tasks/search", token=owner["token"], json={}).status_code == 405
    assert call(server, "GET", "/tasks/search").status_code == 401


# ---------------------------------------------------------------------------------------
# Idempotency-Key
# ---------------------------------------------------------------------------------------

def keyed(key):
    return {"Idempotency-Key": key}


def key_rows(server, key):
    return [row for row in table_rows(server, "idempotency_keys") if row["idempotency_key"] == key]


def test_retry_with_the_same_key_gets_the_first_answer(server, owner, project):
    key = uid("key")
    body = {"title": "once", "project_id": project["id"], "labels": [uid("l")]}
    first = dialect_create(server, owner, body, headers=keyed(key))
    second = dialect_create(server, owner, body, headers=keyed(key))
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers.get("Idempotent-Replayed") == "true" and "Idempotent-Replayed" not in first.headers
    assert project_task_ids(server, owner, project["id"]) == [first.json()["id"]]
    assert len([label for label in my_labels(server, owner) if label["title"] == body["labels"][0]]) == 1
    rows = key_rows(server, key)
    assert len(rows) == 1 and rows[0]["user_id"] == owner["id"] and rows[0]["response_status"] == 201


def test_same_key_with_another_request_is_422(server, owner, project):
    key = uid("key")
    ok(dialect_create(server, owner, {"title": "a", "project_id": project["id"]}, headers=keyed(key)), 201)
    r = dialect_create(server, owner, {"title": "b", "project_id": project["id"]}, headers=keyed(key))
    assert_error(r, 422, 90002)
    r = call(server, "PUT", "/projects/%d/tasks" % project["id"], token=owner["token"], json={"title": "a"},
             headers=keyed(key))
    assert_error(r, 422, 90002)
    assert len(project_task_ids(server, owner, project["id"])) == 1


def test_without_a_key_every_request_creates(server, owner, project):
    body = {"title": "twice", "project_id": project["id"]}
    a, b = created(server, owner, **body), created(server, owner, **body)
    assert a["id"] != b["id"]
    assert len(project_task_ids(server, owner, project["id"])) == 2


def test_keys_belong_to_their_caller(server, owner, new_user, project):
    other = new_user()
    share_with_user(server, project["id"], other["id"], 1)
    key = uid("key")
    body = {"title": "t", "project_id": project["id"]}
    a = ok(dialect_create(server, owner, body, headers=keyed(key)), 201)
    b = ok(dialect_create(server, other, body, headers=keyed(key)), 201)
    # The owner's API token is a caller of its own.
    token = created_token(server, owner["token"], {"tasks": ["create"]})
    c = ok(call(server, "POST", "/tasks", token=token["token"], json=body, headers=keyed(key)), 201)
    assert len({a["id"], b["id"], c["id"]}) == 3
    rows = key_rows(server, key)
    assert sorted((r["user_id"], r["api_token_id"]) for r in rows) == sorted(
        [(owner["id"], 0), (other["id"], 0), (owner["id"], token["id"])])


def test_every_create_route_honours_the_key(server, owner, project):
    key = uid("key")
    r1 = call(server, "PUT", "/projects/%d/tasks" % project["id"], token=owner["token"], json={"title": "v1"},
              headers=keyed(key))
    r2 = call(server, "PUT", "/projects/%d/tasks" % project["id"], token=owner["token"], json={"title": "v1"},
              headers=keyed(key))
    assert r1.status_code == r2.status_code == 201 and r1.json() == r2.json()
    key = uid("key")
    l1 = call(server, "PUT", "/labels", token=owner["token"], json={"title": "lab"}, headers=keyed(key))
    l2 = call(server, "PUT", "/labels", token=owner["token"], json={"title": "lab"}, headers=keyed(key))
    assert l1.status_code == l2.status_code == 201 and l1.json()["id"] == l2.json()["id"]
    key = uid("key")
    p1 = call(server, "PUT", "/projects", token=owner["token"], json={"title": "pp"}, headers=keyed(key))
    p2 = call(server, "PUT", "/projects", token=owner["token"], json={"title": "pp"}, headers=keyed(key))
    assert p1.status_code == p2.status_code == 201 and p1.json()["id"] == p2.json()["id"]
    assert len(project_task_ids(server, owner, project["id"])) == 1


def test_a_failed_request_leaves_the_key_free(server, owner, project):
    key = uid("key")
    body = {"title": "", "project_id": project["id"]}
    assert_error(dialect_create(server, owner, body, headers=keyed(key)), 400, 4001)
    assert_error(dialect_create(server, owner, body, headers=keyed(key)), 400, 4001)
    assert key_rows(server, key) == []
    body["title"] = "fixed"
    task = ok(dialect_create(server, owner, body, headers=keyed(key)), 201)
    assert project_task_ids(server, owner, project["id"]) == [task["id"]]


def test_key_rules(server, owner, project):
    body = {"title": "t", "project_id": project["id"]}
    assert_error(dialect_create(server, owner, body, headers=keyed("k" * 256)), 400, 90001)
    assert_error(dialect_create(server, owner, body, headers=keyed("ké".encode("utf-8").decode("latin-1"))), 400, 90001)
    ok(dialect_create(server, owner, body, headers=keyed("k" * 255)), 201)
    # Reads ignore the header, and a missing login is still 401.
    assert search(server, owner).status_code == 200
    assert call(server, "GET", "/tasks/search", token=owner["token"], headers=keyed("k" * 300)).status_code == 200
    assert call(server, "POST", "/tasks", json=body, headers=keyed("k")).status_code == 401


def test_browsers_may_send_the_key_and_read_the_replay_mark(server, owner, project):
    origin = FRONTEND_ORIGINS[0]
    r = call(server, "OPTIONS", "/tasks", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "idempotency-key"})
    assert "idempotency-key" in header_set(r, "Access-Control-Allow-Headers")
    r = dialect_create(server, owner, {"title": "t", "project_id": project["id"]}, headers={"Origin": origin})
    assert "idempotent-replayed" in header_set(r, "Access-Control-Expose-Headers")


def seed_key(server, user, key, created, status, body="{\"id\":424242}", request_hash="0" * 64):
    seed_rows(server, "idempotency_keys", [{
        "user_id": user["id"], "api_token_id": 0, "link_share_id": 0, "idempotency_key": key,
        "request_hash": request_hash, "response_status": status,
        "response_headers": "{\"Content-Type\":\"application/json\"}", "response_body": body, "created": created}])


def test_keys_live_in_the_database(server, owner, project):
    body = {"title": "t", "project_id": project["id"]}
    # A live record with another request: 422; one still answering: 409.
    key = uid("key")
    seed_key(server, owner, key, now_text(), 201)
    assert_error(dialect_create(server, owner, body, headers=keyed(key)), 422, 90002)
    # The same request while the first is still answering: 409. The hash covers method, path and body.
    key = uid("key")
    text = json.dumps(body)
    digest = hashlib.sha256(("POST\n/api/v1/tasks\n" + text).encode()).hexdigest()
    seed_key(server, owner, key, now_text(), 0, request_hash=digest)
    r = call(server, "POST", "/tasks", token=owner["token"], data=text,
             headers={"Content-Type": "application/json", **keyed(key)})
    assert_error(r, 409, 90003)
    # A stored answer is sent again as it was stored, whichever process stored it.
    key = uid("key")
    seed_key(server, owner, key, now_text(), 201, request_hash=digest)
    r = call(server, "POST", "/tasks", token=owner["token"], data=text,
             headers={"Content-Type": "application/json", **keyed(key)})
    assert r.status_code == 201 and r.json() == {"id": 424242} and r.headers["Idempotent-Replayed"] == "true"
    assert project_task_ids(server, owner, project["id"]) == []


def test_expired_keys_are_ignored_and_cleaned_up(server, owner, project):
    old = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=24, minutes=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    key, stale = uid("key"), uid("stale")
    seed_key(server, owner, key, old, 201)
    seed_key(server, owner, stale, old, 201)
    task = ok(dialect_create(server, owner, {"title": "t", "project_id": project["id"]}, headers=keyed(key)), 201)
    assert task["id"] != 424242
    rows = key_rows(server, key)
    assert len(rows) == 1 and rows[0]["response_status"] == 201 and str(task["id"]) in rows[0]["response_body"]
    assert key_rows(server, stale) == []


def test_concurrent_requests_with_one_key_create_once(server, owner, project):
    key = uid("key")
    body = {"title": "race", "project_id": project["id"]}
    barrier = threading.Barrier(6)
    answers = []

    def worker():
        barrier.wait()
        answers.append(dialect_create(server, owner, body, headers=keyed(key)))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = project_task_ids(server, owner, project["id"])
    assert len(ids) == 1
    for r in answers:
        assert r.status_code in (201, 409), r.text
        if r.status_code == 201:
            assert r.json()["id"] == ids[0]
        else:
            assert_error(r, 409, 90003)


def test_two_processes_share_keys(server, server_factory, owner, project):
    if server.backend != "postgres":
        pytest.skip("several processes share one database only on PostgreSQL")
    second = server_factory(env={"VIKUNJA_DATABASE_DATABASE": server.database})
    key = uid("key")
    body = {"title": "t", "project_id": project["id"]}
    first = ok(dialect_create(server, owner, body, headers=keyed(key)), 201)
    again = call(second, "POST", "/tasks", token=owner["token"], json=body, headers=keyed(key))
    assert again.status_code == 201 and again.json() == first
    # Concurrent duplicates spread over both processes still create once.
    key = uid("key")
    barrier = threading.Barrier(8)
    answers = []

    def worker(srv):
        barrier.wait()
        answers.append(call(srv, "POST", "/tasks", token=owner["token"], json=body, headers=keyed(key)))

    threads = [threading.Thread(target=worker, args=(s,)) for s in [server, second] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = project_task_ids(server, owner, project["id"])
    assert len(ids) == 2
    for r in answers:
        assert r.status_code in (201, 409), r.text
        if r.status_code == 201:
            assert r.json()["id"] == max(ids)
        else:
            assert_error(r, 409, 90003)
