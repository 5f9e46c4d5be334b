# SPDX-License-Identifier: AGPL-3.0-or-later
"""Transport behaviour: /info, global headers, framework errors, CORS, /health, body limit,
keep-alive, graceful shutdown (spec vikunja-api-v1.md §1.1, §1.8, §2.18, §3.7, §4.1;
client-usage.md §A.3, §A.5, §D items 1, 32, 40)."""
from __future__ import annotations

import http.client
import json
import select
import socket
import time
import uuid
from urllib.parse import urlsplit

import pytest
import requests

BOOL_INFO_FIELDS = (
    "link_sharing_enabled", "task_attachments_enabled", "totp_enabled", "caldav_enabled",
    "email_reminders_enabled", "user_deletion_enabled", "task_comments_enabled", "demo_mode_enabled",
    "webhooks_enabled", "public_teams_enabled", "allow_icon_changes", "concurrent_writes",
)
LIST_INFO_FIELDS = ("available_migrators", "enabled_background_providers", "enabled_pro_features")
FRONTEND_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:5173")  # default cors.origins: any port
FOREIGN_ORIGIN = "http://evil.example"
EXPOSED = {"x-pagination-total-pages", "x-pagination-result-count", "x-max-permission"}


def header_set(response, name: str) -> set[str]:
    """A comma-separated header as a set of lower-case items (empty if absent)."""
    return {item.strip().lower() for item in response.headers.get(name, "").split(",") if item.strip()}


def managed(server) -> bool:
    return server.process is not None


# --- /info (§3.7, §A.5, §D 1 and 40) -----------------------------------------------------------

def test_info_has_every_field_with_its_json_type(api, server):
    r = api.get("/info")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    info = r.json()
    # The web app rejects a server whose /info has no version (§A.0).
    assert isinstance(info["version"], str) and info["version"]
    # Link-share URLs are <frontend_url>share/…, so it must end with "/" (§D 40).
    assert isinstance(info["frontend_url"], str) and info["frontend_url"].endswith("/")
    assert isinstance(info["motd"], str)
    assert isinstance(info["max_file_size"], str) and info["max_file_size"]
    assert type(info["max_items_per_page"]) is int and info["max_items_per_page"] > 0
    for key in BOOL_INFO_FIELDS:
        assert type(info[key]) is bool, f"{key} = {info[key]!r}"
    for key in LIST_INFO_FIELDS:
        assert isinstance(info[key], list), f"{key} = {info[key]!r} (must be an array, never null)"
        assert all(isinstance(v, str) for v in info[key]), key
    assert isinstance(info["legal"]["imprint_url"], str)
    assert isinstance(info["legal"]["privacy_policy_url"], str)
    auth = info["auth"]
    assert type(auth["local"]["enabled"]) is bool
    assert type(auth["local"]["registration_enabled"]) is bool
    assert type(auth["ldap"]["enabled"]) is bool
    assert type(auth["openid_connect"]["enabled"]) is bool
    assert isinstance(auth["openid_connect"]["providers"], list)
    for p in auth["openid_connect"]["providers"]:
        for key in ("name", "key", "auth_url", "logout_url", "client_id", "scope"):
            assert isinstance(p[key], str), f"providers[].{key} = {p[key]!r}"
    # SQLite serialises writers; PostgreSQL does not.
    assert info["concurrent_writes"] is (server.backend == "postgres")


def test_info_reports_the_default_configuration(api, server):
    if not managed(server):
        pytest.skip("an external server's configuration is unknown")
    r = api.get("/info")
    assert r.status_code == 200
    info = r.json()
    assert info["frontend_url"] == server.base_url + "/"  # publicurl, with the trailing slash
    assert info["motd"] == ""
    assert info["max_file_size"] == "20MB"
    assert info["max_items_per_page"] == 50
    # Features Vicugna does not serve yet are reported off, so clients do not offer pages that fail;
    # each flips to Vikunja's default when its feature lands.
    assert info["available_migrators"] == []
    assert info["enabled_background_providers"] == []
    assert info["enabled_pro_features"] == []
    assert info["legal"] == {"imprint_url": "", "privacy_policy_url": ""}
    assert info["auth"]["local"] == {"enabled": True, "registration_enabled": True}
    assert info["auth"]["ldap"]["enabled"] is False
    assert info["auth"]["openid_connect"]["enabled"] is False
    assert info["auth"]["openid_connect"]["providers"] == []
    expected = {
        "link_sharing_enabled": True, "task_attachments_enabled": True, "totp_enabled": False,
        "caldav_enabled": False, "email_reminders_enabled": False, "user_deletion_enabled": False,
        "task_comments_enabled": True, "demo_mode_enabled": False, "webhooks_enabled": True,
        "public_teams_enabled": False, "allow_icon_changes": True,
    }
    assert {k: info[k] for k in expected} == expected


# --- global headers and framework errors (§1.1, §4.1) ------------------------------------------

@pytest.mark.parametrize("method, path, status", [
    ("GET", "/info", 200),
    ("GET", "/user", 401),
    ("GET", "/no-such-route", 404),
])
def test_api_responses_are_not_cached(api, method, path, status):
    r = api.request(method, path)
    assert r.status_code == status
    assert r.headers.get("Cache-Control") == "no-store"
    body = r.json()
    if status == 200:
        assert body["version"]
    elif status == 401:
        assert body["code"] == 11
    else:
        assert body == {"message": "Not Found"}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_unknown_route_is_404_json(api, method):
    r = api.request(method, f"/no-such-route-{uuid.uuid4().hex[:8]}")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"message": "Not Found"}


@pytest.mark.parametrize("method, path", [("DELETE", "/info"), ("GET", "/login")])
def test_wrong_method_on_a_known_route_is_405_json(api, method, path):
    r = api.request(method, path)
    assert r.status_code == 405
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"message": "Method Not Allowed"}  # framework error: no code (§4.1)


def test_request_id_is_echoed(api):
    request_id = f"test-{uuid.uuid4()}"
    r = api.get("/info", headers={"X-Request-Id": request_id})
    assert r.status_code == 200
    assert r.headers.get("X-Request-Id") == request_id


def test_request_id_is_generated_when_absent(api):
    ids = []
    for path, status in (("/info", 200), ("/info", 200), ("/no-such-route", 404)):
        r = api.get(path)
        assert r.status_code == status
        assert r.headers.get("X-Request-Id"), f"no X-Request-Id on {path}"
        ids.append(r.headers["X-Request-Id"])
    assert len(set(ids)) == len(ids), f"request ids repeat: {ids}"


# --- CORS (§1.8, §A.3, §D 32) ------------------------------------------------------------------

@pytest.mark.parametrize("origin", FRONTEND_ORIGINS)
def test_cors_allows_a_frontend_origin_with_credentials(api, origin):
    r = api.get("/info", headers={"Origin": origin})
    assert r.status_code == 200
    assert r.json()["version"]
    assert r.headers.get("Access-Control-Allow-Origin") == origin
    assert r.headers.get("Access-Control-Allow-Credentials") == "true"
    missing = EXPOSED - header_set(r, "Access-Control-Expose-Headers")
    assert not missing, f"not exposed to the browser: {sorted(missing)}"


@pytest.mark.parametrize("path", ["/projects", "/tasks/1", "/login"])
def test_cors_preflight_is_answered_on_api_paths(api, path):
    origin = FRONTEND_ORIGINS[0]
    r = api.options(path, headers={
        "Origin": origin,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization,content-type",
    })
    assert r.status_code in (200, 204)
    assert r.headers.get("Access-Control-Allow-Origin") == origin
    assert r.headers.get("Access-Control-Allow-Credentials") == "true"
    methods = {m.upper() for m in header_set(r, "Access-Control-Allow-Methods")}
    assert {"GET", "PUT", "POST", "DELETE", "PATCH"} <= methods, methods
    assert {"authorization", "content-type"} <= header_set(r, "Access-Control-Allow-Headers")


def test_cors_ignores_a_foreign_origin(api):
    r = api.get("/info", headers={"Origin": FOREIGN_ORIGIN})
    assert r.status_code == 200  # still served; the browser is what enforces CORS
    assert r.json()["version"]
    assert "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Credentials" not in r.headers

    r = api.options("/projects", headers={"Origin": FOREIGN_ORIGIN, "Access-Control-Request-Method": "PUT"})
    assert r.status_code in (200, 204, 403)
    assert "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Credentials" not in r.headers


# --- /health (§2.18) ---------------------------------------------------------------------------

def test_health_is_plain_ok_at_the_root(api, server):
    r = api.get(server.base_url + "/health")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.text == "OK"


# --- body limit (§1.1, §4.1) -------------------------------------------------------------------

def post_oversize(base_url: str, path: str, size: int) -> tuple[int, bytes]:
    """POSTs a body of `size` bytes, streaming it until the server answers; returns (status, body).

    The server may answer as soon as it sees Content-Length, or only once the body passes its
    limit, so the body is sent in chunks while watching for the response.
    """
    u = urlsplit(base_url)
    with socket.create_connection((u.hostname, u.port), timeout=30) as sock:
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: {u.netloc}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {size}\r\n\r\n").encode())
        chunk = b" " * 65536
        sent = 0
        deadline = time.monotonic() + 30
        while sent < size and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 1)
            if readable:
                break  # the answer is there
            if writable:
                try:
                    sent += sock.send(chunk[: size - sent])
                except (BrokenPipeError, ConnectionResetError):
                    break  # closed after answering; the answer is still in our receive buffer
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.read()


def test_oversize_body_is_413_and_the_server_keeps_serving(api, server):
    # files.maxsize (20MB) + 2 MB is the most any route accepts; send 23 MiB.
    status, body = post_oversize(server.base_url, "/api/v1/login", 23 * 1024 * 1024)
    assert status == 413
    error = json.loads(body)
    assert error["code"] == 4013
    assert isinstance(error["message"], str) and error["message"]

    r = api.get("/info")
    assert r.status_code == 200
    assert r.json()["version"]
    if managed(server):
        assert server.process.poll() is None


# --- connections and shutdown -------------------------------------------------------------------

def test_keep_alive_serves_two_requests_on_one_connection(server):
    u = urlsplit(server.base_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.request("GET", "/api/v1/info")
        first = conn.getresponse()
        assert first.status == 200 and first.version == 11
        assert json.loads(first.read())["version"]
        assert (first.getheader("Connection") or "").lower() != "close"
        # http.client drops the socket when the server announces a close.
        assert conn.sock is not None, "the server closed the connection after one request"
        local = conn.sock.getsockname()

        conn.request("GET", "/api/v1/info")
        second = conn.getresponse()
        assert second.status == 200
        assert json.loads(second.read())["version"]
        assert conn.sock is not None and conn.sock.getsockname() == local, "a new connection was used"
    finally:
        conn.close()


def test_sigterm_while_idle_exits_zero_within_5_seconds(server_factory):
    srv = server_factory()  # a throwaway instance: the session server keeps serving other tests
    # An idle keep-alive connection, as a browser leaves open, must not hold up the shutdown.
    u = urlsplit(srv.base_url)
    idle = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        idle.request("GET", "/api/v1/info")
        r = idle.getresponse()
        assert r.status == 200 and json.loads(r.read())["version"]

        started = time.monotonic()
        code = srv.stop(timeout=5)  # SIGTERM; SIGKILL (code -9) after 5 s
        elapsed = time.monotonic() - started
    finally:
        idle.close()
    assert code == 0, f"exit code {code}\n{srv.log_tail()}"
    assert elapsed < 5
    with pytest.raises(requests.ConnectionError):
        requests.get(srv.api + "/info", timeout=2)
