"""Assignees: PUT/GET /tasks/{projecttask}/assignees, DELETE …/assignees/{user}, POST …/assignees/bulk
(spec §1.3, §2.6, §3.6, §4; client-usage A.1).

Behaviour checked against Vikunja's pkg/models/task_assignees.go (Create, addNewAssigneeByID, Delete,
ReadAll, updateTaskAssignees, BulkAssignees) and task_assignees_permissions.go (canDoTaskAssingee, which
finds the project through the task: a missing task is 3001).
"""

import pytest
from wire import RFC3339, call, assert_error
from task_extras_seed import new_task, ok, assert_public_user


@pytest.fixture
def task(server, owner):
    return new_task(server, owner)


def assign(server, user, task_id, user_id):
    return call(server, "PUT", "/tasks/%s/assignees" % task_id, token=user["token"], json={"user_id": user_id})


def assignees(server, user, task_id, **params):
    r = call(server, "GET", "/tasks/%d/assignees" % task_id, token=user["token"], params=params)
    return ok(r), r


def bulk(server, user, task_id, body):
    return call(server, "POST", "/tasks/%d/assignees/bulk" % task_id, token=user["token"], json=body)


def test_assign(server, owner, task):
    body = ok(assign(server, owner, task["id"], owner["id"]), 201)
    assert list(body) == ["user_id", "created"]
    assert body["user_id"] == owner["id"] and RFC3339.match(body["created"])
    listed, r = assignees(server, owner, task["id"])
    assert len(listed) == 1
    assert_public_user(listed[0], owner)
    assert list(listed[0]) == ["id", "name", "username", "created", "updated"]
    assert r.headers["x-pagination-result-count"] == "1" and r.headers["x-pagination-total-pages"] == "1"


def test_assign_shows_on_task(server, owner, task):
    from task_extras_seed import get_task
    ok(assign(server, owner, task["id"], owner["id"]), 201)
    assert [u["id"] for u in get_task(server, owner, task["id"])["assignees"]] == [owner["id"]]


def test_assign_twice(server, owner, task):
    ok(assign(server, owner, task["id"], owner["id"]), 201)
    assert_error(assign(server, owner, task["id"], owner["id"]), 400, 4021)


def test_assign_user_without_access(server, owner, stranger, task):
    assert_error(assign(server, owner, task["id"], stranger["id"]), 403, 7003)
    assert assignees(server, owner, task["id"])[0] == []


@pytest.mark.parametrize("user_id", [999999999, 0, -5])
def test_assign_unknown_user(server, owner, task, user_id):
    assert_error(assign(server, owner, task["id"], user_id), 404, 1005)


def test_assign_missing_task(server, owner):
    assert_error(assign(server, owner, 999999999, owner["id"]), 404, 3001)
    assert_error(call(server, "GET", "/tasks/999999999/assignees", token=owner["token"]), 404, 3001)
    assert_error(call(server, "DELETE", "/tasks/999999999/assignees/1", token=owner["token"]), 404, 3001)
    assert_error(bulk(server, owner, 999999999, {"assignees": []}), 404, 3001)


def test_stranger_cannot_touch_assignees(server, owner, stranger, task):
    ok(assign(server, owner, task["id"], owner["id"]), 201)
    assert_error(assign(server, stranger, task["id"], stranger["id"]), 403, 0)
    assert_error(call(server, "GET", "/tasks/%d/assignees" % task["id"], token=stranger["token"]), 403, 1)
    r = call(server, "DELETE", "/tasks/%d/assignees/%d" % (task["id"], owner["id"]), token=stranger["token"])
    assert_error(r, 403, 0)
    assert_error(bulk(server, stranger, task["id"], {"assignees": []}), 403, 0)
    assert len(assignees(server, owner, task["id"])[0]) == 1


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999"])
def test_ids_not_numeric(server, owner, task, bad):
    assert_error(assign(server, owner, bad, owner["id"]), 400, 2004)
    assert_error(call(server, "DELETE", "/tasks/%d/assignees/%s" % (task["id"], bad), token=owner["token"]),
                 400, 2004)


@pytest.mark.parametrize("user_id", ["1", 2.5, 1e30, None, [1]])
def test_assign_wrong_type(server, owner, task, user_id):
    r = assign(server, owner, task["id"], user_id)
    if user_id is None:  # null reads as "not given" → user 0
        assert_error(r, 404, 1005)
    else:
        assert_error(r, 400, 2004)


def test_unassign(server, owner, task):
    ok(assign(server, owner, task["id"], owner["id"]), 201)
    r = call(server, "DELETE", "/tasks/%d/assignees/%d" % (task["id"], owner["id"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert assignees(server, owner, task["id"])[0] == []
    # Not assigned: still a success, as Vikunja's Delete does not check.
    r = call(server, "DELETE", "/tasks/%d/assignees/%d" % (task["id"], owner["id"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}


def test_list_search(server, owner, task):
    ok(assign(server, owner, task["id"], owner["id"]), 201)
    assert len(assignees(server, owner, task["id"], s=owner["username"][3:10].upper())[0]) == 1
    assert assignees(server, owner, task["id"], s="no-such-user")[0] == []


def test_bulk(server, owner, task):
    body = ok(bulk(server, owner, task["id"], {"assignees": [{"id": owner["id"], "username": owner["username"]}]}),
              201)
    assert list(body) == ["assignees"]
    assert body["assignees"][0]["id"] == owner["id"]
    assert [u["id"] for u in assignees(server, owner, task["id"])[0]] == [owner["id"]]
    # Sending the current set again changes nothing; [] clears it.
    ok(bulk(server, owner, task["id"], {"assignees": [{"id": owner["id"]}]}), 201)
    assert len(assignees(server, owner, task["id"])[0]) == 1
    ok(bulk(server, owner, task["id"], {"assignees": []}), 201)
    assert assignees(server, owner, task["id"])[0] == []


def test_bulk_null_clears(server, owner, task):
    ok(assign(server, owner, task["id"], owner["id"]), 201)
    assert ok(bulk(server, owner, task["id"], {"assignees": None}), 201) == {"assignees": None}
    assert assignees(server, owner, task["id"])[0] == []


def test_bulk_errors_roll_back(server, owner, stranger, task):
    ok(assign(server, owner, task["id"], owner["id"]), 201)
    assert_error(bulk(server, owner, task["id"], {"assignees": [{"id": stranger["id"]}]}), 403, 7003)
    assert_error(bulk(server, owner, task["id"], {"assignees": [{"id": 999999999}]}), 404, 1005)
    assert [u["id"] for u in assignees(server, owner, task["id"])[0]] == [owner["id"]]


def test_bulk_duplicate_user(server, owner, task):
    # Vikunja assigns the first entry and refuses the second.
    r = bulk(server, owner, task["id"], {"assignees": [{"id": owner["id"]}, {"id": owner["id"]}]})
    assert_error(r, 400, 4021)
    assert assignees(server, owner, task["id"])[0] == []


@pytest.mark.parametrize("body", [{"assignees": "x"}, {"assignees": [3]}, {"assignees": [{"id": "3"}]}])
def test_bulk_wrong_types(server, owner, task, body):
    assert_error(bulk(server, owner, task["id"], body), 400, 2004)
