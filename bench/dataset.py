#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deterministic benchmark dataset in the shape of Vikunja's published load tests, for SQLite and PostgreSQL.

    python3 bench/dataset.py --binary build/ci/src/vicugna --engine sqlite --db /tmp/bench.db \\
        [--tasks 51000] [--seed 1] [--manifest OUT.json] [--verify]
    python3 bench/dataset.py --binary ... --engine postgres --dsn postgres://user@host:port/dbname ...
    python3 bench/dataset.py --binary ... --engine sqlite --db /tmp/bench.db --verify-only --manifest OUT.json

Shape: 100 users (bench001..bench100, one password), 13 projects each (the first is the Inbox every
registration creates; ~30 % nested under a project of the same owner; ~15 % shared with another user,
~10 % with one of 20 teams), 10 labels per user, --tasks tasks spread unevenly over the projects
(0-3 labels, 0-2 assignees, 0-3 comments, reminders on ~20 % of the tasks with a due date), a few
favourites. --tasks scales the tasks only, so the 10k/100k/1M sweep keeps users and projects fixed.

How: the real server creates the schema (its migrations run at start-up) and registers one throw-away
user through POST /register. Its rows (user, Inbox project with its views and kanban buckets, the
"My Open Tasks" saved filter with its views) are the template every bench user and project is copied
from, so they are stored exactly as the server's own write path stores them; the template rows are then
deleted and everything is bulk-loaded with explicit ids (SQLite: one transaction with executemany;
PostgreSQL: COPY through psql, identity sequences moved past the max ids, VACUUM ANALYZE). Tasks and
their rows mirror src/models/task_write.cpp and task_kanban.cpp (index per project, uid, one
task_positions row per view with the positions sequential creates produce, one task_buckets row in the
kanban view, subscriptions of assignees). Timestamps are a fixed base date plus seeded offsets, so two
runs with the same seed and --tasks are identical, on both engines (but for the bcrypt salt of the one
password hash). The server runs through tests/harness, so the hash has its bcrypt cost 4 (cheap logins).
SQLite gets no ANALYZE: the server never runs it, so a real database has no statistics either.

The manifest (JSON) tells the benchmark orchestrator what to request: per user the readable projects,
their list and kanban view ids, up to 500 readable task ids and the user's labels.
`--verify` (or verify() from Python) starts the server on the loaded database and checks it through the
API: login, GET /tasks/{id} with its labels and assignees, GET /projects, a 50-task list page, a kanban view.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "harness"))
from vicugna_harness import VicugnaServer  # noqa: E402

USERS = 100
PROJECTS_PER_USER = 13
LABELS_PER_USER = 10
TEAMS = 20
NESTED_SHARE = 0.30       # projects with a parent among the owner's projects
USER_SHARED_SHARE = 0.15  # projects shared with another user (users_projects)
TEAM_SHARED_SHARE = 0.10  # projects shared with a team (team_projects)
DONE_SHARE = 0.20
DUE_SHARE = 0.50
REMINDER_SHARE = 0.20     # of the tasks with a due date
DEFAULT_TASKS = 51_000
PASSWORD = "bench-password-1"
SEED_USERNAME = "benchseed"
MANIFEST_TASKS = 500
BASE = datetime(2026, 1, 1, tzinfo=timezone.utc)
CHUNK = 20_000            # tasks generated (and written) per batch

RECALCULATED_SPAN = 4294967296.0  # task_kanban.cpp kRecalculatedSpan
MIN_POSITION_SPACING = 0.01       # task_kanban.cpp kMinPositionSpacing
KIND_TASK, KIND_PROJECT = 1, 2    # favorites.kind
SUBSCRIPTION_TASK = 3             # subscriptions.entity_type

# Tables the load writes (in this order); the counts in the manifest come from them.
LOADED_TABLES = ["users", "projects", "project_views", "buckets", "saved_filters", "teams", "team_members",
                 "team_projects", "users_projects", "labels", "tasks", "task_positions", "task_buckets",
                 "label_tasks", "task_assignees", "subscriptions", "task_comments", "task_reminders", "favorites"]
# Tables the load gives explicit ids: their id sequences must be moved past the max on PostgreSQL.
ID_TABLES = [t for t in LOADED_TABLES if t not in ("task_positions", "task_buckets", "favorites")]

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu review deploy draft invoice "
         "meeting report backlog release design test docs budget").split()


# ---- engines -------------------------------------------------------------------------------------------


class Target:
    """Where rows go: value forms (bools, timestamps) and bulk writing differ per engine."""

    engine = ""

    def ts(self, seconds: int) -> str:
        raise NotImplementedError

    def boolean(self, v: bool) -> Any:
        raise NotImplementedError

    def query(self, sql: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def execute(self, sql: str) -> None:
        raise NotImplementedError

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def begin_load(self) -> None:
        pass

    def finish_load(self) -> None:
        pass

    def server_env(self) -> dict[str, str]:
        raise NotImplementedError


_DAYS: dict[int, str] = {}


def db_text(seconds: int) -> str:
    """util::to_db_text: 'YYYY-MM-DD HH:MM:SS' UTC of BASE + seconds (the date part cached: millions of calls)."""
    day, rest = divmod(seconds, 86400)
    date = _DAYS.get(day)
    if date is None:
        date = _DAYS[day] = (BASE + timedelta(days=day)).strftime("%Y-%m-%d")
    hours, rest = divmod(rest, 3600)
    return f"{date} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


class SqliteTarget(Target):
    engine = "sqlite"

    def __init__(self, path: Path):
        self.path = path
        self.con: sqlite3.Connection | None = None

    def ts(self, seconds: int) -> str:
        return db_text(seconds)  # SQLite stores timestamps as fixed-width UTC text (util/time.hpp)

    def boolean(self, v: bool) -> Any:
        return 1 if v else 0     # the server binds bool as an integer

    def _con(self) -> sqlite3.Connection:
        if self.con is None:
            self.con = sqlite3.connect(self.path, isolation_level=None)
        return self.con

    def query(self, sql: str) -> list[dict[str, Any]]:
        cur = self._con().execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def execute(self, sql: str) -> None:
        self._con().executescript(sql)

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self._con().executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)

    def begin_load(self) -> None:
        # Nothing to lose while loading: no journal, no fsync, one transaction.
        self._con().executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                                  "PRAGMA cache_size=-262144; BEGIN")

    def finish_load(self) -> None:
        con = self._con()
        con.execute("COMMIT")
        con.execute("PRAGMA journal_mode=WAL")  # what the server opens the database with
        con.close()
        self.con = None

    def remove_files(self) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def server_env(self) -> dict[str, str]:
        return {"VIKUNJA_DATABASE_TYPE": "sqlite", "VIKUNJA_DATABASE_PATH": str(self.path)}


def csv_field(v: Any) -> str:
    """COPY csv: NULL is an unquoted empty field, so every string is quoted (an empty one stays '')."""
    if v is None:
        return ""
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    return str(v)


class PostgresTarget(Target):
    engine = "postgres"

    def __init__(self, dsn: str):
        u = urllib.parse.urlsplit(dsn)
        if u.scheme not in ("postgres", "postgresql") or not u.hostname or not u.path.strip("/"):
            raise SystemExit(f"--dsn must be postgres://user@host:port/dbname, not {dsn!r}")
        self.dsn = dsn
        self.host, self.port = u.hostname, u.port or 5432
        self.user = urllib.parse.unquote(u.username or "postgres")
        self.password = urllib.parse.unquote(u.password or "")
        self.database = u.path.strip("/")
        self.copies: dict[str, subprocess.Popen] = {}

    def ts(self, seconds: int) -> str:
        return db_text(seconds) + "+00"

    def boolean(self, v: bool) -> Any:
        return "t" if v else "f"

    def _env(self) -> dict[str, str]:
        return dict(os.environ, PGTZ="UTC", PGCONNECT_TIMEOUT="10")

    def _psql(self, *args: str) -> list[str]:
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.dsn, *args]

    def query(self, sql: str) -> list[dict[str, Any]]:
        # Unit separator between fields and a record separator for NULL: neither occurs in our data.
        out = subprocess.run(self._psql("-A", "-F", "\x1f", "-P", "null=\x1e", "-P", "footer=off", "-c", sql),
                             env=self._env(), capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed ({sql}): {out.stderr.strip()}")
        lines = out.stdout.rstrip("\n").split("\n")
        if not lines or not lines[0]:
            return []
        names = lines[0].split("\x1f")
        return [dict(zip(names, (None if f == "\x1e" else f for f in line.split("\x1f")))) for line in lines[1:]]

    def execute(self, sql: str) -> None:
        out = subprocess.run(self._psql("-c", sql), env=self._env(), capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed ({sql[:200]}): {out.stderr.strip()}")

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        # One COPY per table stays open for the whole load; batches of the task tables stream into it.
        proc = self.copies.get(table)
        if proc is None:
            cols = ", ".join(f'"{c}"' for c in columns)
            proc = subprocess.Popen(self._psql("-c", f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv)"),
                                    env=self._env(), stdin=subprocess.PIPE, text=True)
            self.copies[table] = proc
        assert proc.stdin is not None
        proc.stdin.write("".join(",".join(map(csv_field, row)) + "\n" for row in rows))

    def finish_load(self) -> None:
        for table, proc in self.copies.items():
            assert proc.stdin is not None
            proc.stdin.close()
            if proc.wait() != 0:
                raise RuntimeError(f"COPY into {table} failed")
        self.copies.clear()
        # Explicit ids do not advance identity columns (GENERATED BY DEFAULT AS IDENTITY): move each sequence
        # past the max id, or the server's next INSERT would collide with a loaded row.
        moves = [f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, "
                 f"false);" for t in ID_TABLES]
        self.execute("\n".join(moves))
        # Statistics for the planner, and the visibility map for index-only scans: otherwise autovacuum does both
        # in the middle of the first benchmark run.
        self.execute("VACUUM (ANALYZE)")

    def server_env(self) -> dict[str, str]:
        return {"VIKUNJA_DATABASE_TYPE": "postgres", "VIKUNJA_DATABASE_HOST": f"{self.host}:{self.port}",
                "VIKUNJA_DATABASE_USER": self.user, "VIKUNJA_DATABASE_PASSWORD": self.password,
                "VIKUNJA_DATABASE_DATABASE": self.database}


# ---- the server ----------------------------------------------------------------------------------------


def start_server(binary: str, target: Target, env: dict[str, str] | None = None,
                 redis_url: str | None = None) -> VicugnaServer:
    """The real server on the target database (the harness's own SQLite file is overridden), with `env` on top."""
    srv = VicugnaServer(binary, backend="sqlite", env={**target.server_env(), **(env or {})}, redis_url=redis_url,
                        ready_timeout=60)
    try:
        srv.start()
    except BaseException:
        srv.close()
        raise
    return srv


def api_call(srv: VicugnaServer, method: str, path: str, body: Any = None,
             token: str | None = None) -> tuple[int, Any, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, "/api/v1" + path, body=None if body is None else json.dumps(body), headers=headers)
    res = conn.getresponse()
    raw = res.read()
    conn.close()
    data = json.loads(raw) if raw else None
    return res.status, data, {k.lower(): v for k, v in res.getheaders()}


# ---- the template: what registration stores --------------------------------------------------------------


@dataclass
class Template:
    user: dict[str, Any]
    project: dict[str, Any]
    views: list[dict[str, Any]]           # the Inbox's views, by position
    buckets: list[dict[str, Any]]         # the Inbox kanban view's buckets, by position
    saved_filter: dict[str, Any]
    filter_views: list[dict[str, Any]]    # the saved filter's views, by position
    filter_buckets: list[dict[str, Any]]


def make_template(binary: str, target: Target) -> Template:
    """Runs the migrations and one registration through the real server, reads what it stored, and deletes it."""
    if target.engine == "postgres" and target.query("SELECT to_regclass('users') IS NOT NULL AS t")[0]["t"] == "t":
        if target.query("SELECT COUNT(*) AS n FROM users")[0]["n"] != "0":
            raise SystemExit("the database is not empty; load into a fresh one")
    srv = start_server(binary, target)
    try:
        status, data, _ = api_call(srv, "POST", "/register", {"username": SEED_USERNAME, "password": PASSWORD,
                                                              "email": SEED_USERNAME + "@example.com"})
        if status != 200:
            raise RuntimeError(f"register answered {status}: {data}\n{srv.log_tail()}")
    finally:
        srv.stop()
        srv.close()
    users = target.query("SELECT * FROM users ORDER BY id")
    if len(users) != 1:
        raise SystemExit("the database is not empty (expected only the template user); use a fresh database")
    user = users[0]
    uid = int(user["id"])
    project = target.query(f"SELECT * FROM projects WHERE owner_id = {uid}")[0]
    pid = int(project["id"])
    saved_filter = target.query(f"SELECT * FROM saved_filters WHERE owner_id = {uid}")[0]
    fpid = -int(saved_filter["id"]) - 1  # models::project_id_of_saved_filter

    def views_and_buckets(project_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        views = target.query(f"SELECT * FROM project_views WHERE project_id = {project_id} ORDER BY position, id")
        ids = ",".join(str(v["id"]) for v in views)
        buckets = target.query(f"SELECT * FROM buckets WHERE project_view_id IN ({ids}) ORDER BY position, id")
        return views, buckets

    views, buckets = views_and_buckets(pid)
    filter_views, filter_buckets = views_and_buckets(fpid)
    # Everything but the schema's bookkeeping goes: the load starts every id at 1.
    for t in ("users", "projects", "project_views", "buckets", "saved_filters", "sessions", "vicugna_counters"):
        target.execute(f"DELETE FROM {t}")
    if target.engine == "sqlite":
        target.execute("DELETE FROM sqlite_sequence")
    return Template(user, project, views, buckets, saved_filter, filter_views, filter_buckets)


# ---- the generator -------------------------------------------------------------------------------------


def task_positions(n: int) -> list[float]:
    """Final positions (every view alike) of a project's n tasks created one by one through the API.

    task_kanban.cpp top_position: the first task gets index x 2^16, each next one half the lowest position;
    when that half drops below 0.01, the view is re-spaced over 2^32 in its current order (newest first, the
    new task last) and the new task gets half the new lowest. Only the last re-spacing shapes the end state.
    """
    out = [0.0] * n
    lowest = 0.0
    last_respace = 0
    for i in range(1, n + 1):
        if i == 1:
            p = float(i) * 65536
        else:
            p = lowest / 2
            if p < MIN_POSITION_SPACING:
                last_respace = i
                p = RECALCULATED_SPAN / i * 1 / 2
        out[i - 1] = p
        lowest = p
    k = last_respace
    for j in range(1, k):
        out[j - 1] = RECALCULATED_SPAN / k * (k - j)
    return out


def uuid4_text(rng: random.Random) -> str:
    h = f"{(rng.getrandbits(128) & ~(0xF000 << 64) & ~(0xC << 60)) | (0x4000 << 64) | (0x8 << 60):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass
class Project:
    id: int
    owner: int
    parent: int
    views: list[int]          # ids in template order
    buckets: list[int]        # kanban bucket ids in template order
    created: int = 0          # seconds after BASE
    title: str = ""
    readers: set[int] = field(default_factory=set)  # may read (owner, shares, shares of the parent)
    writers: set[int] = field(default_factory=set)  # may create tasks and comments (permission >= 1)
    tasks: list[int] = field(default_factory=list)  # ids in creation order


@dataclass
class World:
    """Everything decided before the task rows: users, projects, sharing, labels."""
    projects: list[Project]
    labels_of: dict[int, list[int]]
    readable: dict[int, set[int]]     # user -> readable project ids
    list_view: int                    # index in Template.views of the list view
    kanban_view: int                  # index in Template.views of the (manual) kanban view
    default_bucket: int               # index in Template.buckets of the kanban view's default bucket
    done_bucket: int                  # ... and of its done bucket


def col_list(row: dict[str, Any]) -> list[str]:
    return list(row.keys())


def from_template(row: dict[str, Any], overrides: dict[str, Any]) -> list[Any]:
    """A template row with some columns replaced, in the template's column order."""
    return [overrides[c] if c in overrides else v for c, v in row.items()]


def task_created(tid: int, n_tasks: int) -> int:
    """Tasks are created over 300 days in id order; every side effect of a create happens at that time."""
    return 7 * 86400 + tid * (300 * 86400) // n_tasks


def build_world(target: Target, tpl: Template, n_tasks: int, rng: random.Random) -> World:
    """Writes everything but the tasks; decides which project each task goes to."""
    kinds = [int(v["view_kind"]) for v in tpl.views]
    list_view, kanban_view = kinds.index(0), kinds.index(3)
    kb = tpl.views[kanban_view]
    bucket_ids = [str(x["id"]) for x in tpl.buckets]
    write_users(target, tpl)
    projects = plan_projects(target, tpl, rng)
    members_of = write_teams(target, rng)
    share_projects(target, projects, members_of, rng)
    readable: dict[int, set[int]] = {u: set() for u in range(1, USERS + 1)}
    for p in projects:
        for u in p.readers:
            readable[u].add(p.id)
    labels_of = write_labels(target, rng)
    distribute_tasks(projects, n_tasks, rng)
    write_projects(target, tpl, projects, n_tasks)
    return World(projects, labels_of, readable, list_view, kanban_view,
                 bucket_ids.index(str(kb["default_bucket_id"])), bucket_ids.index(str(kb["done_bucket_id"])))


def write_users(target: Target, tpl: Template) -> None:
    """The template user with a name, e-mail, default project (the Inbox) and timestamps of its own."""
    ts = target.ts
    users = []
    for u in range(1, USERS + 1):
        name = f"bench{u:03d}"
        created = ts(u * 60)
        inbox = (u - 1) * PROJECTS_PER_USER + 1
        users.append(from_template(tpl.user, {"id": u, "username": name, "email": name + "@example.com",
                                                      "default_project_id": inbox, "created": created,
                                                      "updated": created}))
    target.write("users", col_list(tpl.user), users)


def plan_projects(target: Target, tpl: Template, rng: random.Random) -> list[Project]:
    """Projects (the first of each user is the Inbox) with the template's views and buckets, written now;
    the saved filters' views follow. The project rows wait for the tasks (their `updated`)."""
    ts = target.ts
    projects: list[Project] = []
    titles: list[str] = []
    view_rows: list[list[Any]] = []
    bucket_rows: list[list[Any]] = []
    next_view, next_bucket = 1, 1
    views_per, buckets_per = len(tpl.views), len(tpl.buckets)
    for u in range(1, USERS + 1):
        top_level: list[int] = []
        for k in range(PROJECTS_PER_USER):
            pid = (u - 1) * PROJECTS_PER_USER + k + 1
            parent = 0
            if k > 0 and top_level[1:] and rng.random() < NESTED_SHARE / (1 - 1 / PROJECTS_PER_USER):
                parent = rng.choice(top_level[1:])  # never under the Inbox, at most two levels
            else:
                top_level.append(pid)
            created = 86400 + pid * 60
            titles.append("Inbox" if k == 0 else f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {pid}")
            views = list(range(next_view, next_view + views_per))
            buckets = list(range(next_bucket, next_bucket + buckets_per))
            next_view += views_per
            next_bucket += buckets_per
            projects.append(Project(pid, u, parent, views, buckets, created, titles[-1], readers={u},
                                    writers={u}))
            add_views(target, tpl.views, tpl.buckets, pid, views, buckets, u, created, view_rows, bucket_rows)

    # Saved filters ("My Open Tasks", made at registration) with their views, after the projects' ids.
    filter_rows = []
    for u in range(1, USERS + 1):
        created = u * 60
        name = f"bench{u:03d}"
        filters = str(tpl.saved_filter["filters"]).replace(f"assignees = {SEED_USERNAME}", f"assignees = {name}")
        filter_rows.append(from_template(tpl.saved_filter, {
            "id": u, "filters": filters, "owner_id": u, "created": ts(created), "updated": ts(created)}))
        views = list(range(next_view, next_view + len(tpl.filter_views)))
        buckets = list(range(next_bucket, next_bucket + len(tpl.filter_buckets)))
        next_view += len(views)
        next_bucket += len(buckets)
        add_views(target, tpl.filter_views, tpl.filter_buckets, -u - 1, views, buckets, u, created,
                  view_rows, bucket_rows)
    target.write("project_views", col_list(tpl.views[0]), view_rows)
    target.write("buckets", col_list(tpl.buckets[0]), bucket_rows)
    target.write("saved_filters", col_list(tpl.saved_filter), filter_rows)
    return projects


def write_teams(target: Target, rng: random.Random) -> dict[int, list[int]]:
    """Teams of 3-6 members; the creator is the first member and its admin (Vikunja's Team.Create)."""
    ts, b = target.ts, target.boolean
    team_rows, member_rows, members_of = [], [], {}
    member_id = 1
    for team in range(1, TEAMS + 1):
        members = rng.sample(range(1, USERS + 1), rng.randint(3, 6))
        members_of[team] = members
        created = 2 * 86400 + team * 60
        # Vikunja stores Go's empty strings, not NULL, for a local team's external_id and issuer.
        team_rows.append((team, f"Team {team}", "", members[0], "", "", ts(created), ts(created), b(False)))
        for i, m in enumerate(members):
            member_rows.append((member_id, team, m, b(i == 0), ts(created)))
            member_id += 1
    target.write("teams", ["id", "name", "description", "created_by_id", "external_id", "issuer", "created",
                           "updated", "is_public"], team_rows)
    target.write("team_members", ["id", "team_id", "user_id", "admin", "created"], member_rows)
    return members_of


def share_projects(target: Target, projects: list[Project], members_of: dict[int, list[int]],
                   rng: random.Random) -> None:
    """Shares with one other user (permission 0/1/2) or with a team the owner is not in; fills readers/writers."""
    ts = target.ts
    share_rows, team_share_rows = [], []
    grants: dict[int, dict[int, int]] = {}  # project -> user -> permission
    for p in projects:
        created = ts(3 * 86400 + p.id * 60)
        roll = rng.random()
        if roll < USER_SHARED_SHARE:
            other = rng.choice([u for u in range(1, USERS + 1) if u != p.owner])
            permission = rng.randint(0, 2)
            share_rows.append((len(share_rows) + 1, other, p.id, permission, created, created))
            grants.setdefault(p.id, {})[other] = permission
        elif roll < USER_SHARED_SHARE + TEAM_SHARED_SHARE:
            team = rng.choice([t for t in members_of if p.owner not in members_of[t]])
            permission = rng.randint(0, 2)
            team_share_rows.append((len(team_share_rows) + 1, team, p.id, permission, created, created))
            for m in members_of[team]:
                grants.setdefault(p.id, {})[m] = max(permission, grants.get(p.id, {}).get(m, 0))
    # A grant reaches the project and everything below it (access.cpp: the nearest grant up the chain wins;
    # parents here are always top-level projects).
    for p in projects:
        grant = dict(grants.get(p.id, {}))
        for u, permission in (grants.get(p.parent, {}) if p.parent else {}).items():
            grant.setdefault(u, permission)
        p.readers |= set(grant)
        p.writers |= {u for u, permission in grant.items() if permission >= 1}
    target.write("team_projects", ["id", "team_id", "project_id", "permission", "created", "updated"],
                 team_share_rows)
    target.write("users_projects", ["id", "user_id", "project_id", "permission", "created", "updated"], share_rows)


def write_labels(target: Target, rng: random.Random) -> dict[int, list[int]]:
    """Ten labels per user; returns each user's label ids."""
    ts = target.ts
    label_rows, labels_of = [], {}
    for u in range(1, USERS + 1):
        ids = []
        for k in range(LABELS_PER_USER):
            lid = (u - 1) * LABELS_PER_USER + k + 1
            created = ts(4 * 86400 + lid * 60)
            label_rows.append((lid, f"{rng.choice(WORDS)}-{lid}", "", f"{rng.getrandbits(24):06x}", u, created,
                               created))
            ids.append(lid)
        labels_of[u] = ids
    target.write("labels", ["id", "title", "description", "hex_color", "created_by_id", "created", "updated"],
                 label_rows)
    return labels_of


def distribute_tasks(projects: list[Project], n_tasks: int, rng: random.Random) -> None:
    """Uneven project sizes, as real accounts have: a few big projects, many small ones."""
    weights = [rng.lognormvariate(0, 1.2) for _ in projects]
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    for tid, pi in enumerate(rng.choices(range(len(projects)), cum_weights=cum, k=n_tasks), start=1):
        projects[pi].tasks.append(tid)


def write_projects(target: Target, tpl: Template, projects: list[Project], n_tasks: int) -> None:
    """Project rows: position id x 2^16 as create_project sets it; every task create touches the project's
    `updated` (task_write.cpp kTouchProject), so it is the last task's create time."""
    ts = target.ts
    rows = [from_template(tpl.project, {
        "id": p.id, "title": p.title, "owner_id": p.owner, "parent_project_id": p.parent,
        "position": float(p.id) * 65536, "created": ts(p.created),
        "updated": ts(task_created(p.tasks[-1], n_tasks) if p.tasks else p.created)}) for p in projects]
    target.write("projects", col_list(tpl.project), rows)


def add_views(target: Target, views: list[dict[str, Any]], buckets: list[dict[str, Any]], project_id: int,
              view_ids: list[int], bucket_ids: list[int], owner: int, created: int,
              view_rows: list[list[Any]], bucket_rows: list[list[Any]]) -> None:
    """The template's views and buckets for one project (or saved filter), with the bucket links remapped."""
    tpl_bucket = {str(bk["id"]): bucket_ids[i] for i, bk in enumerate(buckets)}
    tpl_view = {str(v["id"]): view_ids[i] for i, v in enumerate(views)}
    when = target.ts(created)
    for i, v in enumerate(views):
        view_rows.append(from_template(v, {
            "id": view_ids[i], "project_id": project_id,
            "default_bucket_id": tpl_bucket.get(str(v["default_bucket_id"]), 0),
            "done_bucket_id": tpl_bucket.get(str(v["done_bucket_id"]), 0),
            "created": when, "updated": when}))
    for i, bk in enumerate(buckets):
        bucket_rows.append(from_template(bk, {
            "id": bucket_ids[i], "project_view_id": tpl_view[str(bk["project_view_id"])], "created_by_id": owner,
            "created": when, "updated": when}))


TASK_COLUMNS = ["id", "title", "description", "done", "done_at", "due_date", "project_id", "repeat_after",
                "repeat_mode", "priority", "start_date", "end_date", "hex_color", "percent_done", "index", "uid",
                "cover_image_attachment_id", "created", "updated", "deleted_at", "created_by_id"]


def text_pools(rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """Titles, descriptions and comments to pick from: sampling words per task would dominate the run time."""
    titles = [" ".join(rng.sample(WORDS, 3)).capitalize() for _ in range(4096)]
    descriptions = [f"<p>{' '.join(rng.sample(WORDS, 8))}</p>" for _ in range(2048)] + [""] * 2048
    comments = [f"<p>{' '.join(rng.sample(WORDS, 6))}</p>" for _ in range(4096)]
    return titles, descriptions, comments


def write_tasks(target: Target, world: World, n_tasks: int, rng: random.Random) -> None:
    """Tasks and every row a created task gets, in batches of CHUNK tasks."""
    ts, b = target.ts, target.boolean
    rand, sample = rng.random, rng.sample
    projects = world.projects
    project_of: list[Project] = [projects[0]] * (n_tasks + 1)
    for p in projects:
        for tid in p.tasks:
            project_of[tid] = p
    position = [0.0] * (n_tasks + 1)
    index = [0] * (n_tasks + 1)
    for p in projects:
        for i, (tid, pos) in enumerate(zip(p.tasks, task_positions(len(p.tasks))), start=1):
            position[tid] = pos
            index[tid] = i
    readers_of = {p.id: sorted(p.readers) for p in projects}
    writers_of = {p.id: sorted(p.writers) for p in projects}
    titles, descriptions, comments = text_pools(rng)
    yes, no = b(True), b(False)
    doing = 1 if world.default_bucket != 1 else 0  # "Doing": a bucket that is neither default nor done
    label_counts = (0, 0, 1, 1, 2, 3)
    assignee_counts = (0, 0, 0, 0, 1, 1, 1, 2, 2)
    comment_counts = (0, 0, 0, 1, 1, 1, 1, 2, 2, 3)
    cols = {
        "task_positions": ["task_id", "project_view_id", "position"],
        "task_buckets": ["bucket_id", "task_id", "project_view_id"],
        "label_tasks": ["id", "task_id", "label_id", "created"],
        "task_assignees": ["id", "task_id", "user_id", "created"],
        "subscriptions": ["id", "entity_type", "entity_id", "user_id", "created"],
        "task_comments": ["id", "comment", "author_id", "task_id", "created", "updated"],
        "task_reminders": ["id", "task_id", "reminder", "created", "relative_period", "relative_to"],
        "favorites": ["entity_id", "user_id", "kind"],
    }
    label_id = assignee_id = comment_id = reminder_id = 0
    for first in range(1, n_tasks + 1, CHUNK):
        rows: dict[str, list[tuple]] = {t: [] for t in ["tasks", *cols]}
        tasks, positions, buckets = rows["tasks"], rows["task_positions"], rows["task_buckets"]
        label_tasks, assignees, subscriptions = rows["label_tasks"], rows["task_assignees"], rows["subscriptions"]
        task_comments, reminders = rows["task_comments"], rows["task_reminders"]
        for tid in range(first, min(first + CHUNK, n_tasks + 1)):
            p = project_of[tid]
            readers, writers = readers_of[p.id], writers_of[p.id]
            created_s = task_created(tid, n_tasks)
            created = ts(created_s)
            creator = p.owner if len(writers) == 1 or rand() < 0.8 else writers[int(rand() * len(writers))]
            done = rand() < DONE_SHARE
            due_s = created_s + int(rand() * 60 + 1) * 86400 + 12 * 3600 if rand() < DUE_SHARE else None
            tasks.append((tid, titles[int(rand() * 4096)], descriptions[int(rand() * 4096)], yes if done else no,
                          created if done else None, None if due_s is None else ts(due_s), p.id, 0, 0,
                          int(rand() * 5), None, None, "", 0.0, index[tid], uuid4_text(rng), 0,
                          created, created, None, creator))
            pos = position[tid]
            for view in p.views:
                positions.append((tid, view, pos))
            # The manual kanban view: done tasks go to the done bucket, others to the default one (a few were
            # created straight into "Doing", as the API allows with bucket_id).
            if done:
                bucket = p.buckets[world.done_bucket]
            elif len(p.buckets) > 2 and rand() < 0.1:
                bucket = p.buckets[doing]
            else:
                bucket = p.buckets[world.default_bucket]
            buckets.append((bucket, tid, p.views[world.kanban_view]))
            n = label_counts[int(rand() * 6)]
            if n:
                for label in sample(world.labels_of[p.owner], n):
                    label_id += 1
                    label_tasks.append((label_id, tid, label, created))
            n = min(len(readers), assignee_counts[int(rand() * 9)])
            if n:
                for user in (readers if n == len(readers) else sample(readers, n)):
                    assignee_id += 1
                    assignees.append((assignee_id, tid, user, created))
                    subscriptions.append((assignee_id, SUBSCRIPTION_TASK, tid, user, created))
            for k in range(comment_counts[int(rand() * 10)]):
                comment_id += 1
                when = ts(created_s + (k + 1) * 3600)
                task_comments.append((comment_id, comments[int(rand() * 4096)], writers[int(rand() * len(writers))],
                                      tid, when, when))
            if due_s is not None and rand() < REMINDER_SHARE:
                reminder_id += 1
                if rand() < 0.5:  # relative to the due date: the server stores the computed time too
                    period = -(1, 2, 24)[int(rand() * 3)] * 3600
                    reminders.append((reminder_id, tid, ts(due_s + period), created, period, "due_date"))
                else:
                    reminders.append((reminder_id, tid, ts(due_s - 86400), created, 0, None))
            if rand() < 0.002:  # a few favourite tasks per user
                rows["favorites"].append((tid, readers[int(rand() * len(readers))], KIND_TASK))
        target.write("tasks", TASK_COLUMNS, rows["tasks"])
        for t, c in cols.items():
            target.write(t, c, rows[t])


def favourite_projects(target: Target, world: World, rng: random.Random) -> None:
    rows = []
    for u, readable in world.readable.items():
        for pid in rng.sample(sorted(readable), min(2, len(readable))):
            rows.append((pid, u, KIND_PROJECT))
    target.write("favorites", ["entity_id", "user_id", "kind"], rows)


def build_manifest(target: Target, world: World, n_tasks: int, seed: int, rng: random.Random,
                   load_seconds: float) -> dict[str, Any]:
    by_id = {p.id: p for p in world.projects}
    users = []
    for u in range(1, USERS + 1):
        readable = sorted(world.readable[u])
        pool = [t for pid in readable for t in by_id[pid].tasks]
        tasks = sorted(rng.sample(pool, min(MANIFEST_TASKS, len(pool))))
        users.append({
            "id": u, "username": f"bench{u:03d}", "projects": readable,
            "list_views": {str(pid): by_id[pid].views[world.list_view] for pid in readable},
            "kanban_views": {str(pid): by_id[pid].views[world.kanban_view] for pid in readable},
            "tasks": tasks, "labels": world.labels_of[u]})
    counts = {t: int(r["n"]) for t in LOADED_TABLES for r in target.query(f"SELECT COUNT(*) AS n FROM {t}")}
    return {"engine": target.engine, "tasks": n_tasks, "seed": seed, "password": PASSWORD, "counts": counts,
            "load_seconds": round(load_seconds, 2), "users": users}


def generate(binary: str, target: Target, n_tasks: int, seed: int) -> dict[str, Any]:
    """Creates the schema through the server, loads the dataset and returns the manifest. A SQLite file is
    replaced; a PostgreSQL database must be empty."""
    if isinstance(target, SqliteTarget):
        target.remove_files()
    tpl = make_template(binary, target)
    started = time.monotonic()
    rng = random.Random(seed)
    target.begin_load()
    world = build_world(target, tpl, n_tasks, rng)
    write_tasks(target, world, n_tasks, rng)
    favourite_projects(target, world, rng)
    target.finish_load()
    load_seconds = time.monotonic() - started
    return build_manifest(target, world, n_tasks, seed, rng, load_seconds)


# ---- verification through the API ----------------------------------------------------------------------


class VerifyError(AssertionError):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise VerifyError(what)


def verify(binary: str, target: Target, manifest: dict[str, Any], log: Callable[[str], None] = print) -> None:
    """Starts the server on the loaded database and checks the data reads back through the API; raises
    VerifyError on the first mismatch."""
    check_shape(target, manifest)
    log("  row counts have the dataset's shape")
    check_sequences(target)
    log("  id sequences are past the loaded ids")
    srv = start_server(binary, target)
    try:
        by_projects = sorted(manifest["users"], key=lambda u: -len(u["projects"]))
        for user in (manifest["users"][0], by_projects[0]):
            verify_user(srv, target, manifest, user, log)
    finally:
        srv.stop()
        srv.close()


def verify_user(srv: VicugnaServer, target: Target, manifest: dict[str, Any], user: dict[str, Any],
                log: Callable[[str], None]) -> None:
    status, data, _ = api_call(srv, "POST", "/login", {"username": user["username"], "password": manifest["password"]})
    check(status == 200 and data and data.get("token"), f"login {user['username']}: {status} {data}")
    token = data["token"]

    # GET /tasks/{id}: 200, with the labels and assignees the database holds.
    for tid in user["tasks"][:: max(1, len(user["tasks"]) // 10)]:
        status, task, _ = api_call(srv, "GET", f"/tasks/{tid}", token=token)
        check(status == 200, f"GET /tasks/{tid} as {user['username']}: {status} {task}")
        labels = {int(r["label_id"]) for r in target.query(f"SELECT label_id FROM label_tasks WHERE task_id = {tid}")}
        assignees = {int(r["user_id"]) for r in target.query(
            f"SELECT user_id FROM task_assignees WHERE task_id = {tid}")}
        got_labels = {lb["id"] for lb in task.get("labels") or []}
        got_assignees = {a["id"] for a in task.get("assignees") or []}
        check(got_labels == labels, f"task {tid} labels {got_labels} != stored {labels}")
        check(got_assignees == assignees, f"task {tid} assignees {got_assignees} != stored {assignees}")
    log(f"  {user['username']}: GET /tasks/{{id}} ok with labels and assignees")

    # GET /projects: every readable project (owned, shared, team-shared, below those), all pages.
    seen: set[int] = set()
    page = 1
    while True:
        status, projects, headers = api_call(srv, "GET", f"/projects?page={page}&per_page=50", token=token)
        check(status == 200, f"GET /projects: {status}")
        seen.update(p["id"] for p in projects if p["id"] > 0)
        if page >= int(headers.get("x-pagination-total-pages", "1")):
            break
        page += 1
    check(seen == set(user["projects"]), f"GET /projects lists {sorted(seen)} != manifest {user['projects']}")
    log(f"  {user['username']}: GET /projects lists its {len(seen)} projects")

    # A big project's list view: a full page of 50.
    counts = open_task_counts(target)
    big = max(user["projects"], key=lambda pid: counts.get(pid, 0))
    view = user["list_views"][str(big)]
    clock = time.monotonic()
    status, tasks, headers = api_call(srv, "GET", f"/projects/{big}/views/{view}/tasks?per_page=50", token=token)
    list_ms = (time.monotonic() - clock) * 1000
    check(status == 200, f"list view of project {big}: {status} {tasks}")
    expected = min(50, counts.get(big, 0))
    check(len(tasks) == expected, f"list view of project {big} answered {len(tasks)} tasks, expected {expected}")
    log(f"  {user['username']}: list view of project {big} ({counts.get(big, 0)} open tasks) answered {len(tasks)} "
        f"({list_ms:.0f} ms, cold)")

    # Its kanban view: the buckets, holding the project's tasks.
    kanban = user["kanban_views"][str(big)]
    clock = time.monotonic()
    status, buckets, _ = api_call(srv, "GET", f"/projects/{big}/views/{kanban}/tasks", token=token)
    kanban_ms = (time.monotonic() - clock) * 1000
    check(status == 200 and isinstance(buckets, list) and buckets, f"kanban view of {big}: {status} {buckets}")
    total = sum(int(bk.get("count", 0)) for bk in buckets)
    listed = sum(len(bk.get("tasks") or []) for bk in buckets)
    stored = int(target.query(f"SELECT COUNT(*) AS n FROM tasks WHERE project_id = {big}")[0]["n"])
    check(total == stored, f"kanban buckets of {big} count {total} tasks, the project has {stored}")
    check(listed > 0, f"kanban buckets of {big} hold no tasks")
    log(f"  {user['username']}: kanban view of project {big}: {len(buckets)} buckets, {total} tasks "
        f"({listed} on the first page; {kanban_ms:.0f} ms, cold)")


def check_shape(target: Target, manifest: dict[str, Any]) -> None:
    """Row counts in the database match the manifest and the intended shape (so a generator that silently
    stops writing some rows is noticed, not only a server that misreads them)."""
    counts = {t: int(target.query(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]) for t in LOADED_TABLES}
    check(counts == manifest["counts"], f"row counts {counts} != manifest {manifest['counts']}")
    n = counts["tasks"]
    check(n == manifest["tasks"], f"{n} tasks, manifest says {manifest['tasks']}")
    check(counts["users"] == USERS and counts["projects"] == USERS * PROJECTS_PER_USER, "users or projects missing")
    views = counts["project_views"] // (counts["projects"] + counts["saved_filters"])
    check(counts["task_positions"] == views * n, f"{counts['task_positions']} task_positions for {n} tasks")
    check(counts["task_buckets"] == n, f"{counts['task_buckets']} task_buckets for {n} tasks")
    if n >= 1000:  # averages only mean something on enough tasks
        for table, low, high in (("label_tasks", 0.9, 1.5), ("task_assignees", 0.4, 0.9),
                                 ("task_comments", 0.9, 1.3), ("task_reminders", 0.05, 0.15)):
            check(low <= counts[table] / n <= high, f"{table}: {counts[table] / n:.2f} per task, not {low}-{high}")
        check(counts["subscriptions"] == counts["task_assignees"], "assignees without their subscriptions")
    check(all(len(u["tasks"]) == min(MANIFEST_TASKS, len(u["tasks"])) for u in manifest["users"]), "manifest tasks")


def check_sequences(target: Target) -> None:
    """The next id the server would insert is past every loaded id (else its first INSERT fails)."""
    for t in ID_TABLES:
        top = int(target.query(f"SELECT COALESCE(MAX(id), 0) AS n FROM {t}")[0]["n"])
        if target.engine == "sqlite":
            rows = target.query(f"SELECT seq FROM sqlite_sequence WHERE name = '{t}'")
            next_id = int(rows[0]["seq"]) + 1 if rows else 1
        else:
            seq = target.query(f"SELECT pg_get_serial_sequence('{t}', 'id') AS s")[0]["s"]
            row = target.query(f"SELECT last_value, is_called FROM {seq}")[0]
            next_id = int(row["last_value"]) + (1 if row["is_called"] == "t" else 0)
        check(next_id > top, f"{t}: the next id {next_id} is not past the loaded max {top}")


def open_task_counts(target: Target) -> dict[int, int]:
    rows = target.query("SELECT project_id, COUNT(*) AS n FROM tasks WHERE done = FALSE AND deleted_at IS NULL "
                        "GROUP BY project_id")
    return {int(r["project_id"]): int(r["n"]) for r in rows}


# ---- command line --------------------------------------------------------------------------------------


def open_target(engine: str, db: str | None = None, dsn: str | None = None) -> Target:
    """The database to load or verify, for callers in Python (the orchestrator):

        target = open_target("sqlite", db="/tmp/bench.db")
        manifest = generate(binary, target, n_tasks=51000, seed=1)   # SQLite: the file must not exist yet
        verify(binary, target, manifest)                             # raises VerifyError
    """
    if engine == "sqlite":
        if not db:
            raise SystemExit("--engine sqlite needs --db FILE")
        return SqliteTarget(Path(db).resolve())
    if not dsn:
        raise SystemExit("--engine postgres needs --dsn postgres://user@host:port/dbname")
    return PostgresTarget(dsn)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="the vicugna server binary")
    ap.add_argument("--engine", choices=("sqlite", "postgres"), required=True)
    ap.add_argument("--db", help="SQLite file (replaced if it exists)")
    ap.add_argument("--dsn", help="postgres://user@host:port/dbname of an existing, empty database")
    ap.add_argument("--tasks", type=int, default=DEFAULT_TASKS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--manifest", help="write the manifest JSON here")
    ap.add_argument("--verify", action="store_true", help="check the loaded data through the API afterwards")
    ap.add_argument("--verify-only", action="store_true", help="only check an already loaded database "
                    "(needs --manifest of that load)")
    args = ap.parse_args()
    target = open_target(args.engine, args.db, args.dsn)
    if args.verify_only:
        if not args.manifest:
            raise SystemExit("--verify-only needs --manifest")
        manifest = json.loads(Path(args.manifest).read_text())
    else:
        manifest = generate(args.binary, target, args.tasks, args.seed)
        print(f"loaded {args.tasks} tasks into {args.engine} in {manifest['load_seconds']} s: "
              + ", ".join(f"{t} {n}" for t, n in manifest["counts"].items()))
        if args.manifest:
            Path(args.manifest).write_text(json.dumps(manifest, indent=1) + "\n")
    if args.verify or args.verify_only:
        print("verifying through the API:")
        try:
            verify(args.binary, target, manifest)
        except VerifyError as e:
            print(f"VERIFY FAILED: {e}", file=sys.stderr)
            return 1
        print("verify ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
