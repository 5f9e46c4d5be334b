#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The benchmark: Vikunja's measured workload against `vicugna serve`, beside this machine's own ceilings.

    bash scripts/bench.sh                      (installs, builds the release preset, starts PostgreSQL + Redis)
    python3 bench/run.py --pg-dsn postgres://postgres@127.0.0.1:5432/postgres [--engines sqlite,postgres]
        [--tasks 51000] [--sweep 10000,100000,1000000] [--seconds 10] [--connections 64,1000] [--smoke]

For each engine: load the dataset (bench/dataset.py), start the server on it, log users in (JWTs for the
interactive share, API tokens for integrations, as real clients do) and drive the mix with bench/loadgen.cpp:
closed loop at each --connections, then at 70 % of the 64-connection rate (for p99), then GET /tasks/{id} and
list-50 alone (for the ratios). Server CPU comes from /proc/PID/stat, peak RSS from VmHWM (reset per run).
Ceilings in the same run: the minimal Beast server (HTTP), pgbench (PostgreSQL) and a tight C++ loop (SQLite)
on the same data (bench/ceilings.py). The scale sweep reloads 10k/100k/1M tasks and times list-50 and a
filtered GET /tasks. The report (markdown + JSON) goes to stdout and bench/results/. The numbers are
reported, never judged: targets are goals for people, not assertions (--smoke only checks that it all runs).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests" / "harness"))
import ceilings  # noqa: E402
import dataset  # noqa: E402
from vicugna_harness import VicugnaServer  # noqa: E402

# Vikunja's mix from its cloud's access logs, per mille of all requests. Integrations (80 %): task reads 65 %,
# project task lists 23 % (per_page 20 or 50), the project list 9 %, task updates the rest. Interactive (20 %):
# notification polling 26 %, /user 10 %, token refresh 10 %, ~3 % writes; labels, project views and kanban
# boards share what is left.
MIX = [  # (name, per mille, client kind)
    ("GET /tasks/{id}", 520, "integration"),
    ("GET /projects/{id}/views/{view}/tasks per_page=50", 92, "integration"),
    ("GET /projects/{id}/views/{view}/tasks per_page=20", 92, "integration"),
    ("GET /projects", 72, "integration"),
    ("POST /tasks/{id}", 24, "integration"),
    ("GET /notifications", 52, "interactive"),
    ("GET /user", 20, "interactive"),
    ("POST /user/token/refresh", 20, "interactive"),
    ("GET /labels", 40, "interactive"),
    ("GET /projects/{id}/views", 40, "interactive"),
    ("GET kanban view tasks", 22, "interactive"),
    ("PUT /projects/{id}/tasks", 2, "interactive"),
    ("POST /tasks/{id} (interactive)", 1, "interactive"),
    ("POST bucket move", 1, "interactive"),
    ("PUT /tasks/{id}/comments", 2, "interactive"),
]
LIST50 = "GET /projects/{id}/views/{view}/tasks per_page=50"
FILTER = "done = false && priority >= 2"
CLIENT_USERS = 20  # users whose credentials drive the load (of the dataset's 100)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---- the server process -----------------------------------------------------------------------------------


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def proc_memory_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS


def start_server(binary: str, target: dataset.Target, redis_url: str) -> VicugnaServer:
    env = {"VIKUNJA_LOG_HTTP": "off", "VIKUNJA_LOG_LEVEL": "WARNING"}
    if isinstance(target, dataset.PostgresTarget):
        # A pool sized for this machine, as an operator would set it: with Vikunja's default (100), 64 busy
        # PostgreSQL backends share 2 cores with the server and the load generator, and task reads drop from
        # ~2.2k to ~1.2k req/s (measured while writing this harness).
        env["VIKUNJA_DATABASE_MAXOPENCONNECTIONS"] = str(4 * (os.cpu_count() or 2))
    return dataset.start_server(binary, target, env, redis_url)


# ---- the workload -----------------------------------------------------------------------------------------


class Clients:
    """Credentials and ids for the mix: per client user a JWT, an API token, its readable tasks and projects,
    the projects it owns (writes go there) and their kanban buckets."""

    def __init__(self, srv: VicugnaServer, target: dataset.Target, manifest: dict[str, Any]):
        self.srv, self.manifest = srv, manifest
        self.password = manifest["password"]
        self.users = manifest["users"][:CLIENT_USERS]
        routes = self.expect(200, "GET", "/routes", token=self.login(self.users[0])[0])
        permissions = {group: sorted(perms) for group, perms in routes.items()}
        for u in self.users:
            u["jwt"], _ = self.login(u)
            token = self.expect(201, "PUT", "/tokens", {"title": "bench", "permissions": permissions,
                                                        "expires_at": "2099-01-01T00:00:00Z"}, token=u["jwt"])
            u["api_token"] = token["token"]
            owned = target.query(f"SELECT id FROM projects WHERE owner_id = {u['id']} AND NOT is_archived")
            u["owned"] = [int(r["id"]) for r in owned]
            owned_tasks = target.query(
                f"SELECT id, project_id FROM tasks WHERE project_id IN ({','.join(map(str, u['owned']))}) "
                f"ORDER BY id LIMIT 40")
            u["owned_tasks"] = [(int(r["id"]), int(r["project_id"])) for r in owned_tasks]
            u["task_bodies"] = [json.dumps(dict(self.expect(200, "GET", f"/tasks/{t}", token=u["jwt"]),
                                                title=f"updated by the benchmark {t}"))
                                for t, _ in u["owned_tasks"][:10]]
        self.buckets: dict[int, list[int]] = {}
        for r in target.query("SELECT id, project_view_id FROM buckets"):
            self.buckets.setdefault(int(r["project_view_id"]), []).append(int(r["id"]))

    def login(self, user: dict[str, Any]) -> tuple[str, str]:
        status, data, headers = dataset.api_call(self.srv, "POST", "/login",
                                                 {"username": user["username"], "password": self.password})
        if status != 200:
            raise RuntimeError(f"login {user['username']}: {status} {data}")
        cookie = headers.get("set-cookie", "").split(";", 1)[0]
        return data["token"], cookie

    def expect(self, status: int, method: str, path: str, body: Any = None, token: str = "") -> Any:
        got, data, _ = dataset.api_call(self.srv, method, path, body, token or None)
        if got != status:
            raise RuntimeError(f"{method} {path}: {got} {data}")
        return data

    def refresh_cookies(self, n: int) -> list[str]:
        """One-time refresh tokens (each refresh rotates its token)."""
        with ThreadPoolExecutor(4) as pool:
            return [c for _, c in pool.map(lambda i: self.login(self.users[i % len(self.users)]), range(n))]

    def requests(self, name: str, rng: random.Random, refreshes: int) -> list[dict[str, Any]]:
        out = []
        for u in self.users:
            jwt, api = "Bearer " + u["jwt"], "Bearer " + u["api_token"]
            projects = u["projects"]
            kanban = u["kanban_views"]
            def req(method: str, path: str, auth: str, body: Any = None) -> dict[str, Any]:
                return {"method": method, "path": "/api/v1" + path, "auth": auth,
                        "body": body if body is None or isinstance(body, str) else json.dumps(body)}
            if name == "GET /tasks/{id}":
                out += [req("GET", f"/tasks/{t}", api) for t in u["tasks"][:100]]
            elif name.startswith("GET /projects/{id}/views/{view}/tasks"):
                per_page = name.rsplit("=", 1)[1]
                out += [req("GET", f"/projects/{p}/views/{u['list_views'][str(p)]}/tasks?page=1&per_page={per_page}",
                            api) for p in projects]
            elif name == "GET /projects":
                out.append(req("GET", "/projects?page=1", api))
            elif name.startswith("POST /tasks/{id}"):
                auth = jwt if "interactive" in name else api
                out += [req("POST", f"/tasks/{t}", auth, body) for (t, _), body in zip(u["owned_tasks"], u["task_bodies"])]
            elif name == "GET /notifications":
                out.append(req("GET", "/notifications?page=1", jwt))
            elif name == "GET /user":
                out.append(req("GET", "/user", jwt))
            elif name == "GET /labels":
                out.append(req("GET", "/labels?page=1", jwt))
            elif name == "GET /projects/{id}/views":
                out += [req("GET", f"/projects/{p}/views", jwt) for p in projects]
            elif name == "GET kanban view tasks":
                out += [req("GET", f"/projects/{p}/views/{kanban[str(p)]}/tasks", jwt) for p in projects]
            elif name == "PUT /projects/{id}/tasks":
                out += [req("PUT", f"/projects/{p}/tasks", jwt, {"title": "created by the benchmark"})
                        for p in u["owned"]]
            elif name == "POST bucket move":
                for t, p in u["owned_tasks"]:
                    view = kanban[str(p)]
                    bucket = rng.choice(self.buckets[view])
                    out.append(req("POST", f"/projects/{p}/views/{view}/buckets/{bucket}/tasks", jwt,
                                   {"task_id": t, "bucket_id": bucket, "project_view_id": view}))
            elif name == "PUT /tasks/{id}/comments":
                out += [req("PUT", f"/tasks/{t}/comments", jwt, {"comment": "a comment from the benchmark"})
                        for t, _ in u["owned_tasks"]]
        if name == "POST /user/token/refresh":
            out = [{"method": "POST", "path": "/api/v1/user/token/refresh", "cookie": c}
                   for c in self.refresh_cookies(max(refreshes, 1))]
        rng.shuffle(out)
        return out


def served(srv: VicugnaServer, request: dict[str, Any]) -> bool:
    """False when a GET route does not exist yet (404 without a Vikunja error code); other errors are bugs."""
    path = request["path"].removeprefix("/api/v1")
    status, data, _ = dataset.api_call(srv, "GET", path, token=request["auth"].removeprefix("Bearer "))
    if status == 404 and not (isinstance(data, dict) and "code" in data):
        return False
    if status >= 300:
        raise RuntimeError(f"GET {request['path']}: {status} {data}")
    return True


def build_mix(clients: Clients, srv: VicugnaServer, only: list[str] | None, refreshes: int,
              notes: list[str]) -> list[dict[str, Any]]:
    rng = random.Random(1)
    endpoints = []
    for name, weight, _ in MIX:
        if only and name not in only:
            continue
        reqs = clients.requests(name, rng, refreshes)
        if reqs[0]["method"] == "GET" and not served(srv, reqs[0]):
            note = f"{name} is not served yet: left out of the mix (its weight goes to the others)"
            if note not in notes:
                notes.append(note)
            continue
        endpoints.append({"name": name, "weight": weight, "requests": reqs, "once": name == "POST /user/token/refresh"})
    return endpoints


# ---- running load -----------------------------------------------------------------------------------------


def measured(srv: VicugnaServer, bin_dir: Path, endpoints: list[dict[str, Any]], connections: int, seconds: float,
             rate: float = 0) -> dict[str, Any]:
    """One load run with the server's CPU seconds and peak RSS during it. A separate unmeasured run (up to a
    second) warms the server up first, so the CPU time covers exactly the recorded requests."""
    reusable = [e for e in endpoints if not e.get("once")]  # one-time refresh tokens are kept for the run
    if reusable:
        ceilings.loadgen(bin_dir, srv.port, reusable, connections, min(1.0, seconds), rate=rate, warmup=0)
    pid = srv.process.pid
    reset_peak_rss(pid)
    cpu = proc_cpu_seconds(pid)
    result = ceilings.loadgen(bin_dir, srv.port, endpoints, connections, seconds, rate=rate, warmup=0)
    result["server_cpu_s"] = proc_cpu_seconds(pid) - cpu
    result["server_peak_rss_mb"] = proc_memory_mb(pid, "VmHWM")
    total = result["total"]["requests"]
    result["cpu_ms_per_request"] = 1000 * result["server_cpu_s"] / total if total else None
    return result


def engine_run(args: argparse.Namespace, engine: str, target: dataset.Target, manifest: dict[str, Any],
               notes: list[str]) -> dict[str, Any]:
    srv = start_server(args.binary, target, args.redis_url if engine == "postgres" else "")
    try:
        time.sleep(1)
        out: dict[str, Any] = {"idle_rss_mb": proc_memory_mb(srv.process.pid, "VmRSS")}
        log(f"{engine}: server up, idle RSS {out['idle_rss_mb']:.1f} MB; preparing clients")
        clients = Clients(srv, target, manifest)
        # Enough one-time refresh tokens for 2 % of the requests at up to 15k req/s (3k in a smoke run: each
        # token costs a login).
        refreshes = int(0.02 * args.seconds * (3000 if args.smoke else 15000))
        runs = {}
        for conns in args.connections:
            log(f"{engine}: mix, {conns} connections, {args.seconds} s")
            mix = build_mix(clients, srv, None, refreshes, notes)
            runs[f"mix_c{conns}"] = measured(srv, args.bin_dir, mix, conns, args.seconds)
        saturated = runs[f"mix_c{args.connections[0]}"]["total"]["rps"]
        rate = round(0.7 * saturated)
        log(f"{engine}: mix at 70 % of {saturated:.0f} req/s = {rate} req/s")
        mix = build_mix(clients, srv, None, refreshes, notes)
        runs["mix_rate70"] = measured(srv, args.bin_dir, mix, args.connections[0], args.seconds, rate=rate)
        for name in ("GET /tasks/{id}", LIST50):
            log(f"{engine}: {name} alone")
            alone = build_mix(clients, srv, [name], 0, notes)
            runs[name] = measured(srv, args.bin_dir, alone, args.connections[0], args.seconds)
        out["runs"] = runs
        # Each endpoint alone for a moment: its own server CPU per request, which a mixed run cannot separate.
        seconds = args.seconds / 5
        out["cpu_per_endpoint"] = {}
        for name, _, _ in MIX:
            alone = build_mix(clients, srv, [name], int(0.2 * seconds * 3000), notes)
            if alone:
                run = measured(srv, args.bin_dir, alone, 16, seconds)
                out["cpu_per_endpoint"][name] = {"rps": run["total"]["rps"], "p50_ms": run["total"]["p50_ms"],
                                                 "errors": run["total"]["errors"] + run["total"]["transport_errors"],
                                                 "cpu_ms_per_request": run["cpu_ms_per_request"]}
        out["idle_rss_after_mb"] = proc_memory_mb(srv.process.pid, "VmRSS")
        return out
    finally:
        srv.close()


def sweep_point(args: argparse.Namespace, engine: str, target: dataset.Target,
                manifest: dict[str, Any]) -> dict[str, Any]:
    """list-50 of the biggest readable project and a filtered GET /tasks, as bench001, 4 connections."""
    srv = start_server(args.binary, target, args.redis_url if engine == "postgres" else "")
    try:
        user = manifest["users"][0]
        token = dataset.api_call(srv, "POST", "/login", {"username": user["username"],
                                                        "password": manifest["password"]})[1]["token"]
        sizes = {int(r["project_id"]): int(r["n"]) for r in target.query(
            "SELECT project_id, COUNT(*) AS n FROM tasks GROUP BY project_id")}
        biggest = max(user["projects"], key=lambda p: sizes.get(p, 0))
        view = user["list_views"][str(biggest)]
        auth = "Bearer " + token
        queries = {
            "list-50": f"/api/v1/projects/{biggest}/views/{view}/tasks?page=1&per_page=50",
            "filtered GET /tasks": "/api/v1/tasks?page=1&per_page=50&sort_by=due_date&order_by=asc&filter=" +
                                   urllib.parse.quote(FILTER),
        }
        out = {"biggest_project_tasks": sizes.get(biggest, 0)}
        for name, path in queries.items():
            ep = [{"name": name, "weight": 1, "requests": [{"method": "GET", "path": path, "auth": auth}]}]
            r = ceilings.loadgen(args.bin_dir, srv.port, ep, 4, args.sweep_seconds)
            out[name] = r["total"]
        return out
    finally:
        srv.close()


# ---- databases --------------------------------------------------------------------------------------------


class Databases:
    """Creates the SQLite files and PostgreSQL databases of one run and removes them afterwards."""

    def __init__(self, workdir: Path, pg_dsn: str):
        self.workdir, self.pg_dsn = workdir, pg_dsn
        self.created: list[str] = []

    def target(self, engine: str, tasks: int) -> dataset.Target:
        if engine == "sqlite":
            return dataset.open_target("sqlite", db=str(self.workdir / f"bench-{tasks}.db"))
        name = f"vicugna_bench_{tasks}_{uuid.uuid4().hex[:8]}"
        self.psql(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        u = urllib.parse.urlsplit(self.pg_dsn)
        return dataset.open_target("postgres", dsn=urllib.parse.urlunsplit(u._replace(path="/" + name)))

    def psql(self, sql: str) -> None:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.pg_dsn, "-c", sql], check=True,
                       capture_output=True)

    def drop_all(self) -> None:
        for name in self.created:
            self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- report -----------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) / 1024 / 1024
    import sqlite3
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem, 1), "kernel": platform.release(),
            "sqlite": sqlite3.sqlite_version, "load_average_at_start": os.getloadavg()}


def ms(v: Any) -> str:
    return "–" if v is None else f"{v:.2f}"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.2f}"


def targets(result: dict[str, Any]) -> list[str]:
    """The issue's goals beside what this run measured (goals for people to read, never assertions)."""
    rows = []
    http_ceiling = result["ceilings"].get("http", {}).get("per_s")
    for engine, e in result["engines"].items():
        runs, db = e["runs"], result["ceilings"].get(engine, {})
        mix = runs.get(f"mix_c{min(int(k[5:]) for k in runs if k.startswith('mix_c'))}")
        big = runs.get(f"mix_c{max(int(k[5:]) for k in runs if k.startswith('mix_c'))}")
        task, lst = runs["GET /tasks/{id}"]["total"]["rps"], runs[LIST50]["total"]["rps"]
        point = http_ceiling if engine == "sqlite" else db.get("point_select", {}).get("per_s")
        point_name = "HTTP ceiling" if engine == "sqlite" else "pgbench point select"
        rows += [
            (engine, "server CPU per request, whole mix", "≤ 0.2 ms", f"{mix['cpu_ms_per_request']:.2f} ms"),
            (engine, f"GET /tasks/{{id}} ÷ {point_name}", "≥ 0.5", ratio(task, point)),
            (engine, "list-50 ÷ database list-50", "≥ 0.5", ratio(lst, db.get("list50", {}).get("per_s"))),
            (engine, "p99 at 70 % of saturation", "≤ 10 ms", f"{ms(runs['mix_rate70']['total']['p99_ms'])} ms"),
            (engine, f"errors with {big['connections']} connections", "0",
             str(big["total"]["errors"] + big["total"]["transport_errors"])),
            (engine, "RSS idle / peak under the largest run", "≤ 16 / 120 MB",
             f"{e['idle_rss_mb']:.1f} / {big['server_peak_rss_mb']:.1f} MB"),
        ]
        points = result["sweep"].get(engine, {})
        if len(points) > 1:
            small, large = points[min(points)], points[max(points)]
            for q in ("list-50", "filtered GET /tasks"):
                rows.append((engine, f"{q} p50 at {max(points)} ÷ at {min(points)} tasks", "≤ 2",
                             ratio(large[q]["p50_ms"], small[q]["p50_ms"])))
    return ["## Targets", "", "| engine | measure | target | measured |", "|---|---|---|---|"] + \
        [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows] + [""]


def report(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [f"# Vicugna benchmark, {result['date']}", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Linux {m['kernel']}, SQLite "
             f"{m['sqlite']}; load average at start {', '.join(f'{x:.2f}' for x in m['load_average_at_start'])}. "
             f"The load generator runs on the same cores. Dataset: {result['tasks']} tasks (bench/dataset.py, seed 1); "
             f"{result['seconds']} s per run.", ""]
    for note in result["notes"]:
        lines.append(f"- Note: {note}")
    lines += [""] + targets(result)
    http_ceiling = result["ceilings"].get("http", {}).get("per_s")
    for engine, e in result["engines"].items():
        runs = e["runs"]
        lines += ["", f"## {engine}", "", f"Idle RSS {e['idle_rss_mb']:.1f} MB at start, {e['idle_rss_after_mb']:.1f} MB "
                  "after the runs.", ""]
        for key, run in runs.items():
            if not key.startswith("mix"):
                continue
            title = (f"Mix, closed loop, {run['connections']} connections" if key.startswith("mix_c")
                     else f"Mix at {run['rate']:.0f} req/s (70 % of saturation), {run['connections']} connections")
            lines += [f"### {title}", "",
                      "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
            for ep in run["endpoints"]:
                lines.append(f"| {ep['name']} | {ep['requests']} | {ep['rps']:.0f} | {ms(ep['p50_ms'])} | "
                             f"{ms(ep['p95_ms'])} | {ms(ep['p99_ms'])} | {ep['errors'] + ep['transport_errors']} |")
            t = run["total"]
            lines += [f"| **total** | {t['requests']} | {t['rps']:.0f} | {ms(t['p50_ms'])} | {ms(t['p95_ms'])} | "
                      f"{ms(t['p99_ms'])} | {t['errors'] + t['transport_errors']} |", "",
                      f"Server CPU {run['server_cpu_s']:.2f} s = **{ms(run['cpu_ms_per_request'])} ms per request**; "
                      f"server peak RSS {run['server_peak_rss_mb']:.1f} MB.", ""]
        lines += ["### Each endpoint alone (16 connections): server CPU per request", "",
                  "| endpoint | req/s | p50 ms | errors | server CPU ms/request |", "|---|---:|---:|---:|---:|"]
        for name, r in e["cpu_per_endpoint"].items():
            mark = " (req/s bounded by its one-time tokens)" if name == "POST /user/token/refresh" else ""
            lines.append(f"| {name}{mark} | {r['rps']:.0f} | {ms(r['p50_ms'])} | {r['errors']} | "
                         f"{ms(r['cpu_ms_per_request'])} |")
        lines.append("")
        db = result["ceilings"].get(engine, {})
        task = runs["GET /tasks/{id}"]["total"]
        lst = runs[LIST50]["total"]
        lines += ["### Alone, and against the ceilings", "",
                  "| measure | req/s | p50 ms | p99 ms | server CPU ms/request | ceiling req/s | ratio |",
                  "|---|---:|---:|---:|---:|---:|---:|",
                  f"| GET /tasks/{{id}} ÷ HTTP ceiling | {task['rps']:.0f} | {ms(task['p50_ms'])} | {ms(task['p99_ms'])} "
                  f"| {ms(runs['GET /tasks/{id}']['cpu_ms_per_request'])} | {http_ceiling or 0:.0f} | "
                  f"{ratio(task['rps'], http_ceiling)} |",
                  f"| GET /tasks/{{id}} ÷ database point select | {task['rps']:.0f} | | | | "
                  f"{db.get('point_select', {}).get('per_s', 0):.0f} | "
                  f"{ratio(task['rps'], db.get('point_select', {}).get('per_s'))} |",
                  f"| list-50 ÷ database list-50 | {lst['rps']:.0f} | {ms(lst['p50_ms'])} | {ms(lst['p99_ms'])} | "
                  f"{ms(runs[LIST50]['cpu_ms_per_request'])} | {db.get('list50', {}).get('per_s', 0):.0f} | "
                  f"{ratio(lst['rps'], db.get('list50', {}).get('per_s'))} |", ""]
    lines += ["## Ceilings", "", "```json", json.dumps(result["ceilings"], indent=1), "```", ""]
    if result["sweep"]:
        lines += ["## Scale sweep (bench001, 4 connections, closed loop)", "",
                  "| engine | tasks | biggest project | list-50 p50 ms | p99 ms | filtered GET /tasks p50 ms | p99 ms |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for engine, points in result["sweep"].items():
            for n, p in points.items():
                lines.append(f"| {engine} | {n} | {p['biggest_project_tasks']} | {ms(p['list-50']['p50_ms'])} | "
                             f"{ms(p['list-50']['p99_ms'])} | {ms(p['filtered GET /tasks']['p50_ms'])} | "
                             f"{ms(p['filtered GET /tasks']['p99_ms'])} |")
    return "\n".join(lines) + "\n"


# ---- main -------------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=str(BENCH.parent / "build/release/src/vicugna"))
    ap.add_argument("--bin-dir", type=Path, default=BENCH.parent / "build/release/bench",
                    help="where vicugna_loadgen, vicugna_http_ceiling and vicugna_sqlite_ceiling are")
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument("--pg-dsn", default=os.environ.get("VICUGNA_TEST_PG_DSN", ""),
                    help="a PostgreSQL server's maintenance DSN; the run creates and drops its databases")
    ap.add_argument("--redis-url", default=os.environ.get("VICUGNA_TEST_REDIS_URL", ""),
                    help="Redis beside PostgreSQL, as in production")
    ap.add_argument("--tasks", type=int, default=51_000)
    ap.add_argument("--sweep", default="10000,100000,1000000", help="task counts, or '' for none")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--sweep-seconds", type=float, default=5)
    ap.add_argument("--connections", default="64,1000")
    ap.add_argument("--out", type=Path, default=BENCH / "results")
    ap.add_argument("--smoke", action="store_true",
                    help="a few seconds of everything on a small dataset (CI: proves the harness runs)")
    args = ap.parse_args()
    if args.smoke:
        args.tasks, args.sweep, args.seconds, args.sweep_seconds, args.connections = 2000, "1000", 1, 0.5, "16,200"
    args.connections = [int(c) for c in args.connections.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    notes = []
    if "postgres" in engines and not args.pg_dsn:
        if not args.smoke:
            raise SystemExit("postgres needs --pg-dsn (or VICUGNA_TEST_PG_DSN); or pass --engines sqlite")
        engines.remove("postgres")
        notes.append("no PostgreSQL DSN: SQLite only")
    sweep = [int(n) for n in args.sweep.split(",") if n]
    ceiling_seconds = 1 if args.smoke else 5

    result: dict[str, Any] = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                              "machine": machine(), "tasks": args.tasks, "seconds": args.seconds,
                              "notes": notes, "engines": {}, "ceilings": {}, "sweep": {}}
    with tempfile.TemporaryDirectory(prefix="vicugna-bench-") as tmp:
        dbs = Databases(Path(tmp), args.pg_dsn)
        try:
            log("HTTP ceiling")
            result["ceilings"]["http"] = ceilings.http_ceiling(args.bin_dir, ceiling_seconds, args.connections[0])
            for engine in engines:
                target = dbs.target(engine, args.tasks)
                log(f"{engine}: loading {args.tasks} tasks")
                manifest = dataset.generate(args.binary, target, args.tasks, seed=1)
                result["engines"][engine] = engine_run(args, engine, target, manifest, result["notes"])
                log(f"{engine}: database ceilings")
                result["ceilings"][engine] = (
                    ceilings.sqlite_ceiling(args.bin_dir, Path(target.path), ceiling_seconds, 2)
                    if engine == "sqlite" else ceilings.pg_ceiling(target.dsn, ceiling_seconds, 8, 2))
                for n in sweep:
                    point = target if n == args.tasks else dbs.target(engine, n)
                    if point is not target:
                        log(f"{engine}: sweep, loading {n} tasks")
                        point_manifest = dataset.generate(args.binary, point, n, seed=1)
                    else:
                        point_manifest = manifest
                    log(f"{engine}: sweep at {n} tasks")
                    result["sweep"].setdefault(engine, {})[n] = sweep_point(args, engine, point, point_manifest)
                    if isinstance(point, dataset.SqliteTarget) and point is not target:
                        point.remove_files()
        finally:
            dbs.drop_all()
    text = report(result)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M") + ("-smoke" if args.smoke else "")
    (args.out / f"{stem}.md").write_text(text)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    log(f"report written to {args.out / stem}.md")


if __name__ == "__main__":
    main()
