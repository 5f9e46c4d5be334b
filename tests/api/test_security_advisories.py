"""Vikunja's security advisory classes as tests: each fails on the vulnerable behaviour (spec §1.2, §2.3–§2.10).

Classes: nested objects read or changed through a parent they do not belong to (IDOR), ids in request bodies
that the caller may not touch, duplicating or re-parenting into projects without rights, attachment delete
needing write, label visibility (GHSA-hj5c-mhh2-g7jq), API-token scopes, disabled users and revoked link shares.
Every refused attempt is followed by the owner reading the data back unchanged.
"""

from __future__ import annotations

import uuid

import pytest

import grants
from task_extras_seed import new_label, new_project, new_task, ok, uid
from wire import assert_code_11, assert_error, call

READ, WRITE, ADMIN = 0, 1, 2


def get(server, user, path, **params):
    return ok(call(server, "GET", path, token=user["token"], params=params))


def upload(server, user, task_id):
    files = {"files": (uid("f") + ".txt", b"secret bytes", "text/plain")}
    return ok(call(server, "PUT", f"/tasks/{task_id}/attachments", token=user["token"], files=files))["success"][0]


def comment(server, user, task_id):
    return ok(call(server, "PUT", f"/tasks/{task_id}/comments", token=user["token"], json={"comment": uid("c")}), 201)


def views_of(server, user, project_id):
    return {v["view_kind"]: v for v in get(server, user, f"/projects/{project_id}/views")}


def buckets_of(server, user, project_id, view_id):
    return get(server, user, f"/projects/{project_id}/views/{view_id}/buckets")


def kanban_tasks(server, user, project_id, view_id):
    """{bucket id: [task ids]} of a kanban view, as its owner sees it."""
    buckets = get(server, user, f"/projects/{project_id}/views/{view_id}/tasks")
    return {b["id"]: sorted(t["id"] for t in b.get("tasks") or []) for b in buckets}  # empty: omitted


def children_of(server, user, project_id):
    return sorted(p["id"] for p in get(server, user, "/projects", per_page=1000)
                  if p["parent_project_id"] == project_id)


def api_token(server, user, permissions):
    body = {"title": uid("tk"), "permissions": permissions, "expires_at": "2099-01-01T00:00:00Z"}
    return ok(call(server, "PUT", "/tokens", token=user["token"], json=body), 201)["token"]


@pytest.fixture
def victim(new_user):
    return new_user()


@pytest.fixture
def attacker(new_user):
    return new_user()


# --- nested objects through a parent they do not belong to --------------------------------------------------

def test_attachment_of_another_task_is_not_reachable_through_my_task(server, victim, attacker):
    secret = new_task(server, victim)
    attachment = upload(server, victim, secret["id"])
    mine = new_task(server, attacker)
    path = f"/tasks/{mine['id']}/attachments/{attachment['id']}"
    assert_error(call(server, "GET", path, token=attacker["token"]), 404, 4011)
    assert_error(call(server, "DELETE", path, token=attacker["token"]), 404, 4011)
    assert [a["id"] for a in get(server, victim, f"/tasks/{secret['id']}/attachments")] == [attachment["id"]]
    assert get(server, attacker, f"/tasks/{mine['id']}/attachments") == []


def test_cover_image_of_another_task_cannot_be_claimed(server, victim, attacker):
    secret = new_task(server, victim)
    attachment = upload(server, victim, secret["id"])
    project = new_project(server, attacker)
    created = ok(call(server, "PUT", f"/projects/{project['id']}/tasks", token=attacker["token"],
                      json={"title": "cover", "cover_image_attachment_id": attachment["id"]}), 201)
    assert created["cover_image_attachment_id"] == 0
    assert get(server, attacker, f"/tasks/{created['id']}")["cover_image_attachment_id"] == 0
    assert_error(call(server, "POST", f"/tasks/{created['id']}", token=attacker["token"],
                      json=dict(created, cover_image_attachment_id=attachment["id"])), 400, 4020)
    assert get(server, attacker, f"/tasks/{created['id']}")["cover_image_attachment_id"] == 0


def test_comment_of_another_task_is_not_reachable_through_my_task(server, victim, attacker):
    secret = new_task(server, victim)
    original = comment(server, victim, secret["id"])
    mine = new_task(server, attacker)
    path = f"/tasks/{mine['id']}/comments/{original['id']}"
    assert_error(call(server, "GET", path, token=attacker["token"]), 404, 4015)
    assert_error(call(server, "POST", path, token=attacker["token"], json={"comment": "owned"}), 404, 4015)
    assert_error(call(server, "DELETE", path, token=attacker["token"]), 404, 4015)
    assert get(server, victim, f"/tasks/{secret['id']}/comments/{original['id']}") == original


def test_link_share_of_another_project_is_not_readable_through_mine(server, victim, attacker):
    secret = new_project(server, victim)
    share_id = grants.link_share_id(server, grants.make_link_share(server, secret["id"], READ, victim["id"]))
    mine = new_project(server, attacker)
    r = call(server, "GET", f"/projects/{mine['id']}/shares/{share_id}", token=attacker["token"])
    assert_error(r, 404, 3006)
    shares = get(server, victim, f"/projects/{secret['id']}/shares")
    assert [s["id"] for s in shares] == [share_id]
    assert "hash" not in r.text


def test_related_task_in_a_project_i_cannot_see_is_hidden(server, victim, attacker):
    # The attacker may write the victim's task and relates it to a task in their own private project:
    # the victim must not see that private task through related_tasks.
    shared = new_project(server, victim)
    grants.share_with_user(server, shared["id"], attacker["id"], WRITE)
    task = new_task(server, victim, shared["id"])
    private = new_task(server, attacker, title="private-" + uuid.uuid4().hex[:6])
    ok(call(server, "PUT", f"/tasks/{task['id']}/relations", token=attacker["token"],
            json={"other_task_id": private["id"], "relation_kind": "related"}), 201)
    assert private["id"] in [t["id"] for t in get(server, attacker, f"/tasks/{task['id']}")["related_tasks"]["related"]]
    seen = get(server, victim, f"/tasks/{task['id']}")
    assert private["title"] not in str(seen["related_tasks"]), seen["related_tasks"]


def test_relation_to_a_task_i_cannot_see_is_refused(server, victim, attacker):
    secret = new_task(server, victim)
    mine = new_task(server, attacker)
    r = call(server, "PUT", f"/tasks/{mine['id']}/relations", token=attacker["token"],
             json={"other_task_id": secret["id"], "relation_kind": "subtask"})
    assert_error(r, 403, 0)
    assert get(server, victim, f"/tasks/{secret['id']}")["related_tasks"] == {}
    assert get(server, attacker, f"/tasks/{mine['id']}")["related_tasks"] == {}


# --- ids in request bodies ----------------------------------------------------------------------------------

def test_bucket_move_of_a_task_i_cannot_write(server, victim, attacker):
    secret = new_task(server, victim)
    victim_kanban = views_of(server, victim, secret["project_id"])["kanban"]["id"]

    def state():
        return (kanban_tasks(server, victim, secret["project_id"], victim_kanban),
                get(server, victim, f"/tasks/{secret['id']}"))

    before = state()
    mine = new_project(server, attacker)
    kanban = views_of(server, attacker, mine["id"])["kanban"]
    for bucket in buckets_of(server, attacker, mine["id"], kanban["id"]):  # the done bucket would also mark it done
        r = call(server, "POST", f"/projects/{mine['id']}/views/{kanban['id']}/buckets/{bucket['id']}/tasks",
                 token=attacker["token"], json={"task_id": secret["id"]})
        assert_error(r, 403, 0)
    assert state() == before
    assert all(not tasks for tasks in kanban_tasks(server, attacker, mine["id"], kanban["id"]).values())


def test_bucket_move_of_a_task_from_another_of_my_projects(server, attacker):
    # Both projects are mine, but a task only moves between the buckets of its own project's views.
    task = new_task(server, attacker)
    other = new_project(server, attacker)
    kanban = views_of(server, attacker, other["id"])["kanban"]
    bucket = buckets_of(server, attacker, other["id"], kanban["id"])[1]
    r = call(server, "POST", f"/projects/{other['id']}/views/{kanban['id']}/buckets/{bucket['id']}/tasks",
             token=attacker["token"], json={"task_id": task["id"]})
    assert_error(r, 400, 10002)
    assert get(server, attacker, f"/tasks/{task['id']}")["project_id"] == task["project_id"]


def test_new_task_cannot_be_filed_into_another_users_bucket(server, victim, attacker):
    secret = new_project(server, victim)
    kanban = views_of(server, victim, secret["id"])["kanban"]["id"]
    before = kanban_tasks(server, victim, secret["id"], kanban)
    bucket = next(iter(before))
    mine = new_project(server, attacker)
    r = call(server, "PUT", f"/projects/{mine['id']}/tasks", token=attacker["token"],
             json={"title": uid("t"), "bucket_id": bucket})
    assert_error(r, 404, 10001)
    assert kanban_tasks(server, victim, secret["id"], kanban) == before
    assert get(server, attacker, f"/projects/{mine['id']}/tasks") == []


def test_task_position_in_another_users_view(server, victim, attacker):
    secret = new_task(server, victim)
    view = views_of(server, victim, secret["project_id"])["list"]
    path = f"/projects/{secret['project_id']}/views/{view['id']}/tasks"
    before = get(server, victim, path)
    mine = new_task(server, attacker)
    r = call(server, "POST", f"/tasks/{mine['id']}/position", token=attacker["token"],
             json={"project_view_id": view["id"], "position": 0.001})
    assert_error(r, 404, 3014)
    assert get(server, victim, path) == before


def test_task_position_in_another_users_saved_filter_view(server, victim, attacker):
    # A saved filter's views show tasks of many projects; a position below 0.01 re-spaces the whole view.
    task = new_task(server, victim)
    saved = ok(call(server, "PUT", "/filters", token=victim["token"],
                    json={"title": uid("f"), "filters": {"filter": "done = false"}}), 201)
    view = views_of(server, victim, -saved["id"] - 1)["list"]
    ok(call(server, "POST", f"/tasks/{task['id']}/position", token=victim["token"],
            json={"project_view_id": view["id"], "position": 1234.5}))
    positions = lambda: sorted((p["task_id"], p["position"]) for p in grants.table_rows(server, "task_positions")
                               if p["project_view_id"] == view["id"])
    before = positions()
    mine = new_task(server, attacker)
    r = call(server, "POST", f"/tasks/{mine['id']}/position", token=attacker["token"],
             json={"project_view_id": view["id"], "position": 0.001})
    assert_error(r, 404, 3014)
    assert positions() == before


def test_task_update_cannot_move_it_into_another_users_project(server, victim, attacker):
    target = new_project(server, victim)
    mine = new_task(server, attacker)
    r = call(server, "POST", f"/tasks/{mine['id']}", token=attacker["token"],
             json={"title": mine["title"], "project_id": target["id"]})
    assert_error(r, 403, 0)
    assert get(server, victim, f"/projects/{target['id']}/tasks") == []
    assert get(server, attacker, f"/tasks/{mine['id']}")["project_id"] == mine["project_id"]


def test_task_update_into_a_read_only_project_is_refused(server, victim, attacker):
    target = new_project(server, victim)
    grants.share_with_user(server, target["id"], attacker["id"], READ)
    mine = new_task(server, attacker)
    r = call(server, "POST", f"/tasks/{mine['id']}", token=attacker["token"],
             json={"title": mine["title"], "project_id": target["id"]})
    assert_error(r, 403, 0)
    assert get(server, victim, f"/projects/{target['id']}/tasks") == []


def test_view_and_bucket_bodies_cannot_move_them_into_another_project(server, victim, attacker):
    target = new_project(server, victim)
    target_views = views_of(server, victim, target["id"])
    before = get(server, victim, f"/projects/{target['id']}/views")
    mine = new_project(server, attacker)
    kanban = views_of(server, attacker, mine["id"])["kanban"]
    bucket = buckets_of(server, attacker, mine["id"], kanban["id"])[0]

    r = call(server, "POST", f"/projects/{mine['id']}/views/{kanban['id']}", token=attacker["token"],
             json={**kanban, "project_id": target["id"], "title": "moved"})
    assert r.status_code == 200, r.text
    assert r.json()["project_id"] == mine["id"]
    r = call(server, "POST", f"/projects/{mine['id']}/views/{kanban['id']}/buckets/{bucket['id']}",
             token=attacker["token"],
             json={**bucket, "title": "moved", "project_view_id": target_views["kanban"]["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["project_view_id"] == kanban["id"]
    assert get(server, victim, f"/projects/{target['id']}/views") == before
    assert bucket["id"] not in [b["id"] for b in buckets_of(server, victim, target["id"], target_views["kanban"]["id"])]


@pytest.mark.parametrize("key", ["done_bucket_id", "default_bucket_id"])
def test_view_cannot_point_at_a_bucket_of_another_users_view(server, victim, attacker, key):
    secret = new_project(server, victim)
    secret_kanban = views_of(server, victim, secret["id"])["kanban"]
    foreign = buckets_of(server, victim, secret["id"], secret_kanban["id"])[0]["id"]
    mine = new_project(server, attacker)
    kanban = views_of(server, attacker, mine["id"])["kanban"]
    r = call(server, "POST", f"/projects/{mine['id']}/views/{kanban['id']}", token=attacker["token"],
             json={**kanban, key: foreign})
    assert_error(r, 400, 10002)
    assert get(server, attacker, f"/projects/{mine['id']}/views/{kanban['id']}") == kanban
    assert get(server, victim, f"/projects/{secret['id']}/views/{secret_kanban['id']}") == secret_kanban


def test_view_of_another_project_through_my_project_url(server, victim, attacker):
    secret = new_project(server, victim)
    view = views_of(server, victim, secret["id"])["list"]
    mine = new_project(server, attacker)
    path = f"/projects/{mine['id']}/views/{view['id']}"
    assert_error(call(server, "GET", path, token=attacker["token"]), 404, 3014)
    assert_error(call(server, "GET", path + "/tasks", token=attacker["token"]), 404, 3014)
    assert_error(call(server, "POST", path, token=attacker["token"], json={**view, "title": "owned"}), 404, 3014)
    assert_error(call(server, "DELETE", path, token=attacker["token"]), 404, 3014)
    assert get(server, victim, f"/projects/{secret['id']}/views/{view['id']}") == view


def test_bucket_of_another_project_through_my_project_url(server, victim, attacker):
    secret = new_project(server, victim)
    secret_kanban = views_of(server, victim, secret["id"])["kanban"]
    before = buckets_of(server, victim, secret["id"], secret_kanban["id"])
    mine = new_project(server, attacker)
    kanban = views_of(server, attacker, mine["id"])["kanban"]
    for view_id in (kanban["id"], secret_kanban["id"]):
        path = f"/projects/{mine['id']}/views/{view_id}/buckets/{before[0]['id']}"
        assert_error(call(server, "POST", path, token=attacker["token"], json={"title": "owned"}), 404, 3014)
        assert_error(call(server, "DELETE", path, token=attacker["token"]), 404, 3014)
    foreign_view = f"/projects/{mine['id']}/views/{secret_kanban['id']}/buckets"
    assert_error(call(server, "GET", foreign_view, token=attacker["token"]), 404, 3014)
    assert_error(call(server, "PUT", foreign_view, token=attacker["token"], json={"title": "planted"}), 404, 3014)
    mine_task = new_task(server, attacker, mine["id"])
    r = call(server, "POST", f"{foreign_view}/{before[1]['id']}/tasks", token=attacker["token"],
             json={"task_id": mine_task["id"]})
    assert_error(r, 404, 3014)
    assert buckets_of(server, victim, secret["id"], secret_kanban["id"]) == before
    assert all(not tasks for tasks in kanban_tasks(server, victim, secret["id"], secret_kanban["id"]).values())


def test_project_position_heal_leaves_other_users_projects_alone(server, victim, attacker):
    # A position below 0.1 re-spaces the siblings; at the top level those must be the owner's own projects.
    theirs = new_project(server, victim)
    before = get(server, victim, f"/projects/{theirs['id']}")
    mine = new_project(server, attacker)
    r = call(server, "POST", f"/projects/{mine['id']}", token=attacker["token"], json={**mine, "position": 0.01})
    assert r.status_code == 200, r.text
    assert get(server, victim, f"/projects/{theirs['id']}") == before


@pytest.mark.parametrize("kind", ["task", "project", "label", "comment"])
def test_body_id_differing_from_the_path_changes_only_the_path_object(server, victim, attacker, kind):
    def make(user):
        if kind == "task":
            t = new_task(server, user)
            return f"/tasks/{t['id']}", {"title": "renamed"}
        if kind == "project":
            p = new_project(server, user)
            return f"/projects/{p['id']}", {"title": "renamed"}
        if kind == "label":
            label = new_label(server, user)
            return f"/labels/{label['id']}", {"title": "renamed"}
        t = new_task(server, user)
        c = comment(server, user, t["id"])
        return f"/tasks/{t['id']}/comments/{c['id']}", {"comment": "renamed"}

    victim_path, _ = make(victim)
    before = get(server, victim, victim_path)
    my_path, change = make(attacker)
    victim_id = int(victim_path.rsplit("/", 1)[1])
    r = call(server, "POST", my_path, token=attacker["token"], json={**change, "id": victim_id})
    assert r.status_code == 200, r.text
    assert r.json()["id"] == int(my_path.rsplit("/", 1)[1])
    assert get(server, victim, victim_path) == before


# --- duplicating and re-parenting ---------------------------------------------------------------------------

@pytest.mark.parametrize("grant", [None, READ])
def test_duplicate_into_a_parent_i_cannot_write(server, victim, attacker, grant):
    parent = new_project(server, victim)
    if grant is not None:
        grants.share_with_user(server, parent["id"], attacker["id"], grant)
    mine = new_project(server, attacker)
    r = call(server, "PUT", f"/projects/{mine['id']}/duplicate", token=attacker["token"],
             json={"parent_project_id": parent["id"]})
    assert_error(r, 403, 0)
    assert children_of(server, victim, parent["id"]) == []


def test_duplicate_of_a_project_i_cannot_read(server, victim, attacker):
    secret = new_project(server, victim)
    new_task(server, victim, secret["id"])
    before = grants.table_rows(server, "projects")
    assert_error(call(server, "PUT", f"/projects/{secret['id']}/duplicate", token=attacker["token"], json={}), 403, 0)
    assert grants.table_rows(server, "projects") == before


@pytest.mark.parametrize("grant", [None, READ, WRITE])
def test_reparent_my_project_under_a_parent_without_admin(server, victim, attacker, grant):
    # Vikunja: CanUpdate wants write on the new parent, UpdateProject admin on both (GHSA-2vq4-854f-5c72).
    parent = new_project(server, victim)
    if grant is not None:
        grants.share_with_user(server, parent["id"], attacker["id"], grant)
    mine = new_project(server, attacker)
    r = call(server, "POST", f"/projects/{mine['id']}", token=attacker["token"],
             json={**mine, "parent_project_id": parent["id"]})
    assert_error(r, 403, 0)
    assert children_of(server, victim, parent["id"]) == []
    assert get(server, attacker, f"/projects/{mine['id']}")["parent_project_id"] == 0


@pytest.mark.parametrize("grant", [READ, WRITE])
def test_reparent_someone_elses_project_under_mine(server, victim, attacker, grant):
    # Moving it under my project and detaching it to the top level (0) both need admin on it.
    root = new_project(server, victim)
    theirs = ok(call(server, "PUT", "/projects", token=victim["token"],
                     json={"title": uid("child"), "parent_project_id": root["id"]}), 201)
    grants.share_with_user(server, theirs["id"], attacker["id"], grant)
    before = get(server, victim, f"/projects/{theirs['id']}")
    mine = new_project(server, attacker)
    for parent in (mine["id"], 0):
        r = call(server, "POST", f"/projects/{theirs['id']}", token=attacker["token"],
                 json={**before, "parent_project_id": parent})
        assert_error(r, 403, 0)
    assert get(server, victim, f"/projects/{theirs['id']}") == before
    assert children_of(server, attacker, mine["id"]) == []


# --- attachment delete needs write ----------------------------------------------------------------------------

def test_attachment_delete_needs_write_not_read(server, victim, attacker):
    project = new_project(server, victim)
    grants.share_with_user(server, project["id"], attacker["id"], READ)
    task = new_task(server, victim, project["id"])
    attachment = upload(server, victim, task["id"])
    path = f"/tasks/{task['id']}/attachments/{attachment['id']}"
    assert call(server, "GET", path, token=attacker["token"]).status_code == 200
    assert_error(call(server, "DELETE", path, token=attacker["token"]), 403, 0)
    assert [a["id"] for a in get(server, victim, f"/tasks/{task['id']}/attachments")] == [attachment["id"]]
    assert call(server, "GET", path, token=victim["token"]).content == b"secret bytes"


# --- label visibility (GHSA-hj5c-mhh2-g7jq) -----------------------------------------------------------------

def test_label_is_visible_only_to_its_creator_and_readers_of_a_task_carrying_it(server, victim, attacker, new_user):
    label = new_label(server, victim)
    project = new_project(server, victim)
    task = new_task(server, victim, project["id"])
    ok(call(server, "PUT", f"/tasks/{task['id']}/labels", token=victim["token"], json={"label_id": label["id"]}), 201)
    reader = new_user()
    grants.share_with_user(server, project["id"], reader["id"], READ)

    assert label["id"] not in [l["id"] for l in get(server, attacker, "/labels")]
    assert_error(call(server, "GET", f"/labels/{label['id']}", token=attacker["token"]), 403, 0)
    assert label["title"] not in call(server, "GET", "/tasks", token=attacker["token"]).text

    assert label["id"] in [l["id"] for l in get(server, reader, "/labels")]
    assert get(server, reader, f"/labels/{label['id']}")["title"] == label["title"]
    assert [l["id"] for l in get(server, reader, f"/tasks/{task['id']}")["labels"]] == [label["id"]]


def test_someone_elses_label_cannot_be_added_to_my_task(server, victim, attacker):
    label = new_label(server, victim)
    mine = new_task(server, attacker)
    for method, path, body in (("PUT", f"/tasks/{mine['id']}/labels", {"label_id": label["id"]}),
                               ("POST", f"/tasks/{mine['id']}/labels/bulk", {"labels": [{"id": label["id"]}]})):
        r = call(server, method, path, token=attacker["token"], json=body)
        assert r.status_code == 403, (path, r.status_code, r.text)
    assert get(server, attacker, f"/tasks/{mine['id']}/labels") == []
    assert not get(server, attacker, f"/tasks/{mine['id']}")["labels"]
    assert label["id"] not in [l["id"] for l in get(server, attacker, "/labels")]


def test_label_of_another_user_cannot_be_changed_or_deleted(server, victim, attacker):
    label = new_label(server, victim)
    path = f"/labels/{label['id']}"
    assert call(server, "POST", path, token=attacker["token"], json={"title": "owned"}).status_code == 403
    assert call(server, "DELETE", path, token=attacker["token"]).status_code == 403
    assert get(server, victim, path) == label


# --- tokens, disabled users, link shares --------------------------------------------------------------------

def test_read_only_api_token_cannot_write_or_delete(server, victim):
    task = new_task(server, victim)
    before = get(server, victim, f"/tasks/{task['id']}")
    tk = api_token(server, victim, {"tasks": ["read_one", "read_all"], "projects": ["read_one"]})
    assert call(server, "GET", f"/tasks/{task['id']}", token=tk).status_code == 200
    assert_code_11(call(server, "POST", f"/tasks/{task['id']}", token=tk, json={"title": "changed"}))
    assert_code_11(call(server, "DELETE", f"/tasks/{task['id']}", token=tk))
    assert_code_11(call(server, "PUT", f"/projects/{task['project_id']}/tasks", token=tk, json={"title": "new"}))
    assert_code_11(call(server, "DELETE", f"/projects/{task['project_id']}", token=tk))
    assert get(server, victim, f"/tasks/{task['id']}") == before
    assert [t["id"] for t in get(server, victim, f"/projects/{task['project_id']}/tasks")] == [task["id"]]


def test_api_token_of_one_group_is_refused_on_another(server, victim):
    task = new_task(server, victim)
    label = new_label(server, victim)
    tk = api_token(server, victim, {"labels": ["read_one", "update", "delete"]})
    assert call(server, "GET", f"/labels/{label['id']}", token=tk).status_code == 200
    assert_code_11(call(server, "GET", f"/tasks/{task['id']}", token=tk))
    assert_code_11(call(server, "GET", f"/projects/{task['project_id']}", token=tk))
    assert_code_11(call(server, "PUT", f"/tasks/{task['id']}/labels", token=tk, json={"label_id": label["id"]}))
    assert get(server, victim, f"/tasks/{task['id']}/labels") == []


def test_disabled_user_jwt_and_api_token_stop_working(server, new_user):
    user = new_user()
    task = new_task(server, user)
    tk = api_token(server, user, {"tasks": ["read_one", "update"]})
    assert call(server, "GET", f"/tasks/{task['id']}", token=tk).status_code == 200
    grants.disable_user(server, user["id"])
    for bearer in (user["token"], tk):
        assert_code_11(call(server, "GET", f"/tasks/{task['id']}", token=bearer))
        assert_code_11(call(server, "POST", f"/tasks/{task['id']}", token=bearer, json={"title": "changed"}))
    rows = [t for t in grants.table_rows(server, "tasks") if t["id"] == task["id"]]
    assert rows[0]["title"] == task["title"]


def test_deleted_link_share_token_stops_working_at_once(server, victim):
    project = new_project(server, victim)
    task = new_task(server, victim, project["id"])
    share_hash = grants.make_link_share(server, project["id"], WRITE, victim["id"])
    token = grants.link_share_token(server, share_hash)
    assert call(server, "GET", f"/tasks/{task['id']}", token=token).status_code == 200
    share_id = grants.link_share_id(server, share_hash)
    ok(call(server, "DELETE", f"/projects/{project['id']}/shares/{share_id}", token=victim["token"]))
    # Vikunja's answer for a share that no longer exists: 400 code 13003.
    assert_error(call(server, "GET", f"/tasks/{task['id']}", token=token), 400, 13003)
    assert_error(call(server, "POST", f"/tasks/{task['id']}", token=token, json={"title": "changed"}), 400, 13003)
    assert get(server, victim, f"/tasks/{task['id']}")["title"] == task["title"]


def test_link_share_does_not_reach_child_projects(server, victim):
    # Vikunja's checkPermission compares the share's project id: the projects below it are not shared.
    project = new_project(server, victim)
    child = ok(call(server, "PUT", "/projects", token=victim["token"],
                    json={"title": uid("child"), "parent_project_id": project["id"]}), 201)
    task = new_task(server, victim, child["id"])
    token = grants.link_share_token(server, grants.make_link_share(server, project["id"], ADMIN, victim["id"]))
    assert_error(call(server, "GET", f"/tasks/{task['id']}", token=token), 403, 0)
    assert_error(call(server, "POST", f"/tasks/{task['id']}", token=token, json={"title": "changed"}), 403, 0)
    assert [p["id"] for p in get(server, {"token": token}, "/projects")] == [project["id"]]
    assert get(server, victim, f"/tasks/{task['id']}")["title"] == task["title"]


# --- a missing task is a 404, whoever asks ------------------------------------------------------------------

MISSING = 987654321


@pytest.mark.parametrize("method,path,body,code", [
    ("GET", "/tasks/{m}", None, 4002),
    ("POST", "/tasks/{m}", {"title": "x"}, 4002),
    ("DELETE", "/tasks/{m}", None, 4002),
    ("GET", "/tasks/{m}/comments", None, 4002),
    ("PUT", "/tasks/{m}/comments", {"comment": "x"}, 4002),
    ("GET", "/tasks/{m}/attachments", None, 4002),
    ("GET", "/tasks/{m}/labels", None, 4002),
    ("GET", "/tasks/{m}/assignees", None, 3001),  # Vikunja looks up the task's project (GetProjectSimpleByTaskID)
    ("PUT", "/tasks/{m}/relations", {"other_task_id": 1, "relation_kind": "related"}, 4002),
    ("POST", "/tasks/{m}/position", {"project_view_id": 1, "position": 1}, 4002),
    ("PUT", "/tasks/{m}/duplicate", None, 4002),
])
def test_missing_task_is_404(server, attacker, method, path, body, code):
    r = call(server, method, path.format(m=MISSING), token=attacker["token"], json=body)
    assert_error(r, 404, code)
