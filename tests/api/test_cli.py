"""The command line: `vicugna version|serve|web|migrate|user …` and configuration errors
(spec §6, §7; design §C.7, §C.8).

Every test drives the binary as a subprocess, configured through VIKUNJA_* variables only, in
its own temp work dir with VIKUNJA_SERVICE_ROOTPATH pointing at it (so no stray config.yml is
read) and, on PostgreSQL, a fresh database. The harness class VicugnaServer provides that dir,
database and environment without being started; tests that need a running server start it on
the very same dir and database, so the CLI and the server share their data.

Behaviour checked against Vikunja's pkg/cmd/*.go (user.go, migrate.go, version.go) and
pkg/config/config.go.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from vicugna_harness import ServerError, VicugnaServer, _die_with_parent, _Postgres, free_port
from wire import assert_error

SEMVER = re.compile(r"^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")
CREATED = re.compile(r"^Created user (\S+) with id (\d+)$", re.M)
CLI_TIMEOUT = 60      # seconds for one CLI command (bcrypt, migrations on a cold PostgreSQL)
QUICK_EXIT = 5.0      # a configuration error must end the process within this many seconds
READY_TIMEOUT = 20.0


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def binary(config) -> str:
    return str(Path(config.getoption("--vicugna-binary")).resolve())


def clean_env() -> dict:
    """The runner's environment without any VIKUNJA_* of the developer's shell."""
    return {k: v for k, v in os.environ.items() if not k.startswith("VIKUNJA_")}


def run(exe, args, cwd, env, stdin_text=None, timeout=CLI_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          input=stdin_text if stdin_text is not None else "",
                          preexec_fn=_die_with_parent)


def describe(res: subprocess.CompletedProcess) -> str:
    return f"exit {res.returncode}\n--- stdout ---\n{res.stdout}\n--- stderr ---\n{res.stderr}"


def http_ready(port: int, proc: subprocess.Popen, timeout: float = READY_TIMEOUT) -> bool:
    """Polls GET /api/v1/info until it answers 200 (True), or the process dies / time runs out (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/info", timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.05)
    return False


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def refused(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/api/v1/info", timeout=2)
    except requests.ConnectionError:
        return True
    return False


def pg_from_env() -> _Postgres:
    dsn = os.environ.get("VICUGNA_TEST_PG_DSN", "")
    assert dsn, "backend postgres needs VICUGNA_TEST_PG_DSN"
    return _Postgres(dsn)


def psql_value(pg: _Postgres, database: str, sql: str) -> str:
    env = dict(os.environ, PGCONNECT_TIMEOUT="10")
    if pg.password:
        env["PGPASSWORD"] = pg.password
    res = subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", pg.host, "-p", str(pg.port),
                          "-U", pg.user, "-d", database, "-c", sql],
                         env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, f"psql {sql}: {res.stderr}"
    return res.stdout.strip()


class Cli:
    """One throwaway instance (work dir + database) and the means to run `vicugna …` against it."""

    def __init__(self, exe: str, srv: VicugnaServer):
        self.exe = exe
        self.srv = srv

    @property
    def workdir(self) -> Path:
        return self.srv.workdir

    def env(self, overrides=None) -> dict:
        return self.srv.environment(overrides)

    def __call__(self, *args, env=None, stdin_text=None, timeout=CLI_TIMEOUT) -> subprocess.CompletedProcess:
        return run(self.exe, [str(a) for a in args], self.workdir, self.env(env), stdin_text, timeout)

    def ok(self, *args, **kw) -> subprocess.CompletedProcess:
        res = self(*args, **kw)
        assert res.returncode == 0, f"vicugna {' '.join(map(str, args))}: {describe(res)}"
        return res

    def create_user(self, username="alice", email=None, password="12345678") -> int:
        res = self.ok("user", "create", "-u", username, "-e", email or f"{username}@example.com", "-p", password)
        m = CREATED.search(res.stdout)
        assert m, f"no 'Created user … with id N' line: {describe(res)}"
        assert m.group(1) == username
        return int(m.group(2))

    def users(self, *extra) -> dict:
        """`user list` parsed: {username: {"id", "email", "status"}} (the header line is skipped)."""
        res = self.ok("user", "list", *extra)
        lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
        assert lines, f"user list printed nothing: {describe(res)}"
        header = lines[0].split()
        assert header[:4] == ["ID", "Username", "Email", "Status"], f"unexpected header: {lines[0]!r}"
        out = {}
        for ln in lines[1:]:
            m = re.match(r"^(\d+)\s+(\S+)\s+(\S+)\s+(.*?)\s+(\d{4}-\d\d-\d\dT\S+)$", ln)
            assert m, f"unparsable user list line: {ln!r}"
            out[m.group(2)] = {"id": int(m.group(1)), "email": m.group(3), "status": m.group(4)}
        return out

    def login(self, username, password):
        return requests.post(self.srv.api + "/login", json={"username": username, "password": password}, timeout=30)


@pytest.fixture
def cli(pytestconfig):
    """A fresh, not started instance: temp work dir (rootpath) and, on PostgreSQL, a fresh database."""
    exe = binary(pytestconfig)
    assert os.access(exe, os.X_OK), f"no vicugna binary at {exe}"
    srv = VicugnaServer(exe, pytestconfig.getoption("--backend"))
    try:
        yield Cli(exe, srv)
    finally:
        srv.close()


# ---------------------------------------------------------------------------------------
# version, help, unknown commands
# ---------------------------------------------------------------------------------------

def test_version_prints_semver_and_exits_0(cli):
    res = cli("version")
    assert res.returncode == 0, describe(res)
    assert SEMVER.match(res.stdout.strip()), f"not v<semver>: {res.stdout!r}"
    assert res.stdout.count("\n") == 1, f"expected exactly one line: {res.stdout!r}"
    if cli.srv.backend == "sqlite":
        # `version` needs no database: it must not create the SQLite file.
        assert not (cli.workdir / "vikunja.db").exists()


def test_help_lists_the_subcommands(cli):
    res = cli("--help")
    assert res.returncode == 0, describe(res)
    m = re.search(r"subcommands:", res.stdout, re.I)
    assert m, f"no subcommand section in --help: {res.stdout}"
    section = res.stdout[m.end():]
    for name in ("serve", "web", "migrate", "version", "user"):
        assert re.search(rf"(?<![\w-]){name}(?![\w-])", section), f"--help does not list {name!r}:\n{res.stdout}"


def test_user_help_lists_the_user_subcommands(cli):
    res = cli("user", "--help")
    assert res.returncode == 0, describe(res)
    for name in ("list", "create", "update", "reset-password", "change-status", "delete"):
        assert re.search(rf"(?<![\w-]){name}(?![\w-])", res.stdout), f"user --help lacks {name!r}:\n{res.stdout}"


def test_unknown_subcommand_exits_nonzero(cli):
    started = time.monotonic()
    res = cli("frobnicate", timeout=15)
    assert res.returncode != 0, describe(res)
    assert time.monotonic() - started < QUICK_EXIT, "an unknown subcommand must not start the server"
    assert "frobnicate" in res.stderr, f"the error should name the bad argument: {describe(res)}"


# ---------------------------------------------------------------------------------------
# migrate
# ---------------------------------------------------------------------------------------

def test_migrate_applies_then_reports_up_to_date(cli):
    res = cli.ok("migrate", "list")
    assert re.search(r"^pending  0001_init$", res.stdout, re.M), f"fresh database: {describe(res)}"

    res = cli.ok("migrate")
    assert re.search(r"^applied 0001_init$", res.stdout, re.M), describe(res)
    assert "up to date" not in res.stdout

    res = cli.ok("migrate")
    assert "up to date" in res.stdout, describe(res)
    assert "0001_init" not in res.stdout, f"nothing should be applied twice: {describe(res)}"

    res = cli.ok("migrate", "list")
    assert re.search(r"^applied  0001_init$", res.stdout, re.M), describe(res)
    assert "pending" not in res.stdout, describe(res)


# ---------------------------------------------------------------------------------------
# user …
# ---------------------------------------------------------------------------------------

def test_user_create_then_list(cli):
    res = cli("user", "create", "-u", "alice", "-e", "alice@example.com", "-p", "12345678")
    assert res.returncode == 0, describe(res)
    m = CREATED.search(res.stdout)
    assert m and m.group(1) == "alice", describe(res)
    uid = int(m.group(2))
    assert uid > 0

    users = cli.users()
    assert users == {"alice": {"id": uid, "email": "alice@example.com", "status": "active"}}

    only = cli.users("-e", "alice@example.com")
    assert list(only) == ["alice"]
    assert cli.users("-e", "nobody@example.com") == {}


def test_user_create_twice_fails_with_clear_message(cli):
    uid = cli.create_user("alice")

    res = cli("user", "create", "-u", "alice", "-e", "other@example.com", "-p", "12345678")
    assert res.returncode == 1, describe(res)
    assert "username already exists" in res.stderr, describe(res)
    assert len(res.stderr.strip().splitlines()) == 1, f"one clear line expected: {describe(res)}"
    assert not CREATED.search(res.stdout), describe(res)

    res = cli("user", "create", "-u", "bob", "-e", "alice@example.com", "-p", "12345678")
    assert res.returncode == 1, describe(res)
    assert "email address already exists" in res.stderr, describe(res)

    assert cli.users() == {"alice": {"id": uid, "email": "alice@example.com", "status": "active"}}


def test_user_create_with_short_password_fails(cli):
    res = cli("user", "create", "-u", "alice", "-e", "alice@example.com", "-p", "12345")
    assert res.returncode == 1, describe(res)
    assert "password" in res.stderr.lower(), describe(res)
    assert not CREATED.search(res.stdout), describe(res)
    assert cli.users() == {}


def test_change_status_disable_and_enable_controls_login(cli):
    uid = cli.create_user("alice")
    res = cli.ok("user", "change-status", uid, "--disable")
    assert f"User {uid} disabled" in res.stdout, describe(res)
    assert cli.users()["alice"]["status"] == "disabled"

    cli.srv.start()  # `vicugna serve` on the same work dir and database
    r = cli.login("alice", "12345678")
    assert_error(r, 412, 1020)
    assert "token" not in r.json()

    res = cli.ok("user", "change-status", uid, "--enable")
    assert f"User {uid} enabled" in res.stdout, describe(res)
    assert cli.users()["alice"]["status"] == "active"

    r = cli.login("alice", "12345678")
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    me = requests.get(cli.srv.api + "/user", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 200, me.text
    assert me.json()["id"] == uid and me.json()["username"] == "alice"


def test_change_status_needs_a_flag(cli):
    uid = cli.create_user("alice")
    res = cli("user", "change-status", uid)
    assert res.returncode != 0, describe(res)
    assert "--disable" in res.stderr or "--enable" in res.stderr, describe(res)
    assert cli.users()["alice"]["status"] == "active"


def test_reset_password_direct_then_login_with_new_password(cli):
    uid = cli.create_user("alice", password="12345678")
    cli.srv.start()
    session = requests.Session()
    r = session.post(cli.srv.api + "/login", json={"username": "alice", "password": "12345678"}, timeout=30)
    assert r.status_code == 200, r.text
    assert session.cookies.get("vikunja_refresh_token"), r.headers

    res = cli.ok("user", "reset-password", uid, "--direct", "-p", "newpassword1")
    assert f"Password of user {uid} changed" in res.stdout, describe(res)

    r = cli.login("alice", "12345678")
    assert_error(r, 403, 1011)
    r = cli.login("alice", "newpassword1")
    assert r.status_code == 200, r.text
    assert r.json()["token"]

    # The reset ended the sessions that existed before it.
    r = session.post(cli.srv.api + "/user/token/refresh", timeout=10)
    assert r.status_code == 401, r.text


def test_reset_password_rejects_short_password_and_missing_direct(cli):
    uid = cli.create_user("alice", password="12345678")
    res = cli("user", "reset-password", uid, "--direct", "-p", "12345")
    assert res.returncode == 1, describe(res)
    assert "password" in res.stderr.lower(), describe(res)
    res = cli("user", "reset-password", uid, "-p", "newpassword1")
    assert res.returncode == 1, describe(res)
    assert "--direct" in res.stderr, describe(res)

    cli.srv.start()
    assert cli.login("alice", "12345678").status_code == 200
    assert cli.login("alice", "newpassword1").status_code == 403


def test_user_update_renames(cli):
    uid = cli.create_user("alice")
    res = cli.ok("user", "update", uid, "-u", "alice2")
    assert f"Updated user {uid}" in res.stdout, describe(res)
    users = cli.users()
    assert users == {"alice2": {"id": uid, "email": "alice@example.com", "status": "active"}}

    res = cli.ok("user", "update", uid, "-e", "alice2@example.com")
    assert cli.users() == {"alice2": {"id": uid, "email": "alice2@example.com", "status": "active"}}

    cli.srv.start()
    r = cli.login("alice2", "12345678")
    assert r.status_code == 200, r.text
    r = cli.login("alice", "12345678")
    assert_error(r, 403, 1011)


def test_user_update_to_taken_name_fails(cli):
    alice = cli.create_user("alice")
    bob = cli.create_user("bob")
    res = cli("user", "update", bob, "-u", "alice")
    assert res.returncode == 1, describe(res)
    assert "already exists" in res.stderr, describe(res)
    users = cli.users()
    assert users["alice"]["id"] == alice and users["bob"]["id"] == bob


def test_user_delete_removes_user(cli):
    uid = cli.create_user("alice")
    keep = cli.create_user("bob")

    # Without -c it asks; anything but "y" aborts.
    res = cli("user", "delete", uid, stdin_text="n\n")
    assert res.returncode == 1, describe(res)
    assert set(cli.users()) == {"alice", "bob"}

    res = cli.ok("user", "delete", uid, "-c")
    assert f"Deleted user {uid}" in res.stdout, describe(res)
    assert cli.users() == {"bob": {"id": keep, "email": "bob@example.com", "status": "active"}}

    res = cli("user", "delete", uid, "-c")
    assert res.returncode == 1, describe(res)
    assert "does not exist" in res.stderr, describe(res)


def test_user_delete_of_missing_id_fails(cli):
    cli.create_user("alice")
    res = cli("user", "delete", "999999", "-c")
    assert res.returncode == 1, describe(res)
    assert "does not exist" in res.stderr, describe(res)
    assert list(cli.users()) == ["alice"]


@pytest.mark.parametrize("args", [["update", "999999", "-u", "ghost"],
                                  ["change-status", "999999", "--disable"],
                                  ["reset-password", "999999", "--direct", "-p", "newpassword1"]],
                         ids=["update", "change-status", "reset-password"])
def test_user_commands_on_missing_id_fail(cli, args):
    res = cli("user", *args)
    assert res.returncode == 1, describe(res)
    assert "does not exist" in res.stderr, describe(res)


# ---------------------------------------------------------------------------------------
# bad configuration
# ---------------------------------------------------------------------------------------

BAD_CONFIG = [
    ({"VIKUNJA_DATABASE_TYPE": "mysql"}, "database.type"),
    ({"VIKUNJA_SERVICE_MAXITEMSPERPAGE": "abc"}, "service.maxitemsperpage"),
    ({"VIKUNJA_LOG_LEVEL": "LOUD"}, "log.level"),
]


@pytest.mark.parametrize("command", [["serve"], ["web"], ["migrate"], ["user", "list"]],
                         ids=["serve", "web", "migrate", "user-list"])
@pytest.mark.parametrize("env,key", BAD_CONFIG, ids=[k for _, k in BAD_CONFIG])
def test_bad_configuration_fails_fast_with_one_line(cli, env, key, command):
    started = time.monotonic()
    res = cli(*command, env=env, timeout=20)
    elapsed = time.monotonic() - started
    assert res.returncode != 0, describe(res)
    assert elapsed < QUICK_EXIT, f"took {elapsed:.1f} s to give up"
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected ONE stderr line: {describe(res)}"
    assert key in lines[0], f"the line should name {key}: {describe(res)}"
    assert refused(cli.srv.port), "nothing may listen after a configuration error"
    if cli.srv.backend == "sqlite":
        assert not (cli.workdir / "vikunja.db").exists(), "no database may be created on a bad configuration"


def test_missing_config_file_is_named(cli):
    started = time.monotonic()
    res = cli("--config", "/nonexistent.yml", "serve", timeout=20)
    assert res.returncode != 0, describe(res)
    assert time.monotonic() - started < QUICK_EXIT
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected ONE stderr line: {describe(res)}"
    assert "--config" in lines[0] and "/nonexistent.yml" in lines[0], describe(res)
    assert refused(cli.srv.port)


# ---------------------------------------------------------------------------------------
# config.yml
# ---------------------------------------------------------------------------------------

class FileSetup:
    """A work dir without VIKUNJA_* database settings, for tests of config.yml."""

    def __init__(self, exe, backend, workdir: Path):
        self.exe = exe
        self.backend = backend
        self.workdir = workdir
        self.pg: _Postgres | None = pg_from_env() if backend == "postgres" else None
        self.databases: list[str] = []
        self.procs: list[subprocess.Popen] = []

    def new_database(self) -> str:
        assert self.pg
        name = f"vicugna_cli_{uuid.uuid4().hex[:12]}"
        self.pg.run(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return name

    def database_yaml(self, db_name: str) -> str:
        """The database section for this backend; on SQLite `db_name` is the file path."""
        if self.backend == "sqlite":
            return f'database:\n  type: sqlite\n  path: "{db_name}"\n'
        assert self.pg
        return (f"database:\n  type: postgres\n  host: \"{self.pg.host}:{self.pg.port}\"\n"
                f"  user: \"{self.pg.user}\"\n  password: \"{self.pg.password}\"\n  database: \"{db_name}\"\n")

    def env(self, extra=None) -> dict:
        env = clean_env()
        env["VIKUNJA_SERVICE_ROOTPATH"] = str(self.workdir)
        env["VIKUNJA_FILES_BASEPATH"] = str(self.workdir / "files")
        env.update(extra or {})
        return env

    def serve(self, args, env) -> subprocess.Popen:
        log = open(self.workdir / f"serve-{len(self.procs)}.log", "wb")
        proc = subprocess.Popen([self.exe, *args], cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        log.close()
        self.procs.append(proc)
        return proc

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.workdir.glob("serve-*.log")))

    def has_schema(self, db_name: str) -> bool:
        if self.backend == "sqlite":
            return (self.workdir / db_name).is_file()
        assert self.pg
        return psql_value(self.pg, db_name, "SELECT count(*) FROM information_schema.tables "
                                            "WHERE table_name = 'users'") == "1"

    def close(self):
        for p in self.procs:
            stop(p)
        if self.pg:
            for name in self.databases:
                try:
                    self.pg.run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                except ServerError:
                    pass


@pytest.fixture
def files(pytestconfig, tmp_path):
    setup = FileSetup(binary(pytestconfig), pytestconfig.getoption("--backend"), tmp_path)
    (tmp_path / "files").mkdir()
    try:
        yield setup
    finally:
        setup.close()


def db_name_for(files: FileSetup, sqlite_name: str) -> str:
    return sqlite_name if files.backend == "sqlite" else files.new_database()


def test_config_file_in_working_dir_is_honoured(files):
    port = free_port()
    db = db_name_for(files, "x.db")
    (files.workdir / "config.yml").write_text(
        f'service:\n  interface: "127.0.0.1:{port}"\n' + files.database_yaml(db))
    assert not files.has_schema(db)

    proc = files.serve(["serve"], files.env())
    assert http_ready(port, proc), f"serve did not answer on the config file's port {port}\n{files.logs()}"
    r = requests.get(f"http://127.0.0.1:{port}/api/v1/info", timeout=10)
    assert r.status_code == 200 and "version" in r.json(), r.text
    assert files.has_schema(db), f"the database named in config.yml was not used\n{files.logs()}"
    if files.backend == "sqlite":
        assert not (files.workdir / "vikunja.db").exists(), "the default database path was used instead"


def test_environment_overrides_config_file(files):
    file_port, env_port = free_port(), free_port()
    file_db = db_name_for(files, "x.db")
    env_db = db_name_for(files, "y.db")
    (files.workdir / "config.yml").write_text(
        f'service:\n  interface: "127.0.0.1:{file_port}"\n' + files.database_yaml(file_db))
    env = {"VIKUNJA_SERVICE_INTERFACE": f"127.0.0.1:{env_port}"}
    if files.backend == "sqlite":
        env["VIKUNJA_DATABASE_PATH"] = env_db
    else:
        env["VIKUNJA_DATABASE_DATABASE"] = env_db

    proc = files.serve(["serve"], files.env(env))
    assert http_ready(env_port, proc), f"serve did not answer on the env port {env_port}\n{files.logs()}"
    assert refused(file_port), "the config file's interface should have been overridden"
    assert files.has_schema(env_db), files.logs()
    assert not files.has_schema(file_db), "the config file's database should have been overridden"


def test_explicit_config_flag_is_honoured(files):
    port = free_port()
    db = db_name_for(files, "custom.db")
    elsewhere = files.workdir / "etc"
    elsewhere.mkdir()
    (elsewhere / "custom.yml").write_text(
        f'service:\n  interface: "127.0.0.1:{port}"\n' + files.database_yaml(db))
    # A config.yml in the work dir that would be found otherwise: --config wins over the search.
    (files.workdir / "config.yml").write_text('service:\n  interface: "127.0.0.1:1"\n')

    proc = files.serve(["--config", str(elsewhere / "custom.yml"), "serve"], files.env())
    assert http_ready(port, proc), f"serve did not answer on the --config file's port {port}\n{files.logs()}"
    assert files.has_schema(db), files.logs()


def test_web_is_an_alias_of_serve(cli):
    proc = subprocess.Popen([cli.exe, "web"], cwd=cli.workdir, env=cli.env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    try:
        assert http_ready(cli.srv.port, proc), "`vicugna web` did not start the server"
        r = requests.get(cli.srv.api + "/info", timeout=10)
        assert r.status_code == 200 and r.json()["version"], r.text
    finally:
        stop(proc)


@pytest.mark.parametrize("text,named", [
    ("service: [unclosed\n", "config.yml"),
    ("service:\n  maxitemsperpage: abc\n", "service.maxitemsperpage"),
    ("database:\n  type: mysql\n", "database.type"),
], ids=["yaml-syntax", "bad-int", "mysql"])
def test_bad_config_file_fails_fast_with_one_line(files, text, named):
    (files.workdir / "config.yml").write_text(text)
    port = free_port()
    started = time.monotonic()
    res = run(files.exe, ["serve"], files.workdir, files.env({"VIKUNJA_SERVICE_INTERFACE": f"127.0.0.1:{port}"}),
              timeout=20)
    assert res.returncode != 0, describe(res)
    assert time.monotonic() - started < QUICK_EXIT
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected ONE stderr line: {describe(res)}"
    assert named in lines[0], describe(res)
    assert refused(port)


def test_serve_exits_nonzero_when_the_port_is_taken(cli):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", cli.srv.port))
        blocker.listen()
        started = time.monotonic()
        try:
            res = cli("serve", timeout=20)
        except subprocess.TimeoutExpired as e:
            pytest.fail(f"serve kept running although it cannot listen\n--- stdout ---\n{e.stdout}\n"
                        f"--- stderr ---\n{e.stderr}")
        assert res.returncode != 0, describe(res)
        assert time.monotonic() - started < QUICK_EXIT * 2, "serve should give up, not wait for the port"
        out = res.stdout + res.stderr
        assert f"127.0.0.1:{cli.srv.port}" in out, f"the error should name the address: {describe(res)}"
