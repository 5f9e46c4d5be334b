"""API tokens: PUT/GET/DELETE /tokens, token authentication and GET /routes
(spec §1.2, §1.5, §2.13, §2.16, §3.6, §4).

Behaviour checked against Vikunja's pkg/models/api_tokens.go, api_tokens_permissions.go,
api_routes.go (CollectRoutesForAPITokenUsage, CanDoAPIRoute, PermissionsAreValid,
GetAvailableAPIRoutesForToken), pkg/routes/api_tokens.go, pkg/routes/routes.go,
pkg/modules/auth/auth.go (ValidateAPITokenString) and pkg/web/handler/*.go.
"""

import re
import uuid

import pytest
import requests
from wire import CODE_11, RFC3339, call, parse_time, assert_error, assert_code_11


TOKEN_RE = re.compile(r"^tk_[0-9a-f]{40}$")
FAR_FUTURE = "2099-01-01T00:00:00Z"


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def create_token(server, jwt, permissions, title=None, expires_at=FAR_FUTURE):
    body = {"title": title or "tok-" + uuid.uuid4().hex[:8], "permissions": permissions,
            "expires_at": expires_at}
    return call(server, "PUT", "/tokens", token=jwt, json=body)


def created_token(server, jwt, permissions, **kw):
    r = create_token(server, jwt, permissions, **kw)
    assert r.status_code == 201, r.text
    return r.json()


def get_routes(server, jwt):
    r = call(server, "GET", "/routes", token=jwt)
    assert r.status_code == 200, r.text
    return r.json()


def skip_unless_served(server, method, path):
    """Skips a test about a route whose resource has not landed yet (the router's bare 404).
    A served route answers anything else, even without credentials, so the test runs then."""
    url = server.base_url + re.sub(r":[a-z_]+", "1", path.replace("*", ""))
    r = requests.request("GET" if method == "ANY" else method, url, timeout=30, allow_redirects=False)
    if r.status_code == 404 and r.headers.get("Content-Type", "").startswith("application/json") \
            and r.json() == {"message": "Not Found"}:
        pytest.skip("%s %s is not served yet" % (method, path))


def perm_for(routes, method, path, server=None):
    """The (group, permission) GET /routes maps to exactly (method, path)."""
    hits = [(g, p) for g, perms in routes.items() for p, d in perms.items()
            if d.get("method") == method and d.get("path") == path]
    if not hits and server is not None:
        skip_unless_served(server, method, path)
    assert hits, "no permission in /routes for %s %s" % (method, path)
    return hits[0]


# ---------------------------------------------------------------------------------------
# PUT /tokens
# ---------------------------------------------------------------------------------------

def test_create_token(server, new_user):
    user = new_user()
    title = "my token " + uuid.uuid4().hex[:6]
    perms = {"other": ["user"]}
    r = create_token(server, user["token"], perms, title=title)
    assert r.status_code == 201, r.text
    body = r.json()
    assert TOKEN_RE.match(body["token"]), body["token"]
    assert isinstance(body["id"], int) and not isinstance(body["id"], bool) and body["id"] > 0
    assert body["title"] == title
    assert body["permissions"] == perms
    assert parse_time(body["expires_at"]) == parse_time(FAR_FUTURE)
    assert RFC3339.match(body["created"]), body
    assert body.get("owner_id") == user["id"]


def test_create_tokens_are_unique(server, new_user):
    user = new_user()
    a = created_token(server, user["token"], {"other": ["user"]})
    b = created_token(server, user["token"], {"other": ["user"]})
    assert a["id"] != b["id"]
    assert a["token"] != b["token"]


@pytest.mark.parametrize("permissions", [
    {"no_such_group": ["read_all"]},
    {"other": ["no_such_permission"]},
    {"other": ["user", "no_such_permission"]},
    {"tokens": ["read_all"]},  # the tokens routes are never grantable
], ids=["unknown_group", "unknown_permission", "one_bad_permission", "tokens_group"])
def test_create_token_invalid_permission(server, new_user, permissions):
    user = new_user()
    r = create_token(server, user["token"], permissions)
    assert_error(r, 400, 14002)
    listed = call(server, "GET", "/tokens", token=user["token"]).json()
    assert listed == []


@pytest.mark.parametrize("missing", ["title", "permissions", "expires_at"])
def test_create_token_required_fields(server, new_user, missing):
    user = new_user()
    body = {"title": "t", "permissions": {"other": ["user"]}, "expires_at": FAR_FUTURE}
    del body[missing]
    r = call(server, "PUT", "/tokens", token=user["token"], json=body)
    body = assert_error(r, 412, 2002)
    fields = body.get("invalid_fields")
    assert isinstance(fields, list) and any(f.startswith(missing + ":") for f in fields), body


def test_create_token_needs_a_user_jwt(server, new_user):
    # The /tokens routes are excluded from the token permission groups, so an API
    # token can never mint another one.
    user = new_user()
    tk = created_token(server, user["token"], {"other": ["user"]})["token"]
    r = create_token(server, tk, {"other": ["user"]})
    assert_code_11(r)


# ---------------------------------------------------------------------------------------
# GET /tokens
# ---------------------------------------------------------------------------------------

def test_list_tokens_without_token_value(server, new_user):
    user = new_user()
    made = created_token(server, user["token"], {"other": ["user"]}, title="listed")
    r = call(server, "GET", "/tokens", token=user["token"])
    assert r.status_code == 200, r.text
    items = r.json()
    assert [t["id"] for t in items] == [made["id"]]
    item = items[0]
    assert not item.get("token")
    assert made["token"] not in r.text
    assert item["title"] == "listed"
    assert item["permissions"] == {"other": ["user"]}
    assert parse_time(item["expires_at"]) == parse_time(FAR_FUTURE)
    # The stored timestamp may lose sub-second precision.
    assert abs((parse_time(item["created"]) - parse_time(made["created"])).total_seconds()) < 2
    assert r.headers.get("x-pagination-total-pages") == "1"
    assert r.headers.get("x-pagination-result-count") == "1"


def test_list_tokens_empty(server, new_user):
    user = new_user()
    r = call(server, "GET", "/tokens", token=user["token"])
    assert r.status_code == 200, r.text
    assert r.json() == []
    assert r.headers.get("x-pagination-total-pages") == "0"
    assert r.headers.get("x-pagination-result-count") == "0"


def test_list_tokens_pagination(server, new_user):
    user = new_user()
    ids = {created_token(server, user["token"], {"other": ["user"]})["id"] for _ in range(3)}
    p1 = call(server, "GET", "/tokens", token=user["token"], params={"page": 1, "per_page": 2})
    p2 = call(server, "GET", "/tokens", token=user["token"], params={"page": 2, "per_page": 2})
    assert p1.status_code == 200 and p2.status_code == 200
    assert len(p1.json()) == 2 and len(p2.json()) == 1
    assert p1.headers.get("x-pagination-total-pages") == "2"
    assert p1.headers.get("x-pagination-result-count") == "2"
    assert p2.headers.get("x-pagination-total-pages") == "2"
    assert p2.headers.get("x-pagination-result-count") == "1"
    assert {t["id"] for t in p1.json() + p2.json()} == ids


def test_list_tokens_search_by_title(server, new_user):
    user = new_user()
    marker = uuid.uuid4().hex[:8]
    hit = created_token(server, user["token"], {"other": ["user"]}, title="ci " + marker)
    created_token(server, user["token"], {"other": ["user"]}, title="something else")
    r = call(server, "GET", "/tokens", token=user["token"], params={"s": marker})
    assert r.status_code == 200, r.text
    assert [t["id"] for t in r.json()] == [hit["id"]]


def test_list_tokens_only_own(server, new_user):
    me = new_user()
    other = new_user()
    theirs = created_token(server, other["token"], {"other": ["user"]})
    r = call(server, "GET", "/tokens", token=me["token"])
    assert r.status_code == 200, r.text
    assert theirs["id"] not in [t["id"] for t in r.json()]


# ---------------------------------------------------------------------------------------
# Authenticating with a token
# ---------------------------------------------------------------------------------------

def test_token_authenticates_route_it_holds(server, new_user):
    user = new_user()
    group, perm = perm_for(get_routes(server, user["token"]), "GET", "/api/v1/user")
    tk = created_token(server, user["token"], {group: [perm]})["token"]
    r = call(server, "GET", "/user", token=tk)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == user["id"]
    assert r.json()["username"] == user["username"]


def test_token_refused_on_route_it_does_not_hold(server, new_user):
    user = new_user()
    group, perm = perm_for(get_routes(server, user["token"]), "GET", "/api/v1/user")
    tk = created_token(server, user["token"], {group: [perm]})["token"]
    assert_code_11(call(server, "GET", "/routes", token=tk))
    assert_code_11(call(server, "GET", "/tokens", token=tk))


def test_token_refused_on_same_path_with_other_method(server, new_user):
    user = new_user()
    routes = get_routes(server, user["token"])
    group, perm = perm_for(routes, "GET", "/api/v1/labels", server)
    tk = created_token(server, user["token"], {group: [perm]})["token"]
    ok = call(server, "GET", "/labels", token=tk)
    assert ok.status_code == 200, ok.text
    title = "must-not-exist-" + uuid.uuid4().hex[:6]
    assert_code_11(call(server, "PUT", "/labels", token=tk, json={"title": title}))
    labels = call(server, "GET", "/labels", token=user["token"]).json()
    assert title not in [label["title"] for label in labels]


def test_token_create_permission_allows_create(server, new_user):
    user = new_user()
    routes = get_routes(server, user["token"])
    group, perm = perm_for(routes, "PUT", "/api/v1/labels", server)
    tk = created_token(server, user["token"], {group: [perm]})["token"]
    r = call(server, "PUT", "/labels", token=tk, json={"title": "made by token"})
    assert r.status_code == 201, r.text
    assert r.json()["created_by"]["id"] == user["id"]


def test_token_tasks_read_all_covers_both_list_routes(server, new_user):
    # CanDoAPIRoute special case: tasks.read_all allows GET /tasks and
    # GET /projects/:project/tasks.
    skip_unless_served(server, "GET", "/api/v1/tasks")
    user = new_user()
    inbox = call(server, "GET", "/user", token=user["token"]).json()["settings"]["default_project_id"]
    tk = created_token(server, user["token"], {"tasks": ["read_all"]})["token"]
    r = call(server, "GET", "/tasks", token=tk)
    assert r.status_code == 200, r.text
    r = call(server, "GET", "/projects/%d/tasks" % inbox, token=tk)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("method,path", [
    ("GET", "/user/sessions"),
    ("GET", "/tokens"),
    ("POST", "/user/settings/general"),
    ("POST", "/user/password"),
])
def test_token_cannot_reach_user_and_token_routes(server, new_user, method, path):
    # user_* and tokens routes are never part of a permission group.
    user = new_user()
    routes = get_routes(server, user["token"])
    everything = {g: sorted(perms) for g, perms in routes.items()}
    tk = created_token(server, user["token"], everything)["token"]
    assert_code_11(call(server, method, path, token=tk, json={}))


def test_token_test_route_accepts_any_valid_token(server, new_user):
    # Vikunja skips the route check for the self-test (pkg/routes/api_tokens.go).
    user = new_user()
    tk = created_token(server, user["token"], {"other": ["routes"]})["token"]
    r = call(server, "GET", "/token/test", token=tk)
    assert r.status_code == 200, r.text
    assert r.json() == {"message": "ok"}


def test_expired_token_is_refused(server, new_user):
    user = new_user()
    made = created_token(server, user["token"], {"other": ["user"]},
                         expires_at="2020-01-01T00:00:00Z")
    assert parse_time(made["expires_at"]) == parse_time("2020-01-01T00:00:00Z")
    assert_code_11(call(server, "GET", "/user", token=made["token"]))


@pytest.mark.parametrize("value", [
    "tk_" + "0" * 40,
    "tk_abc",
    "tk_",
], ids=["unknown_40_hex", "short", "prefix_only"])
def test_unknown_token_is_refused(server, value):
    assert_code_11(call(server, "GET", "/user", token=value))


def test_modified_token_is_refused(server, new_user):
    user = new_user()
    tk = created_token(server, user["token"], {"other": ["user"]})["token"]
    last = tk[-1]
    forged = tk[:-1] + ("0" if last != "0" else "1")
    assert_code_11(call(server, "GET", "/user", token=forged))
    assert call(server, "GET", "/user", token=tk).status_code == 200


# ---------------------------------------------------------------------------------------
# DELETE /tokens/:token
# ---------------------------------------------------------------------------------------

def test_delete_token(server, new_user):
    user = new_user()
    made = created_token(server, user["token"], {"other": ["user"]})
    assert call(server, "GET", "/user", token=made["token"]).status_code == 200
    r = call(server, "DELETE", "/tokens/%d" % made["id"], token=user["token"])
    assert r.status_code == 200, r.text
    assert r.json() == {"message": "Successfully deleted."}
    assert_code_11(call(server, "GET", "/user", token=made["token"]))
    listed = call(server, "GET", "/tokens", token=user["token"]).json()
    assert made["id"] not in [t["id"] for t in listed]


def test_delete_other_users_token_is_forbidden(server, new_user):
    me = new_user()
    other = new_user()
    theirs = created_token(server, other["token"], {"other": ["user"]})
    r = call(server, "DELETE", "/tokens/%d" % theirs["id"], token=me["token"])
    # CanDelete is false -> generic CRUD forbidden (403, code 0), not 404.
    assert r.status_code == 403, r.text
    assert r.json().get("code", 0) == 0
    assert call(server, "GET", "/user", token=theirs["token"]).status_code == 200


def test_delete_nonexistent_token_is_forbidden(server, new_user):
    # Vikunja's APIToken.CanDelete reads a zero row for an unknown id and answers
    # "not allowed" rather than "not found".
    user = new_user()
    made = created_token(server, user["token"], {"other": ["user"]})
    r = call(server, "DELETE", "/tokens/%d" % (made["id"] + 1000000), token=user["token"])
    assert r.status_code == 403, r.text


# ---------------------------------------------------------------------------------------
# GET /routes
# ---------------------------------------------------------------------------------------

def test_routes_shape(server, new_user):
    user = new_user()
    r = call(server, "GET", "/routes", token=user["token"])
    assert r.status_code == 200, r.text
    routes = r.json()
    assert isinstance(routes, dict) and routes
    for group, perms in routes.items():
        assert isinstance(perms, dict) and perms, group
        for perm, detail in perms.items():
            assert set(detail) == {"path", "method"}, (group, perm, detail)
            assert isinstance(detail["path"], str) and isinstance(detail["method"], str)


@pytest.mark.parametrize("group,perm,method,path", [
    ("tasks", "read_one", "GET", "/api/v1/tasks/:projecttask"),
    ("tasks", "create", "PUT", "/api/v1/projects/:project/tasks"),
    ("tasks", "update", "POST", "/api/v1/tasks/:projecttask"),
    ("tasks", "delete", "DELETE", "/api/v1/tasks/:projecttask"),
    ("tasks", "update_bulk", "POST", "/api/v1/tasks/bulk"),
    ("projects", "read_all", "GET", "/api/v1/projects"),
    ("projects", "read_one", "GET", "/api/v1/projects/:project"),
    ("projects", "create", "PUT", "/api/v1/projects"),
    ("labels", "read_all", "GET", "/api/v1/labels"),
    ("labels", "create", "PUT", "/api/v1/labels"),
    ("labels", "update", "POST", "/api/v1/labels/:label"),
    ("tasks_comments", "create", "PUT", "/api/v1/tasks/:task/comments"),
    ("other", "user", "GET", "/api/v1/user"),
    ("other", "users", "GET", "/api/v1/users"),
    ("other", "routes", "GET", "/api/v1/routes"),
    ("other", "avatar", "GET", "/api/v1/avatar/:username"),
    ("caldav", "access", "ANY", "/dav/*"),
    ("feeds", "access", "GET", "/feeds/*"),
])
def test_routes_entries(server, new_user, group, perm, method, path):
    routes = get_routes(server, new_user()["token"])
    if routes.get(group, {}).get(perm) is None:
        skip_unless_served(server, method, path)
    assert group in routes, sorted(routes)
    assert routes[group].get(perm) == {"path": path, "method": method}, routes[group]


def test_routes_tasks_read_all(server, new_user):
    # Two GET list routes compete for tasks.read_all; only one is stored.
    skip_unless_served(server, "GET", "/api/v1/tasks")
    routes = get_routes(server, new_user()["token"])
    detail = routes["tasks"]["read_all"]
    assert detail["method"] == "GET"
    assert detail["path"] in ("/api/v1/tasks", "/api/v1/projects/:project/tasks")


def test_routes_exclude_user_token_and_subscription_groups(server, new_user):
    routes = get_routes(server, new_user()["token"])
    for group in routes:
        assert not group.startswith("user_"), group
        assert group not in ("tokens", "subscriptions", "token_test", "oauth_authorize"), group
    assert "user" not in routes  # /user lives under "other"
