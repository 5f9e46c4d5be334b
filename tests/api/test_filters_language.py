"""The task filter language through GET /projects/{project}/tasks and GET /tasks (spec §1.6, §1.7;
client-usage A.1 task rows, A.8, D.16, D.17).

Behaviour checked against Vikunja's pkg/models/task_collection_filter.go (preprocessFilterString,
getTaskFiltersFromFilterString, getValueForField, parseTimeFromUserInput), task_search.go
(convertFiltersToDBFilterCond, sub-table filters, include-nulls), tasks.go (getFilterCond), fexpr v0.6 and
go-datemath.
"""

import datetime

import pytest
from task_lists_seed import assign, label, listing, project, task, titles, uid
from wire import assert_error, call


@pytest.fixture
def prio(server, owner):
    """A project with tasks p0..p4 (priority = n) and one done task `done3` (priority 3)."""
    p = project(server, owner)
    for n in range(5):
        task(server, owner, p["id"], "p%d" % n, priority=n)
    task(server, owner, p["id"], "done3", priority=3, done=True)
    return p


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


@pytest.mark.parametrize("flt, expected", [
    ("priority = 2", ["p2"]),
    ("priority != 2", ["p0", "p1", "p3", "p4", "done3"]),
    ("priority > 2", ["p3", "p4", "done3"]),
    ("priority >= 3", ["p3", "p4", "done3"]),
    ("priority < 2", ["p0", "p1"]),
    ("priority <= 1", ["p0", "p1"]),
    ("priority in 1, 3", ["p1", "p3", "done3"]),
    ("priority in 1,3", ["p1", "p3", "done3"]),
    ("priority ?= 1,3", ["p1", "p3", "done3"]),
    ("priority not in 0, 1, 2", ["p3", "p4", "done3"]),
    ("priority ?!= 0,1,2", ["p3", "p4", "done3"]),
    ("done = true", ["done3"]),
    ("done = false && priority >= 3", ["p3", "p4"]),
    ("done=false && priority>=3", ["p3", "p4"]),
    ("done = 'false' && priority = \"4\"", ["p4"]),
    ("title like done", ["done3"]),
    ("title ~ 'p'", ["p0", "p1", "p2", "p3", "p4"]),
    ("title = p1 || title = p2", ["p1", "p2"]),
    ("project = %(p)d && priority = 0", ["p0"]),
    ("project_id = %(p)d && priority = 0", ["p0"]),
    ("project_id != %(p)d", []),
    ("id > 0 && index = 2", ["p1"]),
])
def test_operators(server, owner, prio, flt, expected):
    flt = flt % {"p": prio["id"]} if "%(p)d" in flt else flt
    assert titles(server, owner, prio["id"], filter=flt) == expected


def test_left_to_right_precedence_and_parentheses(server, owner, prio):
    p = prio["id"]
    # a && b || c  = (a && b) || c
    assert titles(server, owner, p, filter="done = true && priority = 3 || priority = 0") == ["p0", "done3"]
    # a || b && c  = (a || b) && c, unlike SQL's AND-before-OR
    assert titles(server, owner, p, filter="priority = 0 || priority = 3 && done = true") == ["done3"]
    assert titles(server, owner, p, filter="priority = 0 || (priority = 3 && done = true)") == ["p0", "done3"]
    assert titles(server, owner, p, filter="((priority = 1 || priority = 2) && done = false) || (title = p4)") == \
        ["p1", "p2", "p4"]
    assert titles(server, owner, p, filter="( done = false || priority = 3 )") == ["p0", "p1", "p2", "p3", "p4", "done3"]


def test_empty_params_mean_unset(server, owner, prio):
    everything = ["p0", "p1", "p2", "p3", "p4", "done3"]
    assert titles(server, owner, prio["id"], filter="", s="", filter_timezone="") == everything
    # The zone is only checked when there is a filter (Vikunja loads it after parsing).
    assert titles(server, owner, prio["id"], filter_timezone="Not/AZone") == everything


@pytest.mark.parametrize("flt, code", [
    ("foo = 1", 4016),
    ("done = false && invalid = 3", 4016),
    ("repeat_mode = 1", 4016),
    ("dueDate < now", 4016),  # the frontend converts camelCase before sending; the server does not
    ("label_id = 1", 4016),
    ("done !~ true", 4017),
    ("priority ?> 3", 4017),
    ("priority = abc", 4019),
    ("done = maybe", 4019),
    ("due_date < no", 4019),
    ("due_date < 2026-03-04 10:30:00", 4019),
    ("labels in 1, x", 4019),
    ("priority like 5", 4019),
    ("project = 5labels in 1, 2", 4019),  # the frontend's missing-&& bug
    ("done = false &&", 4024),
    ("done = false & priority = 1", 4024),
    ("(done = false", 4024),
    ("done", 4024),
    ("()", 4024),
    (" ", 4024),
])
def test_errors(server, owner, prio, flt, code):
    r = listing(server, owner, "/projects/%d/tasks" % prio["id"], status=400, filter=flt)
    assert_error(r, 400, code)
    r = listing(server, owner, "/tasks", status=400, filter=flt)
    assert_error(r, 400, code)


def test_invalid_timezone_is_2003(server, owner, prio):
    r = listing(server, owner, "/tasks", status=400, filter="done = false", filter_timezone="Mars/Olympus")
    assert_error(r, 400, 2003)


def test_invalid_include_nulls_is_invalid_model(server, owner, prio):
    r = listing(server, owner, "/tasks", status=400, filter="done = false", filter_include_nulls="perhaps")
    assert_error(r, 400, 2004)


@pytest.fixture
def dated(server, owner):
    """Tasks due yesterday, in 3 days and in 20 days, and one without a due date."""
    p = project(server, owner)
    now = now_utc()
    task(server, owner, p["id"], "yesterday", due_date=iso(now - datetime.timedelta(days=1)))
    task(server, owner, p["id"], "soon", due_date=iso(now + datetime.timedelta(days=3)))
    task(server, owner, p["id"], "later", due_date=iso(now + datetime.timedelta(days=20)))
    task(server, owner, p["id"], "undated")
    return p


@pytest.mark.parametrize("flt, expected", [
    ("due_date < now", ["yesterday"]),
    ("due_date > now", ["soon", "later"]),
    ("due_date > now && due_date < now+7d", ["soon"]),
    ("due_date < now/d+7d && done = false", ["yesterday", "soon"]),
    ("due_date > now-2d && due_date < now+1w", ["yesterday", "soon"]),
    ("due_date > 'now+10d'", ["later"]),
    ("due_date > 2000-01-01", ["yesterday", "soon", "later"]),
    ("due_date > \"2000-01-01\"", ["yesterday", "soon", "later"]),
    ("due_date > 2000-1-1", ["yesterday", "soon", "later"]),
    ("due_date > 2000-01-01 10:00", ["yesterday", "soon", "later"]),
    ("due_date < 1999-12-31", []),
])
def test_dates(server, owner, dated, flt, expected):
    assert titles(server, owner, dated["id"], filter=flt) == expected


def test_quoted_iso_dates_as_the_frontend_sends_them(server, owner, dated):
    now = now_utc()
    lo = (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    hi = (now + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    flt = "done = false && due_date < '%s' && due_date > '%s'" % (hi, lo)
    assert titles(server, owner, dated["id"], filter=flt) == ["soon"]
    # Offsets are honoured.
    hi_offset = (now + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    assert titles(server, owner, dated["id"], filter="due_date > now && due_date < '%s'" % hi_offset) == ["soon"]


def test_gantt_filter_with_include_nulls(server, owner, dated):
    now = now_utc()
    a = (now - datetime.timedelta(days=2)).strftime("%Y-%m-%d")
    b = (now + datetime.timedelta(days=5)).strftime("%Y-%m-%d")
    flt = ('((start_date >= "{a}" && start_date <= "{b}") || (end_date >= "{a}" && end_date <= "{b}") || '
           '(due_date >= "{a}" && due_date <= "{b}") || (start_date <= "{a}" && end_date >= "{b}"))').format(a=a, b=b)
    assert titles(server, owner, dated["id"], filter=flt) == ["yesterday", "soon"]
    # include_nulls: a NULL in any compared column matches (the undated task has no dates at all).
    assert titles(server, owner, dated["id"], filter=flt, filter_include_nulls="true") == \
        ["yesterday", "soon", "later", "undated"]


def test_include_nulls(server, owner, dated):
    p = dated["id"]
    assert titles(server, owner, p, filter="due_date < now") == ["yesterday"]
    assert titles(server, owner, p, filter="due_date < now", filter_include_nulls="true") == ["yesterday", "undated"]
    assert titles(server, owner, p, filter="due_date < now", filter_include_nulls="false") == ["yesterday"]
    # Numeric fields also match 0.
    t = task(server, owner, p, "prio2", priority=2)
    assert titles(server, owner, p, filter="priority = 2") == ["prio2"]
    assert titles(server, owner, p, filter="priority = 2", filter_include_nulls="true") == \
        ["yesterday", "soon", "later", "undated", "prio2"]
    assert t["priority"] == 2


def test_filter_timezone(server, owner):
    p = project(server, owner)
    task(server, owner, p["id"], "early", due_date="2030-01-01T03:00:00Z")
    # Midnight UTC is before the task; midnight in New York (05:00 UTC) is after it.
    assert titles(server, owner, p["id"], filter="due_date < 2030-01-01") == []
    assert titles(server, owner, p["id"], filter="due_date < 2030-01-01", filter_timezone="UTC") == []
    assert titles(server, owner, p["id"], filter="due_date < 2030-01-01",
                  filter_timezone="America/New_York") == ["early"]
    assert titles(server, owner, p["id"], filter="due_date < 2030-01-01 04:00",
                  filter_timezone="Europe/London") == ["early"]
    # A zone in the value wins over filter_timezone.
    assert titles(server, owner, p["id"], filter="due_date < '2030-01-01T00:00:00Z'",
                  filter_timezone="America/New_York") == []


def test_labels(server, owner):
    p = project(server, owner)
    a = task(server, owner, p["id"], "a")
    b = task(server, owner, p["id"], "b")
    task(server, owner, p["id"], "none")
    l1 = label(server, owner, [a["id"], b["id"]])
    l2 = label(server, owner, [b["id"]])
    pid = p["id"]
    assert titles(server, owner, pid, filter="labels = %d" % l1["id"]) == ["a", "b"]
    assert titles(server, owner, pid, filter="labels = %d && labels = %d" % (l1["id"], l2["id"])) == ["b"]
    assert titles(server, owner, pid, filter="labels in %d, %d" % (l1["id"], l2["id"])) == ["a", "b"]
    assert titles(server, owner, pid, filter="labels != %d" % l2["id"]) == ["a", "none"]
    assert titles(server, owner, pid, filter="labels not in %d" % l1["id"]) == ["none"]
    assert titles(server, owner, pid, filter="labels = %d" % l2["id"], filter_include_nulls="true") == ["b", "none"]
    assert titles(server, owner, pid, filter="done = false && labels in %d" % l2["id"]) == ["b"]


def test_assignees(server, owner):
    p = project(server, owner)
    a = task(server, owner, p["id"], "mine")
    task(server, owner, p["id"], "nobody")
    assign(server, owner, a["id"], owner["id"])
    name = owner["username"]
    pid = p["id"]
    assert titles(server, owner, pid, filter="assignees = %s" % name) == ["mine"]
    assert titles(server, owner, pid, filter="assignees in %s, someone_else" % name) == ["mine"]
    assert titles(server, owner, pid, filter="assignees != %s" % name) == ["nobody"]
    assert titles(server, owner, pid, filter="assignees = nobody_at_all") == []
    assert titles(server, owner, pid, filter="assignees = nobody_at_all", filter_include_nulls="true") == ["nobody"]
    # Vikunja drops `assignees like …` from the filter.
    assert titles(server, owner, pid, filter="assignees like %s" % name[:3]) == ["mine", "nobody"]
    # The default "My Open Tasks" filter string.
    assert titles(server, owner, pid, filter="done = false && assignees = %s" % name) == ["mine"]


def test_reminders(server, owner):
    p = project(server, owner)
    now = now_utc()
    task(server, owner, p["id"], "remind", reminders=[{"reminder": iso(now + datetime.timedelta(days=2))}])
    task(server, owner, p["id"], "past", reminders=[{"reminder": iso(now - datetime.timedelta(days=2))}])
    task(server, owner, p["id"], "silent")
    pid = p["id"]
    assert titles(server, owner, pid, filter="reminders > now") == ["remind"]
    assert titles(server, owner, pid, filter="reminders > now-3d && reminders < now+3d") == ["remind", "past"]
    assert titles(server, owner, pid, filter="reminders > now", filter_include_nulls="true") == ["remind", "silent"]


def test_bucket_id_without_view(server, owner):
    p = project(server, owner)
    t = task(server, owner, p["id"], "t")
    kanban = p["views"][3]
    buckets = listing(server, owner, "/projects/%d/views/%d/buckets" % (p["id"], kanban["id"]))
    todo = buckets[0]["id"]
    assert titles(server, owner, p["id"], filter="bucket_id = %d" % todo) == ["t"]
    assert titles(server, owner, p["id"], filter="bucket_id = %d" % buckets[1]["id"]) == []
    assert t["id"] > 0


def test_get_tasks_with_frontend_strings(server, owner, prio):
    # Home page and upcoming (client-usage A.1).
    r = listing(server, owner, "/tasks", sort_by=["due_date", "id"], order_by=["asc", "desc"],
                filter="done = false", filter_include_nulls="false", s="", expand=["comment_count", "is_unread"],
                filter_timezone="Europe/Berlin", page=1)
    assert [t["title"] for t in r] == ["p4", "p3", "p2", "p1", "p0"]
    # Quick actions: a leading space before `project`.
    r = listing(server, owner, "/tasks", s="", sort_by="done", filter=" project = %d" % prio["id"], page=1)
    assert sorted(t["title"] for t in r) == ["done3", "p0", "p1", "p2", "p3", "p4"]
    assert r[-1]["title"] == "done3"  # done sorts after not done
    # Multi-line quick add: the last index.
    r = listing(server, owner, "/tasks", sort_by="id", order_by="desc", per_page=1, filter="project_id = %d" % prio["id"])
    assert [t["title"] for t in r] == ["done3"]
    # The `key[]=` form.
    r = call(server, "GET", "/tasks?sort_by[]=priority&order_by[]=desc&filter=done%3Dfalse&filter=ignored&per_page=2",
             token=owner["token"])
    assert r.status_code == 200, r.text
    assert [t["title"] for t in r.json()] == ["p4", "p3"]


def test_value_with_in_inside_quotes(server, owner):
    p = project(server, owner)
    task(server, owner, p["id"], "stuff in progress")
    task(server, owner, p["id"], "other")
    assert titles(server, owner, p["id"], filter="title like 'stuff in progress'") == ["stuff in progress"]
    assert titles(server, owner, p["id"], filter='title = "stuff in progress"') == ["stuff in progress"]
    assert titles(server, owner, p["id"], filter="title = stuff in progress") == []  # ` in ` became ?=


@pytest.mark.parametrize("flt", [
    "id = 1", "title = x", "description like x", "done = 1", "done_at > 2020-01-01", "due_date in now, now+1d",
    "created_by_id = 1", "project_id not in 1, 2", "repeat_after = 0", "priority >= 0", "start_date < now",
    "end_date > now-1y", "hex_color = ff0000", "percent_done > 0.5", "created > now-1h", "updated <= now",
    "position > 1", "bucket_id > 0", "index in 1, 2", "assignees > a", "labels > 0", "labels in 1",
    "reminders in now, now+1d", "reminders > now-1d && reminders < now+1d && labels > 0",
    "due_date > 1700000000000", "due_date > 2024", "due_date < now/M-1M", "due_date < now+1b/d",
])
@pytest.mark.parametrize("include_nulls", ["false", "true"])
def test_every_field_compiles_on_both_engines(server, owner, prio, flt, include_nulls):
    table = next(v for v in prio["views"] if v["view_kind"] == "table")
    r = listing(server, owner, "/projects/%d/views/%d/tasks" % (prio["id"], table["id"]), status=0, filter=flt,
                filter_include_nulls=include_nulls)
    assert r.status_code == 200, r.text
    r = listing(server, owner, "/tasks", status=0, filter=flt, filter_include_nulls=include_nulls)
    assert r.status_code == 200, r.text


def test_uid_never_validates(server, owner, prio):
    # Vikunja looks the field up as Go's "Uid", which does not exist: every value is invalid.
    assert_error(listing(server, owner, "/tasks", status=400, filter="uid = abc"), 400, 4019)


def test_long_filters(server, owner, prio):
    many = " || ".join("priority = %d" % n for n in range(500))
    assert titles(server, owner, prio["id"], filter=many) == ["p0", "p1", "p2", "p3", "p4", "done3"]
    assert titles(server, owner, prio["id"], filter=many.replace("||", "&&")) == []
    r = listing(server, owner, "/tasks", status=400, filter=many + " || priority = 500")
    assert_error(r, 400, 4024)
    deep = "(" * 60 + "priority = 1" + ")" * 60
    assert titles(server, owner, prio["id"], filter=deep) == ["p1"]
