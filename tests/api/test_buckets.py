"""Kanban buckets: GET/PUT /projects/{project}/views/{view}/buckets, POST/DELETE …/buckets/{bucket}
(spec §2.4, §3.4; client-usage A.1, A.2, D.22, D.35).

Behaviour checked against Vikunja's pkg/models/kanban.go (Create, Update, Delete, ReadAll, getDefaultBucketID)
and kanban_permissions.go (CanCreate: the view must belong to the project, then write on the project;
canDoBucket: the bucket must exist (10001) and its view must belong to the project in the URL (3014)).
"""

import uuid

import pytest
from wire import RFC3339, assert_error, call

BUCKET_KEYS = ["id", "title", "project_view_id", "limit", "count", "position", "created", "updated", "created_by"]


def create_project(api, **body):
    body.setdefault("title", "p-" + uuid.uuid4().hex[:8])
    r = api.put("/projects", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def board(api):
    p = create_project(api)
    return p, p["views"][3]


def url(p, v, bucket=None):
    base = f"/projects/{p['id']}/views/{v['id']}/buckets"
    return base if bucket is None else f"{base}/{bucket}"


def listing(api, p, v):
    r = api.get(url(p, v))
    assert r.status_code == 200, r.text
    return r.json()


def test_list_buckets_shape(authed):
    p, v = board(authed)
    r = authed.get(url(p, v))
    assert r.status_code == 200
    bs = r.json()
    assert [b["title"] for b in bs] == ["To-Do", "Doing", "Done"]
    for b in bs:
        assert list(b.keys()) == BUCKET_KEYS  # no tasks in the plain list
        assert b["project_view_id"] == v["id"] and b["limit"] == 0 and b["count"] == 0
        assert b["created_by"]["id"] == authed.user["id"] and RFC3339.match(b["created"])


def test_create_bucket(authed):
    p, v = board(authed)
    r = authed.put(url(p, v), json={"title": "Review", "limit": 3, "tasks": [], "count": 7, "project_id": p["id"],
                                    "project_view_id": 12345})
    assert r.status_code == 201, r.text
    b = r.json()
    assert list(b.keys()) == BUCKET_KEYS
    assert b["title"] == "Review" and b["limit"] == 3 and b["count"] == 0
    assert b["project_view_id"] == v["id"] and b["position"] == b["id"] * 65536
    assert b["created_by"]["username"] == authed.user["username"]
    assert listing(authed, p, v)[-1]["id"] == b["id"]
    b2 = authed.put(url(p, v), json={"title": "First", "position": 1.25}).json()
    assert b2["position"] == 1.25 and listing(authed, p, v)[0]["id"] == b2["id"]


@pytest.mark.parametrize("body,status,code", [
    ({}, 412, 2002),
    ({"title": ""}, 412, 2002),
    ({"title": "x", "limit": -1}, 412, 2002),
    ({"title": "x", "limit": "3"}, 400, 2004),
    ({"title": 7}, 400, 2004),
    ({"title": "x", "limit": 1e40}, 400, 2004),
])
def test_create_bad_input(authed, body, status, code):
    p, v = board(authed)
    assert_error(authed.put(url(p, v), json=body), status, code)


def test_create_needs_view_of_the_project(authed):
    p, v = board(authed)
    other, ov = board(authed)
    assert_error(authed.put(f"/projects/{p['id']}/views/{ov['id']}/buckets", json={"title": "x"}), 404, 3014)
    assert_error(authed.put(f"/projects/{p['id']}/views/99999999/buckets", json={"title": "x"}), 404, 3014)
    assert_error(authed.get(f"/projects/{p['id']}/views/{ov['id']}/buckets"), 404, 3014)
    assert_error(authed.get(f"/projects/{p['id']}/views/x/buckets"), 400, 2004)


def test_update_bucket_echoes_tasks(authed):
    p, v = board(authed)
    b = listing(authed, p, v)[1]
    tasks = [{"id": 1, "title": "card"}]
    body = dict(b, title="In progress", limit=2, position=250.5, tasks=tasks, count=99)
    r = authed.post(url(p, v, b["id"]), json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["title"] == "In progress" and out["limit"] == 2 and out["position"] == 250.5
    assert out["tasks"] == tasks and out["count"] == 0
    assert out["id"] == b["id"] and out["project_view_id"] == v["id"] and out["created"] == b["created"]
    stored = listing(authed, p, v)
    assert [x["title"] for x in stored] == ["To-Do", "In progress", "Done"]
    assert "tasks" not in stored[0]


def test_update_errors(server, authed, new_user):
    p, v = board(authed)
    b = listing(authed, p, v)[0]
    assert_error(authed.post(url(p, v, 99999999), json={"title": "x"}), 404, 10001)
    assert_error(authed.post(url(p, v, b["id"]), json={"title": ""}), 412, 2002)
    assert_error(authed.post(url(p, v, b["id"]), json={"title": "x", "limit": -5}), 412, 2002)
    assert_error(authed.post(url(p, v, "abc"), json={"title": "x"}), 400, 2004)
    other, ov = board(authed)
    # a bucket of another project through this project's URL
    foreign = listing(authed, other, ov)[0]["id"]
    assert_error(authed.post(url(p, v, foreign), json={"title": "x"}), 404, 3014)
    token = new_user()["token"]
    r = call(server, "POST", url(p, v, b["id"]), token=token, json={"title": "x"})
    assert r.status_code == 403


def test_stranger_is_forbidden(server, authed, new_user):
    p, v = board(authed)
    b = listing(authed, p, v)[0]
    token = new_user()["token"]
    assert call(server, "GET", url(p, v), token=token).status_code == 403
    assert call(server, "PUT", url(p, v), token=token, json={"title": "x"}).status_code == 403
    assert call(server, "DELETE", url(p, v, b["id"]), token=token).status_code == 403


def test_delete_bucket_and_reset_view_ids(authed):
    p, v = board(authed)
    bs = listing(authed, p, v)
    r = authed.delete(url(p, v, bs[1]["id"]))
    assert r.status_code == 200 and r.json() == {"message": "Successfully deleted."}
    view = authed.get(f"/projects/{p['id']}/views/{v['id']}").json()
    assert view["default_bucket_id"] == bs[0]["id"] and view["done_bucket_id"] == bs[2]["id"]
    assert authed.delete(url(p, v, bs[2]["id"])).status_code == 200
    view = authed.get(f"/projects/{p['id']}/views/{v['id']}").json()
    assert view["done_bucket_id"] == 0 and view["default_bucket_id"] == bs[0]["id"]
    # the last bucket stays
    assert_error(authed.delete(url(p, v, bs[0]["id"])), 412, 10003)
    assert [b["id"] for b in listing(authed, p, v)] == [bs[0]["id"]]
    assert_error(authed.delete(url(p, v, 99999999)), 404, 10001)


def test_delete_default_bucket_resets_it(authed):
    p, v = board(authed)
    bs = listing(authed, p, v)
    assert authed.delete(url(p, v, bs[0]["id"])).status_code == 200
    view = authed.get(f"/projects/{p['id']}/views/{v['id']}").json()
    assert view["default_bucket_id"] == 0 and view["done_bucket_id"] == bs[2]["id"]


def test_archived_project_buckets_are_read_only(authed):
    p, v = board(authed)
    child = create_project(authed, parent_project_id=p["id"])
    cv = child["views"][3]
    r = authed.post(f"/projects/{p['id']}", json=dict(p, is_archived=True))
    assert r.status_code == 200, r.text
    assert listing(authed, p, v)
    b = listing(authed, p, v)[0]
    assert_error(authed.put(url(p, v), json={"title": "x"}), 412, 3008)
    assert_error(authed.post(url(p, v, b["id"]), json={"title": "x"}), 412, 3008)
    assert_error(authed.delete(url(p, v, b["id"])), 412, 3008)
    assert_error(authed.put(url(child, cv), json={"title": "x"}), 412, 3008)


def test_bucket_count_and_move_on_delete(authed, server):
    r = call(server, "PUT", "/projects/1/tasks")
    if r.status_code == 404 and r.json() == {"message": "Not Found"}:
        pytest.skip("PUT /projects/{id}/tasks is not served yet")
    p, v = board(authed)
    bs = listing(authed, p, v)
    r = authed.put(f"/projects/{p['id']}/tasks", json={"title": "t", "bucket_id": bs[1]["id"]})
    assert r.status_code == 201, r.text
    assert [b["count"] for b in listing(authed, p, v)] == [0, 1, 0]
    assert authed.delete(url(p, v, bs[1]["id"])).status_code == 200
    assert [b["count"] for b in listing(authed, p, v)] == [1, 0]
