"""Labels on tasks: PUT/GET /tasks/{projecttask}/labels, DELETE …/labels/{label}, POST …/labels/bulk
(spec §1.3, §2.6, §3.6, §4; client-usage A.1).

Behaviour checked against Vikunja's pkg/models/label_task.go (Create, Delete, ReadAll, UpdateTaskLabels,
LabelTaskBulk) and label_task_permissions.go (CanCreate, CanDelete, canDoLabelTask).
"""

import pytest
from wire import RFC3339, call, assert_error
from task_extras_seed import new_label, new_project, new_task, ok, uid

LABEL_KEYS = ["id", "title", "description", "hex_color", "created_by", "created", "updated"]


@pytest.fixture
def task(server, owner):
    return new_task(server, owner)


def add(server, user, task_id, label_id):
    return call(server, "PUT", "/tasks/%s/labels" % task_id, token=user["token"], json={"label_id": label_id})


def task_labels(server, user, task_id, **params):
    r = call(server, "GET", "/tasks/%d/labels" % task_id, token=user["token"], params=params)
    return ok(r), r


def bulk(server, user, task_id, body):
    return call(server, "POST", "/tasks/%d/labels/bulk" % task_id, token=user["token"], json=body)


# --- add -----------------------------------------------------------------------------------------

def test_add_label(server, owner, task):
    label = new_label(server, owner)
    body = ok(add(server, owner, task["id"], label["id"]), 201)
    assert list(body) == ["label_id", "created"]
    assert body["label_id"] == label["id"] and RFC3339.match(body["created"])
    listed, r = task_labels(server, owner, task["id"])
    assert listed == [label]
    assert list(listed[0]) == LABEL_KEYS
    assert r.headers["x-pagination-result-count"] == "1" and r.headers["x-pagination-total-pages"] == "1"


def test_add_label_twice(server, owner, task):
    label = new_label(server, owner)
    ok(add(server, owner, task["id"], label["id"]), 201)
    assert_error(add(server, owner, task["id"], label["id"]), 400, 8001)


def test_add_label_shows_on_task(server, owner, task):
    from task_extras_seed import get_task
    label = new_label(server, owner)
    ok(add(server, owner, task["id"], label["id"]), 201)
    assert [l_["id"] for l_ in get_task(server, owner, task["id"])["labels"]] == [label["id"]]


@pytest.mark.parametrize("label_id", [999999999, 0, -1])
def test_add_unknown_label(server, owner, task, label_id):
    assert_error(add(server, owner, task["id"], label_id), 404, 8002)


def test_add_missing_label_field(server, owner, task):
    r = call(server, "PUT", "/tasks/%d/labels" % task["id"], token=owner["token"], json={})
    assert_error(r, 404, 8002)


def test_add_invisible_label(server, owner, stranger, task):
    theirs = new_label(server, stranger)
    assert_error(add(server, owner, task["id"], theirs["id"]), 403, 0)
    assert task_labels(server, owner, task["id"])[0] == []


def test_add_label_to_strangers_task(server, owner, stranger, task):
    mine = new_label(server, stranger)
    assert_error(add(server, stranger, task["id"], mine["id"]), 403, 0)


def test_add_label_to_missing_task(server, owner):
    label = new_label(server, owner)
    assert_error(add(server, owner, 999999999, label["id"]), 404, 4002)
    # The label is looked up first.
    assert_error(add(server, owner, 999999999, 999999999), 404, 8002)


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999"])
def test_task_id_not_numeric(server, owner, bad):
    label = new_label(server, owner)
    assert_error(add(server, owner, bad, label["id"]), 400, 2004)
    assert_error(call(server, "GET", "/tasks/%s/labels" % bad, token=owner["token"]), 400, 2004)
    assert_error(call(server, "DELETE", "/tasks/%s/labels/%d" % (bad, label["id"]), token=owner["token"]), 400, 2004)
    assert_error(call(server, "POST", "/tasks/%s/labels/bulk" % bad, token=owner["token"], json={"labels": []}),
                 400, 2004)


@pytest.mark.parametrize("label_id", ["1", 1.5, 1e30, [1], {"id": 1}, True])
def test_add_label_wrong_type(server, owner, task, label_id):
    assert_error(add(server, owner, task["id"], label_id), 400, 2004)


# --- list ----------------------------------------------------------------------------------------

def test_list_task_labels_ordered_and_searched(server, owner, task):
    word = uid("Findme")
    a = new_label(server, owner, title="zz " + word)
    b = new_label(server, owner, title="aa")
    ok(add(server, owner, task["id"], b["id"]), 201)
    ok(add(server, owner, task["id"], a["id"]), 201)
    listed, _ = task_labels(server, owner, task["id"])
    assert [l_["id"] for l_ in listed] == sorted([a["id"], b["id"]])
    assert [l_["id"] for l_ in task_labels(server, owner, task["id"], s=word.upper())[0]] == [a["id"]]
    assert [l_["id"] for l_ in task_labels(server, owner, task["id"], s=str(b["id"]))[0]] == [b["id"]]
    page, r = task_labels(server, owner, task["id"], per_page=1, page=2)
    assert [l_["id"] for l_ in page] == [max(a["id"], b["id"])]
    assert r.headers["x-pagination-total-pages"] == "2"


def test_list_task_labels_empty(server, owner, task):
    listed, r = task_labels(server, owner, task["id"])
    assert listed == [] and r.headers["x-pagination-total-pages"] == "0"


def test_list_task_labels_stranger(server, stranger, task):
    assert_error(call(server, "GET", "/tasks/%d/labels" % task["id"], token=stranger["token"]), 403, 4005)


def test_list_task_labels_missing_task(server, owner):
    assert_error(call(server, "GET", "/tasks/999999999/labels", token=owner["token"]), 404, 4002)


# --- remove --------------------------------------------------------------------------------------

def test_remove_label(server, owner, task):
    label = new_label(server, owner)
    ok(add(server, owner, task["id"], label["id"]), 201)
    r = call(server, "DELETE", "/tasks/%d/labels/%d" % (task["id"], label["id"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert task_labels(server, owner, task["id"])[0] == []
    # Not on the task any more: a plain 403, as Vikunja's CanDelete answers.
    r = call(server, "DELETE", "/tasks/%d/labels/%d" % (task["id"], label["id"]), token=owner["token"])
    assert_error(r, 403, 0)


def test_remove_label_stranger(server, owner, stranger, task):
    label = new_label(server, owner)
    ok(add(server, owner, task["id"], label["id"]), 201)
    r = call(server, "DELETE", "/tasks/%d/labels/%d" % (task["id"], label["id"]), token=stranger["token"])
    assert_error(r, 403, 0)
    assert len(task_labels(server, owner, task["id"])[0]) == 1


def test_remove_label_missing_task(server, owner):
    assert_error(call(server, "DELETE", "/tasks/999999999/labels/1", token=owner["token"]), 404, 4002)


def test_label_of_task_a_through_task_b(server, owner):
    # The label is on task A only; removing it through task B changes nothing.
    project = new_project(server, owner)
    a = new_task(server, owner, project["id"])
    b = new_task(server, owner, project["id"])
    label = new_label(server, owner)
    ok(add(server, owner, a["id"], label["id"]), 201)
    r = call(server, "DELETE", "/tasks/%d/labels/%d" % (b["id"], label["id"]), token=owner["token"])
    assert_error(r, 403, 0)
    assert [l_["id"] for l_ in task_labels(server, owner, a["id"])[0]] == [label["id"]]


# --- bulk ----------------------------------------------------------------------------------------

def test_bulk_replaces_the_set(server, owner, task):
    a, b, c = (new_label(server, owner) for _ in range(3))
    r = bulk(server, owner, task["id"], {"labels": [{"id": a["id"]}, {"id": b["id"]}]})
    body = ok(r, 201)
    assert list(body) == ["labels"]
    assert [l_["id"] for l_ in body["labels"]] == [a["id"], b["id"]]
    assert [l_["id"] for l_ in task_labels(server, owner, task["id"])[0]] == [a["id"], b["id"]]
    ok(bulk(server, owner, task["id"], {"labels": [{"id": c["id"]}, {"id": b["id"]}, {"id": c["id"]}]}), 201)
    assert [l_["id"] for l_ in task_labels(server, owner, task["id"])[0]] == [b["id"], c["id"]]
    ok(bulk(server, owner, task["id"], {"labels": []}), 201)
    assert task_labels(server, owner, task["id"])[0] == []


def test_bulk_echoes_the_body(server, owner, task):
    label = new_label(server, owner)
    body = ok(bulk(server, owner, task["id"], {"labels": [label]}), 201)
    echoed = body["labels"][0]
    assert list(echoed) == LABEL_KEYS
    assert echoed["id"] == label["id"] and echoed["title"] == label["title"]
    assert ok(bulk(server, owner, task["id"], {}), 201) == {"labels": None}
    assert task_labels(server, owner, task["id"])[0] == []


def test_bulk_unknown_label_rolls_back(server, owner, task):
    a = new_label(server, owner)
    ok(bulk(server, owner, task["id"], {"labels": [{"id": a["id"]}]}), 201)
    b = new_label(server, owner)
    assert_error(bulk(server, owner, task["id"], {"labels": [{"id": b["id"]}, {"id": 999999999}]}), 404, 8002)
    assert [l_["id"] for l_ in task_labels(server, owner, task["id"])[0]] == [a["id"]]


def test_bulk_invisible_label(server, owner, stranger, task):
    theirs = new_label(server, stranger)
    assert_error(bulk(server, owner, task["id"], {"labels": [{"id": theirs["id"]}]}), 403, 8003)
    assert task_labels(server, owner, task["id"])[0] == []


def test_bulk_stranger(server, owner, stranger, task):
    theirs = new_label(server, stranger)
    assert_error(bulk(server, stranger, task["id"], {"labels": [{"id": theirs["id"]}]}), 403, 0)


def test_bulk_missing_task(server, owner):
    assert_error(bulk(server, owner, 999999999, {"labels": []}), 404, 4002)


@pytest.mark.parametrize("body", [{"labels": "x"}, {"labels": [1]}, {"labels": [{"id": "1"}]},
                                  {"labels": {"id": 1}}])
def test_bulk_wrong_types(server, owner, task, body):
    assert_error(bulk(server, owner, task["id"], body), 400, 2004)


# --- archived projects ---------------------------------------------------------------------------

def test_archived_project_is_read_only(server, owner):
    # Project.CanWrite answers ErrProjectIsArchived (412 3008) for every write on its tasks' extras.
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    other = new_task(server, owner, project["id"])
    label = new_label(server, owner)
    ok(add(server, owner, task["id"], label["id"]), 201)
    comment = ok(call(server, "PUT", "/tasks/%d/comments" % task["id"], token=owner["token"],
                      json={"comment": "before"}), 201)
    r = call(server, "POST", "/projects/%d" % project["id"], token=owner["token"],
             json={"title": project["title"], "is_archived": True})
    assert r.status_code == 200 and r.json()["is_archived"] is True, r.text
    t = owner["token"]
    writes = [
        add(server, owner, task["id"], new_label(server, owner)["id"]),
        call(server, "DELETE", "/tasks/%d/labels/%d" % (task["id"], label["id"]), token=t),
        bulk(server, owner, task["id"], {"labels": []}),
        call(server, "PUT", "/tasks/%d/assignees" % task["id"], token=t, json={"user_id": owner["id"]}),
        call(server, "POST", "/tasks/%d/assignees/bulk" % task["id"], token=t, json={"assignees": []}),
        call(server, "PUT", "/tasks/%d/comments" % task["id"], token=t, json={"comment": "after"}),
        call(server, "POST", "/tasks/%d/comments/%d" % (task["id"], comment["id"]), token=t, json={"comment": "x"}),
        call(server, "PUT", "/tasks/%d/relations" % task["id"], token=t,
             json={"other_task_id": other["id"], "relation_kind": "related"}),
        call(server, "PUT", "/tasks/%d/reactions" % task["id"], token=t, json={"value": "x"}),
    ]
    for r in writes:
        assert_error(r, 412, 3008)
    assert [l_["id"] for l_ in task_labels(server, owner, task["id"])[0]] == [label["id"]]
    r = call(server, "GET", "/tasks/%d/comments/%d" % (task["id"], comment["id"]), token=t)
    assert ok(r)["comment"] == "before"
    assert r.headers["x-max-permission"] == "0"
