"""The periodic jobs that raise the user-directed webhook events: task.reminder.fired, task.overdue and
tasks.overdue (spec §5.1; issue 6 §1).

Behaviour checked against Vikunja's pkg/models/task_reminder.go (RegisterReminderCron: reminders of undone,
live tasks due in the minute that starts, to the task's creator, assignees and subscribers who can read it, once
per task and user), task_overdue_reminder.go (RegisterOverdueReminderCron: users whose overdue reminder time is
the current minute in their time zone get one task.overdue per undone overdue task and one tasks.overdue with all
of them; overdue_tasks_reminders_enabled only governs the e-mails), events.go (the data keys) and listeners.go
(the webhooks of the task's project chain hear them too; tasks.overdue has no project, so only user hooks).

Ours: each job's minutes are claimed in the database (table periodic_jobs) in the transaction that queues the
events, so several processes on one database run each minute once, and a process that dies mid-run leaves the
minute to the next one. Minutes missed while no process ran are caught up, at most the last 10.

The tests read the outbox (webhook_deliveries) through the testing endpoint; one sends to a real receiver. They make a job run now by moving
its last minute back and restarting the server, which runs the jobs at start-up; one module fixture waits for a
real minute boundary once, with two processes on one database and one process killed across the boundary.
"""

import datetime
import hashlib
import hmac
import json
import time
import uuid
import zoneinfo

import grants
import pytest
from vicugna_harness import VicugnaServer
from webhook_receiver import Receiver
from wire import call, now_text, seed_rows
from task_extras_seed import ok, assert_public_user
from test_subscriptions import grant, subscribe

REMINDER_KEYS = ["task", "user", "project", "reminder"]
OVERDUE_KEYS = ["task", "user", "project"]
BATCH_KEYS = ["tasks", "user", "projects"]
JOBS = ("task_reminders", "overdue_reminders")


# --- helpers ---------------------------------------------------------------------------------------------------

def iso(t: datetime.datetime) -> str:
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def minute_start(minute: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(minute * 60, datetime.timezone.utc)


def current_minute() -> int:
    return int(time.time() // 60)


def user_on(srv) -> dict:
    """A registered, logged-in user of `srv` (any server, not only the session one)."""
    name = "u" + uuid.uuid4().hex[:14]
    r = call(srv, "POST", "/register", json={"username": name, "password": "12345678", "email": name + "@example.com"})
    user = ok(r)
    token = ok(call(srv, "POST", "/login", json={"username": name, "password": "12345678"}))["token"]
    return {"id": user["id"], "username": name, "token": token}


def set_settings(srv, user, **changes):
    settings = ok(call(srv, "GET", "/user", token=user["token"]))["settings"]
    settings.update(changes)
    ok(call(srv, "POST", "/user/settings/general", token=user["token"], json=settings))


def project_of(srv, user, parent_id=0) -> int:
    body = {"title": "p-" + uuid.uuid4().hex[:8], "parent_project_id": parent_id}
    return ok(call(srv, "PUT", "/projects", token=user["token"], json=body), 201)["id"]


def task_in(srv, user, project_id, **fields) -> int:
    body = {"title": "t-" + uuid.uuid4().hex[:8], **fields}
    return ok(call(srv, "PUT", "/projects/%d/tasks" % project_id, token=user["token"], json=body), 201)["id"]


def assign(srv, user, task_id, assignee):
    ok(call(srv, "PUT", "/tasks/%d/assignees" % task_id, token=user["token"], json={"user_id": assignee["id"]}), 201)


def hook(srv, owner, events, project_id=None) -> int:
    """A webhook row (user-level when project_id is None) whose target no test reaches (the management routes
    would refuse it): these tests read the outbox."""
    url = "https://hooks.example.com/" + uuid.uuid4().hex
    now = now_text()
    rows = seed_rows(srv, "webhooks", [{"target_url": url, "events": json.dumps(events), "user_id":
                                        None if project_id else owner["id"], "project_id": project_id,
                                        "created_by_id": owner["id"], "created": now, "updated": now}])
    return next(r["id"] for r in rows if r["target_url"] == url)


def deliveries(srv, webhook_id=None) -> list:
    rows = sorted(seed_rows(srv, "webhook_deliveries", []), key=lambda r: r["id"])  # in the order queued
    for r in rows:
        r["payload"] = json.loads(r["payload"])
    return [r for r in rows if webhook_id is None or r["webhook_id"] == webhook_id]


def wait_for_deliveries(srv, timeout=20) -> list:
    """The outbox once a run queued something: a run queues all of its events in one transaction."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = deliveries(srv)
        if rows:
            return rows
        time.sleep(0.2)
    lines = [line for line in srv.log_text().splitlines() if "request_id=" not in line]  # the jobs' lines
    pytest.fail("no delivery was queued within %d s\n%s" % (timeout, "\n".join(lines[-40:])))


def job_minutes(srv) -> dict:
    return {r["name"]: r["last_minute"] for r in seed_rows(srv, "periodic_jobs", [])}


def rewind(srv, minutes_back, jobs=JOBS):
    """Pretends the jobs last ran `minutes_back` minutes ago (the rows are replaced: the endpoint truncates)."""
    rows = [{"name": name, "last_minute": current_minute() - minutes_back if name in jobs else last}
            for name, last in job_minutes(srv).items()]
    r = call(srv, "PATCH", "/test/periodic_jobs", json=rows, headers={"Authorization": srv.testing_token})
    assert r.status_code == 201, r.text


def local_hhmm(minute: int, zone: str) -> str:
    return minute_start(minute).astimezone(zoneinfo.ZoneInfo(zone)).strftime("%H:%M")


def by_user(rows) -> dict:
    return {r["payload"]["data"]["user"]["id"]: r for r in rows}


def assert_envelope(row, event, user):
    body = row["payload"]
    assert row["event_name"] == event and body["event_name"] == event and body["event"] == event
    assert body["user_id"] == user["id"]
    assert_public_user(body["data"]["user"], user)


# --- reminders -------------------------------------------------------------------------------------------------

def test_reminder_fires_for_creator_assignees_and_subscribers(server_factory):
    srv = server_factory()
    creator, assignee, follower, reader, silent, other = (user_on(srv) for _ in range(6))
    project = project_of(srv, creator)
    for u in (assignee, follower, reader, silent):
        grant(srv, project, u["id"], 1)
    # Two reminders in one minute that has passed (caught up below), one too old to catch up, one to come.
    minute = current_minute() - 1
    first, second = minute_start(minute) + datetime.timedelta(seconds=10), minute_start(minute) + datetime.timedelta(seconds=40)
    task = task_in(srv, creator, project, reminders=[{"reminder": iso(first)}, {"reminder": iso(second)}])
    assign(srv, creator, task, assignee)
    assign(srv, creator, task, silent)
    ok(subscribe(srv, follower, "task", task), 201)
    done = task_in(srv, creator, project, done=True, reminders=[{"reminder": iso(first)}])
    too_old = task_in(srv, creator, project, reminders=[{"reminder": iso(first - datetime.timedelta(minutes=20))}])
    later = task_in(srv, creator, project, reminders=[{"reminder": iso(first + datetime.timedelta(hours=1))}])
    assign(srv, creator, done, assignee)

    event = ["task.reminder.fired"]
    hooks = {u["username"]: hook(srv, u, event) for u in (creator, assignee, follower, reader)}
    unrelated = hook(srv, other, ["task.created"])          # `other` wants no reminders
    project_hook = hook(srv, creator, event, project_id=project)
    # `silent` (an assignee) has no webhook of their own.

    rewind(srv, 5)
    srv.restart()
    rows = wait_for_deliveries(srv)

    assert {r["payload"]["data"]["task"]["id"] for r in rows} == {task}, [r["payload"]["data"]["task"]["id"] for r in rows]
    for u in (creator, assignee, follower):
        mine = deliveries(srv, hooks[u["username"]])
        assert len(mine) == 1, (u["username"], mine)
        assert_envelope(mine[0], "task.reminder.fired", u)
        data = mine[0]["payload"]["data"]
        assert list(data) == REMINDER_KEYS
        assert data["task"]["id"] == task and data["task"]["project_id"] == project
        assert data["project"]["id"] == project
        assert data["reminder"] == {"reminder": iso(first), "relative_period": 0, "relative_to": ""}
    assert deliveries(srv, hooks[reader["username"]]) == []     # can read the task but is not reminded
    assert deliveries(srv, unrelated) == []
    # The project's webhook hears the event of each reminded user, `silent` included.
    heard = by_user(deliveries(srv, project_hook))
    assert sorted(heard) == sorted(u["id"] for u in (creator, assignee, follower, silent))
    assert len(deliveries(srv, project_hook)) == 4
    assert len(rows) == 7
    assert {done, too_old, later}.isdisjoint(r["payload"]["data"]["task"]["id"] for r in rows)
    assert job_minutes(srv)["task_reminders"] >= minute + 1


def test_reminder_skips_users_who_lost_access_or_are_disabled(server_factory):
    srv = server_factory()
    creator, gone, disabled = (user_on(srv) for _ in range(3))
    project = project_of(srv, creator)
    grant(srv, project, gone["id"], 1)
    grant(srv, project, disabled["id"], 1)
    minute = current_minute() - 1
    task = task_in(srv, creator, project, reminders=[{"reminder": iso(minute_start(minute))}])
    assign(srv, creator, task, gone)
    assign(srv, creator, task, disabled)
    # `gone` loses the share: the assignment stays, the reminder does not reach them.
    ok(call(srv, "DELETE", "/projects/%d/users/%s" % (project, gone["username"]), token=creator["token"]))
    grants.disable_user(srv, disabled["id"])
    hooks = {u["id"]: hook(srv, u, ["task.reminder.fired"]) for u in (creator, gone, disabled)}

    rewind(srv, 3)
    srv.restart()
    rows = wait_for_deliveries(srv)
    assert [r["webhook_id"] for r in rows] == [hooks[creator["id"]]]


def test_nothing_queued_without_a_matching_webhook(server_factory):
    srv = server_factory()
    user = user_on(srv)
    project = project_of(srv, user)
    minute = current_minute() - 1
    task_in(srv, user, project, reminders=[{"reminder": iso(minute_start(minute))}],
            due_date=iso(minute_start(minute) - datetime.timedelta(days=1)))
    set_settings(srv, user, timezone="GMT", overdue_tasks_reminders_time=local_hhmm(current_minute(), "GMT"))
    hook(srv, user, ["task.created", "task.updated"])
    rewind(srv, 3)
    srv.restart()
    # The start-up run claims the minutes (so it ran) and queues nothing.
    deadline = time.monotonic() + 20
    while min(job_minutes(srv).values()) < current_minute() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert min(job_minutes(srv).values()) >= current_minute() - 1
    assert deliveries(srv) == []


# --- overdue ---------------------------------------------------------------------------------------------------

def test_overdue_reminder_at_the_users_time_in_their_zone(server_factory):
    srv = server_factory()
    me, colleague, batch_only, wrong_zone, no_hook = (user_on(srv) for _ in range(5))
    target = current_minute()
    at = minute_start(target)
    zone = "Asia/Kolkata"  # +05:30: a zone whose HH:MM is never UTC's
    set_settings(srv, me, timezone=zone, overdue_tasks_reminders_time=local_hhmm(target, zone))
    set_settings(srv, batch_only, timezone="", overdue_tasks_reminders_time=local_hhmm(target, "GMT"))
    set_settings(srv, wrong_zone, timezone=zone, overdue_tasks_reminders_time=local_hhmm(target, "GMT"))
    set_settings(srv, no_hook, timezone=zone, overdue_tasks_reminders_time=local_hhmm(target, zone),
                 overdue_tasks_reminders_enabled=True)
    # The colleague's own reminder time is another minute: only `me` is reminded of the shared tasks.
    set_settings(srv, colleague, overdue_tasks_reminders_time=local_hhmm(target + 120, "GMT"))

    def due(**delta):
        return iso(at - datetime.timedelta(**delta))

    mine = project_of(srv, me)
    a = task_in(srv, me, mine, due_date=due(days=2))
    b = task_in(srv, me, mine, due_date=due(hours=1))
    task_in(srv, me, mine, due_date=due(days=2), done=True)
    task_in(srv, me, mine, due_date=iso(at + datetime.timedelta(days=1)))
    task_in(srv, me, mine)
    archived = project_of(srv, me)
    task_in(srv, me, archived, due_date=due(days=1))
    ok(call(srv, "POST", "/projects/%d" % archived, token=me["token"], json={"title": "archived", "is_archived": True}))

    followed = project_of(srv, colleague)      # `me` follows it, so also its child's tasks
    child = project_of(srv, colleague, parent_id=followed)
    assigned = project_of(srv, colleague)      # `me` is assigned one task there
    for p in (followed, assigned):
        grant(srv, p, me["id"], 0)
    g = task_in(srv, colleague, followed, due_date=due(hours=36))
    i = task_in(srv, colleague, child, due_date=due(hours=30))
    f = task_in(srv, colleague, assigned, due_date=due(days=3))
    task_in(srv, colleague, assigned, due_date=due(days=3))
    grant(srv, assigned, me["id"], 1)
    assign(srv, colleague, f, me)
    ok(subscribe(srv, me, "project", followed), 201)

    other = project_of(srv, batch_only)
    single = task_in(srv, batch_only, other, due_date=due(minutes=5))
    for u in (wrong_zone, no_hook):
        task_in(srv, u, project_of(srv, u), due_date=due(days=1))

    both = ["task.overdue", "tasks.overdue"]
    my_hook = hook(srv, me, both)
    batch_hook = hook(srv, batch_only, both)
    wrong_hook = hook(srv, wrong_zone, both)
    project_hook = hook(srv, colleague, ["task.overdue", "tasks.overdue"], project_id=followed)

    rewind(srv, 3)
    srv.restart()
    wait_for_deliveries(srv)

    expected = [f, a, g, i, b]  # by due date
    rows = deliveries(srv, my_hook)
    singles = [r for r in rows if r["event_name"] == "task.overdue"]
    batches = [r for r in rows if r["event_name"] == "tasks.overdue"]
    assert [r["payload"]["data"]["task"]["id"] for r in singles] == expected
    for r in singles:
        assert_envelope(r, "task.overdue", me)
        data = r["payload"]["data"]
        assert list(data) == OVERDUE_KEYS
        assert data["project"]["id"] == data["task"]["project_id"]
    assert len(batches) == 1
    assert_envelope(batches[0], "tasks.overdue", me)
    data = batches[0]["payload"]["data"]
    assert list(data) == BATCH_KEYS
    assert [t["id"] for t in data["tasks"]] == expected
    assert sorted(data["projects"]) == sorted(str(p) for p in (mine, followed, child, assigned))
    assert all(data["projects"][k]["id"] == int(k) for k in data["projects"])

    # The followed project's webhook hears task.overdue of its own and its child's tasks, never tasks.overdue.
    heard = deliveries(srv, project_hook)
    assert sorted(r["payload"]["data"]["task"]["id"] for r in heard) == sorted([g, i])
    assert {r["event_name"] for r in heard} == {"task.overdue"}

    # One overdue task: task.overdue and tasks.overdue both (the batch event is always sent).
    rows = deliveries(srv, batch_hook)
    assert sorted(r["event_name"] for r in rows) == ["task.overdue", "tasks.overdue"]
    assert [t["id"] for t in next(r for r in rows if r["event_name"] == "tasks.overdue")["payload"]["data"]["tasks"]] == [single]

    assert deliveries(srv, wrong_hook) == []
    assert len(deliveries(srv)) == 6 + 2 + 2


def test_user_hook_receives_the_events_end_to_end(server_factory):
    srv = server_factory(env={"VIKUNJA_OUTGOINGREQUESTS_ALLOWNONROUTABLEIPS": "true"})
    receiver = Receiver()
    try:
        user = user_on(srv)
        project = project_of(srv, user)
        minute = current_minute()
        reminded = task_in(srv, user, project, reminders=[{"reminder": iso(minute_start(minute - 1))}])
        overdue = task_in(srv, user, project, due_date=iso(minute_start(minute) - datetime.timedelta(days=1)))
        set_settings(srv, user, timezone="America/St_Johns", overdue_tasks_reminders_time=local_hhmm(minute, "America/St_Johns"))
        secret = uuid.uuid4().hex
        body = {"target_url": receiver.url, "events": ["task.reminder.fired", "task.overdue", "tasks.overdue"],
                "secret": secret}
        ok(call(srv, "PUT", "/user/settings/webhooks", token=user["token"], json=body))
        rewind(srv, 3)
        srv.restart()
        got = receiver.wait_for(lambda r: r if len(r) >= 3 else None)
        time.sleep(1)  # anything sent twice would have arrived by now
        got = receiver.received()
        assert sorted(r["json"]["event_name"] for r in got) == ["task.overdue", "task.reminder.fired", "tasks.overdue"]
        outbox = {r["uuid"]: r for r in deliveries(srv)}
        for r in got:
            row = outbox[r["headers"]["X-Vicugna-Delivery"]]
            assert r["json"] == row["payload"] and row["status"] == "delivered"
            assert r["headers"]["X-Vikunja-Signature"] == hmac.new(secret.encode(), r["raw"], hashlib.sha256).hexdigest()
            assert r["json"]["data"]["user"]["id"] == user["id"]
        tasks = {r["json"]["event_name"]: r["json"]["data"] for r in got}
        assert tasks["task.reminder.fired"]["task"]["id"] == reminded
        assert tasks["task.overdue"]["task"]["id"] == overdue
        assert [t["id"] for t in tasks["tasks.overdue"]["tasks"]] == [overdue]
    finally:
        receiver.close()


# --- processes -------------------------------------------------------------------------------------------------

def second_process(pytestconfig, first: VicugnaServer) -> VicugnaServer:
    """Another `vicugna serve` on `first`'s database (its own port and work dir)."""
    env = {"VIKUNJA_DATABASE_PATH": str(first.workdir / "vikunja.db")} if first.backend == "sqlite" \
        else {"VIKUNJA_DATABASE_DATABASE": first.database}
    return VicugnaServer(pytestconfig.getoption("--vicugna-binary"), first.backend, env=env)


def test_processes_starting_on_one_database_run_each_minute_once(pytestconfig, server_factory):
    first = server_factory()
    user = user_on(first)
    project = project_of(first, user)
    minute = current_minute() - 2
    task_in(first, user, project, reminders=[{"reminder": iso(minute_start(minute))}])
    hook(first, user, ["task.reminder.fired"])
    others = [second_process(pytestconfig, first) for _ in range(2)]
    try:
        rewind(first, 4)
        first.stop()
        for srv in [first, *others]:  # each runs the jobs as it starts; the first one claims the minutes
            srv.start()
        rows = wait_for_deliveries(first)
        time.sleep(2)  # the losers of the race would have queued by now
        assert len(deliveries(first)) == len(rows) == 1
    finally:
        for srv in others:
            srv.close()


@pytest.fixture(scope="module")
def boundary_run(pytestconfig):
    """One real minute boundary: two processes on one database with reminders and an overdue reminder at that
    minute, and a third server killed (-9) before the boundary and started again after it."""
    if pytestconfig.getoption("--base-url"):
        pytest.skip("needs servers started by the harness")
    binary, backend = pytestconfig.getoption("--vicugna-binary"), pytestconfig.getoption("--backend")
    first = VicugnaServer(binary, backend).start()
    servers = [first]
    try:
        second = second_process(pytestconfig, first).start()
        killed = VicugnaServer(binary, backend).start()
        servers += [second, killed]

        boundary = current_minute() + 1
        if boundary * 60 - time.time() < 20:  # time enough to set everything up before it
            boundary += 1
        at = minute_start(boundary)
        user, reader = user_on(first), user_on(second)  # both processes serve the same data
        project = project_of(first, user)
        grant(first, project, reader["id"], 0)
        task = task_in(first, user, project, reminders=[{"reminder": iso(at)}])
        overdue = task_in(first, user, project, due_date=iso(at - datetime.timedelta(days=1)))
        set_settings(first, user, timezone="Europe/Berlin", overdue_tasks_reminders_time=local_hhmm(boundary, "Europe/Berlin"))
        events = ["task.reminder.fired", "task.overdue", "tasks.overdue"]
        user_hook = hook(first, user, events)
        reader_hook = hook(second, reader, events)  # `reader` is not reminded of anything

        victim = user_on(killed)
        victim_task = task_in(killed, victim, project_of(killed, victim),
                              reminders=[{"reminder": iso(at + datetime.timedelta(seconds=30))}])
        victim_hook = hook(killed, victim, ["task.reminder.fired"])

        time.sleep(max(0.0, boundary * 60 - 5 - time.time()))
        early = deliveries(first)  # the minute before the boundary ran; the reminder at the boundary is not due
        killed.process.kill()
        killed.process.wait()
        killed.process = None
        time.sleep(max(0.0, boundary * 60 + 3 - time.time()))
        killed.start()
        rows = wait_for_deliveries(first)
        victim_rows = wait_for_deliveries(killed)
        time.sleep(2)  # a second run of the minute would have queued by now
        yield {"rows": deliveries(first), "first_rows": rows, "early": early, "user": user, "task": task,
               "overdue": overdue, "user_hook": user_hook, "reader_hook": reader_hook,
               "victim": victim, "victim_task": victim_task, "victim_rows": deliveries(killed),
               "victim_first_rows": victim_rows, "victim_hook": victim_hook, "boundary": boundary,
               "minutes": job_minutes(first)}
    finally:
        for srv in reversed(servers):
            srv.close()


def test_boundary_run_queues_each_event_once_across_two_processes(boundary_run):
    rows, user = boundary_run["rows"], boundary_run["user"]
    assert [r["uuid"] for r in rows] == [r["uuid"] for r in boundary_run["first_rows"]]
    assert sorted(r["event_name"] for r in rows) == ["task.overdue", "task.reminder.fired", "tasks.overdue"]
    assert {r["webhook_id"] for r in rows} == {boundary_run["user_hook"]}
    fired = next(r for r in rows if r["event_name"] == "task.reminder.fired")
    assert_envelope(fired, "task.reminder.fired", user)
    assert fired["payload"]["data"]["task"]["id"] == boundary_run["task"]
    overdue = next(r for r in rows if r["event_name"] == "task.overdue")
    assert overdue["payload"]["data"]["task"]["id"] == boundary_run["overdue"]
    assert boundary_run["minutes"]["task_reminders"] >= boundary_run["boundary"]
    assert boundary_run["minutes"]["overdue_reminders"] >= boundary_run["boundary"]


def test_boundary_run_happens_at_the_boundary_not_before(boundary_run):
    assert boundary_run["early"] == []


def test_killed_process_catches_up_the_minute_it_missed(boundary_run):
    rows, victim = boundary_run["victim_rows"], boundary_run["victim"]
    assert [r["uuid"] for r in rows] == [r["uuid"] for r in boundary_run["victim_first_rows"]]
    assert len(rows) == 1 and rows[0]["webhook_id"] == boundary_run["victim_hook"]
    assert_envelope(rows[0], "task.reminder.fired", victim)
    assert rows[0]["payload"]["data"]["task"]["id"] == boundary_run["victim_task"]


def test_jobs_do_not_run_with_webhooks_disabled(server_factory):
    srv = server_factory(env={"VIKUNJA_WEBHOOKS_ENABLED": "false"})
    rewind(srv, 3)
    before = job_minutes(srv)
    srv.restart()
    time.sleep(2)  # a start-up run would have claimed the minutes by now
    assert job_minutes(srv) == before
