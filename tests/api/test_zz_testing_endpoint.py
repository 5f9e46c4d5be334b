"""The e2e seeding endpoints PATCH /test/{table} and DELETE /test/all (spec §2.17, §2.1).

These tests TRUNCATE tables (users, then everything). Each one therefore runs against its
own throwaway server from `server_factory` (same binary and backend, fresh data), never
against the shared session server; with --base-url (an external server) they are skipped
rather than wipe it. The module is also named to be collected last.

Behaviour checked against Vikunja's pkg/routes/api/v1/testing.go (HandleTesting,
HandleTestingTruncateAll), pkg/routes/api/shared/testing.go (ReplaceTableContents),
pkg/db/dump.go (Restore, RestoreAndTruncate) and frontend/tests/factories/user.ts.
"""

import datetime
import uuid

import pytest
from wire import call as _call


def call(server, method, path, token=None, **kw):
    # Seeding and truncating can take longer than a normal request.
    return _call(server, method, path, token=token, timeout=60, **kw)

try:  # tests/api may or may not be a package
    from . import jwt_tools
except ImportError:  # pragma: no cover - depends on rootdir layout
    import jwt_tools


KNOWN_PW = "vicugna-known-pw"
KNOWN_HASH = "$2a$04$0gCc4OTJPUavXAVVHiWsD.kPD2pP1JWpOA5MpAZnH66ZhCWI0bcse"


@pytest.fixture
def srv(server_factory):
    """A dedicated, freshly started server for one test."""
    return server_factory()


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def seed(server, table, rows, truncate=None, **kw):
    params = {} if truncate is None else {"truncate": truncate}
    return call(server, "PATCH", "/test/" + table, params=params, json=rows,
                headers={"Authorization": server.testing_token}, **kw)


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_row(user_id=None, **over):
    row = {
        "username": "seed" + uuid.uuid4().hex[:12],
        "password": KNOWN_HASH,
        "status": 0,
        "issuer": "local",
        "language": "en",
        "created": now_rfc3339(),
        "updated": now_rfc3339(),
    }
    if user_id is not None:
        row["id"] = user_id
    row.update(over)
    return row


def by_username(rows):
    return {r["username"]: r for r in rows}


def login(server, username, password=KNOWN_PW):
    return call(server, "POST", "/login", json={"username": username, "password": password})


def register_and_login(server):
    """Register a user through the API (password 12345678), check it can log in, return its name."""
    username = "reg" + uuid.uuid4().hex[:10]
    r = call(server, "POST", "/register", json={
        "username": username, "password": "12345678", "email": username + "@example.com"})
    assert r.status_code == 200, r.text
    assert login(server, username, "12345678").status_code == 200
    return username


# ---------------------------------------------------------------------------------------
# Authorization
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [("PATCH", "/test/users"), ("DELETE", "/test/all")])
@pytest.mark.parametrize("auth", [None, "wrong-token", "BEARER"],
                         ids=["no_header", "wrong_token", "bearer_prefixed_testing_token"])
def test_testing_endpoint_refuses_without_the_raw_testing_token(srv, method, path, auth):
    # HandleTesting compares the raw Authorization header with service.testingtoken and
    # answers echo.ErrForbidden (403), never a JWT 401.
    headers = {}
    if auth == "BEARER":
        headers["Authorization"] = "Bearer " + srv.testing_token
    elif auth is not None:
        headers["Authorization"] = auth
    survivor = register_and_login(srv)
    marker = user_row()
    r = call(srv, method, path, json=[marker], headers=headers)
    assert r.status_code == 403, (r.status_code, r.text)
    # Nothing was truncated or written.
    assert login(srv, survivor, "12345678").status_code == 200
    assert login(srv, marker["username"]).status_code == 403


def test_testing_endpoint_user_jwt_is_not_enough(srv):
    username = register_and_login(srv)
    token = login(srv, username, "12345678").json()["token"]
    marker = user_row()
    r = call(srv, "PATCH", "/test/users", token=token, json=[marker])
    assert r.status_code == 403, (r.status_code, r.text)
    assert login(srv, username, "12345678").status_code == 200  # users not truncated
    assert login(srv, marker["username"]).status_code == 403


# ---------------------------------------------------------------------------------------
# PATCH /test/{table}
# ---------------------------------------------------------------------------------------

def test_patch_truncates_by_default_and_returns_the_rows(srv):
    rows = [user_row(9001), user_row(9002)]
    r = seed(srv, "users", rows)
    assert r.status_code == 201, r.text
    got = r.json()
    assert isinstance(got, list)
    assert sorted(int(x["id"]) for x in got) == [9001, 9002]
    assert set(by_username(got)) == {rows[0]["username"], rows[1]["username"]}


def test_patch_truncate_true_removes_previous_rows(srv):
    first = user_row(9101)
    assert seed(srv, "users", [first]).status_code == 201
    second = user_row(9102)
    r = seed(srv, "users", [second], truncate="true")
    assert r.status_code == 201, r.text
    assert [x["username"] for x in r.json()] == [second["username"]]
    assert login(srv, first["username"]).status_code == 403


def test_patch_truncate_false_keeps_existing_rows(srv):
    first = user_row(9201)
    assert seed(srv, "users", [first]).status_code == 201
    second = user_row(9202)
    r = seed(srv, "users", [second], truncate="false")
    assert r.status_code == 201, r.text
    got = by_username(r.json())
    assert set(got) == {first["username"], second["username"]}
    assert int(got[first["username"]]["id"]) == 9201
    assert int(got[second["username"]]["id"]) == 9202


def test_patch_empty_array_without_truncate_reads_the_table(srv):
    row = user_row(9301)
    assert seed(srv, "users", [row]).status_code == 201
    r = seed(srv, "users", [], truncate="false")
    assert r.status_code == 201, r.text
    assert [x["username"] for x in r.json()] == [row["username"]]


def test_seeded_user_can_log_in(srv):
    row = user_row(9401)
    assert seed(srv, "users", [row]).status_code == 201
    r = login(srv, row["username"])
    assert r.status_code == 200, r.text
    claims = jwt_tools.claims_of(r.json()["token"])
    assert claims["id"] == 9401
    assert claims["username"] == row["username"]


def test_register_after_seeding_explicit_ids_uses_a_fresh_id(srv):
    # The id sequence is reset after an explicit-id insert (Postgres setval).
    assert seed(srv, "users", [user_row(9501)]).status_code == 201
    username = "after" + uuid.uuid4().hex[:10]
    r = call(srv, "POST", "/register", json={
        "username": username, "password": "12345678", "email": username + "@example.com"})
    assert r.status_code == 200, r.text
    assert r.json()["id"] > 9501


def test_patch_zero_and_empty_dates_become_null(srv):
    rows = [user_row(9601, deletion_scheduled_at="0001-01-01T00:00:00Z"),
            user_row(9602, deletion_scheduled_at="")]
    r = seed(srv, "users", rows)
    assert r.status_code == 201, r.text
    for row in r.json():
        assert row.get("deletion_scheduled_at") is None, row


def test_patch_drops_unknown_columns(srv):
    row = user_row(9701, no_such_column="ignored")
    r = seed(srv, "users", [row])
    assert r.status_code == 201, r.text
    got = by_username(r.json())
    assert row["username"] in got
    assert "no_such_column" not in got[row["username"]]


def test_patch_unknown_table_is_500(srv):
    r = seed(srv, "no_such_table_" + uuid.uuid4().hex[:6], [{"id": 1}])
    assert r.status_code == 500, r.text
    body = r.json()
    assert body.get("error") is True
    assert isinstance(body.get("message"), str)


def test_patch_malformed_json_is_500(srv):
    r = call(srv, "PATCH", "/test/users", data="[{not json",
             headers={"Authorization": srv.testing_token, "Content-Type": "application/json"})
    assert r.status_code == 500, r.text
    body = r.json()
    assert body.get("error") is True
    assert isinstance(body.get("message"), str)


# ---------------------------------------------------------------------------------------
# DELETE /test/all
# ---------------------------------------------------------------------------------------

def test_delete_all_truncates_every_table(srv):
    # Registering creates the user, its Inbox project and views; the login adds a session.
    username = register_and_login(srv)
    for table in ("users", "projects", "sessions"):
        rows = seed(srv, table, [], truncate="false")
        assert rows.status_code == 201, rows.text
        assert len(rows.json()) >= 1, (table, rows.json())

    r = call(srv, "DELETE", "/test/all", headers={"Authorization": srv.testing_token})
    assert r.status_code == 200, r.text
    assert r.json() == {"message": "ok"}

    for table in ("users", "projects", "sessions"):
        rows = seed(srv, table, [], truncate="false")
        assert rows.status_code == 201, rows.text
        assert rows.json() == [], (table, rows.json())
    r = call(srv, "POST", "/login", json={"username": username, "password": "12345678"})
    assert r.status_code == 403
    assert r.json()["code"] == 1011
