"""The caller's address (service.ipextractionmethod, service.trustedproxies), the per-IP limit on
unauthenticated auth routes (ratelimit.noauthlimit) and the failed-login notification
(spec §1.8, §6, §2.17).

Every test starts its own throwaway server with server_factory (the limits and the extraction
method are start-up settings), so none depends on another or on the session server.

Behaviour checked against Vikunja's pkg/routes/routes.go (IP extractor from
service.ipextractionmethod and trustedproxies), pkg/routes/rate_limit.go (noauth limiter,
429 {"message":"Too Many Requests"}), pkg/user/user.go (HandleFailedPassword) and
pkg/user/notifications.go (FailedLoginAttemptNotification, name "failed.login.attempt").
"""

from __future__ import annotations

import datetime
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from vicugna_harness import ServerError, VicugnaServer
from wire import assert_error, call

KNOWN_PW = "vicugna-known-pw"
KNOWN_HASH = "$2a$04$0gCc4OTJPUavXAVVHiWsD.kPD2pP1JWpOA5MpAZnH66ZhCWI0bcse"  # bcrypt of KNOWN_PW
TOO_MANY = {"message": "Too Many Requests"}
CLIENT = "203.0.113.7"


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def login(srv, username, password=KNOWN_PW, headers=None):
    return call(srv, "POST", "/login", json={"username": username, "password": password}, headers=headers)


def register(srv, password=KNOWN_PW):
    username = "u" + uuid.uuid4().hex[:12]
    r = call(srv, "POST", "/register",
             json={"username": username, "password": password, "email": f"{username}@example.com"})
    assert r.status_code == 200, r.text
    return {"id": r.json()["id"], "username": username}


def seed_table(srv, table, rows, truncate="false"):
    """The token-guarded seeding endpoint; returns the table's rows after the change."""
    r = call(srv, "PATCH", f"/test/{table}", params={"truncate": truncate}, json=rows,
             headers={"Authorization": srv.testing_token})
    assert r.status_code == 201, r.text
    body = r.json()
    assert isinstance(body, list), body
    return body


def seed_user(srv):
    """A user made without /register, so no rate-limited request is spent on it."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    username = "seed" + uuid.uuid4().hex[:12]
    rows = seed_table(srv, "users", [{"username": username, "password": KNOWN_HASH, "status": 0, "issuer": "local",
                                   "language": "en", "email": f"{username}@example.com",
                                   "created": now, "updated": now}])
    match = [row for row in rows if row["username"] == username]
    assert len(match) == 1, rows
    return {"id": match[0]["id"], "username": username}


def session_ips(srv, token):
    r = call(srv, "GET", "/user/sessions", token=token)
    assert r.status_code == 200, r.text
    sessions = r.json()
    assert isinstance(sessions, list), sessions
    return [s["ip_address"] for s in sessions]


def assert_too_many(r):
    assert r.status_code == 429, (r.status_code, r.text)
    assert r.json() == TOO_MANY


def assert_logged_in(r):
    assert r.status_code == 200, (r.status_code, r.text)
    assert isinstance(r.json().get("token"), str) and r.json()["token"]
    return r.json()["token"]


def limited_env(limit=3, **extra):
    env = {"VIKUNJA_RATELIMIT_NOAUTHLIMIT": str(limit)}
    env.update(extra)
    return env


# ---------------------------------------------------------------------------------------
# client IP
# ---------------------------------------------------------------------------------------

IP_CASES = [
    pytest.param({}, {"X-Forwarded-For": CLIENT}, "127.0.0.1", id="default-direct-ignores-xff"),
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "direct", "VIKUNJA_SERVICE_TRUSTEDPROXIES": "127.0.0.1"},
                 {"X-Forwarded-For": CLIENT, "X-Real-Ip": CLIENT}, "127.0.0.1", id="direct-ignores-headers"),
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "xff", "VIKUNJA_SERVICE_TRUSTEDPROXIES": "127.0.0.1"},
                 {"X-Forwarded-For": CLIENT}, CLIENT, id="xff-trusted"),
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "xff", "VIKUNJA_SERVICE_TRUSTEDPROXIES": "10.0.0.1"},
                 {"X-Forwarded-For": CLIENT}, "127.0.0.1", id="xff-untrusted-proxy"),
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "xff",
                  "VIKUNJA_SERVICE_TRUSTEDPROXIES": "127.0.0.0/8,10.0.0.0/8"},
                 {"X-Forwarded-For": f"198.51.100.1, {CLIENT}, 10.1.2.3"}, CLIENT,
                 id="xff-chain-nearest-untrusted-hop"),
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "realip", "VIKUNJA_SERVICE_TRUSTEDPROXIES": "127.0.0.1"},
                 {"X-Real-Ip": "198.51.100.23", "X-Forwarded-For": CLIENT}, "198.51.100.23", id="realip-trusted"),
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "realip", "VIKUNJA_SERVICE_TRUSTEDPROXIES": "10.0.0.1"},
                 {"X-Real-Ip": "198.51.100.23"}, "127.0.0.1", id="realip-untrusted-proxy"),
    # A forwarding header that is not an address is not believed (Echo's extractors, which Vikunja
    # uses, fall back to the direct peer); otherwise any text would become the "client IP".
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "xff", "VIKUNJA_SERVICE_TRUSTEDPROXIES": "127.0.0.1"},
                 {"X-Forwarded-For": "not-an-ip"}, "127.0.0.1", id="xff-garbage"),
    pytest.param({"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "realip", "VIKUNJA_SERVICE_TRUSTEDPROXIES": "127.0.0.1"},
                 {"X-Real-Ip": "not-an-ip"}, "127.0.0.1", id="realip-garbage"),
]


@pytest.mark.parametrize("env,headers,expected", IP_CASES)
def test_login_records_client_ip_in_session(server_factory, env, headers, expected):
    srv = server_factory(env=env)
    user = register(srv)
    token = assert_logged_in(login(srv, user["username"], headers=headers))
    assert session_ips(srv, token) == [expected]


def test_ip_extraction_method_is_validated(server_factory):
    with pytest.raises(ServerError) as info:
        server_factory(env={"VIKUNJA_SERVICE_IPEXTRACTIONMETHOD": "forwarded"})
    assert "service.ipextractionmethod" in str(info.value)


# ---------------------------------------------------------------------------------------
# ratelimit.noauthlimit
# ---------------------------------------------------------------------------------------

def test_fourth_login_in_a_minute_is_429_but_authenticated_routes_work(server_factory):
    srv = server_factory(env=limited_env(3))
    user = seed_user(srv)
    token = assert_logged_in(login(srv, user["username"]))
    r = login(srv, user["username"], password="wrong-password")  # failures count too
    assert_error(r, 403, 1011)
    assert_logged_in(login(srv, user["username"]))

    assert_too_many(login(srv, user["username"]))
    # The same bucket covers the other unauthenticated auth routes.
    assert_too_many(call(srv, "POST", "/register",
                         json={"username": "late" + uuid.uuid4().hex[:8], "password": KNOWN_PW,
                               "email": "late@example.com"}))
    assert_too_many(call(srv, "POST", "/shares/%s/auth" % ("x" * 40), json={"password": ""}))

    me = call(srv, "GET", "/user", token=token)
    assert me.status_code == 200, me.text
    assert me.json()["id"] == user["id"] and me.json()["username"] == user["username"]
    info = call(srv, "GET", "/info")
    assert info.status_code == 200, info.text


def test_limit_is_per_client_ip_behind_a_trusted_proxy(server_factory):
    srv = server_factory(env=limited_env(3, VIKUNJA_SERVICE_IPEXTRACTIONMETHOD="xff",
                                         VIKUNJA_SERVICE_TRUSTEDPROXIES="127.0.0.1"))
    user = seed_user(srv)
    one = {"X-Forwarded-For": CLIENT}
    for _ in range(3):
        assert_logged_in(login(srv, user["username"], headers=one))
    assert_too_many(login(srv, user["username"], headers=one))
    # Another client behind the same proxy, and the proxy itself, have their own budgets.
    assert_logged_in(login(srv, user["username"], headers={"X-Forwarded-For": "203.0.113.8"}))
    assert_logged_in(login(srv, user["username"]))


def test_forged_forwarded_for_does_not_escape_the_limit(server_factory):
    srv = server_factory(env=limited_env(3))  # direct: X-Forwarded-For is not believed
    user = seed_user(srv)
    for i in range(3):
        assert_logged_in(login(srv, user["username"], headers={"X-Forwarded-For": f"198.51.100.{i + 1}"}))
    assert_too_many(login(srv, user["username"], headers={"X-Forwarded-For": "198.51.100.99"}))


def test_limit_is_shared_by_two_servers_on_one_database(server_factory, pytestconfig):
    a = server_factory(env=limited_env(3))
    user = seed_user(a)
    shared_db = ({"VIKUNJA_DATABASE_PATH": str(a.workdir / "vikunja.db")} if a.backend == "sqlite"
                 else {"VIKUNJA_DATABASE_DATABASE": a.database})
    if a.redis_db is not None:
        # With Redis the counters live there: B must use A's Redis database, as a second node would.
        shared_db["VIKUNJA_REDIS_DB"] = str(a.redis_db)
    b = VicugnaServer(pytestconfig.getoption("--vicugna-binary"), a.backend, env={**limited_env(3), **shared_db})
    try:
        b.start()
        token = assert_logged_in(login(a, user["username"]))
        assert_logged_in(login(a, user["username"]))
        assert_logged_in(login(b, user["username"]))
        assert_too_many(login(b, user["username"]))
        assert_too_many(login(a, user["username"]))
        # Both really serve the same data: A's token works on B.
        me = call(b, "GET", "/user", token=token)
        assert me.status_code == 200, me.text
        assert me.json()["username"] == user["username"]
    finally:
        b.close()


def test_concurrent_logins_cannot_overrun_the_limit(server_factory):
    srv = server_factory(env=limited_env(3))
    user = seed_user(srv)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: login(srv, user["username"]), range(8)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] * 3 + [429] * 5, [(r.status_code, r.text) for r in answers]
    for r in answers:
        if r.status_code == 429:
            assert r.json() == TOO_MANY
        else:
            assert_logged_in(r)


def test_token_refresh_has_its_own_limit(server_factory):
    # Spec §1.8: /user/token/refresh is limited to ratelimit.tokenrefreshlimit per IP and minute.
    srv = server_factory(env=limited_env(100, VIKUNJA_RATELIMIT_TOKENREFRESHLIMIT="2"))
    user = seed_user(srv)
    with requests.Session() as s:
        r = s.post(srv.api + "/login", json={"username": user["username"], "password": KNOWN_PW}, timeout=30)
        assert_logged_in(r)
        for _ in range(2):
            r = s.post(srv.api + "/user/token/refresh", timeout=30)
            assert_logged_in(r)
        assert_too_many(s.post(srv.api + "/user/token/refresh", timeout=30))
    # The login budget is separate from the refresh budget.
    assert_logged_in(login(srv, user["username"]))


# ---------------------------------------------------------------------------------------
# failed-login notification
# ---------------------------------------------------------------------------------------

def failed_login_rows(srv, user_id):
    rows = seed_table(srv, "notifications", [], truncate="false")
    return [r for r in rows if r["name"] == "failed.login.attempt" and r["notifiable_id"] == user_id]


def test_three_wrong_passwords_notify_once(server_factory):
    srv = server_factory()
    victim = register(srv)
    bystander = register(srv)

    for attempt in range(2):
        r = login(srv, victim["username"], password=f"wrong-{attempt}")
        assert_error(r, 403, 1011)
    assert failed_login_rows(srv, victim["id"]) == []

    r = login(srv, victim["username"], password="wrong-2")
    assert_error(r, 403, 1011)
    rows = failed_login_rows(srv, victim["id"])
    assert len(rows) == 1, rows
    payload = rows[0]["notification"]
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert payload["user"]["id"] == victim["id"], payload
    assert payload["user"]["username"] == victim["username"], payload

    # A fourth failure does not notify again, and nobody else was notified.
    r = login(srv, victim["username"], password="wrong-3")
    assert_error(r, 403, 1011)
    assert len(failed_login_rows(srv, victim["id"])) == 1
    assert failed_login_rows(srv, bystander["id"]) == []

    # The right password still works (three failures do not lock the account).
    assert_logged_in(login(srv, victim["username"]))


def test_wrong_password_for_unknown_user_notifies_nobody(server_factory):
    srv = server_factory()
    user = register(srv)
    for attempt in range(3):
        r = login(srv, "nobody" + uuid.uuid4().hex[:8], password=f"wrong-{attempt}")
        assert_error(r, 403, 1011)
    rows = seed_table(srv, "notifications", [], truncate="false")
    assert [r for r in rows if r["name"] == "failed.login.attempt"] == []
    assert failed_login_rows(srv, user["id"]) == []


def test_ipv4_client_of_a_dual_stack_listener_is_recorded_as_ipv4(pytestconfig, server):
    # The default service.interface ":3456" listens on "::", where IPv4 peers appear as ::ffff:a.b.c.d;
    # sessions, logs and rate limits must see the plain address, as behind Vikunja.
    srv = VicugnaServer(pytestconfig.getoption("--vicugna-binary"), server.backend)
    try:
        srv.start({"VIKUNJA_SERVICE_INTERFACE": f":{srv.port}"})
        user = seed_user(srv)
        token = assert_logged_in(login(srv, user["username"]))
        assert session_ips(srv, token) == ["127.0.0.1"]
    finally:
        srv.close()
