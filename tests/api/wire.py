"""Small helpers shared by the API test files: plain requests and Vikunja's error shapes."""

import datetime
import re

import requests

CODE_11 = {"code": 11, "message": "missing, malformed, expired or otherwise invalid token provided"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def call(server, method, path, token=None, timeout=30, **kw):
    """A plain request under /api/v1 with no cookie jar, so cookies are only what the test sends."""
    headers = dict(kw.pop("headers", None) or {})
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    return requests.request(method, server.api + path, headers=headers, timeout=timeout,
                            allow_redirects=False, **kw)


def parse_time(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def assert_error(r, status, code):
    """Vikunja's error shape: the status, the numeric code and a readable message."""
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body.get("code") == code, body
    assert isinstance(body.get("message"), str) and body["message"], body
    return body


def assert_code_11(r):
    assert r.status_code == 401, (r.status_code, r.text)
    assert r.json() == CODE_11


def now_text():
    """Now as the RFC 3339 text the testing endpoint takes for timestamp columns."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def seed_rows(server, table, rows):
    """Appends raw rows (DB column names) through the testing endpoint, truncating nothing (spec §2.17), for
    states the API cannot make; returns every row of the table."""
    r = call(server, "PATCH", "/test/" + table, params={"truncate": "false"}, json=rows,
             headers={"Authorization": server.testing_token}, timeout=60)
    assert r.status_code == 201, f"seeding {table}: {r.status_code} {r.text}"
    return r.json()
