#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Webhook figures: how many deliveries per second one server process sends to a fast local receiver, and what
three matching webhooks add to the latency of a task create.

    python3 bench/webhooks.py --binary build/release/src/vicugna --receiver build/release/bench/vicugna_http_ceiling
        [--pg-dsn postgres://postgres@127.0.0.1:5432/postgres] [--deliveries 10000] [--creates 400]
        [--workers 4,16]

The receiver is the minimal Beast server of the HTTP ceiling (answers 200 at once). Throughput: N delivery rows
are queued through the testing endpoint in one burst and the time until the last one is recorded as delivered is
measured (count read from the database). Latency: creates alternate between a project with three webhooks (all
subscribed to task.created) and one with none, over one keep-alive connection; the medians are compared. The
numbers are reported, never judged.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "harness"))
from vicugna_harness import VicugnaServer, free_port  # noqa: E402

ENV = {"VIKUNJA_OUTGOINGREQUESTS_ALLOWNONROUTABLEIPS": "true", "VIKUNJA_LOG_LEVEL": "WARNING",
       "VIKUNJA_SERVICE_BCRYPTROUNDS": "4"}


def login(srv):
    name = "bench" + uuid.uuid4().hex[:8]
    s = requests.Session()
    s.post(srv.api + "/register", json={"username": name, "password": "12345678",
                                        "email": name + "@example.com"}).raise_for_status()
    token = s.post(srv.api + "/login", json={"username": name, "password": "12345678"}).json()["token"]
    s.headers["Authorization"] = "Bearer " + token
    return s


def delivered_count(srv) -> int:
    sql = "SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'"
    if srv.backend == "sqlite":
        with sqlite3.connect(f"file:{srv.workdir / 'vikunja.db'}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(sql).fetchone()[0]
    pg = srv._pg
    out = subprocess.run(["psql", "-X", "-tA", "-h", pg.host, "-p", str(pg.port), "-U", pg.user, "-d", srv.database,
                          "-c", sql], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def throughput(srv, receiver_url, n) -> dict:
    s = login(srv)
    project = s.put(srv.api + "/projects", json={"title": "throughput"}).json()
    hook = s.put(srv.api + f"/projects/{project['id']}/webhooks",
                 json={"target_url": receiver_url, "events": ["task.created"], "secret": "bench"})
    hook.raise_for_status()
    task = s.put(srv.api + f"/projects/{project['id']}/tasks", json={"title": "payload"}).json()
    time.sleep(1)
    before = delivered_count(srv)
    # A realistic body: the task.created payload the server itself just sent, queued n times.
    payload = json.dumps({"event_name": "task.created", "time": "2026-01-01T00:00:00Z",
                          "data": {"task": task, "project": project}})
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 5))
    rows = [{"webhook_id": hook.json()["id"], "uuid": str(uuid.uuid4()), "event_name": "task.created",
             "payload": payload, "status": "pending", "attempts": 0, "final_attempt": 0, "next_attempt_at": now,
             "created": now, "updated": now} for _ in range(n)]
    # Rows are inserted in chunks while the worker may already be sending; timing starts with the first chunk.
    start = time.monotonic()
    for i in range(0, n, 200):
        r = requests.patch(srv.api + "/test/webhook_deliveries", params={"truncate": "false"},
                           json=rows[i:i + 200], headers={"Authorization": srv.testing_token}, timeout=120)
        r.raise_for_status()
    while delivered_count(srv) - before < n:
        time.sleep(0.05)
    seconds = time.monotonic() - start
    return {"deliveries": n, "seconds": round(seconds, 2), "per_second": round(n / seconds)}


def create_latency(srv, receiver_url, creates) -> dict:
    s = login(srv)
    quiet = s.put(srv.api + "/projects", json={"title": "no hooks"}).json()
    hooked = s.put(srv.api + "/projects", json={"title": "three hooks"}).json()
    for i in range(3):
        s.put(srv.api + f"/projects/{hooked['id']}/webhooks",
              json={"target_url": f"{receiver_url}?hook={i}", "events": ["task.created", "task.updated"],
                    "secret": "bench"}).raise_for_status()
    times = {"none": [], "three": []}
    for i in range(creates + 20):
        for kind, project in (("none", quiet), ("three", hooked)) if i % 2 == 0 else (("three", hooked),
                                                                                    ("none", quiet)):
            t0 = time.perf_counter()
            s.put(srv.api + f"/projects/{project['id']}/tasks", json={"title": f"t{i}"}).raise_for_status()
            if i >= 20:  # warm-up
                times[kind].append((time.perf_counter() - t0) * 1000)
    med = {k: statistics.median(v) for k, v in times.items()}
    p90 = {k: statistics.quantiles(v, n=10)[-1] for k, v in times.items()}
    return {"creates_each": creates, "median_ms_none": round(med["none"], 3), "median_ms_three": round(med["three"], 3),
            "added_ms": round(med["three"] - med["none"], 3), "ratio": round(med["three"] / med["none"], 2),
            "p90_ms_none": round(p90["none"], 3), "p90_ms_three": round(p90["three"], 3)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "build" / "release" / "src" / "vicugna"))
    ap.add_argument("--receiver", default=str(ROOT / "build" / "release" / "bench" / "vicugna_http_ceiling"))
    ap.add_argument("--pg-dsn", default=None)
    ap.add_argument("--deliveries", type=int, default=10000)
    ap.add_argument("--creates", type=int, default=400)
    ap.add_argument("--workers", default="4,16")
    args = ap.parse_args()

    port = free_port()
    receiver = subprocess.Popen([args.receiver, str(port)])
    receiver_url = f"http://127.0.0.1:{port}/hook"
    time.sleep(0.3)
    results = []
    try:
        for backend in ["sqlite"] + (["postgres"] if args.pg_dsn else []):
            for workers in [int(w) for w in args.workers.split(",")]:
                env = {**ENV, "VIKUNJA_WEBHOOKS_DELIVERYWORKERS": str(workers)}
                srv = VicugnaServer(args.binary, backend, pg_dsn=args.pg_dsn, redis_url="", env=env).start()
                try:
                    row = {"backend": backend, "delivery_workers": workers,
                           "throughput": throughput(srv, receiver_url, args.deliveries),
                           "create_latency": create_latency(srv, receiver_url, args.creates)}
                finally:
                    srv.close()
                print(json.dumps(row), flush=True)
                results.append(row)
    finally:
        receiver.kill()
    out = ROOT / "bench" / "results" / time.strftime("webhooks-%Y%m%d-%H%M.json")
    out.write_text(json.dumps({"machine": platform.platform(), "cores": os.cpu_count(), "results": results}, indent=1))
    print(f"written to {out}")
    return results


if __name__ == "__main__":
    main()
