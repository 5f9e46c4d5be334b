"""JWT checking, the refresh cookie, logout and sessions (spec §1.2, §2.1, §3.6, §4;
client-usage §A.4, §D 2-4).

Behaviour checked against Vikunja's pkg/routes/api_tokens.go (SetupTokenMiddleware),
pkg/routes/api/v1/login.go (RefreshToken, Logout), pkg/modules/auth/auth.go
(RefreshSession, SetRefreshTokenCookie), pkg/models/sessions.go and
sessions_permissions.go, pkg/web/handler/delete.go.
"""

import time
import uuid
from urllib.parse import urlsplit

import pytest
from wire import CODE_11, RFC3339, UUID_RE, call, assert_code_11

try:  # tests/api may or may not be a package
    from . import jwt_tools
except ImportError:  # pragma: no cover - depends on rootdir layout
    import jwt_tools


REFRESH_PATH = "/api/v1/user/token/refresh"


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

class Login:
    def __init__(self, response):
        assert response.status_code == 200, response.text
        self.response = response
        self.token = response.json()["token"]
        self.claims = jwt_tools.claims_of(self.token)
        cookie = jwt_tools.find_cookie(response)
        assert cookie is not None and cookie["value"], jwt_tools.set_cookie_headers(response)
        self.cookie = cookie
        self.refresh_token = cookie["value"]


def login(server, user, user_agent=None, **extra):
    headers = {"User-Agent": user_agent} if user_agent else {}
    body = {"username": user["username"], "password": user["password"]}
    body.update(extra)
    return Login(call(server, "POST", "/login", json=body, headers=headers))


def refresh(server, refresh_token=None, **kw):
    headers = dict(kw.pop("headers", None) or {})
    if refresh_token is not None:
        headers["Cookie"] = "%s=%s" % (jwt_tools.REFRESH_COOKIE, refresh_token)
    return call(server, "POST", "/user/token/refresh", headers=headers, **kw)


def json_or_empty(r):
    try:
        body = r.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def assert_plain_refresh_failure(r):
    """The refresh endpoint's own failures are 401 *without* code 11 (client-usage §D 3)."""
    assert r.status_code == 401, (r.status_code, r.text)
    assert json_or_empty(r).get("code") != 11, r.text
    assert jwt_tools.find_cookie(r) is None or jwt_tools.find_cookie(r)["value"] == ""


def sessions_of(server, token):
    r = call(server, "GET", "/user/sessions", token=token)
    assert r.status_code == 200, r.text
    return r


def needs_process(server):
    if server.process is None:
        pytest.skip("running against an external server: cannot restart it")


# ---------------------------------------------------------------------------------------
# POST /user/token/refresh
# ---------------------------------------------------------------------------------------

def test_refresh_returns_new_jwt_for_same_session(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    r = refresh(server, first.refresh_token)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"token"}, body
    assert body["token"] != first.token
    claims = jwt_tools.claims_of(body["token"])
    assert jwt_tools.header_of(body["token"])["alg"] == "HS256"
    assert claims["type"] == 1
    assert claims["id"] == user["id"]
    assert claims["username"] == user["username"]
    assert claims["sid"] == first.claims["sid"]
    assert claims["jti"] != first.claims["jti"]
    assert abs(claims["exp"] - (time.time() + 600)) <= 30
    me = call(server, "GET", "/user", token=body["token"])
    assert me.status_code == 200, me.text
    assert me.json()["id"] == user["id"]


def test_refresh_response_is_no_store(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    r = refresh(server, first.refresh_token)
    assert r.status_code == 200, r.text
    assert "no-store" in r.headers.get("Cache-Control", "")


def test_refresh_rotates_cookie(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    r = refresh(server, first.refresh_token)
    assert r.status_code == 200, r.text
    cookie = jwt_tools.find_cookie(r)
    assert cookie is not None, jwt_tools.set_cookie_headers(r)
    assert cookie["value"] and cookie["value"] != first.refresh_token
    attrs = cookie["attrs"]
    assert attrs.get("httponly") is True, cookie
    assert attrs.get("path") == REFRESH_PATH, cookie
    assert attrs.get("max-age") == "259200", cookie
    assert str(attrs.get("samesite", "")).lower() == "lax", cookie


def test_refresh_of_long_session_keeps_long_max_age(server, new_user):
    user = new_user(login=False)
    first = login(server, user, long_token=True)
    assert first.cookie["attrs"].get("max-age") == "2592000"
    r = refresh(server, first.refresh_token)
    assert r.status_code == 200, r.text
    assert jwt_tools.find_cookie(r)["attrs"].get("max-age") == "2592000"


def test_refresh_reused_cookie_is_401_but_session_survives(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    r1 = refresh(server, first.refresh_token)
    assert r1.status_code == 200, r1.text
    rotated = jwt_tools.find_cookie(r1)["value"]

    reused = refresh(server, first.refresh_token)
    assert_plain_refresh_failure(reused)

    # Vikunja never revokes the session on reuse (another tab holds the new token).
    r2 = refresh(server, rotated)
    assert r2.status_code == 200, r2.text
    assert jwt_tools.claims_of(r2.json()["token"])["sid"] == first.claims["sid"]


def test_refresh_chain_of_rotations(server, new_user):
    user = new_user(login=False)
    current = login(server, user).refresh_token
    seen = {current}
    for _ in range(3):
        r = refresh(server, current)
        assert r.status_code == 200, r.text
        current = jwt_tools.find_cookie(r)["value"]
        assert current not in seen
        seen.add(current)


def test_refresh_without_cookie(server):
    assert_plain_refresh_failure(refresh(server))


def test_refresh_without_cookie_but_with_valid_jwt(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    r = refresh(server, headers={"Authorization": "Bearer " + first.token})
    assert_plain_refresh_failure(r)


def test_refresh_with_unknown_cookie(server):
    assert_plain_refresh_failure(refresh(server, uuid.uuid4().hex * 8))


# ---------------------------------------------------------------------------------------
# POST /user/logout
# ---------------------------------------------------------------------------------------

def test_logout_returns_message_and_clears_cookie(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    r = call(server, "POST", "/user/logout", token=first.token)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["message"] == "Successfully logged out."
    assert not body.get("oidc_logout_url")  # omitted for local sessions
    cleared = jwt_tools.find_cookie(r)
    assert cleared is not None, jwt_tools.set_cookie_headers(r)
    assert cleared["value"] == ""
    assert cleared["attrs"].get("path") == REFRESH_PATH
    assert cleared["attrs"].get("max-age") == "0" or "expires" in cleared["attrs"], cleared


def test_logout_revokes_refresh_cookie(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    assert call(server, "POST", "/user/logout", token=first.token).status_code == 200
    assert_plain_refresh_failure(refresh(server, first.refresh_token))


def test_logout_ends_only_the_current_session(server, new_user):
    user = new_user(login=False)
    a = login(server, user)
    b = login(server, user)
    assert call(server, "POST", "/user/logout", token=a.token).status_code == 200
    r = refresh(server, b.refresh_token)
    assert r.status_code == 200, r.text


def test_logout_requires_jwt(server):
    assert_code_11(call(server, "POST", "/user/logout"))


# ---------------------------------------------------------------------------------------
# Invalid JWTs on an authenticated route -> 401 {"code":11,...}
# ---------------------------------------------------------------------------------------

def _future():
    return int(time.time()) + 600


def _claims_for(user, **over):
    claims = {"type": 1, "id": user["id"], "username": user["username"], "is_admin": False,
              "exp": _future(), "sid": str(uuid.uuid4()), "jti": str(uuid.uuid4())}
    claims.update(over)
    return claims


BAD_AUTH = {
    "garbage": lambda u, t: "Bearer not-a-jwt",
    "garbage_three_segments": lambda u, t: "Bearer aaaa.bbbb.cccc",
    "empty_bearer": lambda u, t: "Bearer ",
    "wrong_key_hs256": lambda u, t: "Bearer " + jwt_tools.sign(_claims_for(u), "not-the-secret"),
    "wrong_key_hs512": lambda u, t: "Bearer " + jwt_tools.sign(_claims_for(u), "not-the-secret", alg="HS512"),
    "wrong_key_expired": lambda u, t: "Bearer " + jwt_tools.sign(
        _claims_for(u, exp=int(time.time()) - 3600), "not-the-secret"),
    "empty_key": lambda u, t: "Bearer " + jwt_tools.sign(_claims_for(u), ""),
    "alg_none": lambda u, t: "Bearer " + jwt_tools.sign(_claims_for(u), b"", alg="none"),
    "alg_none_real_claims": lambda u, t: "Bearer " + jwt_tools.sign(jwt_tools.claims_of(t), b"", alg="none"),
    "alg_None_real_claims": lambda u, t: "Bearer " + jwt_tools.sign(jwt_tools.claims_of(t), b"", alg="None"),
    "real_token_signature_stripped": lambda u, t: "Bearer " + jwt_tools.without_signature(t),
    "real_token_payload_tampered": lambda u, t: "Bearer " + jwt_tools.with_claims(t, id=u["id"] + 1),
    "real_token_exp_extended": lambda u, t: "Bearer " + jwt_tools.with_claims(
        t, exp=jwt_tools.claims_of(t)["exp"] + 86400),
    "real_token_without_bearer_prefix": lambda u, t: t,
    "basic_scheme": lambda u, t: "Basic dXNlcjoxMjM0NTY3OA==",
    "unknown_api_token": lambda u, t: "Bearer tk_" + uuid.uuid4().hex + uuid.uuid4().hex[:8],
}


@pytest.mark.parametrize("kind", sorted(BAD_AUTH))
def test_invalid_jwt_is_401_code_11(server, new_user, kind):
    user = new_user(login=False)
    real = login(server, user).token
    header_value = BAD_AUTH[kind](user, real)
    r = call(server, "GET", "/user", headers={"Authorization": header_value})
    assert_code_11(r)


def test_valid_jwt_control(server, new_user):
    # Control for the test above: the unmodified token works.
    user = new_user(login=False)
    real = login(server, user).token
    r = call(server, "GET", "/user", headers={"Authorization": "Bearer " + real})
    assert r.status_code == 200, r.text
    assert r.json()["id"] == user["id"]


@pytest.mark.parametrize("method,path", [
    ("GET", "/user"),
    ("GET", "/routes"),
    ("GET", "/user/sessions"),
    ("GET", "/tokens"),
    ("POST", "/user/settings/general"),
])
def test_missing_authorization_is_401_code_11(server, method, path):
    assert_code_11(call(server, method, path))


def test_expired_jwt_is_401_code_11_and_refresh_recovers(server, new_user):
    needs_process(server)
    user = new_user(login=False)
    try:
        server.restart(env={"VIKUNJA_SERVICE_JWTTTLSHORT": "2"})
        first = login(server, user)
        assert first.claims["exp"] <= time.time() + 2 + 2
        time.sleep(max(0.0, first.claims["exp"] - time.time()) + 2.5)
        assert_code_11(call(server, "GET", "/user", token=first.token))
        # The frontend's reaction to code 11: refresh with the cookie, retry once.
        r = refresh(server, first.refresh_token)
        assert r.status_code == 200, r.text
        me = call(server, "GET", "/user", token=r.json()["token"])
        assert me.status_code == 200, me.text
        assert me.json()["id"] == user["id"]
    finally:
        server.restart()


# ---------------------------------------------------------------------------------------
# GET/DELETE /user/sessions
# ---------------------------------------------------------------------------------------

def test_sessions_list_shows_login_session(server, new_user):
    user = new_user(login=False)
    ua = "VicugnaTests/1.0 (session listing %s)" % uuid.uuid4().hex[:6]
    first = login(server, user, user_agent=ua)
    r = sessions_of(server, first.token)
    sessions = r.json()
    assert isinstance(sessions, list)
    mine = [s for s in sessions if s.get("id") == first.claims["sid"]]
    assert len(mine) == 1, sessions
    s = mine[0]
    assert UUID_RE.match(s["id"])
    assert s["device_info"] == ua
    assert isinstance(s["ip_address"], str) and s["ip_address"]
    if urlsplit(server.base_url).hostname == "127.0.0.1":
        assert s["ip_address"] == "127.0.0.1"
    assert RFC3339.match(s["last_active"]), s
    assert RFC3339.match(s["created"]), s
    # The refresh token (and its hash) are never listed.
    assert not s.get("refresh_token")
    assert "token_hash" not in s
    assert first.refresh_token not in r.text


def test_sessions_list_has_pagination_headers(server, new_user):
    user = new_user(login=False)
    a = login(server, user)
    b = login(server, user)
    r = sessions_of(server, a.token)
    assert {s["id"] for s in r.json()} == {a.claims["sid"], b.claims["sid"]}
    assert r.headers.get("x-pagination-result-count") == "2"
    assert r.headers.get("x-pagination-total-pages") == "1"


def test_sessions_list_only_own(server, new_user):
    me = new_user(login=False)
    other = new_user(login=False)
    mine = login(server, me)
    theirs = login(server, other)
    ids = {s["id"] for s in sessions_of(server, mine.token).json()}
    assert mine.claims["sid"] in ids
    assert theirs.claims["sid"] not in ids


def test_delete_session_revokes_its_refresh_cookie(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    sid = first.claims["sid"]
    r = call(server, "DELETE", "/user/sessions/" + sid, token=first.token)
    assert r.status_code == 200, r.text
    assert r.json() == {"message": "Successfully deleted."}
    assert_plain_refresh_failure(refresh(server, first.refresh_token))


def test_delete_other_session_of_same_user(server, new_user):
    user = new_user(login=False)
    a = login(server, user)
    b = login(server, user)
    r = call(server, "DELETE", "/user/sessions/" + b.claims["sid"], token=a.token)
    assert r.status_code == 200, r.text
    ids = {s["id"] for s in sessions_of(server, a.token).json()}
    assert b.claims["sid"] not in ids
    assert a.claims["sid"] in ids
    assert_plain_refresh_failure(refresh(server, b.refresh_token))
    assert refresh(server, a.refresh_token).status_code == 200


def test_delete_unknown_session_is_404(server, new_user):
    user = new_user(login=False)
    first = login(server, user)
    r = call(server, "DELETE", "/user/sessions/" + str(uuid.uuid4()), token=first.token)
    assert r.status_code == 404, r.text
    assert r.json()["code"] == 16001


def test_delete_other_users_session_is_forbidden(server, new_user):
    me = login(server, new_user(login=False))
    theirs = login(server, new_user(login=False))
    r = call(server, "DELETE", "/user/sessions/" + theirs.claims["sid"], token=me.token)
    assert r.status_code == 403, r.text
    assert json_or_empty(r).get("code", 0) == 0, r.text  # generic CRUD denial
    # The victim's session is untouched.
    assert refresh(server, theirs.refresh_token).status_code == 200


# ---------------------------------------------------------------------------------------
# GET/POST /token/test
# ---------------------------------------------------------------------------------------

def test_token_test_get(server, new_user):
    first = login(server, new_user(login=False))
    r = call(server, "GET", "/token/test", token=first.token)
    assert r.status_code == 200, r.text
    assert r.json() == {"message": "ok"}


def test_token_test_post_is_teapot(server, new_user):
    first = login(server, new_user(login=False))
    r = call(server, "POST", "/token/test", token=first.token)
    assert r.status_code == 418, r.text
    assert r.json() == {"message": "\U0001F375"}


# ---------------------------------------------------------------------------------------
# Restart: data and credentials survive
# ---------------------------------------------------------------------------------------

def test_refresh_cookie_and_data_survive_restart(server, new_user):
    needs_process(server)
    user = new_user(login=False)
    first = login(server, user)
    server.restart()
    r = refresh(server, first.refresh_token)
    assert r.status_code == 200, r.text
    me = call(server, "GET", "/user", token=r.json()["token"])
    assert me.status_code == 200, me.text
    assert me.json()["id"] == user["id"]
    assert me.json()["username"] == user["username"]


def test_jwt_survives_restart(server, new_user):
    # Vicugna requirement: with no service.secret configured, the generated secret is
    # persisted, so access tokens stay valid across a restart. (Stock Vikunja makes a new
    # random secret at every start, so this one fails there by design.)
    needs_process(server)
    user = new_user(login=False)
    first = login(server, user)
    server.restart()
    me = call(server, "GET", "/user", token=first.token)
    assert me.status_code == 200, me.text
    assert me.json()["id"] == user["id"]


def test_renew_token_refuses_user_tokens(server, new_user):
    # POST /user/token renews link-share tokens only; a user is sent to the refresh cookie (Vikunja login.go).
    user = new_user()
    r = call(server, "POST", "/user/token", token=user["token"])
    assert r.status_code == 400, r.text
    assert "refresh" in r.json()["message"]
    assert "code" not in r.json()


def test_renew_token_needs_a_token(server):
    assert_code_11(call(server, "POST", "/user/token"))
