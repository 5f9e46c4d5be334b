"""Tasks in kanban buckets: create with bucket_id, the done bucket on update and on move, bucket limits, and the
move endpoint's TaskBucket answer (spec §2.4 kanban semantics, §2.5; client-usage D.13, D.23, A.7).

Behaviour checked against Vikunja's pkg/models/tasks.go (setTasksInBucketInViews, resolveProvidedBuckets,
moveTaskToDoneBuckets, moveTaskToDefaultBuckets) and kanban_task_bucket.go (updateTaskBucket).
"""

import threading
import uuid

import pytest
from wire import assert_error, call

ZERO = "0001-01-01T00:00:00Z"


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def kanban_of(project):
    return [v for v in project["views"] if v["view_kind"] == "kanban"][0]


def new_project(server, user):
    return ok(call(server, "PUT", "/projects", token=user["token"], json={"title": "p-" + uuid.uuid4().hex[:6]}), 201)


def create(server, user, project_id, **fields):
    body = {"title": "t-" + uuid.uuid4().hex[:6]}
    body.update(fields)
    return call(server, "PUT", "/projects/%d/tasks" % project_id, token=user["token"], json=body)


def new_task(server, user, project_id, **fields):
    return ok(create(server, user, project_id, **fields), 201)


def buckets_of_task(server, user, task_id):
    t = ok(call(server, "GET", "/tasks/%d" % task_id, token=user["token"], params={"expand": "buckets"}))
    return t, sorted(b["id"] for b in t.get("buckets", []))


def move(server, user, project_id, view_id, bucket_id, task_id):
    return call(server, "POST", "/projects/%d/views/%d/buckets/%d/tasks" % (project_id, view_id, bucket_id),
                token=user["token"], json={"task_id": task_id})


def new_bucket(server, user, project_id, view_id, **fields):
    body = {"title": "b-" + uuid.uuid4().hex[:6]}
    body.update(fields)
    return ok(call(server, "PUT", "/projects/%d/views/%d/buckets" % (project_id, view_id), token=user["token"],
                   json=body), 201)


@pytest.fixture
def project(server, owner):
    return new_project(server, owner)


# ---------------------------------------------------------------------------------------
# create
# ---------------------------------------------------------------------------------------

def test_new_task_lands_in_default_bucket(server, owner, project):
    kanban = kanban_of(project)
    t = new_task(server, owner, project["id"])
    assert buckets_of_task(server, owner, t["id"])[1] == [kanban["default_bucket_id"]]


def test_create_with_bucket_id(server, owner, project):
    kanban = kanban_of(project)
    doing = new_bucket(server, owner, project["id"], kanban["id"])
    t = new_task(server, owner, project["id"], bucket_id=doing["id"])
    assert t["bucket_id"] == doing["id"] and t["done"] is False
    assert buckets_of_task(server, owner, t["id"])[1] == [doing["id"]]


def test_create_into_done_bucket_marks_done(server, owner, project):
    kanban = kanban_of(project)
    t = new_task(server, owner, project["id"], bucket_id=kanban["done_bucket_id"])
    assert t["done"] is True and t["done_at"] != ZERO
    assert t["bucket_id"] == kanban["done_bucket_id"]
    got, buckets = buckets_of_task(server, owner, t["id"])
    assert got["done"] is True and buckets == [kanban["done_bucket_id"]]


def test_create_done_goes_to_done_bucket(server, owner, project):
    kanban = kanban_of(project)
    t = new_task(server, owner, project["id"], done=True)
    assert buckets_of_task(server, owner, t["id"])[1] == [kanban["done_bucket_id"]]


def test_create_with_foreign_or_unknown_bucket(server, owner, project):
    other = new_project(server, owner)
    assert_error(create(server, owner, project["id"], bucket_id=kanban_of(other)["default_bucket_id"]), 404, 10001)
    assert_error(create(server, owner, project["id"], bucket_id=999999999), 404, 10001)


def test_create_respects_bucket_limit(server, owner, project):
    kanban = kanban_of(project)
    small = new_bucket(server, owner, project["id"], kanban["id"], limit=1)
    new_task(server, owner, project["id"], bucket_id=small["id"])
    assert_error(create(server, owner, project["id"], bucket_id=small["id"]), 412, 10004)


# ---------------------------------------------------------------------------------------
# done through an update
# ---------------------------------------------------------------------------------------

def test_done_update_moves_to_done_bucket_of_every_kanban_view(server, owner, project):
    kanban = kanban_of(project)
    second = ok(call(server, "PUT", "/projects/%d/views" % project["id"], token=owner["token"],
                     json={"title": "Board 2", "view_kind": "kanban"}), 201)
    t = new_task(server, owner, project["id"])
    assert buckets_of_task(server, owner, t["id"])[1] == sorted([kanban["default_bucket_id"],
                                                                  second["default_bucket_id"]])
    body = dict(t)
    body["done"] = True
    ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body))
    assert buckets_of_task(server, owner, t["id"])[1] == sorted([kanban["done_bucket_id"], second["done_bucket_id"]])
    body["done"] = False
    ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body))
    assert buckets_of_task(server, owner, t["id"])[1] == sorted([kanban["default_bucket_id"],
                                                                  second["default_bucket_id"]])


def test_undone_outside_done_bucket_stays(server, owner, project):
    kanban = kanban_of(project)
    doing = new_bucket(server, owner, project["id"], kanban["id"])
    t = new_task(server, owner, project["id"], bucket_id=doing["id"])
    body = dict(t)
    body["title"] = "renamed"
    ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body))
    assert buckets_of_task(server, owner, t["id"])[1] == [doing["id"]]


def test_repeating_task_done_goes_back_to_default_bucket(server, owner, project):
    kanban = kanban_of(project)
    doing = new_bucket(server, owner, project["id"], kanban["id"])
    t = new_task(server, owner, project["id"], bucket_id=doing["id"], repeat_after=3600,
                 due_date="2030-01-01T00:00:00Z")
    body = dict(t)
    body["done"] = True
    res = ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body))
    assert res["done"] is False and res["due_date"] == "2030-01-01T01:00:00Z"
    assert buckets_of_task(server, owner, t["id"])[1] == [kanban["default_bucket_id"]]


# ---------------------------------------------------------------------------------------
# the move endpoint
# ---------------------------------------------------------------------------------------

def test_move_response_shape(server, owner, project):
    kanban = kanban_of(project)
    doing = new_bucket(server, owner, project["id"], kanban["id"])
    t = new_task(server, owner, project["id"])
    body = ok(move(server, owner, project["id"], kanban["id"], doing["id"], t["id"]))
    assert list(body.keys()) == ["bucket_id", "bucket", "task_id", "project_view_id", "task"]
    assert body["bucket_id"] == doing["id"] and body["task_id"] == t["id"]
    assert body["project_view_id"] == kanban["id"]
    assert body["bucket"]["id"] == doing["id"] and body["bucket"]["count"] == 1
    assert body["task"]["id"] == t["id"] and body["task"]["bucket_id"] == doing["id"]
    assert body["task"]["done"] is False
    assert buckets_of_task(server, owner, t["id"])[1] == [doing["id"]]


def test_move_into_and_out_of_done_bucket(server, owner, project):
    kanban = kanban_of(project)
    second = ok(call(server, "PUT", "/projects/%d/views" % project["id"], token=owner["token"],
                     json={"title": "Board 2", "view_kind": "kanban"}), 201)
    t = new_task(server, owner, project["id"])
    body = ok(move(server, owner, project["id"], kanban["id"], kanban["done_bucket_id"], t["id"]))
    assert body["task"]["done"] is True and body["task"]["done_at"] != ZERO
    assert body["bucket_id"] == kanban["done_bucket_id"]
    assert buckets_of_task(server, owner, t["id"])[1] == sorted([kanban["done_bucket_id"], second["done_bucket_id"]])
    body = ok(move(server, owner, project["id"], kanban["id"], kanban["default_bucket_id"], t["id"]))
    assert body["task"]["done"] is False and body["task"]["done_at"] == ZERO
    assert body["task"]["bucket_id"] == kanban["default_bucket_id"]


def test_move_repeating_task_into_done_bucket(server, owner, project):
    kanban = kanban_of(project)
    doing = new_bucket(server, owner, project["id"], kanban["id"])
    t = new_task(server, owner, project["id"], bucket_id=doing["id"], repeat_after=86400,
                 due_date="2030-01-01T00:00:00Z", reminders=[{"reminder": "2029-12-31T00:00:00Z"}])
    body = ok(move(server, owner, project["id"], kanban["id"], kanban["done_bucket_id"], t["id"]))
    assert body["bucket_id"] == kanban["default_bucket_id"]
    task = body["task"]
    # Vikunja's move stamps done_at from the final done flag: an advanced repeating task has none.
    assert task["done"] is False and task["done_at"] == ZERO
    assert task["due_date"] == "2030-01-02T00:00:00Z"
    assert task["reminders"][0]["reminder"] == "2030-01-01T00:00:00Z"
    assert task["bucket_id"] == kanban["default_bucket_id"]


def test_move_bucket_limit(server, owner, project):
    kanban = kanban_of(project)
    small = new_bucket(server, owner, project["id"], kanban["id"], limit=1)
    a = new_task(server, owner, project["id"])
    b = new_task(server, owner, project["id"])
    ok(move(server, owner, project["id"], kanban["id"], small["id"], a["id"]))
    assert_error(move(server, owner, project["id"], kanban["id"], small["id"], b["id"]), 412, 10004)
    # the task already in the full bucket may be "moved" there again
    body = ok(move(server, owner, project["id"], kanban["id"], small["id"], a["id"]))
    assert body["bucket"]["count"] == 1


def test_move_errors(server, owner, new_user, project):
    kanban = kanban_of(project)
    other = new_project(server, owner)
    other_kanban = kanban_of(other)
    t = new_task(server, owner, project["id"])
    foreign_task = new_task(server, owner, other["id"])
    list_view = [v for v in project["views"] if v["view_kind"] == "list"][0]
    # a bucket of another view
    assert_error(move(server, owner, project["id"], list_view["id"], kanban["default_bucket_id"], t["id"]),
                 400, 10002)
    # a task of another project
    assert_error(move(server, owner, project["id"], kanban["id"], kanban["default_bucket_id"], foreign_task["id"]),
                 400, 10002)
    # the view of another project
    assert_error(move(server, owner, project["id"], other_kanban["id"], other_kanban["default_bucket_id"],
                      t["id"]), 404, 3014)
    assert_error(move(server, owner, project["id"], kanban["id"], 999999999, t["id"]), 404, 10001)
    assert_error(move(server, owner, project["id"], kanban["id"], kanban["default_bucket_id"], 999999999),
                 404, 4002)
    stranger = new_user()
    assert_error(move(server, stranger, project["id"], kanban["id"], kanban["default_bucket_id"], t["id"]), 403, 0)
    r = call(server, "POST", "/projects/%d/views/%d/buckets/%d/tasks" % (project["id"], kanban["id"],
                                                                          kanban["default_bucket_id"]),
             token=owner["token"], json={"task_id": "x"})
    assert_error(r, 400, 2004)
    r = call(server, "POST", "/projects/%d/views/x/buckets/1/tasks" % project["id"], token=owner["token"],
             json={"task_id": t["id"]})
    assert_error(r, 400, 2004)


def test_moved_task_to_other_project_gets_new_buckets(server, owner, project):
    other = new_project(server, owner)
    t = new_task(server, owner, project["id"], done=True)
    body = dict(t)
    body["project_id"] = other["id"]
    ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body))
    assert buckets_of_task(server, owner, t["id"])[1] == [kanban_of(other)["done_bucket_id"]]


def test_bucket_limit_holds_under_parallel_moves_and_creates(server, owner, project):
    kanban = kanban_of(project)
    small = new_bucket(server, owner, project["id"], kanban["id"], limit=3)
    tasks = [new_task(server, owner, project["id"]) for _ in range(6)]
    results = []
    lock = threading.Lock()

    def run(fn):
        r = fn()
        with lock:
            results.append(r.status_code)

    jobs = [lambda t=t: move(server, owner, project["id"], kanban["id"], small["id"], t["id"]) for t in tasks]
    jobs += [lambda: create(server, owner, project["id"], bucket_id=small["id"]) for _ in range(6)]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results).count(412) == 9, results
    buckets = ok(call(server, "GET", "/projects/%d/views/%d/buckets" % (project["id"], kanban["id"]),
                      token=owner["token"]))
    assert [b["count"] for b in buckets if b["id"] == small["id"]] == [3]
