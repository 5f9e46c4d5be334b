"""Repeating tasks: marking one done advances its dates instead of closing it (spec §2.5 "Task behaviour worth
copying"; Vikunja pkg/models/tasks.go updateDone, setTaskDatesDefault, setTaskDatesMonthRepeat,
setTaskDatesFromCurrentDateRepeat, addRepeatIntervalToTime, resetDescriptionChecklist, updateReminders).
"""

import datetime
import uuid

import pytest
from wire import assert_error, call, parse_time

ZERO = "0001-01-01T00:00:00Z"
DAY = 86400


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def fmt(dt):
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


@pytest.fixture
def project(server, owner):
    return ok(call(server, "PUT", "/projects", token=owner["token"], json={"title": "p-" + uuid.uuid4().hex[:6]}), 201)


def new_task(server, user, project_id, **fields):
    body = {"title": "t-" + uuid.uuid4().hex[:6]}
    body.update(fields)
    return ok(call(server, "PUT", "/projects/%d/tasks" % project_id, token=user["token"], json=body), 201)


def mark_done(server, user, task):
    body = dict(task)
    body["done"] = True
    return ok(call(server, "POST", "/tasks/%d" % task["id"], token=user["token"], json=body))


def test_default_mode_moves_past_dates_beyond_now(server, owner, project):
    base = now() - datetime.timedelta(days=3, hours=1)
    t = new_task(server, owner, project["id"], repeat_after=DAY, due_date=fmt(base),
                 start_date=fmt(base - datetime.timedelta(hours=2)), end_date=fmt(base + datetime.timedelta(hours=2)),
                 reminders=[{"reminder": fmt(base - datetime.timedelta(hours=1))}])
    before = now()
    body = mark_done(server, owner, t)
    assert body["done"] is False
    assert parse_time(body["done_at"]) >= before - datetime.timedelta(seconds=2)
    # 3 days and 1 hour late: four whole days forward.
    assert body["due_date"] == fmt(base + datetime.timedelta(days=4))
    assert body["start_date"] == fmt(base - datetime.timedelta(hours=2) + datetime.timedelta(days=4))
    # the end date was 2 days 23 h late: three days forward
    assert body["end_date"] == fmt(base + datetime.timedelta(hours=2) + datetime.timedelta(days=3))
    assert body["reminders"] == [{"reminder": fmt(base - datetime.timedelta(hours=1) + datetime.timedelta(days=4)),
                                  "relative_period": 0, "relative_to": ""}]
    again = ok(call(server, "GET", "/tasks/%d" % t["id"], token=owner["token"]))
    assert again["due_date"] == body["due_date"] and again["done"] is False
    # a later edit keeps the done_at stamp of the last repetition
    again["title"] = "renamed"
    edited = ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=again))
    assert edited["done_at"] == body["done_at"] and edited["due_date"] == body["due_date"]


def test_default_mode_future_date_moves_one_interval(server, owner, project):
    due = now() + datetime.timedelta(days=10)
    t = new_task(server, owner, project["id"], repeat_after=3600, due_date=fmt(due),
                 reminders=[{"relative_period": -600, "relative_to": "due_date"}])
    body = mark_done(server, owner, t)
    assert body["due_date"] == fmt(due + datetime.timedelta(hours=1))
    # relative reminders follow the new due date
    assert body["reminders"] == [{"reminder": fmt(due + datetime.timedelta(hours=1) - datetime.timedelta(minutes=10)),
                                  "relative_period": -600, "relative_to": "due_date"}]


def test_monthly_mode(server, owner, project):
    t = new_task(server, owner, project["id"], repeat_mode=1, due_date="2030-01-31T10:00:00Z",
                 start_date="2030-01-15T08:00:00Z", end_date="2030-01-16T09:00:00Z",
                 reminders=[{"reminder": "2030-01-30T10:00:00Z"}])
    body = mark_done(server, owner, t)
    assert body["done"] is False and body["done_at"] != ZERO
    assert body["repeat_mode"] == 1
    # Go normalises Feb 31 to Mar 3.
    assert body["due_date"] == "2030-03-03T10:00:00Z"
    assert body["start_date"] == "2030-02-15T08:00:00Z"
    assert body["end_date"] == "2030-02-16T09:00:00Z"
    assert body["reminders"][0]["reminder"] == "2030-03-02T10:00:00Z"


def test_from_current_date_mode(server, owner, project):
    due = datetime.datetime(2020, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
    t = new_task(server, owner, project["id"], repeat_mode=2, repeat_after=2 * DAY, due_date=fmt(due),
                 start_date=fmt(due - datetime.timedelta(days=1)), end_date=fmt(due + datetime.timedelta(hours=5)),
                 reminders=[{"reminder": fmt(due - datetime.timedelta(hours=3))},
                            {"reminder": fmt(due - datetime.timedelta(hours=1))}])
    before = now()
    body = mark_done(server, owner, t)
    after = now()
    new_due = parse_time(body["due_date"])
    assert before + datetime.timedelta(days=2) <= new_due <= after + datetime.timedelta(days=2)
    assert parse_time(body["start_date"]) == new_due - datetime.timedelta(days=1)
    assert parse_time(body["end_date"]) == new_due + datetime.timedelta(hours=5)
    # the earliest reminder lands on now + interval, the other keeps its distance to it
    first, second = [parse_time(r["reminder"]) for r in body["reminders"]]
    assert before + datetime.timedelta(days=2) <= first <= after + datetime.timedelta(days=2)
    assert second - first == datetime.timedelta(hours=2)
    assert body["done"] is False


def test_from_current_date_without_interval_closes(server, owner, project):
    t = new_task(server, owner, project["id"], repeat_mode=2, due_date="2030-01-01T00:00:00Z")
    body = mark_done(server, owner, t)
    assert body["done"] is True and body["due_date"] == "2030-01-01T00:00:00Z"


def test_repeat_unchecks_checklist_and_can_be_closed_after(server, owner, project):
    desc = ('<ul data-type="taskList"><li data-checked="true" data-type="taskItem">a</li>'
            '<li data-checked="false" data-type="taskItem">b</li></ul>'
            '<p><input type="checkbox" checked="checked"> c <input type="checkbox" checked> d</p>')
    t = new_task(server, owner, project["id"], repeat_after=DAY, due_date="2030-01-01T00:00:00Z", description=desc)
    body = mark_done(server, owner, t)
    assert 'data-checked="true"' not in body["description"]
    assert body["description"].count('data-checked="false"') == 2
    assert "checked" not in body["description"].replace("data-checked", "")
    # Switching the repeat off, then done: it closes.
    body["repeat_after"] = 0
    body["done"] = False
    body = ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body))
    closed = mark_done(server, owner, body)
    assert closed["done"] is True


def test_undone_repeating_task_stays_undone(server, owner, project):
    t = new_task(server, owner, project["id"], repeat_after=DAY, due_date="2030-01-01T00:00:00Z")
    body = dict(t)
    body["done"] = False
    same = ok(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body))
    assert same["due_date"] == "2030-01-01T00:00:00Z" and same["done_at"] == ZERO


def test_repeat_after_bounds(server, owner, project):
    t = new_task(server, owner, project["id"])
    body = dict(t)
    body["repeat_after"] = 315360001
    assert_error(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body), 400, 4029)
    body["repeat_after"] = -1
    assert_error(call(server, "POST", "/tasks/%d" % t["id"], token=owner["token"], json=body), 412, 2002)
