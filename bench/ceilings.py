#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ceilings Vicugna's benchmark divides by: the database's own rate for the two queries behind the hot
read endpoints, and the machine's HTTP rate, measured on the same machine (and dataset) as the server.

    python3 bench/ceilings.py [--binary-dir build/ci] [--sqlite-db /tmp/bench.db] \\
        [--pg-dsn postgres://user@host:port/dbname] [--seconds 5] [--threads 1] [--clients N] \\
        [--sqlite-cache-mib 0] [--pg-plan-cache-mode force_generic_plan] [--connections 64] [--no-http]

The databases must hold a dataset loaded by bench/dataset.py (task and project ids 1..N without gaps).
  SQLite:     bench/sqlite_ceiling.cpp (target vicugna_sqlite_ceiling), one read transaction per query.
  PostgreSQL: pgbench -n -M prepared with bench/pgbench/point_select.sql and list50.sql.
  HTTP:       bench/http_ceiling.cpp measured by bench/loadgen.cpp (a fixed tiny JSON answer, keep-alive).
Prints one JSON object: {"sqlite": {...}, "postgres": {...}, "http": {...}} (only the parts asked for).
The orchestrator imports sqlite_ceiling(), pg_ceiling() and http_ceiling() instead.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests" / "harness"))
from vicugna_harness import free_port  # noqa: E402

PGBENCH_SCRIPTS = {"point_select": BENCH / "pgbench" / "point_select.sql", "list50": BENCH / "pgbench" / "list50.sql"}
# Older pgbench prints "excluding connections establishing", 15 prints "without initial connection time".
TPS_RE = re.compile(r"^tps = ([0-9.]+) \((?:excluding connections establishing|without initial connection time)\)",
                    re.M)
LATENCY_RE = re.compile(r"^latency average = ([0-9.]+) ms", re.M)
PROCESSED_RE = re.compile(r"^number of transactions actually processed: (\d+)", re.M)


def tool(binary_dir: Path, name: str) -> Path:
    """A bench tool under the build directory (build/ci/bench/NAME), or directly in binary_dir."""
    for candidate in (Path(binary_dir) / "bench" / name, Path(binary_dir) / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name} not found under {binary_dir} (build its CMake target)")


# ---- SQLite ----------------------------------------------------------------------------------------------


def sqlite_ceiling(binary_dir: Path, db_file: Path, seconds: int, threads: int, cache_mib: int = 0) -> dict[str, Any]:
    """vicugna_sqlite_ceiling on db_file: {"point_select": {"ops", "per_s", "threads", "rows"}, "list50": {...},
    "tasks", "list_views", "seconds", "cache_mib"}. cache_mib 0 keeps SQLite's default page cache, as the server."""
    cmd = [str(tool(binary_dir, "vicugna_sqlite_ceiling")), str(db_file), "--seconds", str(seconds),
           "--threads", str(threads), "--cache-mib", str(cache_mib)]
    # Two queries, each with a 1 s warm-up: a generous bound that still catches a hung run.
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=2 * (seconds + 1) + 120, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)


# ---- PostgreSQL ------------------------------------------------------------------------------------------


def psql_value(dsn: str, sql: str) -> str:
    out = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", dsn, "-c", sql], capture_output=True,
                         text=True, timeout=60, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"psql failed ({sql}): {out.stderr.strip()}")
    return out.stdout.strip()


def id_range(dsn: str, table: str) -> int:
    """The max id of a table; the pgbench scripts draw from 1..max, so the ids must have no gaps."""
    count, top = (int(x or 0) for x in psql_value(dsn, f"SELECT COUNT(*), MAX(id) FROM {table}").split("|"))
    if top == 0:
        raise RuntimeError(f"{table} is empty: load a dataset with bench/dataset.py first")
    if count != top:
        print(f"warning: {table} has {count} rows but ids up to {top}: some draws miss", file=sys.stderr)
    return top


def parse_pgbench(text: str) -> dict[str, Any]:
    tps, latency, processed = TPS_RE.search(text), LATENCY_RE.search(text), PROCESSED_RE.search(text)
    if not (tps and latency and processed):
        raise RuntimeError(f"cannot read pgbench's output:\n{text}")
    return {"per_s": float(tps.group(1)), "latency_ms": float(latency.group(1)),
            "transactions": int(processed.group(1))}


def run_pgbench(dsn: str, script: Path, seconds: int, clients: int, threads: int, variables: dict[str, int],
                plan_cache_mode: str) -> dict[str, Any]:
    cmd = ["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", str(min(threads, clients)),
           "-T", str(seconds), "-f", str(script)]
    for name, value in variables.items():
        cmd += ["-D", f"{name}={value}"]
    cmd.append(dsn)
    env = dict(os.environ)
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + f" -c plan_cache_mode={plan_cache_mode}").strip()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120, check=False, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"pgbench failed ({out.returncode}): {out.stderr.strip()}")
    return parse_pgbench(out.stdout)


def pg_ceiling(dsn: str, seconds: int, clients: int, threads: int,
               plan_cache_mode: str = "force_generic_plan") -> dict[str, Any]:
    """pgbench (-M prepared) for both queries: {"point_select": {"per_s", "latency_ms", "transactions",
    "clients", "threads", "plan_cache_mode"}, "list50": {...}}. pgbench's tps leaves out connection set-up.

    Why the generic plan by default: under "auto" each connection plans its first five executions for their
    parameters and then keeps the generic plan only if it looks no dearer than those. For list-50 which of the
    two a connection ends up with depends on the first five projects it drew, and the custom plans (planned
    again for every execution) run at less than half the rate: the same run swung between ~1,100 and ~2,500/s
    with one client. Forcing the generic plan gives the stable, faster figure, i.e. the database's best."""
    variables = {"max_task_id": id_range(dsn, "tasks"), "max_project_id": id_range(dsn, "projects")}
    result: dict[str, Any] = {}
    for name, script in PGBENCH_SCRIPTS.items():
        # A short unmeasured run first: the first executions plan, read the pages and fill the caches.
        run_pgbench(dsn, script, 1, clients, threads, variables, plan_cache_mode)
        result[name] = run_pgbench(dsn, script, seconds, clients, threads, variables, plan_cache_mode)
        result[name].update(clients=clients, threads=min(threads, clients), plan_cache_mode=plan_cache_mode)
    return result


# ---- HTTP ------------------------------------------------------------------------------------------------


def wait_listening(proc: subprocess.Popen, port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"vicugna_http_ceiling exited with {proc.returncode} (port {port} taken?)")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"vicugna_http_ceiling is not listening on {port} after {timeout} s")


def loadgen(binary_dir: Path, port: int, endpoints: list[dict[str, Any]], connections: int, seconds: float, *,
            rate: float = 0, warmup: float = 1, threads: int = 1) -> dict[str, Any]:
    """One vicugna_loadgen run against 127.0.0.1:port (see bench/loadgen.cpp for the workload and result JSON)."""
    workload = {"host": "127.0.0.1", "port": port, "connections": connections, "threads": threads,
                "duration_s": seconds, "warmup_s": warmup, "rate": rate, "seed": 1, "endpoints": endpoints}
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="loadgen_") as f:
        json.dump(workload, f)
        f.flush()
        out = subprocess.run([str(tool(binary_dir, "vicugna_loadgen")), f.name], capture_output=True, text=True,
                             timeout=warmup + seconds + 120, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"vicugna_loadgen failed ({out.returncode}): {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout)


def http_ceiling(binary_dir: Path, seconds: int, connections: int, threads: int = 1) -> dict[str, Any]:
    """vicugna_http_ceiling on a free port, loaded by vicugna_loadgen (closed loop, `threads` event loops):
    {"per_s", "p50_ms", "p99_ms", "connections", "threads"}."""
    port = free_port()
    server = subprocess.Popen([str(tool(binary_dir, "vicugna_http_ceiling")), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(server, port)
        endpoints = [{"name": "GET /", "weight": 1, "requests": [{"method": "GET", "path": "/"}]}]
        total = loadgen(binary_dir, port, endpoints, connections, seconds, threads=threads)["total"]
        if total["errors"] or total["transport_errors"]:
            raise RuntimeError(f"the HTTP ceiling answered with errors: {total}")
        return {"per_s": total["rps"], "p50_ms": total["p50_ms"], "p99_ms": total["p99_ms"],
                "connections": connections, "threads": threads}
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---- command line ----------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary-dir", type=Path, default=BENCH.parent / "build" / "ci",
                    help="the CMake build directory holding bench/vicugna_* (default: build/ci)")
    ap.add_argument("--sqlite-db", type=Path, help="a SQLite file loaded by bench/dataset.py")
    ap.add_argument("--pg-dsn", help="postgres://user@host:port/dbname loaded by bench/dataset.py")
    ap.add_argument("--seconds", type=int, default=5, help="measured seconds per query (default 5)")
    ap.add_argument("--threads", type=int, default=1,
                    help="SQLite threads, pgbench threads (-j) and loadgen threads (default 1)")
    ap.add_argument("--sqlite-cache-mib", type=int, default=0,
                    help="SQLite page cache per connection (default 0: SQLite's 2 MiB, as the server)")
    ap.add_argument("--clients", type=int, help="pgbench clients (-c; default: --threads)")
    ap.add_argument("--pg-plan-cache-mode", default="force_generic_plan",
                    choices=("auto", "force_generic_plan", "force_custom_plan"),
                    help="plan_cache_mode of the pgbench sessions (default force_generic_plan; see pg_ceiling)")
    ap.add_argument("--connections", type=int, default=64, help="HTTP keep-alive connections (default 64)")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP ceiling")
    args = ap.parse_args()
    result: dict[str, Any] = {}
    if args.sqlite_db:
        result["sqlite"] = sqlite_ceiling(args.binary_dir, args.sqlite_db, args.seconds, args.threads,
                                          args.sqlite_cache_mib)
    if args.pg_dsn:
        result["postgres"] = pg_ceiling(args.pg_dsn, args.seconds, args.clients or args.threads, args.threads,
                                        args.pg_plan_cache_mode)
    if not args.no_http:
        result["http"] = http_ceiling(args.binary_dir, args.seconds, args.connections, args.threads)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
