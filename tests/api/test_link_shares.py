"""Link shares: /projects/{p}/shares[/{share}], POST /shares/{hash}/auth, link-share JWTs (spec §1.2, §2.10, §3.6).

Behaviour checked against Vikunja's pkg/models/link_sharing.go, link_sharing_permissions.go,
project_permissions.go (a share reaches its own project only), routes/api/shared/auth.go (the auth answer) and
routes/api/v1/login.go (RenewToken). Beyond Vikunja: the share row is what counts on every request, so a deleted
share's token stops at once (400 code 13003, Vikunja's answer for it) and a token signed with a higher permission
than the share now has gets only what the share has now.
"""

import re
import time

import pytest
from jwt_tools import claims_of, sign
from task_extras_seed import assert_public_user, new_project, new_task, ok, uid
from wire import RFC3339, assert_error, call

SHARE_KEYS = ["id", "hash", "name", "permission", "sharing_type", "password", "shared_by", "created", "updated"]
HASH_RE = re.compile(r"^[A-Za-z0-9]{40}$")


def create_share(server, user, pid, **body):
    return call(server, "PUT", "/projects/%d/shares" % pid, token=user["token"], json=body)


def new_share(server, user, pid, **body):
    return ok(create_share(server, user, pid, **body), 201)


def share_auth(server, share_hash, password=""):
    return call(server, "POST", "/shares/%s/auth" % share_hash, json={"password": password})


def share_token(server, owner, project_id, permission=0, **body):
    share = new_share(server, owner, project_id, permission=permission, **body)
    return share, ok(share_auth(server, share["hash"]))["token"]


def shares_of(server, user, project_id, **params):
    return call(server, "GET", "/projects/%d/shares" % project_id, token=user["token"], params=params)


# --- management ----------------------------------------------------------------------------------

def test_create_share_shape(server, owner):
    project = new_project(server, owner)
    body = new_share(server, owner, project["id"], name="Review", permission=1, hash="mine", id=99999,
                     project_id=123456, sharing_type=2)
    assert list(body) == SHARE_KEYS
    assert body["id"] != 99999 and HASH_RE.match(body["hash"]), body
    assert body["name"] == "Review" and body["permission"] == 1
    assert body["sharing_type"] == 1 and body["password"] == ""
    assert_public_user(body["shared_by"], owner)
    assert RFC3339.match(body["created"]) and RFC3339.match(body["updated"])
    listed = ok(shares_of(server, owner, project["id"]))
    assert [s["id"] for s in listed] == [body["id"]]


def test_create_share_with_password(server, owner):
    project = new_project(server, owner)
    body = new_share(server, owner, project["id"], password="s3cret-pass")
    assert body["sharing_type"] == 2 and body["password"] == ""
    assert "s3cret" not in shares_of(server, owner, project["id"]).text


@pytest.mark.parametrize("permission", [-1, 3, 100])
def test_create_share_invalid_permission(server, owner, permission):
    project = new_project(server, owner)
    assert_error(create_share(server, owner, project["id"], permission=permission), 400, 9001)
    assert ok(shares_of(server, owner, project["id"])) == []


def test_create_share_needs_the_project(server, owner, stranger):
    project = new_project(server, owner)
    assert_error(create_share(server, owner, 99999999), 404, 3001)
    r = create_share(server, stranger, project["id"])
    assert r.status_code == 403, r.text
    assert ok(shares_of(server, owner, project["id"])) == []


def test_list_shares_admin_only_and_search(server, owner, stranger):
    project = new_project(server, owner)
    new_share(server, owner, project["id"], name="alpha team")
    new_share(server, owner, project["id"], name="beta")
    r = shares_of(server, owner, project["id"], s="ALPHA")
    assert [s["name"] for s in ok(r)] == ["alpha team"]
    assert r.headers["x-pagination-result-count"] == "1" and r.headers["x-pagination-total-pages"] == "1"
    assert len(ok(shares_of(server, owner, project["id"]))) == 2
    assert shares_of(server, stranger, project["id"]).status_code == 403
    assert_error(shares_of(server, owner, 99999999), 404, 3001)


def test_read_one_share_through_its_own_project_only(server, owner, stranger):
    a = new_project(server, owner)
    b = new_project(server, owner)
    share = new_share(server, owner, a["id"], name="a-share")
    r = call(server, "GET", "/projects/%d/shares/%d" % (a["id"], share["id"]), token=owner["token"])
    assert ok(r)["hash"] == share["hash"] and r.headers["x-max-permission"] == "2"
    # Another project's URL does not reach it, even one the caller administers.
    assert_error(call(server, "GET", "/projects/%d/shares/%d" % (b["id"], share["id"]), token=owner["token"]),
                 404, 3006)
    assert call(server, "GET", "/projects/%d/shares/%d" % (a["id"], share["id"]),
                token=stranger["token"]).status_code == 403


def share_project_with(server, owner, project_id, user, permission):
    ok(call(server, "PUT", "/projects/%d/users" % project_id, token=owner["token"],
            json={"username": user["username"], "permission": permission}), 201)


def test_reading_or_deleting_a_share_needs_what_creating_it_needs(server, owner, new_user):
    """The hash is the share's secret: a reader must not obtain a writer's or an admin's share (beyond Vikunja)."""
    project = new_project(server, owner)
    read_share = new_share(server, owner, project["id"], permission=0)
    write_share = new_share(server, owner, project["id"], permission=1)
    admin_share = new_share(server, owner, project["id"], permission=2)
    reader, writer = new_user(), new_user()
    share_project_with(server, owner, project["id"], reader, 0)
    share_project_with(server, owner, project["id"], writer, 1)

    def status(user, method, share):
        return call(server, method, "/projects/%d/shares/%d" % (project["id"], share["id"]),
                    token=user["token"]).status_code

    for share in (read_share, write_share, admin_share):
        assert status(reader, "GET", share) == 403
        assert status(reader, "DELETE", share) == 403
    assert status(writer, "GET", write_share) == 200
    assert status(writer, "GET", admin_share) == 403
    assert status(writer, "DELETE", admin_share) == 403
    assert len(ok(shares_of(server, owner, project["id"]))) == 3
    assert status(writer, "DELETE", read_share) == 200
    assert {s["id"] for s in ok(shares_of(server, owner, project["id"]))} == {write_share["id"], admin_share["id"]}


def test_delete_share(server, owner, stranger):
    a = new_project(server, owner)
    b = new_project(server, owner)
    share = new_share(server, owner, a["id"])
    path = "/projects/%d/shares/%d" % (a["id"], share["id"])
    assert call(server, "DELETE", path, token=stranger["token"]).status_code == 403
    assert_error(call(server, "DELETE", "/projects/%d/shares/%d" % (b["id"], share["id"]), token=owner["token"]),
                 404, 3006)
    assert len(ok(shares_of(server, owner, a["id"]))) == 1
    assert ok(call(server, "DELETE", path, token=owner["token"])) == {"message": "Successfully deleted."}
    assert ok(shares_of(server, owner, a["id"])) == []
    assert_error(call(server, "DELETE", path, token=owner["token"]), 404, 3006)


# --- authentication ------------------------------------------------------------------------------

def test_auth_answer_and_claims(server, owner):
    project = new_project(server, owner)
    share = new_share(server, owner, project["id"], name="ro", permission=1)
    body = ok(share_auth(server, share["hash"]))
    assert body["project_id"] == project["id"]
    assert body["id"] == share["id"] and body["hash"] == share["hash"] and body["permission"] == 1
    assert body["password"] == "" and body["shared_by"] is None
    claims = claims_of(body["token"])
    assert claims["type"] == 2 and claims["id"] == share["id"] and claims["hash"] == share["hash"]
    assert claims["project_id"] == project["id"] and claims["permission"] == 1
    assert claims["sharedByID"] == owner["id"]
    assert 259200 - 60 <= claims["exp"] - time.time() <= 259200 + 60


def test_auth_unknown_hash(server):
    assert_error(share_auth(server, "x" * 40), 404, 3006)


def test_auth_with_password(server, owner):
    project = new_project(server, owner)
    share = new_share(server, owner, project["id"], password="correct horse")
    assert_error(share_auth(server, share["hash"]), 412, 13001)
    assert_error(share_auth(server, share["hash"], "wrong horse"), 403, 13002)
    token = ok(share_auth(server, share["hash"], "correct horse"))["token"]
    assert ok(call(server, "GET", "/projects/%d" % project["id"], token=token))["id"] == project["id"]


# --- what a link share reaches -------------------------------------------------------------------

def test_share_reaches_its_project_only(server, owner):
    project = new_project(server, owner)
    other = new_project(server, owner)
    child = ok(call(server, "PUT", "/projects", token=owner["token"],
                    json={"title": uid("child"), "parent_project_id": project["id"]}), 201)
    task = new_task(server, owner, project["id"])
    other_task = new_task(server, owner, other["id"])
    child_task = new_task(server, owner, child["id"])
    _, token = share_token(server, owner, project["id"], permission=0)

    listed = ok(call(server, "GET", "/projects", token=token))
    assert [p["id"] for p in listed] == [project["id"]]
    r = call(server, "GET", "/projects/%d" % project["id"], token=token)
    assert ok(r)["id"] == project["id"] and r.headers["x-max-permission"] == "0"
    assert ok(call(server, "GET", "/tasks/%d" % task["id"], token=token))["id"] == task["id"]
    assert [t["id"] for t in ok(call(server, "GET", "/tasks", token=token))] == [task["id"]]
    for pid in (other["id"], child["id"]):
        assert call(server, "GET", "/projects/%d" % pid, token=token).status_code == 403
    for tid in (other_task["id"], child_task["id"]):
        assert call(server, "GET", "/tasks/%d" % tid, token=token).status_code == 403


def test_read_share_cannot_write(server, owner):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"], title="keep")
    _, token = share_token(server, owner, project["id"], permission=0)
    assert call(server, "PUT", "/projects/%d/tasks" % project["id"], token=token,
                json={"title": "nope"}).status_code == 403
    assert call(server, "POST", "/tasks/%d" % task["id"], token=token, json={"title": "changed"}).status_code == 403
    assert call(server, "DELETE", "/tasks/%d" % task["id"], token=token).status_code == 403
    after = ok(call(server, "GET", "/projects/%d/tasks" % project["id"], token=owner["token"]))
    assert [(t["id"], t["title"]) for t in after] == [(task["id"], "keep")]


def test_write_share_acts_as_its_pseudo_user(server, owner):
    project = new_project(server, owner)
    share, token = share_token(server, owner, project["id"], permission=1, name="Guests")
    pseudo = {"id": -share["id"], "username": "link-share-%d" % share["id"], "name": "Guests (Link Share)"}
    task = ok(call(server, "PUT", "/projects/%d/tasks" % project["id"], token=token, json={"title": "from link"}),
              201)
    assert {k: task["created_by"][k] for k in pseudo} == pseudo
    seen = ok(call(server, "GET", "/tasks/%d" % task["id"], token=owner["token"]))
    assert {k: seen["created_by"][k] for k in pseudo} == pseudo
    comment = ok(call(server, "PUT", "/tasks/%d/comments" % task["id"], token=token, json={"comment": "hi"}), 201)
    assert {k: comment["author"][k] for k in pseudo} == pseudo
    # Write is not admin: the project itself cannot be deleted.
    assert call(server, "DELETE", "/projects/%d" % project["id"], token=token).status_code == 403
    assert ok(call(server, "GET", "/projects/%d" % project["id"], token=owner["token"]))["id"] == project["id"]


def test_user_endpoint_shows_the_pseudo_user(server, owner):
    project = new_project(server, owner)
    share, token = share_token(server, owner, project["id"])
    me = ok(call(server, "GET", "/user", token=token))
    assert me["id"] == -share["id"] and me["username"] == "link-share-%d" % share["id"]
    assert me["name"] == "Link Share" and me["is_local_user"] is False and "email" not in me


@pytest.mark.parametrize("method,path,body,status,code", [
    ("PUT", "/projects", {"title": "x"}, 403, 0),
    ("PUT", "/labels", {"title": "x"}, 403, 0),
    ("PUT", "/filters", {"title": "x", "filters": {"filter": "done = false"}}, 403, 0),
])
def test_link_shares_get_vikunjas_refusals(server, owner, method, path, body, status, code):
    project = new_project(server, owner)
    _, token = share_token(server, owner, project["id"], permission=2)
    assert_error(call(server, method, path, token=token, json=body), status, code)
    assert [p["id"] for p in ok(call(server, "GET", "/projects", token=token))] == [project["id"]]
    assert ok(call(server, "GET", "/labels", token=owner["token"])) == []


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/tokens", None),
    ("POST", "/user/settings/general", {"name": "x"}),
    ("GET", "/user/sessions", None),
    ("GET", "/notifications", None),
    ("POST", "/notifications", None),
    ("PUT", "/teams", {"name": "x"}),
    ("GET", "/users", None),
])
def test_user_only_routes_refuse_link_shares(server, owner, method, path, body):
    project = new_project(server, owner)
    _, token = share_token(server, owner, project["id"], permission=2)
    assert_error(call(server, method, path, token=token, json=body), 403, 1023)
    assert [p["id"] for p in ok(call(server, "GET", "/projects", token=token))] == [project["id"]]


def test_share_cannot_manage_shares_or_subscribe(server, owner):
    project = new_project(server, owner)
    share, token = share_token(server, owner, project["id"], permission=2)
    assert_error(create_share(server, {"token": token}, project["id"], permission=2), 403, 1023)
    assert_error(shares_of(server, {"token": token}, project["id"]), 403, 1023)
    assert [s["id"] for s in ok(shares_of(server, owner, project["id"]))] == [share["id"]]
    for path in ("/projects/%d/users", "/projects/%d/teams", "/subscriptions/project/%d"):
        assert_error(call(server, "PUT", path % project["id"], token=token, json={"username": owner["username"]}),
                     403, 1023)
    assert ok(call(server, "GET", "/projects/%d/users" % project["id"], token=owner["token"])) == []
    assert ok(call(server, "GET", "/projects/%d" % project["id"], token=owner["token"])).get("subscription") is None


def test_renew_link_share_token(server, owner, new_user):
    project = new_project(server, owner)
    _, token = share_token(server, owner, project["id"])
    renewed = ok(call(server, "POST", "/user/token", token=token))["token"]
    assert claims_of(renewed)["type"] == 2
    assert ok(call(server, "GET", "/projects/%d" % project["id"], token=renewed))["id"] == project["id"]
    r = call(server, "POST", "/user/token", token=owner["token"])
    assert r.status_code == 400 and "refresh" in r.json()["message"]


# --- revocation ----------------------------------------------------------------------------------

def test_deleted_share_token_stops_at_once(server, owner):
    project = new_project(server, owner)
    share, token = share_token(server, owner, project["id"], permission=1)
    renewed = ok(call(server, "POST", "/user/token", token=token))["token"]
    ok(call(server, "DELETE", "/projects/%d/shares/%d" % (project["id"], share["id"]), token=owner["token"]))
    for t in (token, renewed):
        assert_error(call(server, "GET", "/projects/%d" % project["id"], token=t), 400, 13003)
        assert_error(call(server, "PUT", "/projects/%d/tasks" % project["id"], token=t, json={"title": "late"}),
                     400, 13003)
        assert_error(call(server, "POST", "/user/token", token=t), 400, 13003)
    assert ok(call(server, "GET", "/projects/%d/tasks" % project["id"], token=owner["token"])) == []


def test_deleted_project_share_token_stops(server, owner):
    project = new_project(server, owner)
    _, token = share_token(server, owner, project["id"], permission=2)
    ok(call(server, "DELETE", "/projects/%d" % project["id"], token=owner["token"]))
    assert_error(call(server, "GET", "/projects", token=token), 400, 13003)


def test_link_sharing_disabled(server_factory):
    srv = server_factory(env={"VIKUNJA_SERVICE_ENABLELINKSHARING": "false"})
    assert call(srv, "POST", "/shares/%s/auth" % ("x" * 40), json={}).status_code == 404
    assert ok(call(srv, "GET", "/info"))["link_sharing_enabled"] is False


def test_token_signed_with_more_than_the_share_has_now(server_factory):
    """A share lowered after its token was issued: the token carries the old permission; the row wins."""
    secret = "link-share-test-secret-" + uid()
    srv = server_factory(env={"VIKUNJA_SERVICE_SECRET": secret})
    name = uid("u")
    ok(call(srv, "POST", "/register", json={"username": name, "password": "12345678", "email": name + "@x.io"}))
    user = {"token": ok(call(srv, "POST", "/login", json={"username": name, "password": "12345678"}))["token"]}
    project = new_project(srv, user)
    task = new_task(srv, user, project["id"], title="keep")
    share = new_share(srv, user, project["id"], permission=0)
    issued = claims_of(ok(share_auth(srv, share["hash"]))["token"])
    forged = sign(dict(issued, permission=2), secret)
    assert claims_of(forged)["permission"] == 2
    r = call(srv, "GET", "/projects/%d" % project["id"], token=forged)
    assert ok(r)["id"] == project["id"] and r.headers["x-max-permission"] == "0"
    assert call(srv, "POST", "/tasks/%d" % task["id"], token=forged, json={"title": "changed"}).status_code == 403
    assert call(srv, "DELETE", "/projects/%d" % project["id"], token=forged).status_code == 403
    assert ok(call(srv, "GET", "/tasks/%d" % task["id"], token=user["token"]))["title"] == "keep"
    # A token naming the right id with another hash is no share's token.
    assert_error(call(srv, "GET", "/projects", token=sign(dict(issued, hash="y" * 40), secret)), 400, 13003)
