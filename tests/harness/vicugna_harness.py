# SPDX-License-Identifier: AGPL-3.0-or-later
"""Starts and stops a real `vicugna serve` process for tests (the API suite, the Python client).

Standard library only, no pytest, so any test runner can use it:

    with VicugnaServer("build/ci/src/vicugna", backend="postgres") as srv:
        urllib.request.urlopen(srv.api + "/info")
        srv.restart(env={"VIKUNJA_SERVICE_ENABLEREGISTRATION": "false"})

Each instance owns a temp work dir (the process's cwd: SQLite file, files/, log) and, on
PostgreSQL, a fresh database; `restart()` keeps both, `close()` deletes both. The server is
configured through VIKUNJA_* environment variables only (Vikunja's names).

Environment read when the matching argument is not given:
    VICUGNA_TEST_PG_DSN     postgres://user[:password]@host:port[/maintenance db]; needed for backend="postgres"
    VICUGNA_TEST_REDIS_URL  redis://host:port; when set the server uses Redis as its key-value store
"""
from __future__ import annotations

import ctypes
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

TESTING_TOKEN = "averyLongSecretToSe33dtheDB"  # the Vikunja frontend e2e suite's default
READY_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


class ServerError(RuntimeError):
    """The server did not start or stop as expected; the message ends with the log tail."""


def free_port() -> int:
    """A loopback port that is free right now (the kernel picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    # Linux PR_SET_PDEATHSIG: if the test runner is killed outright, the server gets SIGTERM
    # instead of living on as an orphan holding its port and database.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class _Postgres:
    """Creates and drops databases through psql, using the DSN's host, port and user."""

    def __init__(self, dsn: str):
        u = urllib.parse.urlsplit(dsn)
        if u.scheme not in ("postgres", "postgresql") or not u.hostname:
            raise ValueError(f"not a postgres://user@host:port/db DSN: {dsn!r}")
        self.host = u.hostname
        self.port = u.port or 5432
        self.user = urllib.parse.unquote(u.username or "postgres")
        self.password = urllib.parse.unquote(u.password or "")
        self.maintenance_db = u.path.lstrip("/") or "postgres"

    def run(self, sql: str) -> None:
        env = dict(os.environ, PGCONNECT_TIMEOUT="10")
        if self.password:
            env["PGPASSWORD"] = self.password
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.host, "-p", str(self.port),
               "-U", self.user, "-d", self.maintenance_db, "-c", sql]
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        if res.returncode != 0:
            raise ServerError(f"psql failed ({sql}): {res.stderr.strip()}")


def _redis_allocate_db(url: str) -> int:
    """Gives each server instance its own Redis database number (1-15) and empties it.

    Instances run side by side (both suites, throwaway servers) and their rows share ids, so a
    shared database would mix their caches and counters. INCR on a counter in db 0 is atomic, so
    concurrent test processes never get the same number (until 15 instances wrap around).
    """
    u = urllib.parse.urlsplit(url)

    def command(sock_file, *args: str) -> bytes:
        parts = [f"*{len(args)}\r\n".encode()]
        for a in args:
            parts.append(f"${len(a.encode())}\r\n{a}\r\n".encode())
        sock_file.write(b"".join(parts))
        sock_file.flush()
        reply = sock_file.readline()
        if reply.startswith(b"-"):
            raise ServerError(f"redis {args[0]}: {reply.decode().strip()}")
        return reply

    with socket.create_connection((u.hostname or "127.0.0.1", u.port or 6379), timeout=5) as s:
        f = s.makefile("rwb")
        if u.password:
            command(f, "AUTH", urllib.parse.unquote(u.password))
        n = int(command(f, "INCR", "vicugna:test:db-counter")[1:])
        db = 1 + (n - 1) % 15
        command(f, "SELECT", str(db))
        command(f, "FLUSHDB")
        return db


class VicugnaServer:
    """One `vicugna serve` process plus its data (work dir, database), restartable.

    Attributes: base_url ("http://127.0.0.1:PORT"), api (base_url + "/api/v1"), backend,
    testing_token, port, workdir (Path), process (Popen while running, else None), database
    (the PostgreSQL database name or None), redis_db (int or None).
    """

    def __init__(self, binary: str | os.PathLike, backend: str = "sqlite", *, pg_dsn: str | None = None,
                 redis_url: str | None = None, env: dict[str, str | None] | None = None,
                 ready_timeout: float = READY_TIMEOUT):
        if backend not in ("sqlite", "postgres"):
            raise ValueError(f"backend must be sqlite or postgres, not {backend!r}")
        self.binary = Path(binary).resolve()
        if not os.access(self.binary, os.X_OK):
            raise ServerError(f"no vicugna binary at {self.binary} (build it: cmake --preset ci && "
                              "cmake --build --preset ci)")
        self.backend = backend
        self.testing_token = TESTING_TOKEN
        self.ready_timeout = ready_timeout
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api = self.base_url + "/api/v1"
        self.process: subprocess.Popen | None = None
        self.workdir = Path(tempfile.mkdtemp(prefix="vicugna-test-"))
        self.log_path = self.workdir / "vicugna.log"
        self._base_env = dict(env or {})
        self._start_env: dict[str, str | None] = {}
        self._pg: _Postgres | None = None
        self.database: str | None = None
        self.redis_db: int | None = None
        self._redis_url = os.environ.get("VICUGNA_TEST_REDIS_URL", "") if redis_url is None else redis_url
        try:
            self._prepare(os.environ.get("VICUGNA_TEST_PG_DSN", "") if pg_dsn is None else pg_dsn)
        except BaseException:
            self.close()
            raise

    def _prepare(self, pg_dsn: str) -> None:
        (self.workdir / "files").mkdir()
        # rootpath = work dir makes this (empty) config.yml the one found first, so a config in
        # /etc/vikunja or ~/.config/vikunja on a developer's machine cannot leak into the tests.
        (self.workdir / "config.yml").write_text(
            "# Written by tests/harness: every setting comes from VIKUNJA_* variables.\n{}\n")
        if self.backend == "postgres":
            if not pg_dsn:
                raise ServerError("backend postgres needs VICUGNA_TEST_PG_DSN (postgres://user@host:port/db)")
            self._pg = _Postgres(pg_dsn)
            self.database = f"vicugna_{uuid.uuid4().hex[:12]}"
            self._pg.run(f'CREATE DATABASE "{self.database}"')
        if self._redis_url:
            self.redis_db = _redis_allocate_db(self._redis_url)

    # --- environment -------------------------------------------------------------------------

    def environment(self, overrides: dict[str, str | None] | None = None) -> dict[str, str]:
        """The process environment for one start. An override of None removes that variable."""
        # Inherit PATH, locale etc., but no VIKUNJA_* of the developer's shell.
        env = {k: v for k, v in os.environ.items() if not k.startswith("VIKUNJA_")}
        env.update({
            "VIKUNJA_SERVICE_INTERFACE": f"127.0.0.1:{self.port}",
            "VIKUNJA_SERVICE_PUBLICURL": self.base_url + "/",
            "VIKUNJA_SERVICE_ROOTPATH": str(self.workdir),
            "VIKUNJA_SERVICE_TESTINGTOKEN": self.testing_token,
            "VIKUNJA_SERVICE_BCRYPTROUNDS": "4",  # cost 11 would make every register/login ~90 ms
            "VIKUNJA_FILES_BASEPATH": str(self.workdir / "files"),
            "VIKUNJA_LOG_LEVEL": "DEBUG",
            # Every test registers and logs in from 127.0.0.1; the default 10/min per IP would
            # throttle the suite. Tests of the limiter restart with their own value.
            "VIKUNJA_RATELIMIT_NOAUTHLIMIT": "100000",
            "VIKUNJA_RATELIMIT_TOKENREFRESHLIMIT": "100000",
            # VIKUNJA_SERVICE_SECRET stays unset on purpose: the server must persist the one it
            # generates, and a test checks that tokens survive a restart.
        })
        if self.backend == "sqlite":
            env.update({"VIKUNJA_DATABASE_TYPE": "sqlite",
                        "VIKUNJA_DATABASE_PATH": str(self.workdir / "vikunja.db")})
        else:
            assert self._pg and self.database
            env.update({"VIKUNJA_DATABASE_TYPE": "postgres",
                        "VIKUNJA_DATABASE_HOST": f"{self._pg.host}:{self._pg.port}",
                        "VIKUNJA_DATABASE_USER": self._pg.user,
                        "VIKUNJA_DATABASE_PASSWORD": self._pg.password,
                        "VIKUNJA_DATABASE_DATABASE": self.database})
        if self._redis_url:
            u = urllib.parse.urlsplit(self._redis_url)
            env.update({"VIKUNJA_REDIS_ENABLED": "true",
                        "VIKUNJA_REDIS_HOST": f"{u.hostname}:{u.port or 6379}",
                        "VIKUNJA_REDIS_PASSWORD": urllib.parse.unquote(u.password or ""),
                        "VIKUNJA_REDIS_DB": str(self.redis_db),
                        "VIKUNJA_KEYVALUE_TYPE": "redis"})
        for k, v in {**self._base_env, **(overrides or {})}.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = str(v)
        return env

    @property
    def env_overrides(self) -> dict[str, str | None]:
        """The per-start overrides the running process was started with ({} for none)."""
        return dict(self._start_env)

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self, env: dict[str, str | None] | None = None) -> "VicugnaServer":
        """Starts the process and waits until GET /api/v1/info answers 200."""
        if self.process is not None:
            raise ServerError("already running")
        self._start_env = dict(env or {})
        with open(self.log_path, "ab") as log:
            log.write(f"--- harness: starting {self.binary} serve ---\n".encode())
            log.flush()
            self.process = subprocess.Popen([str(self.binary), "serve"], cwd=self.workdir,
                                            env=self.environment(self._start_env), stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                self.process = None
                raise ServerError(f"vicugna serve exited with {code} during start-up\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/v1/info")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass  # not listening yet
            time.sleep(0.05)
        self.stop()
        raise ServerError(f"GET /api/v1/info did not answer 200 within {self.ready_timeout:g} s\n{self.log_tail()}")

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM, then SIGKILL after `timeout` seconds. Returns the exit code (None if not running;
        negative = killed by that signal, as in subprocess)."""
        proc, self.process = self.process, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with open(self.log_path, "ab") as log:
            log.write(f"--- harness: exited with {proc.returncode} ---\n".encode())
        return proc.returncode

    def restart(self, env: dict[str, str | None] | None = None) -> int | None:
        """Stops and starts again on the same port, work dir, database and Redis db. `env`
        overrides apply to this start only. Returns the exit code of the stopped process."""
        code = self.stop()
        self.start(env)
        return code

    def close(self) -> None:
        """Stops the process and deletes its work dir and database."""
        self.stop()
        if self._pg and self.database:
            try:
                self._pg.run(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            except (ServerError, OSError, subprocess.SubprocessError):
                pass  # the throwaway cluster is deleted anyway
            self.database = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "VicugnaServer":
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- output ------------------------------------------------------------------------------

    def log_size(self) -> int:
        """Bytes of server output so far (an offset for log_text)."""
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_text(self, since: int = 0) -> str:
        """Server output (stdout and stderr of every start) from byte offset `since`."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(since)
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60, since: int = 0) -> str:
        text = self.log_text(since).splitlines()[-lines:]
        return "--- vicugna log (last lines) ---\n" + "\n".join(text)
