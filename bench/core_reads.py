#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Read throughput of the core task routes on SQLite with a large seeded dataset (issue 3's speed check).

    python3 bench/core_reads.py --binary build/release/src/vicugna [--tasks 100000] [--runs 3] [--seconds 8]

Starts the server through tests/harness, registers a user, stops it, seeds projects and tasks (with labels,
assignees and reminders) straight into the SQLite file (benchmark data only — tests never do this), restarts,
and runs wrk (-t2 -c64) against GET /tasks/{id} (random ids) and a 50-task project page. Prints the median
requests/s of the runs and wrk's latency lines.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "harness"))
from vicugna_harness import VicugnaServer  # noqa: E402

TASKS_PER_PROJECT = 1000
NOW = "2026-01-01 00:00:00"


def call(srv: VicugnaServer, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    req = urllib.request.Request(srv.api + path, method=method, data=json.dumps(body or {}).encode(),
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req) as res:
        return json.loads(res.read())


def seed(db_path: Path, user_id: int, tasks: int) -> list[int]:
    """Projects of TASKS_PER_PROJECT tasks each; returns the project ids."""
    rng = random.Random(42)
    con = sqlite3.connect(db_path)
    cur = con.cursor()
    label_ids = []
    for i in range(20):
        cur.execute("INSERT INTO labels (title, description, hex_color, created_by_id, created, updated) "
                    "VALUES (?, '', 'e8e8e8', ?, ?, ?)", (f"label {i}", user_id, NOW, NOW))
        label_ids.append(cur.lastrowid)
    projects = []
    for p in range((tasks + TASKS_PER_PROJECT - 1) // TASKS_PER_PROJECT):
        cur.execute("INSERT INTO projects (title, description, identifier, hex_color, owner_id, parent_project_id, "
                    "is_archived, position, created, updated) VALUES (?, '', ?, '', ?, 0, 0, ?, ?, ?)",
                    (f"Bench {p}", f"B{p}", user_id, p * 65536.0, NOW, NOW))
        projects.append(cur.lastrowid)
    for n in range(tasks):
        project = projects[n // TASKS_PER_PROJECT]
        due = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 12:00:00" if rng.random() < 0.6 else None
        cur.execute("INSERT INTO tasks (title, description, done, due_date, project_id, repeat_after, repeat_mode, "
                    "priority, hex_color, percent_done, \"index\", uid, cover_image_attachment_id, created, updated, "
                    "created_by_id) VALUES (?, ?, ?, ?, ?, 0, 0, ?, '', 0, ?, '', 0, ?, ?, ?)",
                    (f"Task {n}", "<p>Some description</p>", int(rng.random() < 0.3), due, project,
                     rng.randint(0, 5), n % TASKS_PER_PROJECT + 1, NOW, NOW, user_id))
        task = cur.lastrowid
        for label in rng.sample(label_ids, rng.randint(0, 3)):
            cur.execute("INSERT INTO label_tasks (task_id, label_id, created) VALUES (?, ?, ?)", (task, label, NOW))
        if rng.random() < 0.5:
            cur.execute("INSERT INTO task_assignees (task_id, user_id, created) VALUES (?, ?, ?)", (task, user_id, NOW))
        if due and rng.random() < 0.3:
            cur.execute("INSERT INTO task_reminders (task_id, reminder, created, relative_period, relative_to) "
                        "VALUES (?, ?, ?, 0, '')", (task, due, NOW))
    con.commit()
    con.close()
    return projects


def wrk(url: str, token: str, paths: list[str], seconds: int) -> tuple[float, str]:
    script = Path(__file__).resolve().parent / "wrk" / "get_path.lua"
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", "-s", str(script), url],
                         env={"BENCH_TOKEN": token, "BENCH_PATHS": " ".join(paths), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if "Non-2xx" in out:
        raise SystemExit("wrk saw non-2xx answers:\n" + out)
    return rate, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default="build/release/src/vicugna")
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=8)
    args = ap.parse_args()

    with VicugnaServer(args.binary, backend="sqlite", env={"VIKUNJA_LOG_HTTP": "off"}) as srv:
        user = call(srv, "POST", "/register", {"username": "bench", "password": "benchmark1", "email": "b@x.test"})
        srv.stop()
        projects = seed(srv.workdir / "vikunja.db", user["id"], args.tasks)
        srv.start()
        token = call(srv, "POST", "/login", {"username": "bench", "password": "benchmark1"})["token"]
        rng = random.Random(7)
        first_task = 1
        cases = {
            "GET /tasks/{id}": [f"/api/v1/tasks/{rng.randint(first_task, args.tasks)}" for _ in range(500)],
            "GET /projects/{id}/tasks?per_page=50": [f"/api/v1/projects/{p}/tasks?per_page=50" for p in projects],
        }
        for name, paths in cases.items():
            rates = []
            for _ in range(args.runs):
                rate, out = wrk(srv.base_url, token, paths, args.seconds)
                rates.append(rate)
            print(f"{name}: median {statistics.median(rates):.0f} req/s over {args.runs} runs {sorted(round(r) for r in rates)}")
            print("   " + " ".join(line.strip() for line in out.splitlines() if re.match(r"\s+(50|99)%", line)))


if __name__ == "__main__":
    main()
