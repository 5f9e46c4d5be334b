"""Seeding through the API for the label, assignee, comment, relation and reaction tests."""

import uuid

import pytest
from wire import call

BARE_404 = {"message": "Not Found"}


def uid(prefix="x"):
    return prefix + "-" + uuid.uuid4().hex[:10]


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def is_bare_404(r):
    return r.status_code == 404 and r.headers.get("Content-Type", "").startswith("application/json") \
        and r.json() == BARE_404


def new_project(server, user, title=None):
    r = call(server, "PUT", "/projects", token=user["token"], json={"title": title or uid("project")})
    if is_bare_404(r):
        pytest.skip("PUT /projects is not served yet")
    return ok(r, 201)


def new_task(server, user, project_id=None, title=None):
    if project_id is None:
        project_id = new_project(server, user)["id"]
    r = call(server, "PUT", "/projects/%d/tasks" % project_id, token=user["token"],
             json={"title": title or uid("task")})
    if is_bare_404(r):
        pytest.skip("PUT /projects/{id}/tasks is not served yet")
    return ok(r, 201)


def new_label(server, user, title=None, **fields):
    body = {"title": title or uid("label")}
    body.update(fields)
    return ok(call(server, "PUT", "/labels", token=user["token"], json=body), 201)


def get_task(server, user, task_id, **params):
    r = call(server, "GET", "/tasks/%d" % task_id, token=user["token"], params=params)
    if is_bare_404(r):
        pytest.skip("GET /tasks/{id} is not served yet")
    return ok(r)


def public_user(user):
    """The public user shape as the API shows `user` (a new_user() dict) to others."""
    return {"id": user["id"], "username": user["username"]}


def assert_public_user(body, user):
    assert isinstance(body, dict), body
    assert list(body)[:3] == ["id", "name", "username"], body
    assert body["id"] == user["id"] and body["username"] == user["username"], body
    assert "email" not in body and "password" not in body, body
