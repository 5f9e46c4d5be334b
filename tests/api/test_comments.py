"""Task comments: GET/PUT /tasks/{task}/comments, GET/POST/DELETE /tasks/{task}/comments/{commentid}
(spec §2.7, §3.6, §4; client-usage A.1, A.2, D.41).

Behaviour checked against Vikunja's pkg/models/task_comments.go (getTaskCommentSimple: the comment must
belong to the task in the URL, the IDOR fix), task_comment_permissions.go and pkg/routes/routes.go
(the routes exist only with service.enabletaskcomments).
"""

import pytest
from wire import RFC3339, call, assert_error
from task_extras_seed import new_project, new_task, ok, uid, assert_public_user, is_bare_404

COMMENT_KEYS = ["id", "comment", "author", "reactions", "created", "updated"]


@pytest.fixture
def task(server, owner):
    return new_task(server, owner)


def add(server, user, task_id, text):
    return call(server, "PUT", "/tasks/%s/comments" % task_id, token=user["token"], json={"comment": text})


def comments(server, user, task_id, **params):
    r = call(server, "GET", "/tasks/%d/comments" % task_id, token=user["token"], params=params)
    return ok(r), r


def test_create_comment(server, owner, task):
    body = ok(add(server, owner, task["id"], "<p>Hello</p>"), 201)
    assert list(body) == COMMENT_KEYS
    assert isinstance(body["id"], int) and body["id"] > 0
    assert body["comment"] == "<p>Hello</p>"
    assert_public_user(body["author"], owner)
    assert body["reactions"] is None
    assert RFC3339.match(body["created"]) and RFC3339.match(body["updated"])


@pytest.mark.parametrize("body", [{}, {"comment": ""}, {"comment": None}])
def test_create_comment_required(server, owner, task, body):
    r = call(server, "PUT", "/tasks/%d/comments" % task["id"], token=owner["token"], json=body)
    err = assert_error(r, 412, 2002)
    assert any(f.startswith("comment:") for f in err["invalid_fields"]), err


def test_create_comment_too_long(server_factory, new_user):
    # 1 MB of text (Vikunja's dbtext limit) needs a body limit above the 1MB default of service.maxbodybytes.
    srv = server_factory(env={"VIKUNJA_SERVICE_MAXBODYBYTES": "4MB"})
    r = call(srv, "POST", "/register", json={"username": "longcomment", "password": "12345678",
                                              "email": "longcomment@example.com"})
    assert r.status_code == 200, r.text
    r = call(srv, "POST", "/login", json={"username": "longcomment", "password": "12345678"})
    user = {"token": r.json()["token"]}
    task = new_task(srv, user)
    assert_error(add(srv, user, task["id"], "x" * (1048576 + 1)), 412, 2002)
    ok(add(srv, user, task["id"], "x" * 1048576), 201)


def test_create_comment_over_body_limit(server, owner, task):
    assert_error(add(server, owner, task["id"], "x" * (1048576 + 1)), 413, 4013)


@pytest.mark.parametrize("text", [5, ["a"], {"a": 1}, True])
def test_create_comment_wrong_type(server, owner, task, text):
    assert_error(add(server, owner, task["id"], text), 400, 2004)


def test_create_comment_stranger(server, stranger, task):
    assert_error(add(server, stranger, task["id"], "hi"), 403, 0)


def test_create_comment_missing_task(server, owner):
    assert_error(add(server, owner, 999999999, "hi"), 404, 4002)


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999"])
def test_ids_not_numeric(server, owner, task, bad):
    assert_error(add(server, owner, bad, "hi"), 400, 2004)
    assert_error(call(server, "GET", "/tasks/%s/comments" % bad, token=owner["token"]), 400, 2004)
    assert_error(call(server, "GET", "/tasks/%d/comments/%s" % (task["id"], bad), token=owner["token"]), 400, 2004)
    assert_error(call(server, "POST", "/tasks/%d/comments/%s" % (task["id"], bad), token=owner["token"],
                      json={"comment": "x"}), 400, 2004)
    assert_error(call(server, "DELETE", "/tasks/%d/comments/%s" % (task["id"], bad), token=owner["token"]),
                 400, 2004)


# --- list ----------------------------------------------------------------------------------------

def test_list_order_and_paging(server, owner, task):
    made = [ok(add(server, owner, task["id"], "c%d" % i), 201) for i in range(3)]
    listed, r = comments(server, owner, task["id"])
    assert [c["id"] for c in listed] == [c["id"] for c in made]
    assert listed[0] == made[0]
    assert r.headers["x-pagination-result-count"] == "3" and r.headers["x-pagination-total-pages"] == "1"
    newest, _ = comments(server, owner, task["id"], order_by="desc")
    assert [c["id"] for c in newest] == [c["id"] for c in reversed(made)]
    page, r = comments(server, owner, task["id"], per_page=2, page=2)
    assert [c["id"] for c in page] == [made[2]["id"]]
    assert r.headers["x-pagination-total-pages"] == "2"


def test_list_search(server, owner, task):
    word = uid("Needle")
    hit = ok(add(server, owner, task["id"], "<p>a %s b</p>" % word), 201)
    ok(add(server, owner, task["id"], "other"), 201)
    assert [c["id"] for c in comments(server, owner, task["id"], s=word.lower())[0]] == [hit["id"]]


def test_list_empty(server, owner, task):
    listed, r = comments(server, owner, task["id"])
    assert listed == [] and r.headers["x-pagination-total-pages"] == "0"


def test_list_only_this_task(server, owner):
    project = new_project(server, owner)
    a, b = new_task(server, owner, project["id"]), new_task(server, owner, project["id"])
    ok(add(server, owner, a["id"], "on a"), 201)
    assert comments(server, owner, b["id"])[0] == []


def test_list_stranger(server, owner, stranger, task):
    ok(add(server, owner, task["id"], "secret"), 201)
    assert_error(call(server, "GET", "/tasks/%d/comments" % task["id"], token=stranger["token"]), 403, 1)


def test_list_missing_task(server, owner):
    assert_error(call(server, "GET", "/tasks/999999999/comments", token=owner["token"]), 404, 4002)


# --- read one ------------------------------------------------------------------------------------

def test_get_comment(server, owner, task):
    made = ok(add(server, owner, task["id"], "one"), 201)
    r = call(server, "GET", "/tasks/%d/comments/%d" % (task["id"], made["id"]), token=owner["token"])
    assert ok(r) == made
    assert r.headers["x-max-permission"] == "2"


def test_get_comment_through_another_task(server, owner):
    # GHSA: comment of task A read through task B's URL must not be found.
    project = new_project(server, owner)
    a, b = new_task(server, owner, project["id"]), new_task(server, owner, project["id"])
    made = ok(add(server, owner, a["id"], "on a"), 201)
    r = call(server, "GET", "/tasks/%d/comments/%d" % (b["id"], made["id"]), token=owner["token"])
    assert_error(r, 404, 4015)


def test_get_comment_of_strangers_task_through_own_task(server, owner, stranger, task):
    theirs = new_task(server, stranger)
    made = ok(add(server, stranger, theirs["id"], "private"), 201)
    r = call(server, "GET", "/tasks/%d/comments/%d" % (task["id"], made["id"]), token=owner["token"])
    assert_error(r, 404, 4015)
    assert "private" not in r.text


def test_get_comment_missing(server, owner, task):
    assert_error(call(server, "GET", "/tasks/%d/comments/999999999" % task["id"], token=owner["token"]), 404, 4015)
    assert_error(call(server, "GET", "/tasks/999999999/comments/1", token=owner["token"]), 404, 4002)


def test_get_comment_stranger(server, owner, stranger, task):
    made = ok(add(server, owner, task["id"], "one"), 201)
    r = call(server, "GET", "/tasks/%d/comments/%d" % (task["id"], made["id"]), token=stranger["token"])
    body = assert_error(r, 403, 0)
    assert body["message"] == "You don't have the permission to see this"


# --- update / delete -----------------------------------------------------------------------------

def test_update_comment(server, owner, task):
    made = ok(add(server, owner, task["id"], "old"), 201)
    r = call(server, "POST", "/tasks/%d/comments/%d" % (task["id"], made["id"]), token=owner["token"],
             json=dict(made, comment="new", author=None))
    body = ok(r)
    assert list(body) == COMMENT_KEYS
    assert body["id"] == made["id"] and body["comment"] == "new"
    assert_public_user(body["author"], owner)
    assert body["created"] == made["created"]
    r = call(server, "GET", "/tasks/%d/comments/%d" % (task["id"], made["id"]), token=owner["token"])
    assert ok(r)["comment"] == "new"


def test_update_comment_invalid(server, owner, task):
    made = ok(add(server, owner, task["id"], "old"), 201)
    url = "/tasks/%d/comments/%d" % (task["id"], made["id"])
    assert_error(call(server, "POST", url, token=owner["token"], json={"comment": ""}), 412, 2002)
    assert_error(call(server, "POST", url, token=owner["token"], json={"comment": 1}), 400, 2004)


def test_update_delete_through_another_task(server, owner):
    project = new_project(server, owner)
    a, b = new_task(server, owner, project["id"]), new_task(server, owner, project["id"])
    made = ok(add(server, owner, a["id"], "on a"), 201)
    url = "/tasks/%d/comments/%d" % (b["id"], made["id"])
    assert_error(call(server, "POST", url, token=owner["token"], json={"comment": "hijack"}), 404, 4015)
    assert_error(call(server, "DELETE", url, token=owner["token"]), 404, 4015)
    assert [c["comment"] for c in comments(server, owner, a["id"])[0]] == ["on a"]


def test_update_delete_stranger(server, owner, stranger, task):
    made = ok(add(server, owner, task["id"], "mine"), 201)
    url = "/tasks/%d/comments/%d" % (task["id"], made["id"])
    assert_error(call(server, "POST", url, token=stranger["token"], json={"comment": "theirs"}), 403, 0)
    assert_error(call(server, "DELETE", url, token=stranger["token"]), 403, 0)
    assert ok(call(server, "GET", url, token=owner["token"]))["comment"] == "mine"


def test_update_delete_missing(server, owner, task):
    url = "/tasks/%d/comments/999999999" % task["id"]
    assert_error(call(server, "POST", url, token=owner["token"], json={"comment": "x"}), 404, 4015)
    assert_error(call(server, "DELETE", url, token=owner["token"]), 404, 4015)


def test_delete_comment(server, owner, task):
    made = ok(add(server, owner, task["id"], "bye"), 201)
    url = "/tasks/%d/comments/%d" % (task["id"], made["id"])
    assert ok(call(server, "DELETE", url, token=owner["token"])) == {"message": "Successfully deleted."}
    assert_error(call(server, "GET", url, token=owner["token"]), 404, 4015)
    assert comments(server, owner, task["id"])[0] == []


def test_comment_count_and_expand(server, owner, task):
    from task_extras_seed import get_task
    made = ok(add(server, owner, task["id"], "counted"), 201)
    body = get_task(server, owner, task["id"], **{"expand": ["comments", "comment_count"]})
    assert body.get("comment_count") == 1
    assert [c["id"] for c in body.get("comments") or []] == [made["id"]]


# --- service.enabletaskcomments ------------------------------------------------------------------

def test_comments_disabled(server_factory, new_user):
    srv = server_factory(env={"VIKUNJA_SERVICE_ENABLETASKCOMMENTS": "false"})
    r = call(srv, "GET", "/tasks/1/comments")
    assert is_bare_404(r), (r.status_code, r.text)
    r = call(srv, "PUT", "/tasks/1/comments", json={"comment": "x"})
    assert is_bare_404(r), (r.status_code, r.text)
    info = call(srv, "GET", "/info").json()
    assert info["task_comments_enabled"] is False


def test_page_size_follows_max_items_per_page(server_factory):
    # D.41: the web app compares the embedded comments with /info max_items_per_page.
    srv = server_factory(env={"VIKUNJA_SERVICE_MAXITEMSPERPAGE": "2"})
    assert call(srv, "GET", "/info").json()["max_items_per_page"] == 2
    call(srv, "POST", "/register", json={"username": "pager", "password": "12345678", "email": "pager@example.com"})
    user = {"token": call(srv, "POST", "/login", json={"username": "pager", "password": "12345678"}).json()["token"]}
    task = new_task(srv, user)
    made = [ok(add(srv, user, task["id"], "c%d" % i), 201)["id"] for i in range(3)]
    r = call(srv, "GET", "/tasks/%d/comments" % task["id"], token=user["token"], params={"per_page": 10})
    assert [c["id"] for c in ok(r)] == made[:2]
    assert r.headers["x-pagination-total-pages"] == "2"
    r = call(srv, "GET", "/tasks/%d/comments" % task["id"], token=user["token"], params={"page": 2})
    assert [c["id"] for c in ok(r)] == made[2:]
