"""Task relations: PUT /tasks/{task}/relations, DELETE /tasks/{task}/relations/{relationKind}/{otherTask}
(spec §2.7, §3.6, §4; client-usage A.1, D.37).

Behaviour checked against Vikunja's pkg/models/task_relation.go (Create with its inverse row,
checkTaskRelationCycle, Delete of both directions) and task_relation_permissions.go (write on the base
task, read on the other one, which may live in another project).
"""

import pytest
from wire import RFC3339, call, assert_error
from task_extras_seed import new_project, new_task, get_task, ok, assert_public_user

KINDS = {"subtask": "parenttask", "parenttask": "subtask", "related": "related", "duplicateof": "duplicates",
         "duplicates": "duplicateof", "blocking": "blocked", "blocked": "blocking", "precedes": "follows",
         "follows": "precedes", "copiedfrom": "copiedto", "copiedto": "copiedfrom"}


@pytest.fixture
def tasks(server, owner):
    project = new_project(server, owner)
    return [new_task(server, owner, project["id"]) for _ in range(3)]


def relate(server, user, task_id, other_id, kind):
    return call(server, "PUT", "/tasks/%s/relations" % task_id, token=user["token"],
                json={"other_task_id": other_id, "relation_kind": kind})


def unrelate(server, user, task_id, kind, other_id):
    return call(server, "DELETE", "/tasks/%s/relations/%s/%s" % (task_id, kind, other_id), token=user["token"])


def related_ids(server, user, task_id):
    related = get_task(server, user, task_id)["related_tasks"] or {}
    return {kind: [t["id"] for t in ts] for kind, ts in related.items()}


def test_create_relation(server, owner, tasks):
    a, b, _ = tasks
    body = ok(relate(server, owner, a["id"], b["id"], "subtask"), 201)
    assert list(body) == ["task_id", "other_task_id", "relation_kind", "created_by", "created"]
    assert body["task_id"] == a["id"] and body["other_task_id"] == b["id"] and body["relation_kind"] == "subtask"
    assert_public_user(body["created_by"], owner)
    assert RFC3339.match(body["created"])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_inverse_created_and_deleted(server, owner, tasks, kind):
    a, b, _ = tasks
    ok(relate(server, owner, a["id"], b["id"], kind), 201)
    assert related_ids(server, owner, a["id"]) == {kind: [b["id"]]}
    assert related_ids(server, owner, b["id"]) == {KINDS[kind]: [a["id"]]}
    # The inverse already exists, from either side.
    assert_error(relate(server, owner, b["id"], a["id"], KINDS[kind]), 409, 4008)
    assert ok(unrelate(server, owner, a["id"], kind, b["id"])) == {"message": "Successfully deleted."}
    assert related_ids(server, owner, a["id"]) == {}
    assert related_ids(server, owner, b["id"]) == {}


def test_delete_from_the_other_side(server, owner, tasks):
    a, b, _ = tasks
    ok(relate(server, owner, a["id"], b["id"], "blocking"), 201)
    ok(unrelate(server, owner, b["id"], "blocked", a["id"]))
    assert related_ids(server, owner, a["id"]) == {}
    ok(relate(server, owner, a["id"], b["id"], "blocking"), 201)


def test_relation_exists(server, owner, tasks):
    a, b, _ = tasks
    ok(relate(server, owner, a["id"], b["id"], "related"), 201)
    assert_error(relate(server, owner, a["id"], b["id"], "related"), 409, 4008)
    ok(relate(server, owner, a["id"], b["id"], "precedes"), 201)  # another kind is another relation


@pytest.mark.parametrize("kind", ["", "unknown", "Subtask", "sub task", "subtasks"])
def test_invalid_kind(server, owner, tasks, kind):
    a, b, _ = tasks
    assert_error(relate(server, owner, a["id"], b["id"], kind), 400, 4007)


def test_same_task(server, owner, tasks):
    a = tasks[0]
    assert_error(relate(server, owner, a["id"], a["id"], "related"), 400, 4010)


def test_subtask_cycle(server, owner, tasks):
    a, b, c = tasks
    ok(relate(server, owner, a["id"], b["id"], "subtask"), 201)
    ok(relate(server, owner, b["id"], c["id"], "subtask"), 201)
    assert_error(relate(server, owner, c["id"], a["id"], "subtask"), 409, 4023)
    assert_error(relate(server, owner, a["id"], b["id"], "parenttask"), 409, 4023)
    assert_error(relate(server, owner, a["id"], c["id"], "parenttask"), 409, 4023)
    # Nothing half-written.
    assert related_ids(server, owner, c["id"]) == {"parenttask": [b["id"]]}
    # Other kinds may go round in circles.
    ok(relate(server, owner, c["id"], a["id"], "related"), 201)


def test_cross_project(server, owner, tasks):
    other = new_task(server, owner)  # its own project
    assert other["project_id"] != tasks[0]["project_id"]
    ok(relate(server, owner, tasks[0]["id"], other["id"], "copiedto"), 201)
    assert related_ids(server, owner, other["id"]) == {"copiedfrom": [tasks[0]["id"]]}


def test_other_task_not_readable(server, owner, stranger, tasks):
    theirs = new_task(server, stranger)
    assert_error(relate(server, owner, tasks[0]["id"], theirs["id"], "related"), 403, 0)
    assert related_ids(server, owner, tasks[0]["id"]) == {}


def test_base_task_not_writable(server, owner, stranger, tasks):
    theirs = new_task(server, stranger)
    assert_error(relate(server, stranger, tasks[0]["id"], theirs["id"], "related"), 403, 0)
    ok(relate(server, owner, tasks[0]["id"], tasks[1]["id"], "related"), 201)
    assert_error(unrelate(server, stranger, tasks[0]["id"], "related", tasks[1]["id"]), 403, 0)
    assert related_ids(server, owner, tasks[0]["id"]) == {"related": [tasks[1]["id"]]}


def test_missing_tasks(server, owner, tasks):
    assert_error(relate(server, owner, 999999999, tasks[0]["id"], "related"), 404, 4002)
    assert_error(relate(server, owner, tasks[0]["id"], 999999999, "related"), 404, 4002)
    assert_error(relate(server, owner, tasks[0]["id"], 0, "related"), 404, 4002)
    assert_error(unrelate(server, owner, 999999999, "related", tasks[0]["id"]), 404, 4002)


def test_delete_missing_relation(server, owner, tasks):
    a, b, _ = tasks
    assert_error(unrelate(server, owner, a["id"], "related", b["id"]), 404, 4009)
    assert_error(unrelate(server, owner, a["id"], "nonsense", b["id"]), 404, 4009)
    ok(relate(server, owner, a["id"], b["id"], "related"), 201)
    ok(unrelate(server, owner, a["id"], "related", b["id"]))
    assert_error(unrelate(server, owner, a["id"], "related", b["id"]), 404, 4009)


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999"])
def test_ids_not_numeric(server, owner, tasks, bad):
    assert_error(relate(server, owner, bad, tasks[0]["id"], "related"), 400, 2004)
    assert_error(unrelate(server, owner, tasks[0]["id"], "related", bad), 400, 2004)
    assert_error(unrelate(server, owner, bad, "related", tasks[0]["id"]), 400, 2004)


@pytest.mark.parametrize("body", [{"other_task_id": "2", "relation_kind": "related"},
                                  {"other_task_id": 2, "relation_kind": 3},
                                  {"other_task_id": 1e30, "relation_kind": "related"}])
def test_wrong_types(server, owner, tasks, body):
    r = call(server, "PUT", "/tasks/%d/relations" % tasks[0]["id"], token=owner["token"], json=body)
    assert_error(r, 400, 2004)


def test_body_task_id_is_ignored(server, owner, tasks):
    a, b, c = tasks
    r = call(server, "PUT", "/tasks/%d/relations" % a["id"], token=owner["token"],
             json={"task_id": c["id"], "other_task_id": b["id"], "relation_kind": "related"})
    assert ok(r, 201)["task_id"] == a["id"]
    assert related_ids(server, owner, c["id"]) == {}
