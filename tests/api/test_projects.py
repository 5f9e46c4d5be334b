"""Projects: GET/PUT /projects, GET/POST/DELETE /projects/{project} (spec §1.3, §2.3, §2.8b, §3.2;
client-usage A.1, A.2, A.7, D.8, D.9, D.30, D.35, D.36).

Behaviour checked against Vikunja's pkg/models/project.go (ReadAll, getRawProjectsForUser, CreateProject,
checkProjectBeforeUpdateOrDelete, checkProjectParentBeforeUpdate, UpdateProject, recalculateProjectPositions,
Delete), project_permissions.go (CanRead/CanWrite/CanUpdate/CanDelete/CanCreate/IsAdmin), favorites.go and
saved_filters.go (ToProject).
"""

import uuid

import pytest
from wire import RFC3339, assert_error, call

PROJECT_KEYS = ["id", "title", "description", "identifier", "hex_color", "parent_project_id", "owner",
                "is_archived", "background_information", "background_blur_hash", "is_favorite", "position",
                "views", "max_permission", "created", "updated"]
VIEW_KEYS = ["id", "title", "project_id", "view_kind", "filter", "position", "bucket_configuration_mode",
             "bucket_configuration", "default_bucket_id", "done_bucket_id", "updated", "created"]


def uid():
    return uuid.uuid4().hex[:8]


def create(api, **body):
    body.setdefault("title", "p-" + uid())
    r = api.put("/projects", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def get(api, pid):
    r = api.get(f"/projects/{pid}")
    assert r.status_code == 200, r.text
    return r.json()


def update(api, pid, **body):
    return api.post(f"/projects/{pid}", json=body)


def updated(api, project, **changes):
    body = dict(project, **changes)
    r = update(api, project["id"], **body)
    assert r.status_code == 200, r.text
    return r.json()


def listing(api, **params):
    params.setdefault("page", 0)
    r = api.get("/projects", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def default_project_id(api):
    r = api.get("/user")
    assert r.status_code == 200, r.text
    return r.json()["settings"]["default_project_id"]


def stranger_token(new_user):
    return new_user()["token"]


def tasks_served(server):
    r = call(server, "PUT", "/projects/1/tasks")
    return not (r.status_code == 404 and r.json() == {"message": "Not Found"})


# ---------------------------------------------------------------------------------------
# create
# ---------------------------------------------------------------------------------------

def test_create_returns_project_with_default_views_and_buckets(authed):
    p = create(authed, title="Groceries", description="<p>milk</p>")
    assert list(p.keys()) == PROJECT_KEYS
    assert p["title"] == "Groceries" and p["description"] == "<p>milk</p>"
    assert p["parent_project_id"] == 0 and p["is_archived"] is False and p["is_favorite"] is False
    assert p["position"] == p["id"] * 65536
    assert p["background_information"] is None and p["background_blur_hash"] == ""
    assert p["owner"]["id"] == authed.user["id"] and p["owner"]["username"] == authed.user["username"]
    assert "email" not in p["owner"]
    assert p["max_permission"] == 0
    assert RFC3339.match(p["created"]) and RFC3339.match(p["updated"])
    views = p["views"]
    assert [(v["title"], v["view_kind"], v["position"]) for v in views] == [
        ("List", "list", 100), ("Gantt", "gantt", 200), ("Table", "table", 300), ("Kanban", "kanban", 400)]
    for v in views:
        assert list(v.keys()) == VIEW_KEYS
        assert v["project_id"] == p["id"]
    assert views[0]["filter"] == {"s": "", "sort_by": None, "order_by": None, "filter": "done = false",
                                  "filter_include_nulls": False}
    assert [v["filter"] for v in views[1:]] == [None, None, None]
    assert [v["bucket_configuration_mode"] for v in views] == ["none", "none", "none", "manual"]
    kanban = views[3]
    buckets = authed.get(f"/projects/{p['id']}/views/{kanban['id']}/buckets").json()
    assert [(b["title"], b["position"]) for b in buckets] == [("To-Do", 100), ("Doing", 200), ("Done", 300)]
    assert kanban["default_bucket_id"] == buckets[0]["id"] and kanban["done_bucket_id"] == buckets[2]["id"]
    assert views[0]["default_bucket_id"] == 0 and views[0]["done_bucket_id"] == 0


def test_create_normalises_identifier_and_colour(authed):
    p = create(authed, identifier="ab" + uid()[:4], hex_color="#A1b2C3")
    assert p["identifier"] == p["identifier"].upper() and len(p["identifier"]) == 6
    assert p["hex_color"] == "A1b2C3"
    # seven characters are allowed in; the '#' goes and at most six stay
    p = create(authed, hex_color="1234567")
    assert p["hex_color"] == "123456"


def test_create_honours_position_and_favourite(authed):
    p = create(authed, position=12.5, is_favorite=True)
    assert p["position"] == 12.5 and p["is_favorite"] is True
    assert get(authed, p["id"])["is_favorite"] is True


def test_create_ignores_read_only_fields(authed):
    body = {"title": "x" + uid(), "id": 999999, "owner": {"id": 12345}, "views": [], "max_permission": None,
            "created": "2001-01-01T00:00:00Z", "background_information": None, "subscription": None}
    r = authed.put("/projects", json=body)
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["id"] != 999999 and p["owner"]["id"] == authed.user["id"] and len(p["views"]) == 4
    assert not p["created"].startswith("2001")


@pytest.mark.parametrize("body", [
    {},
    {"title": ""},
    {"title": "x" * 251},
    {"title": "ok", "identifier": "ABCDEFGHIJK"},
    {"title": "ok", "hex_color": "#1234567"},
])
def test_create_validation_is_412_2002(authed, body):
    r = authed.put("/projects", json=body)
    err = assert_error(r, 412, 2002)
    assert err["invalid_fields"]


def test_create_title_counts_characters_not_bytes(authed):
    p = create(authed, title="ä" * 250)
    assert p["title"] == "ä" * 250


@pytest.mark.parametrize("body", [
    {"title": 5},
    {"title": "ok", "parent_project_id": "1"},
    {"title": "ok", "is_archived": "yes"},
    {"title": "ok", "position": "high"},
    {"title": "ok", "parent_project_id": 1e30},
])
def test_create_wrong_types_are_400_2004(authed, body):
    assert_error(authed.put("/projects", json=body), 400, 2004)


def test_create_malformed_json_is_400(authed):
    r = authed.put("/projects", data="{nope", headers={"Content-Type": "application/json"})
    assert_error(r, 400, 2004)


def test_identifier_is_unique_across_users(server, authed, new_user):
    ident = "U" + uid()[:6].upper()
    create(authed, identifier=ident)
    assert_error(authed.put("/projects", json={"title": "x", "identifier": ident.lower()}), 400, 3007)
    other = new_user()
    r = call(server, "PUT", "/projects", token=other["token"], json={"title": "y", "identifier": ident})
    assert_error(r, 400, 3007)


def test_create_child_needs_write_on_parent(server, authed, new_user):
    parent = create(authed)
    child = create(authed, parent_project_id=parent["id"])
    assert child["parent_project_id"] == parent["id"]
    other = new_user()
    r = call(server, "PUT", "/projects", token=other["token"],
             json={"title": "intruder", "parent_project_id": parent["id"]})
    assert_error(r, 403, 0)


def test_create_with_missing_parent_is_404_3001(authed):
    assert_error(authed.put("/projects", json={"title": "x", "parent_project_id": 99999999}), 404, 3001)


@pytest.mark.parametrize("parent", [-1, -2, -500])
def test_create_under_pseudo_parent_is_3009(authed, parent):
    assert_error(authed.put("/projects", json={"title": "x", "parent_project_id": parent}), 412, 3009)


def test_create_under_archived_parent_is_3008(authed):
    parent = create(authed)
    updated(authed, parent, is_archived=True)
    assert_error(authed.put("/projects", json={"title": "x", "parent_project_id": parent["id"]}), 412, 3008)


# ---------------------------------------------------------------------------------------
# read one
# ---------------------------------------------------------------------------------------

def test_read_one_sets_max_permission_header(authed):
    p = create(authed)
    r = authed.get(f"/projects/{p['id']}")
    assert r.status_code == 200
    assert r.headers["x-max-permission"] == "2"
    body = r.json()
    assert list(body.keys()) == PROJECT_KEYS
    assert body["max_permission"] == 0
    assert [v["position"] for v in body["views"]] == [100, 200, 300, 400]


def test_read_one_errors(server, authed, new_user):
    p = create(authed)
    assert_error(authed.get("/projects/99999999"), 404, 3001)
    assert_error(authed.get("/projects/abc"), 400, 2004)
    assert_error(authed.get("/projects/99999999999999999999999"), 400, 2004)
    other = new_user()
    r = call(server, "GET", f"/projects/{p['id']}", token=other["token"])
    assert r.status_code == 403


def test_read_favorites_pseudo_project(authed):
    r = authed.get("/projects/-1")
    assert r.status_code == 200, r.text
    assert r.headers["x-max-permission"] == "0"
    p = r.json()
    assert p["id"] == -1 and p["title"] == "Favorites" and p["is_favorite"] is True and p["position"] == -1
    assert p["parent_project_id"] == 0 and p["owner"]["id"] == authed.user["id"]
    assert [(v["id"], v["view_kind"]) for v in p["views"]] == [(-1, "list"), (-2, "gantt"), (-3, "table")]
    assert p["views"][0]["filter"]["filter"] == "done = false"


def test_read_saved_filter_pseudo_project(server, authed, new_user):
    filters = [p for p in listing(authed) if p["id"] < -1]
    assert filters, "every account has the My Open Tasks filter"
    f = filters[0]
    r = authed.get(f"/projects/{f['id']}")
    assert r.status_code == 200, r.text
    assert r.headers["x-max-permission"] == "2"
    body = r.json()
    assert body["title"] == f["title"] and body["parent_project_id"] == 0
    assert body["owner"]["id"] == authed.user["id"]
    other = new_user()
    assert call(server, "GET", f"/projects/{f['id']}", token=other["token"]).status_code == 403
    assert_error(authed.get("/projects/-99999999"), 404, 11001)


# ---------------------------------------------------------------------------------------
# list
# ---------------------------------------------------------------------------------------

def test_list_is_flat_ordered_and_has_views(authed):
    inbox = default_project_id(authed)
    a = create(authed, title="A", position=3 * 1e12)
    b = create(authed, title="B", position=1e12)
    c = create(authed, title="C", parent_project_id=a["id"], position=2 * 1e12)
    projects = listing(authed)
    real = [p for p in projects if p["id"] > 0]
    assert [p["id"] for p in real] == [inbox, b["id"], c["id"], a["id"]]
    for p in real:
        assert list(p.keys()) == PROJECT_KEYS
        assert p["max_permission"] is None
        assert [v["position"] for v in p["views"]] == sorted(v["position"] for v in p["views"])
        assert len(p["views"]) == 4
    assert next(p for p in real if p["id"] == c["id"])["parent_project_id"] == a["id"]


def test_list_expand_permissions(authed):
    create(authed)
    for p in listing(authed, expand="permissions"):
        assert p["max_permission"] == (0 if p["id"] == -1 else 2)


def test_list_appends_saved_filters(authed):
    projects = listing(authed)
    filters = [p for p in projects if p["id"] < -1]
    assert [f["title"] for f in filters] == ["My Open Tasks"]
    f = filters[0]
    assert projects[-1] == f
    assert f["owner"]["id"] == authed.user["id"] and f["parent_project_id"] == 0 and f["position"] == 0
    assert isinstance(f["views"], list)


def test_list_archived_only_on_request(authed):
    p = create(authed)
    updated(authed, p, is_archived=True)
    assert p["id"] not in [x["id"] for x in listing(authed)]
    archived = [x for x in listing(authed, is_archived="true") if x["id"] == p["id"]]
    assert archived and archived[0]["is_archived"] is True


def test_list_search_by_text_and_ids(authed):
    tag = "q" + uid()
    a = create(authed, title="Alpha " + tag)
    b = create(authed, title="beta", description="about " + tag.upper())
    c = create(authed, title="gamma", identifier=tag[:5])
    found = [p["id"] for p in listing(authed, s=tag[:5]) if p["id"] > 0]
    assert sorted(found) == sorted([a["id"], b["id"], c["id"]])
    found = [p["id"] for p in listing(authed, s=f"{a['id']},{c['id']}") if p["id"] > 0]
    assert sorted(found) == sorted([a["id"], c["id"]])


def test_list_pagination_headers(authed):
    for _ in range(3):
        create(authed)
    r = authed.get("/projects", params={"per_page": 2, "page": 1})
    assert r.status_code == 200
    assert r.headers["x-pagination-total-pages"] == "2"  # inbox + 3 = 4 real projects
    real = [p for p in r.json() if p["id"] > 0]
    assert len(real) == 2
    r2 = authed.get("/projects", params={"per_page": 2, "page": 2})
    assert not {p["id"] for p in real} & {p["id"] for p in r2.json() if p["id"] > 0}


def test_list_only_own_projects(server, authed, new_user):
    mine = create(authed)
    other = new_user()
    r = call(server, "GET", "/projects", token=other["token"], params={"page": 0})
    assert r.status_code == 200
    assert mine["id"] not in [p["id"] for p in r.json()]


def test_favorite_project_flag_is_per_user(authed):
    p = create(authed)
    fav = updated(authed, p, is_favorite=True)
    assert fav["is_favorite"] is True
    assert next(x for x in listing(authed) if x["id"] == p["id"])["is_favorite"] is True
    unfav = updated(authed, get(authed, p["id"]), is_favorite=False)
    assert unfav["is_favorite"] is False


def test_favorites_pseudo_project_listed_only_with_favourite_task(authed, server):
    assert -1 not in [p["id"] for p in listing(authed)]
    if not tasks_served(server):
        pytest.skip("PUT /projects/{id}/tasks is not served yet")
    p = create(authed)
    r = authed.put(f"/projects/{p['id']}/tasks", json={"title": "t", "is_favorite": True})
    assert r.status_code == 201, r.text
    projects = listing(authed, expand="permissions")
    fav = [x for x in projects if x["id"] == -1]
    assert fav and fav[0]["title"] == "Favorites" and fav[0]["is_favorite"] is True and fav[0]["position"] == -1
    assert [v["id"] for v in fav[0]["views"]] == [-1, -2, -3]
    assert fav[0]["max_permission"] == 0


# ---------------------------------------------------------------------------------------
# update
# ---------------------------------------------------------------------------------------

def test_update_writes_fields_and_keeps_omitted_ones(authed):
    parent = create(authed)
    p = create(authed, description="keep me", parent_project_id=parent["id"])
    r = update(authed, p["id"], title="renamed", hex_color="#00ff00", identifier="zz" + uid()[:3])
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body.keys()) == PROJECT_KEYS
    assert body["title"] == "renamed" and body["hex_color"] == "00ff00"
    assert body["identifier"] == body["identifier"].upper()
    # description only written when non-empty, parent only when sent
    assert body["description"] == "keep me" and body["parent_project_id"] == parent["id"]
    # position is always written: omitted → 0 → the siblings are recalculated
    assert body["position"] > 0
    assert len(body["views"]) == 4


def test_update_accepts_the_whole_web_client_model(authed):
    p = create(authed)
    body = dict(p, title="from web", max_permission=None, subscription=None)
    r = update(authed, p["id"], **body)
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "from web" and r.json()["position"] == p["position"]


def test_update_errors(server, authed, new_user):
    p = create(authed)
    assert_error(update(authed, p["id"], title=""), 412, 2002)
    assert_error(update(authed, 99999999, title="x"), 404, 3001)
    assert_error(update(authed, "abc", title="x"), 400, 2004)
    assert_error(update(authed, p["id"], title=["x"]), 400, 2004)
    assert update(authed, -1, title="x").status_code == 403
    other = new_user()
    r = call(server, "POST", f"/projects/{p['id']}", token=other["token"], json={"title": "x"})
    assert r.status_code == 403


def test_update_identifier_conflict_is_3007(authed):
    ident = "C" + uid()[:5].upper()
    create(authed, identifier=ident)
    p = create(authed)
    assert_error(update(authed, p["id"], title="x", identifier=ident), 400, 3007)
    # its own identifier is no conflict
    q = create(authed, identifier="D" + uid()[:5])
    assert updated(authed, q, title="same ident")["identifier"] == q["identifier"]


def test_move_and_cycles(authed):
    a = create(authed)
    b = create(authed, parent_project_id=a["id"])
    c = create(authed, parent_project_id=b["id"])
    assert_error(update(authed, a["id"], title="a", parent_project_id=a["id"]), 412, 3010)
    assert_error(update(authed, a["id"], title="a", parent_project_id=c["id"]), 412, 3011)
    assert_error(update(authed, a["id"], title="a", parent_project_id=-1), 412, 3009)
    assert_error(update(authed, a["id"], title="a", parent_project_id=99999999), 404, 3001)
    moved = updated(authed, c, parent_project_id=a["id"])
    assert moved["parent_project_id"] == a["id"]
    detached = updated(authed, get(authed, c["id"]), parent_project_id=0)
    assert detached["parent_project_id"] == 0


def test_move_under_foreign_project_is_forbidden(server, authed, new_user):
    p = create(authed)
    other = new_user()
    r = call(server, "PUT", "/projects", token=other["token"], json={"title": "theirs"})
    theirs = r.json()
    assert update(authed, p["id"], title="x", parent_project_id=theirs["id"]).status_code == 403


def test_archive_cascades_and_makes_read_only(authed):
    parent = create(authed)
    child = create(authed, parent_project_id=parent["id"])
    archived = updated(authed, parent, is_archived=True)
    assert archived["is_archived"] is True
    assert get(authed, child["id"])["is_archived"] is True
    # editing an archived project or its child: 3008
    assert_error(update(authed, parent["id"], title="edit", is_archived=True), 412, 3008)
    assert_error(update(authed, child["id"], title="edit", is_archived=True), 412, 3008)
    # un-archiving the child while the parent is archived: 3016
    assert_error(update(authed, child["id"], title=child["title"], parent_project_id=parent["id"]), 412, 3016)
    # the archived child is read-only: no new buckets there
    kanban = child["views"][3]
    assert_error(authed.put(f"/projects/{child['id']}/views/{kanban['id']}/buckets", json={"title": "b"}), 412, 3008)
    restored = updated(authed, get(authed, parent["id"]), is_archived=False)
    assert restored["is_archived"] is False
    assert get(authed, child["id"])["is_archived"] is False


def test_archived_project_shows_its_header(authed):
    p = create(authed)
    updated(authed, p, is_archived=True)
    r = authed.get(f"/projects/{p['id']}")
    assert r.status_code == 200 and r.json()["is_archived"] is True
    # Vikunja's header is the granted level (CanRead); clients read is_archived for the read-only state.
    assert r.headers["x-max-permission"] == "2"


def test_default_project_cannot_be_archived(authed):
    inbox = get(authed, default_project_id(authed))
    assert_error(update(authed, inbox["id"], title=inbox["title"], is_archived=True), 412, 3013)


def test_position_below_threshold_recalculates_siblings(authed):
    parent = create(authed)
    kids = [create(authed, parent_project_id=parent["id"]) for _ in range(3)]
    moved = updated(authed, kids[2], position=0.01)
    positions = {p["id"]: p["position"] for p in listing(authed) if p["parent_project_id"] == parent["id"]}
    assert moved["position"] == positions[kids[2]["id"]]
    step = 2 ** 32 / 3
    assert sorted(positions.values()) == pytest.approx([step, 2 * step, 3 * step])
    assert positions[kids[2]["id"]] == pytest.approx(step)


def test_update_saved_filter_pseudo_project(authed):
    f = [p for p in listing(authed) if p["id"] < -1][0]
    r = update(authed, f["id"], title="Renamed filter", description="d", is_favorite=True)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == f["id"] and body["title"] == "Renamed filter" and body["is_favorite"] is True
    assert get(authed, f["id"])["title"] == "Renamed filter"
    assert_error(update(authed, -99999999, title="x"), 404, 11001)


# ---------------------------------------------------------------------------------------
# delete
# ---------------------------------------------------------------------------------------

def test_delete_project_and_children(authed):
    parent = create(authed)
    child = create(authed, parent_project_id=parent["id"])
    grandchild = create(authed, parent_project_id=child["id"])
    r = authed.delete(f"/projects/{parent['id']}")
    assert r.status_code == 200 and r.json() == {"message": "Successfully deleted."}
    for p in (parent, child, grandchild):
        assert_error(authed.get(f"/projects/{p['id']}"), 404, 3001)
        assert_error(authed.get(f"/projects/{p['id']}/views/{p['views'][0]['id']}"), 404, 3001)


def test_delete_archived_project_is_allowed(authed):
    p = create(authed)
    updated(authed, p, is_archived=True)
    assert authed.delete(f"/projects/{p['id']}").status_code == 200


def test_delete_errors(server, authed, new_user):
    p = create(authed)
    assert_error(authed.delete("/projects/99999999"), 404, 3001)
    assert_error(authed.delete("/projects/x1"), 400, 2004)
    assert authed.delete("/projects/-1").status_code == 403
    other = new_user()
    assert call(server, "DELETE", f"/projects/{p['id']}", token=other["token"]).status_code == 403
    assert_error(authed.delete(f"/projects/{default_project_id(authed)}"), 412, 3012)
    # a default project somewhere below also blocks the delete
    parent = create(authed)
    inbox = get(authed, default_project_id(authed))
    updated(authed, inbox, parent_project_id=parent["id"])
    assert_error(authed.delete(f"/projects/{parent['id']}"), 412, 3012)
    assert get(authed, inbox["id"])["parent_project_id"] == parent["id"]


def test_delete_hard_deletes_tasks(authed, server):
    if not tasks_served(server):
        pytest.skip("PUT /projects/{id}/tasks is not served yet")
    parent = create(authed)
    child = create(authed, parent_project_id=parent["id"])
    tasks = []
    for p in (parent, child):
        r = authed.put(f"/projects/{p['id']}/tasks", json={"title": "t", "is_favorite": True})
        assert r.status_code == 201, r.text
        tasks.append(r.json())
    assert authed.delete(f"/projects/{parent['id']}").status_code == 200
    for t in tasks:
        assert_error(authed.get(f"/tasks/{t['id']}"), 404, 4002)
    # the favourite tasks went with them: no Favorites pseudo-project any more
    assert -1 not in [p["id"] for p in listing(authed)]


# ---------------------------------------------------------------------------------------
# duplicate
# ---------------------------------------------------------------------------------------

def test_duplicate_project(authed, server):
    parent = create(authed)
    src = create(authed, title="Source", description="d", hex_color="123456", identifier="S" + uid()[:5])
    kanban = src["views"][3]
    bucket_ids = [b["id"] for b in authed.get(f"/projects/{src['id']}/views/{kanban['id']}/buckets").json()]
    extra = authed.put(f"/projects/{src['id']}/views/{kanban['id']}/buckets", json={"title": "Extra", "limit": 4})
    assert extra.status_code == 201
    tasks = []
    if tasks_served(server):
        for title in ("one", "two"):
            r = authed.put(f"/projects/{src['id']}/tasks", json={"title": title, "bucket_id": bucket_ids[1]})
            assert r.status_code == 201, r.text
            tasks.append(r.json())
    r = authed.put(f"/projects/{src['id']}/duplicate", json={"parent_project_id": parent["id"]})
    assert r.status_code == 201, r.text
    body = r.json()
    assert list(body.keys()) == ["parent_project_id", "duplicated_project"]
    copy = body["duplicated_project"]
    assert list(copy.keys()) == PROJECT_KEYS
    assert copy["id"] != src["id"] and copy["title"] == "Source - duplicate"
    assert copy["parent_project_id"] == parent["id"] and copy["identifier"] == ""
    assert copy["description"] == "d" and copy["hex_color"] == "123456"
    assert [(v["title"], v["view_kind"], v["position"], v["filter"]) for v in copy["views"]] == \
        [(v["title"], v["view_kind"], v["position"], v["filter"]) for v in src["views"]]
    ck = copy["views"][3]
    copied_buckets = authed.get(f"/projects/{copy['id']}/views/{ck['id']}/buckets").json()
    assert [(b["title"], b["limit"]) for b in copied_buckets] == [("To-Do", 0), ("Doing", 0), ("Done", 0),
                                                                   ("Extra", 4)]
    assert ck["default_bucket_id"] == copied_buckets[0]["id"] and ck["done_bucket_id"] == copied_buckets[2]["id"]
    if tasks:
        assert [b["count"] for b in copied_buckets] == [0, 2, 0, 0]
    # the source is untouched
    assert get(authed, src["id"])["title"] == "Source"


def test_duplicate_at_top_level_and_errors(server, authed, new_user):
    src = create(authed)
    r = authed.put(f"/projects/{src['id']}/duplicate", json={})
    assert r.status_code == 201, r.text
    assert list(r.json().keys()) == ["duplicated_project"]
    assert r.json()["duplicated_project"]["parent_project_id"] == 0
    assert_error(authed.put("/projects/99999999/duplicate", json={}), 404, 3001)
    assert_error(authed.put("/projects/abc/duplicate", json={}), 400, 2004)
    assert_error(authed.put(f"/projects/{src['id']}/duplicate", json={"parent_project_id": 99999999}), 404, 3001)
    assert_error(authed.put(f"/projects/{src['id']}/duplicate", json={"parent_project_id": "x"}), 400, 2004)
    other = new_user()
    assert call(server, "PUT", f"/projects/{src['id']}/duplicate", token=other["token"], json={}).status_code == 403
    theirs = call(server, "PUT", "/projects", token=other["token"], json={"title": "theirs"}).json()
    r = authed.put(f"/projects/{src['id']}/duplicate", json={"parent_project_id": theirs["id"]})
    assert r.status_code == 403


# ---------------------------------------------------------------------------------------
# shared projects (seeded users_projects rows; sharing routes come later)
# ---------------------------------------------------------------------------------------

def share(server, project_id, user_id, permission):
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = call(server, "PATCH", "/test/users_projects", params={"truncate": "false"},
             json=[{"user_id": user_id, "project_id": project_id, "permission": permission,
                    "created": now, "updated": now}],
             headers={"Authorization": server.testing_token})
    assert r.status_code == 201, r.text


def test_shared_read_write_admin(server, authed, new_user):
    parent = create(authed)
    child = create(authed, parent_project_id=parent["id"])
    reader, writer, admin = new_user(), new_user(), new_user()
    share(server, parent["id"], reader["id"], 0)
    share(server, parent["id"], writer["id"], 1)
    share(server, parent["id"], admin["id"], 2)
    for user, level in ((reader, "0"), (writer, "1"), (admin, "2")):
        r = call(server, "GET", f"/projects/{child['id']}", token=user["token"])
        assert r.status_code == 200 and r.headers["x-max-permission"] == level
        listed = call(server, "GET", "/projects", token=user["token"],
                      params={"expand": "permissions", "page": 0}).json()
        mine = {p["id"]: p["max_permission"] for p in listed}
        assert mine[parent["id"]] == int(level) and mine[child["id"]] == int(level)
    # read: no update, no child, no bucket
    r = call(server, "POST", f"/projects/{child['id']}", token=reader["token"], json={"title": "x"})
    assert r.status_code == 403
    r = call(server, "PUT", "/projects", token=reader["token"], json={"title": "x", "parent_project_id": child["id"]})
    assert r.status_code == 403
    kanban = child["views"][3]
    r = call(server, "PUT", f"/projects/{child['id']}/views/{kanban['id']}/buckets", token=reader["token"],
             json={"title": "b"})
    assert r.status_code == 403
    # write: update, sub-projects and buckets, but no views, no move and no delete
    r = call(server, "POST", f"/projects/{child['id']}", token=writer["token"], json=dict(child, title="by writer"))
    assert r.status_code == 200 and r.json()["title"] == "by writer"
    r = call(server, "PUT", "/projects", token=writer["token"], json={"title": "sub", "parent_project_id": child["id"]})
    assert r.status_code == 201
    r = call(server, "PUT", f"/projects/{child['id']}/views/{kanban['id']}/buckets", token=writer["token"],
             json={"title": "b"})
    assert r.status_code == 201
    r = call(server, "PUT", f"/projects/{child['id']}/views", token=writer["token"], json={"title": "v"})
    assert r.status_code == 403
    r = call(server, "POST", f"/projects/{child['id']}", token=writer["token"],
             json=dict(child, parent_project_id=0))
    assert r.status_code == 403
    assert call(server, "DELETE", f"/projects/{child['id']}", token=writer["token"]).status_code == 403
    # admin: views and delete
    r = call(server, "PUT", f"/projects/{child['id']}/views", token=admin["token"], json={"title": "v"})
    assert r.status_code == 201
    assert call(server, "DELETE", f"/projects/{child['id']}", token=admin["token"]).status_code == 200


def test_delete_and_duplicate_handle_attachments(server, authed):
    if not tasks_served(server):
        pytest.skip("PUT /projects/{id}/tasks is not served yet")
    import os
    p = create(authed)
    task = authed.put(f"/projects/{p['id']}/tasks", json={"title": "with file"}).json()
    r = authed.put(f"/tasks/{task['id']}/attachments", files=[("files", ("a.txt", b"hello", "text/plain"))])
    assert r.status_code == 200, r.text
    original = r.json()["success"][0]
    dup = authed.put(f"/projects/{p['id']}/duplicate", json={}).json()["duplicated_project"]
    r = authed.get(f"/projects/{dup['id']}/views/{dup['views'][0]['id']}/tasks")
    assert r.status_code == 200, r.text
    copies = r.json()
    assert [t["title"] for t in copies] == ["with file"]
    atts = authed.get(f"/tasks/{copies[0]['id']}/attachments").json()
    assert len(atts) == 1 and atts[0]["file"]["name"] == "a.txt" and atts[0]["file"]["id"] != original["file"]["id"]
    r = authed.get(f"/tasks/{copies[0]['id']}/attachments/{atts[0]['id']}")
    assert r.status_code == 200 and r.content == b"hello"
    files = server.workdir / "files"
    assert (files / str(original["file"]["id"])).exists()
    assert authed.delete(f"/projects/{p['id']}").status_code == 200
    assert_error(authed.get(f"/tasks/{task['id']}"), 404, 4002)
    assert not (files / str(original["file"]["id"])).exists()
    # the copy keeps its own bytes
    r = authed.get(f"/tasks/{copies[0]['id']}/attachments/{atts[0]['id']}")
    assert r.status_code == 200 and r.content == b"hello"
