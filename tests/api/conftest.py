# SPDX-License-Identifier: AGPL-3.0-or-later
"""API suite fixtures: a real `vicugna serve` per session, HTTP sessions, users.

Options: --backend=sqlite|postgres, --vicugna-binary=PATH, --base-url=URL (an external server:
no process is started, and tests needing restart() or server_factory are skipped).

Fixtures (other test files rely on these names and shapes):
    server          session; .base_url, .api, .backend, .testing_token, .restart(env=None),
                    .log_text(), .process (Popen, or None when external)
    server_factory  function; server_factory(env=None) starts an extra throwaway server
                    (same binary and backend, fresh data), closed after the test
    api             function; ApiSession on server.api: paths relative to /api/v1, no redirects,
                    timeout 10 s, `api.token = "…"` sets (None clears) Authorization: Bearer
    new_user        function; new_user(username=None, password="12345678", email=None, login=True)
                    -> {id, username, password, email, token, session}
    authed          function; an ApiSession carrying a fresh user's token; the user at authed.user
    owner, stranger function; two fresh logged-in users (new_user()), for permission tests
"""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "harness"))

from vicugna_harness import TESTING_TOKEN, ServerError, VicugnaServer  # noqa: E402

PG_SKIP_REASON = ("backend postgres: VICUGNA_TEST_PG_DSN is not set (postgres://user@host:port/db; "
                  "scripts/test.sh starts a throwaway PostgreSQL and sets it)")
# tests/CMakeLists.txt matches this line to report the ctest test as skipped rather than passed.
PG_SKIP_SUMMARY = "vicugna: SKIPPED the postgres suite: VICUGNA_TEST_PG_DSN is not set"

_live_servers: list = []  # harness servers alive right now, for the log-on-failure hook


def pytest_addoption(parser):
    group = parser.getgroup("vicugna")
    group.addoption("--backend", choices=("sqlite", "postgres"), default="sqlite",
                    help="database engine of the server under test (default sqlite)")
    group.addoption("--vicugna-binary", default=str(REPO / "build" / "ci" / "src" / "vicugna"),
                    help="the vicugna executable (default build/ci/src/vicugna)")
    group.addoption("--base-url", default=None,
                    help="test an already running server at this URL (e.g. http://127.0.0.1:3456) "
                         "instead of starting one; restart-based tests are skipped")


def _external(config) -> bool:
    return config.getoption("--base-url") is not None


def _pg_missing(config) -> bool:
    return (config.getoption("--backend") == "postgres" and not _external(config)
            and not os.environ.get("VICUGNA_TEST_PG_DSN"))


def pytest_collection_modifyitems(config, items):
    if _pg_missing(config):
        for item in items:
            item.add_marker(pytest.mark.skip(reason=PG_SKIP_REASON))


def pytest_terminal_summary(terminalreporter, config):
    if _pg_missing(config):
        terminalreporter.write_line(PG_SKIP_SUMMARY)


# --- servers ---------------------------------------------------------------------------------

class ExternalServer:
    """Stands in for a harness server when --base-url points at a server we do not control."""

    process = None

    def __init__(self, base_url: str, backend: str):
        self.base_url = base_url.rstrip("/")
        self.api = self.base_url + "/api/v1"
        self.backend = backend
        self.testing_token = os.environ.get("VICUGNA_TEST_TESTING_TOKEN", TESTING_TOKEN)

    def restart(self, env=None):
        pytest.skip("needs a server started by the harness (not available with --base-url)")

    def log_text(self, since: int = 0) -> str:
        return ""


def _harness_server(config, env=None) -> VicugnaServer:
    return VicugnaServer(config.getoption("--vicugna-binary"), config.getoption("--backend"), env=env)


@pytest.fixture(scope="session")
def server(pytestconfig):
    if _external(pytestconfig):
        yield ExternalServer(pytestconfig.getoption("--base-url"), pytestconfig.getoption("--backend"))
        return
    srv = None
    try:
        srv = _harness_server(pytestconfig)
        srv.start()
    except (ServerError, OSError, ValueError) as e:
        if srv is not None:
            srv.close()
        # Every test needs this server: stop the run with one clear message instead of N errors.
        pytest.exit(f"cannot start the server under test: {e}", returncode=1)
    _live_servers.append(srv)
    yield srv
    _live_servers.remove(srv)
    srv.close()


@pytest.fixture(autouse=True)
def _server_guard(request):
    """Keeps the session server usable for the next test, and blames the test that crashed it."""
    yield
    if "server" not in request.fixturenames:
        return
    srv = request.getfixturevalue("server")
    if isinstance(srv, ExternalServer):
        return
    crashed = srv.process is not None and srv.process.poll() is not None
    code = srv.process.returncode if crashed else None
    # Also after a deliberate stop() or a restart(env=…): the next test gets the standard server.
    if srv.process is None or crashed or srv.env_overrides:
        srv.stop()
        try:
            srv.start()
        except ServerError as e:
            pytest.exit(f"the server under test could not be restarted: {e}", returncode=1)
    if crashed:
        pytest.fail(f"vicugna exited with code {code} during this test (restarted for the next one)",
                    pytrace=False)


@pytest.fixture
def server_factory(pytestconfig):
    """server_factory(env=None) -> a started extra VicugnaServer with its own port and data."""
    if _external(pytestconfig):
        pytest.skip("needs servers started by the harness (not available with --base-url)")
    made = []

    def make(env=None) -> VicugnaServer:
        srv = _harness_server(pytestconfig, env=env)
        made.append(srv)
        _live_servers.append(srv)
        return srv.start()

    yield make
    for srv in made:
        _live_servers.remove(srv)
        srv.close()


# --- HTTP ------------------------------------------------------------------------------------

class ApiSession(requests.Session):
    """A requests.Session rooted at /api/v1: `get("/info")` means GET <api>/info.

    Absolute URLs pass through unchanged. Redirects are never followed and every request has a
    10 s timeout unless the call says otherwise.
    """

    def __init__(self, api_url: str):
        super().__init__()
        self.api_url = api_url.rstrip("/")
        self._token = None

    def url(self, path: str) -> str:
        if urlsplit(path).scheme:
            return path
        return self.api_url + ("" if path.startswith("/") else "/") + path

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, self.url(url), *args, **kwargs)

    # requests' get/options default allow_redirects to True before request() sees them.
    def get(self, url, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return super().get(url, **kwargs)

    def options(self, url, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return super().options(url, **kwargs)

    @property
    def token(self):
        return self._token

    @token.setter
    def token(self, value):
        self._token = value
        if value:
            self.headers["Authorization"] = f"Bearer {value}"
        else:
            self.headers.pop("Authorization", None)


@pytest.fixture
def api(server):
    with ApiSession(server.api) as session:
        yield session


@pytest.fixture
def new_user(server):
    sessions = []

    def make(username=None, password="12345678", email=None, login=True) -> dict:
        username = username or f"u{uuid.uuid4().hex[:16]}"
        email = email or f"{username}@example.com"
        # Its own session, so the refresh cookie set by /login stays with this user.
        session = ApiSession(server.api)
        sessions.append(session)
        r = session.post("/register", json={"username": username, "password": password, "email": email})
        assert r.status_code == 200, f"POST /register {username}: {r.status_code} {r.text}"
        user = {"id": r.json()["id"], "username": username, "password": password, "email": email,
                "token": None, "session": session}
        if login:
            r = session.post("/login", json={"username": username, "password": password})
            assert r.status_code == 200, f"POST /login {username}: {r.status_code} {r.text}"
            user["token"] = r.json()["token"]
        return user

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def owner(new_user):
    """A fresh logged-in user who creates the test's data."""
    return new_user()


@pytest.fixture
def stranger(new_user):
    """A second fresh user with no access to the owner's data."""
    return new_user()


@pytest.fixture
def authed(api, new_user):
    api.user = new_user()
    api.token = api.user["token"]
    return api


# --- failure output --------------------------------------------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Where each log stood when the test began, so a failure shows only the lines it caused.
    # Servers started later (the first test's session server, throwaway ones) show from the start.
    item._vicugna_log_offsets = {s.log_path: s.log_size() for s in _live_servers}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        offsets = getattr(item, "_vicugna_log_offsets", {})
        for srv in _live_servers:
            tail = srv.log_tail(lines=80, since=offsets.get(srv.log_path, 0))
            report.sections.append((f"vicugna log ({srv.base_url})", tail))
