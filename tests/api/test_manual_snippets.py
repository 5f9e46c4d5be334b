"""The operations manual's own Python code (part 7) run unchanged against the server.

tests/api/ops_manual_part7.py holds the snippets verbatim. Each test executes that file after two textual
replacements only: the base URL (http://localhost:3456 → this server) and the client's example credentials
('username', 'password' → a test user's). What the manual leaves to the reader comes from here: the imports, the
global `token`, get_knowledge / update_knowledge, create_single_task (a plain POST /tasks, which the manual never
defines), and the project ids in VIKUNJA_PROJECT_ID / VIKUNJA_RESEARCH_PROJECT.
"""

import datetime as dt
import os
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from requests.exceptions import RequestException
from task_extras_seed import new_project, ok, uid
from test_api_tokens import created_token
from wire import call, parse_time

# The Debian interpreter that runs the suite (tests/CMakeLists.txt) has it from scripts/install-deps.sh.
tenacity = pytest.importorskip("tenacity", reason="python3-tenacity is missing: run scripts/install-deps.sh and "
                                                  "the suite with /usr/bin/python3")

SNIPPETS = (Path(__file__).parent / "ops_manual_part7.py").read_text()
MANUAL_URL = "http://localhost:3456"
MANUAL_CREDENTIALS = "'username', 'password'"


class Manual:
    """The snippets' namespace after running them, plus what the test needs to look at."""

    def __init__(self, server, user, project, api_token):
        self.server, self.user, self.project = server, user, project
        self.knowledge = {}  # knowledge id → item, as a Memory Bank would keep it
        assert SNIPPETS.count(MANUAL_URL) == 6 and SNIPPETS.count(MANUAL_CREDENTIALS) == 1
        source = SNIPPETS.replace(MANUAL_URL, server.base_url)
        source = source.replace(MANUAL_CREDENTIALS, "%r, %r" % (user["username"], user["password"]))
        self.ns = {
            "__name__": "ops_manual_part7",
            "os": os, "time": time, "requests": requests, "datetime": datetime, "timedelta": timedelta,
            "RequestException": RequestException, "token": api_token,
            "get_knowledge": lambda knowledge_id: self.knowledge[knowledge_id],
            "update_knowledge": lambda knowledge_id, fields: self.knowledge[knowledge_id].update(fields),
            "create_single_task": self.create_single_task,
        }
        exec(compile(source, "ops_manual_part7.py", "exec"), self.ns)

    def create_single_task(self, task):
        response = requests.post(self.server.api + "/tasks", json=task, timeout=10,
                                 headers={"Authorization": "Bearer " + self.ns["token"]})
        response.raise_for_status()
        return response.json()

    def __getattr__(self, name):
        return self.ns[name]

    def task(self, task_id):
        return ok(call(self.server, "GET", "/tasks/%d" % task_id, token=self.user["token"]))

    def project_task_ids(self):
        r = call(self.server, "GET", "/projects/%d/tasks" % self.project["id"], token=self.user["token"])
        return sorted(t["id"] for t in ok(r))


@pytest.fixture
def manual(server, owner, monkeypatch):
    project = new_project(server, owner)
    monkeypatch.setenv("VIKUNJA_PROJECT_ID", str(project["id"]))
    monkeypatch.setenv("VIKUNJA_RESEARCH_PROJECT", str(project["id"]))
    return Manual(server, owner, project, owner["token"])


def labels_of(task):
    return sorted(label["title"] for label in task["labels"] or [])


def test_client_class(server, owner, monkeypatch):
    project = new_project(server, owner)
    for title, due in (("later", "2031-01-01T00:00:00Z"), ("sooner", "2030-01-01T00:00:00Z"), ("someday", None)):
        body = {"title": title, "project_id": project["id"]}
        if due:
            body["due_date"] = due
        ok(call(server, "POST", "/tasks", token=owner["token"], json=body), 201)
    m = Manual(server, owner, project, owner["token"])
    # The usage lines ran: search_tasks(done=False, sort_by='due_date'), nulls last.
    assert [t["title"] for t in m.tasks] == ["sooner", "later", "someday"]
    client = m.client
    label = uid("client")
    made = client.create_task({"title": "from the client", "description": "keep", "project_id": project["id"],
                               "labels": [label], "priority": 2})
    assert made["id"] in m.project_task_ids() and labels_of(made) == [label]
    assert client.get_task(made["id"]) == m.task(made["id"])
    updated = client.update_task(made["id"], {"done": True})
    assert updated["done"] is True and updated["description"] == "keep" and updated["priority"] == 2
    assert labels_of(updated) == [label]
    found = client.search_tasks(done=True, labels=label)
    assert [t["id"] for t in found] == [made["id"]]
    assert client.delete_task(made["id"]) == {"message": "Successfully deleted."}
    with pytest.raises(requests.HTTPError) as err:
        client.get_task(made["id"])
    assert err.value.response.status_code == 404


def test_research_task_and_completion_polling(server, owner, manual):
    # datetime.now().isoformat() is the process's wall clock without a zone; the server reads it in the user's
    # time zone, so a user in Berlin whose machine runs on Berlin time gets exactly now + 7 days.
    settings = ok(call(server, "GET", "/user", token=owner["token"]))["settings"]
    ok(call(server, "POST", "/user/settings/general", token=owner["token"], json=dict(settings, timezone="Europe/Berlin")))
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        task = manual.create_research_task("Why is the sky blue?", "Rayleigh scattering", owner["token"])
    finally:
        if old_tz is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = old_tz
        time.tzset()
    expected = dt.datetime.now(dt.timezone.utc) + timedelta(days=7)
    assert abs((parse_time(task["due_date"]) - expected).total_seconds()) < 120
    assert task["title"] == "Research: Why is the sky blue?"
    assert task["description"] == "## Question\nWhy is the sky blue?\n\n## Findings\nRayleigh scattering"
    assert labels_of(task) == ["ai-generated", "research"] and task["project_id"] == manual.project["id"]

    with pytest.raises(TimeoutError):
        manual.wait_for_research_completion(task["id"], owner["token"], timeout=0)
    manual.client.update_task(task["id"], {"done": True})
    finished = manual.wait_for_research_completion(task["id"], owner["token"], timeout=60)
    assert finished["done"] is True and finished["id"] == task["id"]
    assert finished["description"] == task["description"] and labels_of(finished) == labels_of(task)


def test_export_knowledge_with_an_api_token(server, owner, manual):
    api_token = created_token(server, owner["token"], {"tasks": ["create"]})["token"]
    manual.knowledge["k1"] = {"title": "Photosynthesis", "content": "<p>light → sugar</p>", "category": "biology"}
    manual.knowledge["k2"] = {"title": "Tides", "content": "moon"}  # no category: the label list holds None
    first = manual.export_knowledge_to_vikunja("k1", api_token)
    second = manual.export_knowledge_to_vikunja("k2", api_token)
    assert manual.knowledge["k1"]["vikunja_task_id"] == first and manual.knowledge["k2"]["vikunja_task_id"] == second
    assert manual.project_task_ids() == sorted([first, second])
    task = manual.task(first)
    assert task["title"] == "Research: Photosynthesis" and task["description"] == "<p>light → sugar</p>"
    assert labels_of(task) == ["biology", "research"]
    assert labels_of(manual.task(second)) == ["research"]
    # Both tasks carry the same "research" label.
    research = [label["id"] for t in (task, manual.task(second)) for label in t["labels"] if label["title"] == "research"]
    assert len(research) == 2 and research[0] == research[1]


def test_create_task_with_retry(server, owner, manual):
    project = manual.project
    task = manual.create_task_with_retry({"title": "retried", "project_id": project["id"]})
    assert manual.project_task_ids() == [task["id"]]
    assert manual.create_task_with_retry.retry.statistics["attempt_number"] == 1

    # The project is archived for the first attempt (412) and restored before the second one.
    ok(call(server, "POST", "/projects/%d" % project["id"], token=owner["token"], json=dict(project, is_archived=True)))
    restore = threading.Timer(0.5, lambda: ok(call(server, "POST", "/projects/%d" % project["id"],
                                                   token=owner["token"], json=dict(project, is_archived=False))))
    restore.start()
    try:
        second = manual.create_task_with_retry({"title": "after a failure", "project_id": project["id"]})
    finally:
        restore.join()
    assert manual.create_task_with_retry.retry.statistics["attempt_number"] == 2
    assert manual.project_task_ids() == sorted([task["id"], second["id"]])

    with pytest.raises(tenacity.RetryError) as err:
        manual.create_task_with_retry({"title": "nowhere", "project_id": 999999999})
    assert err.value.last_attempt.exception().response.status_code == 404
    assert manual.create_task_with_retry.retry.statistics["attempt_number"] == 3


def test_create_tasks_batch(server, owner, manual):
    pid = str(manual.project["id"])
    tasks_list = [{"title": "one", "project_id": pid, "labels": ["batch"]}, {"title": "", "project_id": pid},
                  {"title": "two", "project_id": pid}, {"title": "lost", "project_id": "999999999"}]
    results = manual.create_tasks_batch(tasks_list)
    assert [t["title"] for t in results["success"]] == ["one", "two"]
    assert [f["task"] for f in results["failed"]] == [tasks_list[1], tasks_list[3]]
    assert "400" in results["failed"][0]["error"] and "404" in results["failed"][1]["error"]
    assert manual.project_task_ids() == sorted(t["id"] for t in results["success"])


def test_create_tasks_parallel(server, owner, manual):
    tasks_list = [{"title": "parallel %d" % i, "project_id": manual.project["id"], "labels": ["parallel"]}
                  for i in range(12)]
    results = manual.create_tasks_parallel(tasks_list)
    assert results["failed"] == []
    made = results["success"]
    assert sorted(t["title"] for t in made) == sorted(t["title"] for t in tasks_list)
    assert manual.project_task_ids() == sorted(t["id"] for t in made)
    assert len({t["index"] for t in made}) == 12
    # Five requests at once all wanted the new label "parallel": it was made once.
    assert len({label["id"] for t in made for label in t["labels"]}) == 1
    assert all(labels_of(t) == ["parallel"] for t in made)
