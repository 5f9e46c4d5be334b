# SPDX-License-Identifier: AGPL-3.0-or-later
"""The operations manual's webhook handlers (part 7, "Memory Bank Integration" and "Reliable Webhook Handler"),
run unchanged as real Flask receivers of the server's webhooks.

The snippets below are the manual's text, verbatim. The harness provides only what the manual leaves to the
reader: the Flask `app` and `request`, `celery`, `verify_signature` and the Memory Bank's storage functions.
"""
import hashlib
import hmac
import threading
import time
import uuid

import pytest
from flask import Flask, request
from werkzeug.serving import make_server

from test_webhook_delivery import new_project, new_task, ok, register, start_server
from wire import call

MEMORY_BANK_HANDLER = '''
# Vikunja → Memory Bank (Webhook)
@app.route('/webhook/vikunja', methods=['POST'])
def webhook_vikunja():
    payload = request.json
    
    if payload['event'] == 'task.completed':
        task_id = payload['data']['task']['id']
        knowledge_id = get_knowledge_by_vikunja_task(task_id)
        
        mark_knowledge_complete(knowledge_id)
        store_findings(knowledge_id, payload['data']['task']['description'])
    
    return {'status': 'ok'}, 200
'''

RELIABLE_HANDLER = '''
@app.route('/webhook/vikunja', methods=['POST'])
def handle_webhook():
    # 1. Verify signature (if configured)
    signature = request.headers.get('X-Vikunja-Signature')
    if not verify_signature(request.data, signature):
        return {'error': 'Invalid signature'}, 401
    
    # 2. Parse payload
    payload = request.json
    event = payload['event']
    
    # 3. Process event (async if heavy)
    if event == 'task.created':
        process_task_created(payload['data']['task'])
    elif event == 'task.updated':
        process_task_updated(payload['data']['task'])
    
    # 4. Return success immediately (important!)
    # Vikunja expects quick response
    # Don't do heavy processing here
    
    return {'status': 'received'}, 200

# Async processing
@celery.task
def process_task_created(task):
    # Heavy processing here
    # Update Memory Bank
    # Generate notifications
    # etc.
    pass
'''


class Calls:
    """What the handlers did, recorded by the reader-provided functions."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, *item):
        with self.lock:
            self.items.append(item)

    def of(self, name):
        with self.lock:
            return [i[1:] for i in self.items if i[0] == name]


class CeleryStub:
    """`@celery.task` as the manual uses it: here the task runs inline and its calls are recorded."""

    def __init__(self, calls):
        self.calls = calls

    def task(self, fn):
        def run(*args):
            self.calls.add(fn.__name__, *args)
            return fn(*args)
        return run


class FlaskReceiver:
    """A snippet executed in its own module namespace with its own Flask app, served on loopback."""

    def __init__(self, snippet, namespace):
        self.app = Flask(uuid.uuid4().hex)
        exec(snippet, {"app": self.app, "request": request, **namespace})
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhook/vikunja"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def srv(pytestconfig):
    server = start_server(pytestconfig)
    yield server
    server.close()


def test_manual_handlers_receive_the_servers_webhooks(srv):
    calls = Calls()
    secret = "manual-" + uuid.uuid4().hex
    knowledge_of_task = {}

    def verify_signature(body, signature):
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return signature is not None and hmac.compare_digest(expected, signature)

    memory_bank = FlaskReceiver(MEMORY_BANK_HANDLER, {
        "get_knowledge_by_vikunja_task": lambda task_id: knowledge_of_task[task_id],
        "mark_knowledge_complete": lambda knowledge_id: calls.add("complete", knowledge_id),
        "store_findings": lambda knowledge_id, text: calls.add("findings", knowledge_id, text),
    })
    reliable = FlaskReceiver(RELIABLE_HANDLER, {
        "verify_signature": verify_signature,
        "celery": CeleryStub(calls),
        "process_task_updated": lambda task: calls.add("updated", task),
    })
    try:
        user = register(srv)
        project = new_project(srv, user)
        # The manual's registration (POST /api/v1/webhooks), once without and once with a secret.
        ok(call(srv, "POST", "/webhooks", token=user["token"],
                json={"events": ["task.completed"], "target_url": memory_bank.url}), 201)
        ok(call(srv, "POST", "/webhooks", token=user["token"],
                json={"events": ["task.created", "task.updated", "task.deleted"], "target_url": reliable.url,
                      "secret": secret}), 201)

        task = new_task(srv, user, project["id"], description="the findings")
        knowledge_of_task[task["id"]] = "knowledge-42"
        ok(call(srv, "POST", f"/tasks/{task['id']}", token=user["token"],
                json={"title": task["title"], "description": "the findings", "done": True}))

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (calls.of("findings") and calls.of("updated")):
            time.sleep(0.1)
        assert calls.of("complete") == [("knowledge-42",)]
        assert calls.of("findings") == [("knowledge-42", "the findings")]
        created = calls.of("process_task_created")
        assert len(created) == 1 and created[0][0]["id"] == task["id"]
        updated = calls.of("updated")
        assert len(updated) == 1 and updated[0][0]["done"] is True
    finally:
        memory_bank.close()
        reliable.close()


def test_reliable_handler_refuses_a_wrong_signature(srv):
    """The manual's handler answers 401 to a bad signature: the server records it and retries."""
    calls = Calls()
    reliable = FlaskReceiver(RELIABLE_HANDLER, {
        "verify_signature": lambda body, signature: False,
        "celery": CeleryStub(calls),
        "process_task_updated": lambda task: calls.add("updated", task),
    })
    try:
        user = register(srv)
        project = new_project(srv, user)
        hook = ok(call(srv, "POST", "/webhooks", token=user["token"],
                       json={"events": ["task.created"], "target_url": reliable.url, "secret": "x"}), 201)
        new_task(srv, user, project["id"])
        deadline = time.monotonic() + 20
        deliveries = []
        while time.monotonic() < deadline:
            deliveries = ok(call(srv, "GET", f"/user/settings/webhooks/{hook['id']}/deliveries",
                                 token=user["token"]))
            if deliveries and deliveries[0]["attempts"] >= 1 and deliveries[0]["last_status_code"]:
                break
            time.sleep(0.2)
        assert deliveries[0]["last_status_code"] == 401
        assert deliveries[0]["status"] == "pending"  # retried later
        assert calls.of("process_task_created") == []
    finally:
        reliable.close()
