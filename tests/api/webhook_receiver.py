# SPDX-License-Identifier: AGPL-3.0-or-later
"""A webhook receiver process for the tests (standard library only) and the client the tests drive it with.

Run as `python3 webhook_receiver.py`: it listens on a free loopback port, prints the port on its first line,
and records every POST it gets (path, headers, raw body). Control endpoints:
    GET  /_received               the recorded requests, oldest first
    POST /_control {"statuses": [500, …], "delay": s, "clear": bool}
                                  answer the next POSTs with these statuses (then 200), after `delay` seconds
"""
from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0


STATE = _State()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status: int, body: bytes = b"{}") -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with STATE.lock:
            body = json.dumps(STATE.received).encode()
        self._answer(200, body)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/_control":
            control = json.loads(raw or b"{}")
            with STATE.lock:
                if control.get("clear"):
                    STATE.received.clear()
                STATE.statuses = list(control.get("statuses", []))
                STATE.delay = float(control.get("delay", 0))
            self._answer(200)
            return
        with STATE.lock:
            status = STATE.statuses.pop(0) if STATE.statuses else 200
            delay = STATE.delay
        if delay:
            time.sleep(delay)
        with STATE.lock:
            STATE.received.append({"path": self.path, "headers": dict(self.headers.items()),
                                   "body": base64.b64encode(raw).decode(), "status": status,
                                   "at": time.time()})
        self._answer(status, b'{"status": "received"}' if status < 400 else b'{"error": "try again"}')


class Receiver:
    """Drives a receiver process started with start(); `url` is where webhooks should post."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, __file__], stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.base + "/hook"

    def close(self):
        self.process.kill()
        self.process.wait()

    def control(self, statuses=(), delay=0.0, clear=False):
        requests.post(self.base + "/_control", json={"statuses": list(statuses), "delay": delay, "clear": clear},
                      timeout=5).raise_for_status()

    def clear(self):
        self.control(clear=True)

    def received(self) -> list[dict]:
        """Recorded requests; each has path, headers, raw (bytes), json (the parsed body) and status."""
        out = []
        for item in requests.get(self.base + "/_received", timeout=5).json():
            raw = base64.b64decode(item["body"])
            out.append({**item, "raw": raw, "json": json.loads(raw)})
        return out

    def wait_for(self, predicate, timeout=20.0, what="the expected webhook requests"):
        """Polls until predicate(received()) is truthy; returns its value or fails with what arrived."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.received()
            value = predicate(got)
            if value:
                return value
            if time.monotonic() > deadline:
                events = [(r["json"].get("event_name"), r["status"]) for r in got]
                raise AssertionError(f"timed out waiting for {what}; received: {events}")
            time.sleep(0.1)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
