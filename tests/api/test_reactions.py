"""Reactions: GET/PUT /{entitykind}/{entityid}/reactions and POST …/reactions/delete for tasks and comments
(spec §2.7, §2.16, §3.6, §4; client-usage A.1, D.38).

Behaviour checked against Vikunja's pkg/models/reaction.go (ReadAll returns a map, Create is a no-op for an
existing reaction, Delete removes only the caller's) and reaction_permissions.go (entity kind, the task of a
comment, read/update on that task).
"""

import pytest
from wire import RFC3339, call, assert_error
from task_extras_seed import new_task, ok, assert_public_user


@pytest.fixture
def task(server, owner):
    return new_task(server, owner)


@pytest.fixture
def comment(server, owner, task):
    r = call(server, "PUT", "/tasks/%d/comments" % task["id"], token=owner["token"], json={"comment": "c"})
    return ok(r, 201)


def react(server, user, kind, entity_id, value):
    return call(server, "PUT", "/%s/%s/reactions" % (kind, entity_id), token=user["token"], json={"value": value})


def reactions(server, user, kind, entity_id):
    r = call(server, "GET", "/%s/%s/reactions" % (kind, entity_id), token=user["token"])
    return ok(r), r


def unreact(server, user, kind, entity_id, value):
    return call(server, "POST", "/%s/%s/reactions/delete" % (kind, entity_id), token=user["token"],
                json={"value": value})


def test_task_reaction(server, owner, task):
    body = ok(react(server, owner, "tasks", task["id"], "👍"), 201)
    assert list(body) == ["user", "value", "created"]
    assert body["value"] == "👍" and RFC3339.match(body["created"])
    assert_public_user(body["user"], owner)
    got, r = reactions(server, owner, "tasks", task["id"])
    assert list(got) == ["👍"]
    assert len(got["👍"]) == 1
    assert_public_user(got["👍"][0], owner)
    assert r.headers["x-pagination-result-count"] == "1"


def test_reaction_twice_is_a_no_op(server, owner, task):
    first = ok(react(server, owner, "tasks", task["id"], "🎉"), 201)
    again = ok(react(server, owner, "tasks", task["id"], "🎉"), 201)
    assert again["created"] == first["created"]
    got, _ = reactions(server, owner, "tasks", task["id"])
    assert [u["id"] for u in got["🎉"]] == [owner["id"]]


def test_reactions_none_is_null(server, owner, task):
    got, r = reactions(server, owner, "tasks", task["id"])
    assert got is None
    assert r.headers["x-pagination-total-pages"] == "0"


def test_several_values_sorted(server, owner, task):
    for value in ("b", "a", "😀"):
        ok(react(server, owner, "tasks", task["id"], value), 201)
    got, _ = reactions(server, owner, "tasks", task["id"])
    assert sorted(got) == ["a", "b", "😀"]


def test_comment_reaction(server, owner, task, comment):
    ok(react(server, owner, "comments", comment["id"], "❤️"), 201)
    got, _ = reactions(server, owner, "comments", comment["id"])
    assert list(got) == ["❤️"]
    # Kept apart from the task's reactions (entity_kind).
    assert reactions(server, owner, "tasks", task["id"])[0] is None
    listed = ok(call(server, "GET", "/tasks/%d/comments" % task["id"], token=owner["token"]))
    assert list(listed[0]["reactions"]) == ["❤️"]


def test_task_reactions_expand(server, owner, task):
    from task_extras_seed import get_task
    ok(react(server, owner, "tasks", task["id"], "👀"), 201)
    body = get_task(server, owner, task["id"], expand="reactions")
    assert list(body["reactions"]) == ["👀"]


def test_delete_reaction(server, owner, task):
    ok(react(server, owner, "tasks", task["id"], "👍"), 201)
    assert ok(unreact(server, owner, "tasks", task["id"], "👍")) == {"message": "Successfully deleted."}
    assert reactions(server, owner, "tasks", task["id"])[0] is None
    # Deleting what is not there is fine too.
    assert ok(unreact(server, owner, "tasks", task["id"], "👍")) == {"message": "Successfully deleted."}


@pytest.mark.parametrize("kind", ["projects", "task", "labels", "Tasks"])
def test_invalid_entity_kind(server, owner, task, kind):
    assert_error(react(server, owner, kind, task["id"], "x"), 400, 4025)
    assert_error(call(server, "GET", "/%s/%d/reactions" % (kind, task["id"]), token=owner["token"]), 400, 4025)
    assert_error(unreact(server, owner, kind, task["id"], "x"), 400, 4025)


@pytest.mark.parametrize("value", ["", None, "x" * 21, "😀" * 21])
def test_invalid_value(server, owner, task, value):
    assert_error(react(server, owner, "tasks", task["id"], value), 412, 2002)


def test_value_limit_counts_characters(server, owner, task):
    ok(react(server, owner, "tasks", task["id"], "😀" * 20), 201)


@pytest.mark.parametrize("value", [1, ["a"], {"a": 1}])
def test_value_wrong_type(server, owner, task, value):
    assert_error(react(server, owner, "tasks", task["id"], value), 400, 2004)


def test_missing_entities(server, owner):
    assert_error(react(server, owner, "tasks", 999999999, "x"), 404, 4002)
    assert_error(call(server, "GET", "/tasks/999999999/reactions", token=owner["token"]), 404, 4002)
    assert_error(react(server, owner, "comments", 999999999, "x"), 404, 4015)
    assert_error(call(server, "GET", "/comments/999999999/reactions", token=owner["token"]), 404, 4015)


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999"])
def test_ids_not_numeric(server, owner, bad):
    assert_error(react(server, owner, "tasks", bad, "x"), 400, 2004)
    assert_error(call(server, "GET", "/tasks/%s/reactions" % bad, token=owner["token"]), 400, 2004)


def test_stranger(server, owner, stranger, task, comment):
    ok(react(server, owner, "tasks", task["id"], "👍"), 201)
    assert_error(call(server, "GET", "/tasks/%d/reactions" % task["id"], token=stranger["token"]), 403, 1)
    assert_error(call(server, "GET", "/comments/%d/reactions" % comment["id"], token=stranger["token"]), 403, 1)
    assert_error(react(server, stranger, "tasks", task["id"], "👎"), 403, 0)
    assert_error(react(server, stranger, "comments", comment["id"], "👎"), 403, 0)
    assert_error(unreact(server, stranger, "tasks", task["id"], "👍"), 403, 0)
    got, _ = reactions(server, owner, "tasks", task["id"])
    assert list(got) == ["👍"]


def test_reactions_route_group(server, owner):
    routes = ok(call(server, "GET", "/routes", token=owner["token"]))
    assert routes["reactions"] == {
        "read_all": {"path": "/api/v1/:entitykind/:entityid/reactions", "method": "GET"},
        "create": {"path": "/api/v1/:entitykind/:entityid/reactions", "method": "PUT"},
        "delete": {"path": "/api/v1/:entitykind/:entityid/reactions/delete", "method": "POST"},
    }
    assert set(routes["tasks_labels"]) == {"read_all", "create", "delete", "update_bulk"}
    assert set(routes["tasks_assignees"]) == {"read_all", "create", "delete", "update_bulk"}
    assert set(routes["tasks_relations"]) == {"create", "delete"}
    assert set(routes["labels"]) == {"read_all", "read_one", "create", "update", "delete"}
    assert set(routes["tasks_comments"]) == {"read_all", "read_one", "create", "update", "delete"}
