"""Project views: GET/PUT /projects/{project}/views, GET/POST/DELETE /projects/{project}/views/{view}
(spec §2.4, §3.3; client-usage A.1, A.2, D.30, D.35).

Behaviour checked against Vikunja's pkg/models/project_view.go (createProjectView,
normalizeBucketConfigurationMode[OnUpdate], resolveBucketID, syncManualKanbanBuckets, GetProjectViewByIDAndProject,
Delete) and project_view_permissions.go (read = project read; create/update/delete = project admin, which ignores
the archived state).
"""

import uuid

import pytest
from wire import RFC3339, assert_error, call

VIEW_KEYS = ["id", "title", "project_id", "view_kind", "filter", "position", "bucket_configuration_mode",
             "bucket_configuration", "default_bucket_id", "done_bucket_id", "updated", "created"]


def create_project(api, **body):
    body.setdefault("title", "p-" + uuid.uuid4().hex[:8])
    r = api.put("/projects", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def create_view(api, pid, **body):
    body.setdefault("title", "v-" + uuid.uuid4().hex[:6])
    r = api.put(f"/projects/{pid}/views", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def buckets(api, pid, vid):
    r = api.get(f"/projects/{pid}/views/{vid}/buckets")
    assert r.status_code == 200, r.text
    return r.json()


def test_list_and_read_views(authed):
    p = create_project(authed)
    r = authed.get(f"/projects/{p['id']}/views")
    assert r.status_code == 200
    views = r.json()
    assert views == p["views"]
    assert r.headers["x-pagination-total-pages"] == "1"
    r = authed.get(f"/projects/{p['id']}/views/{views[1]['id']}")
    assert r.status_code == 200 and r.headers["x-max-permission"] == "2"
    assert list(r.json().keys()) == VIEW_KEYS and r.json() == views[1]


def test_create_list_view(authed):
    p = create_project(authed)
    v = create_view(authed, p["id"], title="Mine", view_kind="list", bucket_configuration_mode="manual",
                    filter={"filter": "done = true", "s": "x", "sort_by": ["due_date"], "order_by": ["asc"],
                            "filter_include_nulls": True})
    assert list(v.keys()) == VIEW_KEYS
    assert v["project_id"] == p["id"] and v["title"] == "Mine" and v["view_kind"] == "list"
    assert v["position"] == v["id"] * 65536
    assert v["bucket_configuration_mode"] == "none"  # forced for non-kanban views
    assert v["filter"] == {"s": "x", "sort_by": ["due_date"], "order_by": ["asc"], "filter": "done = true",
                           "filter_include_nulls": True}
    assert RFC3339.match(v["created"]) and RFC3339.match(v["updated"])
    views = authed.get(f"/projects/{p['id']}/views").json()
    assert views[-1] == v and [x["position"] for x in views] == sorted(x["position"] for x in views)


def test_create_kanban_view_gets_default_buckets(authed):
    p = create_project(authed)
    v = create_view(authed, p["id"], view_kind="kanban", position=50)
    assert v["bucket_configuration_mode"] == "manual" and v["position"] == 50
    bs = buckets(authed, p["id"], v["id"])
    assert [b["title"] for b in bs] == ["To-Do", "Doing", "Done"]
    assert v["default_bucket_id"] == bs[0]["id"] and v["done_bucket_id"] == bs[2]["id"]
    # position 50 puts it first: views[0] is the default view for clients
    assert authed.get(f"/projects/{p['id']}").json()["views"][0]["id"] == v["id"]


def test_create_filter_mode_kanban_has_no_buckets(authed):
    p = create_project(authed)
    v = create_view(authed, p["id"], view_kind="kanban", bucket_configuration_mode="filter",
                    bucket_configuration=[{"title": "Open", "filter": {"filter": "done = false"}}])
    assert v["bucket_configuration_mode"] == "filter"
    assert v["bucket_configuration"][0]["title"] == "Open"
    assert v["bucket_configuration"][0]["filter"]["filter"] == "done = false"
    assert buckets(authed, p["id"], v["id"]) == []
    assert v["default_bucket_id"] == 0 and v["done_bucket_id"] == 0


@pytest.mark.parametrize("body,status,code", [
    ({"title": ""}, 412, 2002),
    ({"title": "x" * 251}, 412, 2002),
    ({"title": "x", "view_kind": "calendar"}, 400, 2004),
    ({"title": "x", "view_kind": 3}, 400, 2004),
    ({"title": "x", "bucket_configuration_mode": "auto"}, 400, 2004),
    ({"title": "x", "filter": "done = true"}, 400, 2004),
    ({"title": "x", "position": "first"}, 400, 2004),
    ({"title": "x", "bucket_configuration": {"title": "x"}}, 400, 2004),
])
def test_create_bad_input(authed, body, status, code):
    p = create_project(authed)
    assert_error(authed.put(f"/projects/{p['id']}/views", json=body), status, code)


def test_view_of_another_project_is_3014(authed):
    a = create_project(authed)
    b = create_project(authed)
    foreign = b["views"][0]["id"]
    assert_error(authed.get(f"/projects/{a['id']}/views/{foreign}"), 404, 3014)
    assert_error(authed.post(f"/projects/{a['id']}/views/{foreign}", json={"title": "x"}), 404, 3014)
    assert_error(authed.delete(f"/projects/{a['id']}/views/{foreign}"), 404, 3014)
    assert_error(authed.get(f"/projects/{a['id']}/views/99999999"), 404, 3014)
    assert_error(authed.get(f"/projects/{a['id']}/views/abc"), 400, 2004)


def test_missing_project(authed):
    assert_error(authed.get("/projects/99999999/views"), 404, 3001)
    assert_error(authed.put("/projects/99999999/views", json={"title": "x"}), 404, 3001)
    assert_error(authed.get("/projects/99999999/views/1"), 404, 3001)
    assert_error(authed.get("/projects/zz/views"), 400, 2004)


def test_stranger_is_forbidden(server, authed, new_user):
    p = create_project(authed)
    v = p["views"][0]
    token = new_user()["token"]
    assert call(server, "GET", f"/projects/{p['id']}/views", token=token).status_code == 403
    assert call(server, "GET", f"/projects/{p['id']}/views/{v['id']}", token=token).status_code == 403
    assert call(server, "PUT", f"/projects/{p['id']}/views", token=token, json={"title": "x"}).status_code == 403
    assert call(server, "POST", f"/projects/{p['id']}/views/{v['id']}", token=token,
                json={"title": "x"}).status_code == 403
    assert call(server, "DELETE", f"/projects/{p['id']}/views/{v['id']}", token=token).status_code == 403


def test_update_view(authed):
    p = create_project(authed)
    v = p["views"][0]
    body = dict(v, title="Renamed", position=1.5, filter={"filter": "priority > 2"})
    r = authed.post(f"/projects/{p['id']}/views/{v['id']}", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["title"] == "Renamed" and out["position"] == 1.5 and out["filter"]["filter"] == "priority > 2"
    assert out["id"] == v["id"] and out["project_id"] == p["id"] and out["created"] == v["created"]
    assert authed.get(f"/projects/{p['id']}/views/{v['id']}").json() == out


def test_update_kanban_keeps_mode_and_checks_bucket_ids(authed):
    p = create_project(authed)
    kanban = p["views"][3]
    bs = buckets(authed, p["id"], kanban["id"])
    body = {"title": "Board", "view_kind": "kanban", "done_bucket_id": bs[1]["id"],
            "default_bucket_id": bs[0]["id"]}
    r = authed.post(f"/projects/{p['id']}/views/{kanban['id']}", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["bucket_configuration_mode"] == "manual" and r.json()["done_bucket_id"] == bs[1]["id"]
    # a bucket of another view: 10002; an unknown bucket reads as none
    other = create_project(authed)
    foreign = buckets(authed, other["id"], other["views"][3]["id"])[0]["id"]
    assert_error(authed.post(f"/projects/{p['id']}/views/{kanban['id']}",
                             json=dict(body, done_bucket_id=foreign)), 400, 10002)
    r = authed.post(f"/projects/{p['id']}/views/{kanban['id']}", json=dict(body, done_bucket_id=99999999))
    assert r.status_code == 200 and r.json()["done_bucket_id"] == 0


def test_list_view_turned_kanban_gets_buckets(authed):
    p = create_project(authed)
    v = p["views"][1]
    r = authed.post(f"/projects/{p['id']}/views/{v['id']}", json={"title": "Now kanban", "view_kind": "kanban"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["bucket_configuration_mode"] == "manual"
    bs = buckets(authed, p["id"], v["id"])
    assert [b["title"] for b in bs] == ["To-Do", "Doing", "Done"]
    assert out["default_bucket_id"] == bs[0]["id"] and out["done_bucket_id"] == bs[2]["id"]


def test_delete_view(authed):
    p = create_project(authed)
    kanban = p["views"][3]
    r = authed.delete(f"/projects/{p['id']}/views/{kanban['id']}")
    assert r.status_code == 200 and r.json() == {"message": "Successfully deleted."}
    assert_error(authed.get(f"/projects/{p['id']}/views/{kanban['id']}"), 404, 3014)
    assert [v["id"] for v in authed.get(f"/projects/{p['id']}").json()["views"]] == \
        [v["id"] for v in p["views"][:3]]
    assert_error(authed.get(f"/projects/{p['id']}/views/{kanban['id']}/buckets"), 404, 3014)


def test_views_of_archived_project_follow_admin_rule(authed):
    # Vikunja's view permissions ask Project.IsAdmin, which does not look at the archived state.
    p = create_project(authed)
    r = authed.post(f"/projects/{p['id']}", json=dict(p, is_archived=True))
    assert r.status_code == 200, r.text
    assert authed.get(f"/projects/{p['id']}/views").status_code == 200
    assert authed.put(f"/projects/{p['id']}/views", json={"title": "x"}).status_code == 201


def test_favorites_pseudo_views(authed):
    r = authed.get("/projects/-1/views/-1")
    assert r.status_code == 200, r.text
    assert r.json()["view_kind"] == "list" and r.json()["filter"]["filter"] == "done = false"
    assert [v["id"] for v in authed.get("/projects/-1/views").json()] == [-1, -2, -3]
    assert_error(authed.get("/projects/-1/views/-4"), 404, 3014)
    assert authed.put("/projects/-1/views", json={"title": "x"}).status_code == 403


def test_saved_filter_views_belong_to_its_owner(server, authed, new_user):
    r = authed.get("/projects", params={"page": 0})
    f = [p for p in r.json() if p["id"] < -1][0]
    v = create_view(authed, f["id"], title="Extra", view_kind="table")
    assert v["project_id"] == f["id"]
    assert authed.get(f"/projects/{f['id']}/views/{v['id']}").status_code == 200
    token = new_user()["token"]
    assert call(server, "PUT", f"/projects/{f['id']}/views", token=token, json={"title": "x"}).status_code == 403
    assert authed.delete(f"/projects/{f['id']}/views/{v['id']}").status_code == 200
    assert_error(authed.put("/projects/-99999999/views", json={"title": "x"}), 404, 11001)


def test_invalid_filters_are_refused(authed):
    p = create_project(authed)
    assert_error(authed.put(f"/projects/{p['id']}/views", json={"title": "x", "filter": {"filter": "foo = 1"}}),
                 400, 4016)
    body = {"title": "x", "view_kind": "kanban", "bucket_configuration_mode": "filter",
            "bucket_configuration": [{"title": "b", "filter": {"filter": "foo = 1"}}]}
    assert_error(authed.put(f"/projects/{p['id']}/views", json=body), 400, 4016)
    v = p["views"][0]
    assert_error(authed.post(f"/projects/{p['id']}/views/{v['id']}", json=dict(v, filter={"filter": "foo = 1"})),
                 400, 4016)
    assert authed.get(f"/projects/{p['id']}/views/{v['id']}").json()["filter"]["filter"] == "done = false"


def test_new_view_places_existing_tasks(authed, server):
    r = call(server, "PUT", "/projects/1/tasks")
    if r.status_code == 404 and r.json() == {"message": "Not Found"}:
        pytest.skip("PUT /projects/{id}/tasks is not served yet")
    p = create_project(authed)
    ids = []
    for title in ("a", "b"):
        r = authed.put(f"/projects/{p['id']}/tasks", json={"title": title})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    v = create_view(authed, p["id"], view_kind="kanban", bucket_configuration_mode="manual")
    bs = buckets(authed, p["id"], v["id"])
    assert [b["count"] for b in bs] == [2, 0, 0]
    lv = create_view(authed, p["id"], view_kind="list")
    r = authed.get(f"/projects/{p['id']}/views/{lv['id']}/tasks", params={"sort_by": "position", "order_by": "asc"})
    assert r.status_code == 200, r.text
    tasks = r.json()
    assert [t["id"] for t in tasks] == ids
    assert [t["position"] for t in tasks] == [2 ** 31, 2 ** 32]
