"""Seeding through the API for the task list and filter language tests."""

import uuid

from wire import call


def uid(prefix="x"):
    return prefix + "-" + uuid.uuid4().hex[:10]


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def project(server, user, **body):
    body.setdefault("title", uid("project"))
    return ok(call(server, "PUT", "/projects", token=user["token"], json=body), 201)


def task(server, user, project_id, title=None, **fields):
    body = {"title": title or uid("task")}
    body.update(fields)
    return ok(call(server, "PUT", "/projects/%d/tasks" % project_id, token=user["token"], json=body), 201)


def label(server, user, task_ids, title=None):
    lbl = ok(call(server, "PUT", "/labels", token=user["token"], json={"title": title or uid("label")}), 201)
    for task_id in task_ids:
        ok(call(server, "PUT", "/tasks/%d/labels" % task_id, token=user["token"], json={"label_id": lbl["id"]}), 201)
    return lbl


def assign(server, user, task_id, assignee_id):
    ok(call(server, "PUT", "/tasks/%d/assignees" % task_id, token=user["token"], json={"user_id": assignee_id}), 201)


def update_task(server, user, t, **fields):
    body = dict(t)
    body.update(fields)
    return ok(call(server, "POST", "/tasks/%d" % t["id"], token=user["token"], json=body))


def listing(server, user, path, status=200, **params):
    r = call(server, "GET", path, token=user["token"], params=params)
    if status != 200:
        return r
    return ok(r)


def titles(server, user, project_id, **params):
    """Titles of the project's tasks matching the params (sorted by id unless the params sort)."""
    return [t["title"] for t in listing(server, user, "/projects/%d/tasks" % project_id, **params)]
