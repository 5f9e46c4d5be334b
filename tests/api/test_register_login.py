"""POST /register and POST /login (spec §2.1, §1.2, §3.1, §4; client-usage §A.4, §D 2, 33).

Behaviour checked against Vikunja's pkg/routes/api/v1/user_register.go, login.go,
pkg/routes/api/shared/auth.go, pkg/user/user_create.go, user.go (CheckUserCredentials),
validator.go, error.go and pkg/modules/auth/auth.go.
"""

import datetime
import time
import uuid

import pytest
from wire import RFC3339, UUID_RE, call, assert_error

try:  # tests/api may or may not be a package
    from . import jwt_tools
except ImportError:  # pragma: no cover - depends on rootdir layout
    import jwt_tools


REFRESH_PATH = "/api/v1/user/token/refresh"

# bcrypt hashes of KNOWN_PW, made once with crypt(3) (libxcrypt) and checked to verify.
# $2a$ is what Go's x/crypto/bcrypt (Vikunja) writes; $2b$/$2y$ are the other common
# prefixes a dump may carry. Precomputed so no bcrypt module is needed at test time.
KNOWN_PW = "vicugna-known-pw"
HASHES = {
    "2a_cost04_vikunja_style": "$2a$04$0gCc4OTJPUavXAVVHiWsD.kPD2pP1JWpOA5MpAZnH66ZhCWI0bcse",
    "2b_cost04": "$2b$04$0gCc4OTJPUavXAVVHiWsD.kPD2pP1JWpOA5MpAZnH66ZhCWI0bcse",
    "2y_cost04": "$2y$04$0gCc4OTJPUavXAVVHiWsD.kPD2pP1JWpOA5MpAZnH66ZhCWI0bcse",
    "2a_cost10": "$2a$10$0gCc4OTJPUavXAVVHiWsD.5Zv7xfHJyD1bRqUOMdCJtTWime2Hmge",
}
# The exact row hash Vikunja's frontend e2e suite seeds (frontend/tests/support/constants.ts):
# TEST_PASSWORD_HASH for TEST_PASSWORD "1234" (cost 14, so this login takes ~1 s).
FRONTEND_E2E_PW = "1234"
FRONTEND_E2E_HASH = "$2a$14$dcadBoMBL9jQoOcZK8Fju.cy0Ptx2oZECkKLnaa8ekRoTFe1w7To."


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def uniq(prefix="u"):
    return "%s%s" % (prefix, uuid.uuid4().hex[:12])


def register(server, username=None, password="12345678", email=None, **extra):
    username = username if username is not None else uniq("reg")
    body = {
        "username": username,
        "password": password,
        "email": email if email is not None else "%s@example.com" % uniq("m"),
    }
    body.update(extra)
    return call(server, "POST", "/register", json=body)


def login(server, username, password, **extra):
    body = {"username": username, "password": password}
    body.update(extra)
    return call(server, "POST", "/login", json=body)


def registered(server, password="12345678", **extra):
    """Register a fresh user and return (user_json, username, password)."""
    username = uniq("reg")
    r = register(server, username=username, password=password, **extra)
    assert r.status_code == 200, r.text
    return r.json(), username, password


def assert_invalid_fields(r, field):
    """412 code 2002 with invalid_fields[0] == "<field>: <reason>" (client-usage §A.4, §D 33)."""
    body = assert_error(r, 412, 2002)
    fields = body.get("invalid_fields")
    assert isinstance(fields, list) and fields, body
    assert all(isinstance(f, str) for f in fields), body
    assert fields[0].startswith(field + ":"), body
    return body


def seed_user(server, password_hash, status=0):
    """Insert a raw users row through the testing endpoint, without truncating."""
    username = uniq("seed")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    row = {
        "username": username,
        "password": password_hash,
        "status": status,
        "issuer": "local",
        "language": "en",
        "created": now,
        "updated": now,
    }
    r = call(server, "PATCH", "/test/users", params={"truncate": "false"}, json=[row],
             headers={"Authorization": server.testing_token})
    assert r.status_code == 201, r.text
    mine = [x for x in r.json() if x.get("username") == username]
    assert len(mine) == 1, mine
    return {"id": int(mine[0]["id"]), "username": username}


def needs_process(server):
    if server.process is None:
        pytest.skip("running against an external server: cannot restart it")


# ---------------------------------------------------------------------------------------
# POST /register
# ---------------------------------------------------------------------------------------

def test_register_returns_200_and_user_object(server):
    username = uniq("reg")
    r = register(server, username=username)
    assert r.status_code == 200, r.text  # custom handler: 200, not 201
    body = r.json()
    assert isinstance(body["id"], int) and not isinstance(body["id"], bool) and body["id"] > 0
    assert body["username"] == username
    assert body["name"] == ""
    assert RFC3339.match(body["created"]), body
    assert RFC3339.match(body["updated"]), body


def test_register_response_leaks_no_password_or_email(server):
    r = register(server, email="%s@example.com" % uniq("leak"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert "password" not in body
    # Vikunja reads the new user back without the email, and `email` is omitempty.
    assert body.get("email", "") == ""


def test_register_then_login_with_same_credentials(server):
    user, username, password = registered(server)
    r = login(server, username, password)
    assert r.status_code == 200, r.text
    assert jwt_tools.claims_of(r.json()["token"])["id"] == user["id"]


def test_register_username_taken(server):
    _, username, _ = registered(server)
    r = register(server, username=username)
    assert_error(r, 400, 1001)


def test_register_email_taken(server):
    email = "%s@example.com" % uniq("dup")
    r = register(server, email=email)
    assert r.status_code == 200, r.text
    r = register(server, email=email)  # new username, same email
    assert_error(r, 400, 1002)


@pytest.mark.parametrize("body", [
    {"username": "", "password": "12345678", "email": "EMAIL"},
    {"username": "USERNAME", "password": "", "email": "EMAIL"},
    {"username": "USERNAME", "password": "12345678", "email": ""},
    {"username": "USERNAME", "password": "12345678"},
    {},
], ids=["empty_username", "empty_password", "empty_email", "missing_email", "empty_object"])
def test_register_missing_credentials_is_1004(server, body):
    # Empty values skip the struct validators (nothing is `required`), then
    # user.CreateUser -> checkIfUserIsValid -> ErrNoUsernamePassword (400, 1004).
    # The email is mandatory for local registrations too.
    body = {k: (uniq("reg") if v == "USERNAME" else
                "%s@example.com" % uniq("m") if v == "EMAIL" else v)
            for k, v in body.items()}
    r = call(server, "POST", "/register", json=body)
    assert_error(r, 400, 1004)


@pytest.mark.parametrize("make_username", [
    lambda u: "with space" + u,
    lambda u: "tab\t" + u,
    lambda u: "link-share-%d" % (uuid.uuid4().int % 10 ** 9),
    lambda u: "comma," + u,
    lambda u: "https://%s.example.com" % u,
    lambda u: "ab",
], ids=["space", "tab", "link_share_reserved", "comma", "url", "too_short"])
def test_register_invalid_username_is_validation_error(server, make_username):
    # The `username` struct validator runs before user.CreateUser, so spaces and
    # the link-share-N pattern give 412/2002 on /register (1022 and 1026 are only
    # reachable through paths that skip the validator).
    r = register(server, username=make_username(uuid.uuid4().hex[:10]))
    assert_invalid_fields(r, "username")


def test_register_bot_prefix_is_reserved(server):
    r = register(server, username="bot-" + uuid.uuid4().hex[:10])
    assert_error(r, 400, 1026)


@pytest.mark.parametrize("password", [
    "1234567",          # 7 bytes
    "a" * 73,           # 73 bytes
    "\u20ac" * 25,      # 25 characters but 75 UTF-8 bytes: the limit is in bytes
], ids=["7_bytes", "73_bytes", "25_chars_75_bytes"])
def test_register_password_length_is_validated_in_bytes(server, password):
    r = register(server, password=password)
    assert_invalid_fields(r, "password")


@pytest.mark.parametrize("password", [
    "a" * 8,
    "a" * 72,
    "\u00e9" * 4,       # 4 characters, 8 bytes: long enough
    "\u20ac" * 24,      # 24 characters, 72 bytes: not too long
], ids=["8_bytes", "72_bytes", "4_chars_8_bytes", "24_chars_72_bytes"])
def test_register_password_length_boundaries_accepted(server, password):
    user, username, _ = registered(server, password=password)
    r = login(server, username, password)
    assert r.status_code == 200, r.text
    assert jwt_tools.claims_of(r.json()["token"])["id"] == user["id"]


def test_register_invalid_email(server):
    r = register(server, email="not-an-email-" + uniq())
    assert_invalid_fields(r, "email")


def test_register_unknown_language_is_validation_error(server):
    # The web frontend retries with language "en" when invalid_fields[0] starts with "language:".
    r = register(server, language="xx-NOPE")
    assert_invalid_fields(r, "language")


def test_register_language_is_stored(server):
    _, username, password = registered(server, language="de-DE")
    token = login(server, username, password).json()["token"]
    r = call(server, "GET", "/user", token=token)
    assert r.status_code == 200, r.text
    assert r.json()["settings"]["language"] == "de-DE"


@pytest.mark.parametrize("raw", [
    '{"username": "x", "password": ',
    '{"username": 5, "password": "12345678", "email": "a@example.com"}',
], ids=["truncated_json", "wrong_type"])
def test_register_malformed_body_is_400(server, raw):
    r = call(server, "POST", "/register", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert isinstance(body.get("message"), str) and body["message"]
    # Vikunja's register handler answers {"message":"No or invalid user model provided."}
    # without a code; §4.1's generic bind error is code 2004. Either is accepted,
    # but no other code is.
    assert body.get("code") in (None, 2004), body


def test_register_disabled_returns_404(server):
    needs_process(server)
    _, username, password = registered(server)
    try:
        server.restart(env={"VIKUNJA_SERVICE_ENABLEREGISTRATION": "false"})
        r = register(server)
        assert r.status_code == 404, r.text
        # Login is unaffected by the registration switch.
        r = login(server, username, password)
        assert r.status_code == 200, r.text
    finally:
        server.restart()
    r = register(server)
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------------------------------
# POST /login: success
# ---------------------------------------------------------------------------------------

def test_login_returns_only_a_token(server):
    _, username, password = registered(server)
    r = login(server, username, password)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"token"}, body
    assert isinstance(body["token"], str) and body["token"].count(".") == 2
    assert "no-store" in r.headers.get("Cache-Control", "")


def test_login_jwt_header_is_hs256(server):
    _, username, password = registered(server)
    token = login(server, username, password).json()["token"]
    header = jwt_tools.header_of(token)
    assert header["alg"] == "HS256"
    assert header.get("typ", "JWT") == "JWT"


def test_login_jwt_claims(server):
    user, username, password = registered(server)
    before = time.time()
    r = login(server, username, password)
    after = time.time()
    assert r.status_code == 200, r.text
    claims = jwt_tools.claims_of(r.json()["token"])

    # `type` must be a JSON number (the frontend compares it with === 1).
    assert claims["type"] == 1
    assert isinstance(claims["type"], int) and not isinstance(claims["type"], bool)
    assert claims["id"] == user["id"]
    assert isinstance(claims["id"], int) and not isinstance(claims["id"], bool)
    assert claims["username"] == username
    assert claims.get("is_admin") is False
    # service.jwtttlshort = 600 s
    assert isinstance(claims["exp"], int) and not isinstance(claims["exp"], bool)
    assert before + 600 - 30 <= claims["exp"] <= after + 600 + 5, (claims["exp"], before)
    assert isinstance(claims["sid"], str) and UUID_RE.match(claims["sid"]), claims
    assert isinstance(claims["jti"], str) and UUID_RE.match(claims["jti"]), claims


def test_login_each_login_gets_new_session_and_jti(server):
    _, username, password = registered(server)
    c1 = jwt_tools.claims_of(login(server, username, password).json()["token"])
    c2 = jwt_tools.claims_of(login(server, username, password).json()["token"])
    assert c1["sid"] != c2["sid"]
    assert c1["jti"] != c2["jti"]


def test_login_sets_refresh_cookie(server):
    _, username, password = registered(server)
    r = login(server, username, password)
    assert r.status_code == 200, r.text
    cookie = jwt_tools.find_cookie(r)
    assert cookie is not None, jwt_tools.set_cookie_headers(r)
    assert len(cookie["value"]) >= 32
    attrs = cookie["attrs"]
    assert attrs.get("httponly") is True, cookie
    assert attrs.get("path") == REFRESH_PATH, cookie  # publicurl path is "/"
    assert attrs.get("max-age") == "259200", cookie  # service.jwtttl
    assert str(attrs.get("samesite", "")).lower() == "lax", cookie  # publicurl is http
    assert "secure" not in attrs, cookie


def test_login_long_token_sets_long_cookie(server):
    _, username, password = registered(server)
    r = login(server, username, password, long_token=True)
    assert r.status_code == 200, r.text
    cookie = jwt_tools.find_cookie(r)
    assert cookie is not None
    assert cookie["attrs"].get("max-age") == "2592000", cookie  # service.jwtttllong
    # The access token itself stays short-lived.
    exp = jwt_tools.claims_of(r.json()["token"])["exp"]
    assert exp <= time.time() + 600 + 5


def test_login_with_email_address(server):
    # CheckUserCredentials looks the user up by username OR email.
    email = "%s@example.com" % uniq("byemail")
    user, username, password = registered(server, email=email)
    r = login(server, email, password)
    assert r.status_code == 200, r.text
    claims = jwt_tools.claims_of(r.json()["token"])
    assert claims["id"] == user["id"]
    assert claims["username"] == username


def test_login_totp_passcode_null_is_accepted(server):
    # vja / the frontend may send totp_passcode: null for users without TOTP.
    _, username, password = registered(server)
    r = login(server, username, password, totp_passcode=None, long_token=False)
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------------------------------
# POST /login: errors
# ---------------------------------------------------------------------------------------

def test_login_wrong_password(server):
    _, username, _ = registered(server)
    r = login(server, username, "wrong-password")
    assert_error(r, 403, 1011)
    assert jwt_tools.find_cookie(r) is None


def test_login_unknown_user(server):
    r = login(server, uniq("nobody"), "12345678")
    assert_error(r, 403, 1011)


def test_login_username_is_case_sensitive(server):
    _, username, password = registered(server)
    r = login(server, username.upper(), password)
    assert_error(r, 403, 1011)


@pytest.mark.parametrize("which", ["username", "password"])
def test_login_empty_field_is_1004(server, which):
    _, username, password = registered(server)
    body = {"username": username, "password": password}
    body[which] = ""
    r = call(server, "POST", "/login", json=body)
    assert_error(r, 400, 1004)


def test_login_malformed_body_is_400(server):
    r = call(server, "POST", "/login", data='{"username": ',
             headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert isinstance(body.get("message"), str) and body["message"]
    # Vikunja: {"message":"Please provide a username and password."} (no code).
    assert body.get("code") in (None, 2004), body


@pytest.mark.parametrize("status,http_status,code", [
    (1, 412, 1012),  # email confirmation required
    (2, 412, 1020),  # disabled
    (3, 412, 1026),  # locked
], ids=["email_unconfirmed", "disabled", "locked"])
def test_login_account_status_errors(server, status, http_status, code):
    seeded = seed_user(server, HASHES["2a_cost04_vikunja_style"], status=status)
    r = login(server, seeded["username"], KNOWN_PW)
    assert_error(r, http_status, code)
    assert jwt_tools.find_cookie(r) is None


def test_login_disabled_user_with_wrong_password_reveals_nothing(server):
    # The password is checked before the disabled/locked status.
    seeded = seed_user(server, HASHES["2a_cost04_vikunja_style"], status=2)
    r = login(server, seeded["username"], KNOWN_PW + "-wrong")
    assert_error(r, 403, 1011)


@pytest.mark.parametrize("hash_id", sorted(HASHES))
def test_login_with_imported_bcrypt_hash(server, hash_id):
    # Rows restored from a Vikunja dump carry Go-made $2a$ hashes of any cost.
    seeded = seed_user(server, HASHES[hash_id])
    r = login(server, seeded["username"], KNOWN_PW)
    assert r.status_code == 200, r.text
    claims = jwt_tools.claims_of(r.json()["token"])
    assert claims["id"] == seeded["id"]
    assert claims["username"] == seeded["username"]


def test_login_with_imported_hash_rejects_wrong_password(server):
    seeded = seed_user(server, HASHES["2a_cost04_vikunja_style"])
    r = login(server, seeded["username"], KNOWN_PW[:-1])
    assert_error(r, 403, 1011)


def test_login_with_frontend_e2e_fixture_hash(server):
    seeded = seed_user(server, FRONTEND_E2E_HASH)
    r = login(server, seeded["username"], FRONTEND_E2E_PW)
    assert r.status_code == 200, r.text
    assert jwt_tools.claims_of(r.json()["token"])["id"] == seeded["id"]
