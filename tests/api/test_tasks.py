"""Single tasks: create, read one (also by index), full-replace update, soft delete, bulk update, position,
duplicate and mark-as-read (spec §1.3, §1.4, §2.5, §3.5; client-usage D.13, D.14, D.34).

Behaviour checked against Vikunja's pkg/models/tasks.go (createTasks, updateSingleTask, updateReminders,
Delete, ReadOne), tasks_permissions.go, bulk_task.go, task_position.go, task_duplicate.go,
task_unread_statuses.go and pkg/routes/resolve_project.go.
"""

import threading
import uuid

import pytest
from wire import RFC3339, assert_error, call

ZERO = "0001-01-01T00:00:00Z"

TASK_KEYS = ["id", "title", "description", "done", "done_at", "due_date", "reminders", "project_id",
             "repeat_after", "repeat_mode", "priority", "start_date", "end_date", "assignees", "labels",
             "hex_color", "percent_done", "identifier", "index", "related_tasks", "attachments",
             "cover_image_attachment_id", "is_favorite", "created", "updated", "bucket_id", "position",
             "reactions", "created_by"]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def uid(prefix="x"):
    return prefix + "-" + uuid.uuid4().hex[:8]


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def new_project(server, user, **fields):
    body = {"title": uid("project")}
    body.update(fields)
    return ok(call(server, "PUT", "/projects", token=user["token"], json=body), 201)


def create(server, user, pid, /, **fields):
    body = {"title": uid("task")}
    body.update(fields)
    return call(server, "PUT", "/projects/%d/tasks" % pid, token=user["token"], json=body)


def new_task(server, user, pid, /, **fields):
    return ok(create(server, user, pid, **fields), 201)


def get(server, user, task_id, **params):
    return call(server, "GET", "/tasks/%s" % task_id, token=user["token"], params=params)


def update(server, user, task_id, body):
    return call(server, "POST", "/tasks/%s" % task_id, token=user["token"], json=body)


@pytest.fixture
def project(server, owner):
    return new_project(server, owner)


# ---------------------------------------------------------------------------------------
# create
# ---------------------------------------------------------------------------------------

def test_create_returns_full_task_in_vikunja_key_order(server, owner, project):
    r = create(server, owner, project["id"], title="Buy milk", description="<p>2 l</p>", priority=3,
               hex_color="#ff00aa", percent_done=0.5, due_date="2030-01-02T03:04:05Z")
    t = ok(r, 201)
    assert list(t.keys()) == TASK_KEYS
    assert t["title"] == "Buy milk"
    assert t["description"] == "<p>2 l</p>"
    assert t["project_id"] == project["id"]
    assert t["priority"] == 3
    assert t["hex_color"] == "ff00aa"
    assert t["percent_done"] == 0.5
    assert t["due_date"] == "2030-01-02T03:04:05Z"
    assert t["start_date"] == ZERO and t["end_date"] == ZERO and t["done_at"] == ZERO
    assert t["index"] == 1 and t["identifier"] == "#1"
    assert t["assignees"] is None and t["labels"] is None and t["attachments"] is None
    assert t["reminders"] is None and t["reactions"] is None
    assert t["related_tasks"] == {}
    assert t["done"] is False and t["is_favorite"] is False
    assert t["created_by"]["id"] == owner["id"] and t["created_by"]["username"] == owner["username"]
    assert RFC3339.match(t["created"]) and RFC3339.match(t["updated"])


def test_create_ignores_read_only_and_unknown_keys(server, owner, project):
    other = new_project(server, owner)
    t = new_task(server, owner, project["id"], id=999999, project_id=other["id"], identifier="X-1",
                 labels=[{"id": 1}], created="2001-01-01T00:00:00Z", bogus={"a": 1}, done_at="2001-01-01T00:00:00Z")
    assert t["id"] != 999999
    assert t["project_id"] == project["id"]
    assert t["labels"] is None
    assert t["created"] != "2001-01-01T00:00:00Z"
    assert t["done_at"] == ZERO


def test_create_accepts_null_for_every_field(server, owner, project):
    body = {k: None for k in ["description", "done", "due_date", "reminders", "repeat_after", "repeat_mode",
                              "priority", "start_date", "end_date", "assignees", "labels", "hex_color",
                              "percent_done", "bucket_id", "position", "is_favorite", "index",
                              "cover_image_attachment_id", "subscription", "related_tasks"]}
    t = new_task(server, owner, project["id"], **body)
    assert t["due_date"] == ZERO and t["reminders"] is None and t["assignees"] is None


def test_identifier_uses_project_identifier(server, owner):
    p = new_project(server, owner, identifier="TST" + uuid.uuid4().hex[:4].upper())
    t = new_task(server, owner, p["id"])
    assert t["identifier"] == p["identifier"] + "-1"


def test_title_required(server, owner, project):
    assert_error(create(server, owner, project["id"], title=""), 400, 4001)
    r = call(server, "PUT", "/projects/%d/tasks" % project["id"], token=owner["token"], json={})
    assert_error(r, 400, 4001)


def test_create_validation(server, owner, project):
    body = assert_error(create(server, owner, project["id"], hex_color="#12345678"), 412, 2002)
    assert body["invalid_fields"][0].startswith("hex_color")
    assert_error(create(server, owner, project["id"], repeat_after=-1), 412, 2002)
    assert_error(create(server, owner, project["id"], repeat_after=315360001), 400, 4029)
    assert new_task(server, owner, project["id"], repeat_after=315360000)["repeat_after"] == 315360000


@pytest.mark.parametrize("field,value", [("title", 5), ("done", "yes"), ("priority", "high"),
                                         ("due_date", "tomorrow"), ("reminders", {"a": 1}),
                                         ("assignees", 3), ("percent_done", "x"), ("priority", 1.5)])
def test_wrong_json_types_are_400_2004(server, owner, project, field, value):
    assert_error(create(server, owner, project["id"], **{field: value}), 400, 2004)


def test_malformed_body_is_400_2004(server, owner, project):
    r = call(server, "PUT", "/projects/%d/tasks" % project["id"], token=owner["token"], data="{nope",
             headers={"Content-Type": "application/json"})
    assert_error(r, 400, 2004)


def test_create_in_unknown_or_foreign_project(server, owner, new_user, project):
    assert_error(create(server, owner, 999999999), 404, 3001)
    stranger = new_user()
    assert_error(create(server, stranger, project["id"]), 403, 0)
    r = call(server, "PUT", "/projects/abc/tasks", token=owner["token"], json={"title": "x"})
    assert_error(r, 400, 2004)
    assert_error(create(server, owner, -1), 403, 0)


def test_create_in_archived_project(server, owner):
    p = new_project(server, owner)
    p["is_archived"] = True
    ok(call(server, "POST", "/projects/%d" % p["id"], token=owner["token"], json=p))
    assert_error(create(server, owner, p["id"]), 412, 3008)


def test_index_counts_soft_deleted_tasks_and_honours_free_index(server, owner, project):
    t1 = new_task(server, owner, project["id"])
    t2 = new_task(server, owner, project["id"])
    assert (t1["index"], t2["index"]) == (1, 2)
    ok(call(server, "DELETE", "/tasks/%d" % t2["id"], token=owner["token"]))
    assert new_task(server, owner, project["id"])["index"] == 3
    assert new_task(server, owner, project["id"], index=10)["index"] == 10
    # taken (10) → next free after the maximum
    assert new_task(server, owner, project["id"], index=10)["index"] == 11
    assert new_task(server, owner, project["id"], index=-5)["index"] == 12
    # An index a later MAX + 1 would overflow is not honoured, so the project keeps taking tasks.
    assert new_task(server, owner, project["id"], index=2**63 - 1)["index"] == 13
    assert new_task(server, owner, project["id"])["index"] == 14


def test_concurrent_creates_get_distinct_indexes(server, owner, project):
    results = []
    lock = threading.Lock()

    def worker(i):
        r = create(server, owner, project["id"], title="parallel %d" % i)
        with lock:
            results.append(r)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert all(r.status_code == 201 for r in results), [(r.status_code, r.text) for r in results]
    indexes = sorted(r.json()["index"] for r in results)
    assert indexes == list(range(1, 21))


def test_create_with_reminders(server, owner, project):
    t = new_task(server, owner, project["id"], due_date="2030-05-10T12:00:00Z", reminders=[
        {"reminder": "2030-05-09T12:00:00Z"},
        {"relative_period": -3600, "relative_to": "due_date"},
        {"reminder": "2030-05-09T12:00:00Z"},  # duplicate time → one
        {"reminder": "2030-05-01T00:00:00+02:00", "relative_to": None},
    ])
    assert t["reminders"] == [
        {"reminder": "2030-04-30T22:00:00Z", "relative_period": 0, "relative_to": ""},
        {"reminder": "2030-05-09T12:00:00Z", "relative_period": 0, "relative_to": ""},
        {"reminder": "2030-05-10T11:00:00Z", "relative_period": -3600, "relative_to": "due_date"},
    ]
    r = create(server, owner, project["id"], reminders=[{"relative_period": 60}])
    assert_error(r, 400, 4022)


def test_create_with_assignees_and_favorite(server, owner, new_user, project):
    stranger = new_user()
    t = new_task(server, owner, project["id"], assignees=[{"id": owner["id"]}], is_favorite=True)
    assert [a["id"] for a in t["assignees"]] == [owner["id"]]
    assert t["is_favorite"] is True
    assert_error(create(server, owner, project["id"], assignees=[{"id": stranger["id"]}]), 403, 7003)
    assert_error(create(server, owner, project["id"], assignees=[{"id": 999999999}]), 404, 1005)


def test_create_done_sets_done_at(server, owner, project):
    t = new_task(server, owner, project["id"], done=True)
    assert t["done"] is True and t["done_at"] != ZERO


# ---------------------------------------------------------------------------------------
# read one
# ---------------------------------------------------------------------------------------

def test_read_one_with_max_permission(server, owner, project):
    t = new_task(server, owner, project["id"])
    r = get(server, owner, t["id"])
    body = ok(r)
    assert r.headers["x-max-permission"] == "2"
    assert list(body.keys()) == TASK_KEYS
    assert body["id"] == t["id"] and body["identifier"] == t["identifier"]
    assert "x-max-permission" in r.headers.get("Access-Control-Expose-Headers", "x-max-permission").lower()


def test_read_one_errors(server, owner, new_user, project):
    t = new_task(server, owner, project["id"])
    stranger = new_user()
    assert_error(get(server, stranger, t["id"]), 403, 0)
    assert_error(get(server, owner, 999999999), 404, 4002)
    assert_error(get(server, owner, 0), 404, 4002)
    assert_error(get(server, owner, -3), 404, 4002)
    assert_error(get(server, owner, "abc"), 400, 2004)
    assert_error(get(server, owner, "99999999999999999999999"), 400, 2004)


def test_read_one_expand(server, owner, project):
    t = new_task(server, owner, project["id"])
    body = ok(get(server, owner, t["id"], expand=["comment_count", "is_unread", "reactions", "buckets",
                                                    "comments", "subtasks"]))
    assert body["comment_count"] == 0
    assert "is_unread" not in body  # Vikunja only ever sends is_unread: true
    assert body["reactions"] is None
    assert "comments" not in body
    kanban = [v for v in project["views"] if v["view_kind"] == "kanban"][0]
    assert [b["id"] for b in body["buckets"]] == [kanban["default_bucket_id"]]
    keys = list(body.keys())
    assert keys.index("bucket_id") < keys.index("buckets") < keys.index("comment_count") < keys.index("position")
    assert_error(get(server, owner, t["id"], expand="everything"), 412, 2002)


def test_by_index(server, owner, new_user):
    ident = "BI" + uuid.uuid4().hex[:5].upper()
    p = new_project(server, owner, identifier=ident)
    new_task(server, owner, p["id"])
    t2 = new_task(server, owner, p["id"])
    r = call(server, "GET", "/projects/%d/tasks/by-index/2" % p["id"], token=owner["token"])
    assert ok(r)["id"] == t2["id"]
    assert r.headers["x-max-permission"] == "2"
    r = call(server, "GET", "/projects/%s/tasks/by-index/2" % ident.lower(), token=owner["token"])
    assert ok(r)["id"] == t2["id"]
    r = call(server, "GET", "/projects/%d/tasks/by-index/99" % p["id"], token=owner["token"])
    assert_error(r, 404, 4002)
    r = call(server, "GET", "/projects/NOPE%s/tasks/by-index/1" % uuid.uuid4().hex[:4], token=owner["token"])
    assert r.status_code == 404 and r.json() == {"message": "Project not found"}
    r = call(server, "GET", "/projects/%d/tasks/by-index/x" % p["id"], token=owner["token"])
    assert_error(r, 400, 2004)
    r = call(server, "GET", "/projects/-1/tasks/by-index/1", token=owner["token"])
    assert_error(r, 404, 4002)
    r = call(server, "GET", "/projects/%d/tasks/by-index/-2" % p["id"], token=owner["token"])
    assert_error(r, 404, 4002)
    r = call(server, "GET", "/projects/99999999999999999999/tasks/by-index/1", token=owner["token"])
    assert r.status_code == 404 and r.json() == {"message": "Project not found"}
    stranger = new_user()
    r = call(server, "GET", "/projects/%d/tasks/by-index/2" % p["id"], token=stranger["token"])
    assert_error(r, 403, 0)
    ok(call(server, "DELETE", "/tasks/%d" % t2["id"], token=owner["token"]))
    r = call(server, "GET", "/projects/%d/tasks/by-index/2" % p["id"], token=owner["token"])
    assert_error(r, 404, 4002)


# ---------------------------------------------------------------------------------------
# update (full replace)
# ---------------------------------------------------------------------------------------

def test_update_is_a_full_replace(server, owner, project):
    t = new_task(server, owner, project["id"], description="d", priority=4, hex_color="abcdef", percent_done=0.3,
                 due_date="2030-01-01T00:00:00Z", start_date="2029-12-01T00:00:00Z", repeat_after=3600,
                 assignees=[{"id": owner["id"]}], is_favorite=True,
                 reminders=[{"reminder": "2029-12-31T00:00:00Z"}])
    r = update(server, owner, t["id"], {"title": "only the title"})
    body = ok(r)
    assert body["title"] == "only the title"
    assert body["description"] == "" and body["priority"] == 0 and body["hex_color"] == ""
    assert body["percent_done"] == 0 and body["repeat_after"] == 0
    assert body["due_date"] == ZERO and body["start_date"] == ZERO
    assert body["assignees"] is None and body["reminders"] is None and body["is_favorite"] is False
    assert body["index"] == t["index"] and body["project_id"] == project["id"]
    again = ok(get(server, owner, t["id"]))
    assert again["assignees"] is None and again["description"] == ""


def test_update_keeps_title_when_empty_and_labels_untouched(server, owner, project):
    t = new_task(server, owner, project["id"], title="keep me")
    label = call(server, "PUT", "/labels", token=owner["token"], json={"title": uid("l")})
    if label.status_code == 201:
        ok(call(server, "PUT", "/tasks/%d/labels" % t["id"], token=owner["token"],
                json={"label_id": label.json()["id"]}), 201)
    body = ok(update(server, owner, t["id"], {"title": "", "labels": None}))
    assert body["title"] == "keep me"
    if label.status_code == 201:
        assert [l["id"] for l in body["labels"]] == [label.json()["id"]]


def test_update_round_trip_of_the_read_object(server, owner, project):
    t = new_task(server, owner, project["id"], due_date="2030-01-01T10:00:00Z", priority=2,
                 assignees=[{"id": owner["id"]}], reminders=[{"relative_period": -60, "relative_to": "due_date"}])
    full = ok(get(server, owner, t["id"]))
    full["title"] = "edited"
    body = ok(update(server, owner, t["id"], full))
    assert body["title"] == "edited" and body["priority"] == 2
    assert [a["id"] for a in body["assignees"]] == [owner["id"]]
    assert body["reminders"] == [{"reminder": "2030-01-01T09:59:00Z", "relative_period": -60,
                                  "relative_to": "due_date"}]
    assert body["updated"] >= t["updated"]


def test_update_done_sets_and_clears_done_at(server, owner, project):
    t = new_task(server, owner, project["id"])
    body = ok(update(server, owner, t["id"], {"title": t["title"], "done": True}))
    assert body["done"] is True and body["done_at"] != ZERO
    same = ok(update(server, owner, t["id"], {"title": t["title"], "done": True, "done_at": ZERO}))
    assert same["done_at"] == body["done_at"]
    body = ok(update(server, owner, t["id"], {"title": t["title"], "done": False}))
    assert body["done"] is False and body["done_at"] == ZERO


def test_update_errors(server, owner, new_user, project):
    t = new_task(server, owner, project["id"])
    stranger = new_user()
    assert_error(update(server, stranger, t["id"], {"title": "x"}), 403, 0)
    assert_error(update(server, owner, 999999999, {"title": "x"}), 404, 4002)
    assert_error(update(server, owner, "abc", {"title": "x"}), 400, 2004)
    assert_error(update(server, owner, t["id"], {"title": "x", "repeat_after": 10 ** 12}), 400, 4029)
    assert_error(update(server, owner, t["id"], {"title": "x", "cover_image_attachment_id": 12345}), 400, 4020)
    assert_error(update(server, owner, t["id"], {"title": "x", "priority": "high"}), 400, 2004)
    assert_error(update(server, owner, t["id"], {"title": "x", "assignees": [{"id": stranger["id"]}]}), 403, 7003)
    assert_error(update(server, owner, t["id"], {"title": "x", "project_id": 999999999}), 404, 3001)
    foreign = new_project(server, stranger)
    assert_error(update(server, owner, t["id"], {"title": "x", "project_id": foreign["id"]}), 403, 0)


def test_update_moves_task_to_other_project(server, owner, project):
    other = new_project(server, owner)
    new_task(server, owner, other["id"])
    t = new_task(server, owner, project["id"])
    body = ok(update(server, owner, t["id"], {"title": t["title"], "project_id": other["id"]}))
    assert body["project_id"] == other["id"]
    assert body["index"] == 2 and body["identifier"] == "#2"
    kanban = [v for v in other["views"] if v["view_kind"] == "kanban"][0]
    again = ok(get(server, owner, t["id"], expand="buckets"))
    assert [b["id"] for b in again["buckets"]] == [kanban["default_bucket_id"]]


def test_update_bucket_id_has_no_effect(server, owner, project):
    kanban = [v for v in project["views"] if v["view_kind"] == "kanban"][0]
    t = new_task(server, owner, project["id"])
    ok(update(server, owner, t["id"], {"title": t["title"], "bucket_id": kanban["done_bucket_id"]}))
    again = ok(get(server, owner, t["id"], expand="buckets"))
    assert [b["id"] for b in again["buckets"]] == [kanban["default_bucket_id"]]
    assert again["done"] is False


# ---------------------------------------------------------------------------------------
# delete
# ---------------------------------------------------------------------------------------

def test_soft_delete(server, owner, new_user, project):
    t = new_task(server, owner, project["id"])
    stranger = new_user()
    assert_error(call(server, "DELETE", "/tasks/%d" % t["id"], token=stranger["token"]), 403, 0)
    r = call(server, "DELETE", "/tasks/%d" % t["id"], token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert_error(get(server, owner, t["id"]), 404, 4002)
    assert_error(call(server, "DELETE", "/tasks/%d" % t["id"], token=owner["token"]), 404, 4002)
    assert_error(update(server, owner, t["id"], {"title": "x"}), 404, 4002)
    assert_error(call(server, "DELETE", "/tasks/abc", token=owner["token"]), 400, 2004)


# ---------------------------------------------------------------------------------------
# bulk
# ---------------------------------------------------------------------------------------

def bulk(server, user, body):
    return call(server, "POST", "/tasks/bulk", token=user["token"], json=body)


def test_bulk_update(server, owner, project):
    a = new_task(server, owner, project["id"], priority=1, description="keep")
    b = new_task(server, owner, project["id"], priority=1, assignees=[{"id": owner["id"]}])
    r = bulk(server, owner, {"task_ids": [a["id"], b["id"]], "fields": ["priority", "done"],
                             "values": {"priority": 5, "done": True, "title": "ignored"}})
    body = ok(r)
    assert list(body.keys()) == ["task_ids", "fields", "values", "tasks"]
    assert body["task_ids"] == [a["id"], b["id"]] and body["fields"] == ["priority", "done"]
    assert body["values"]["priority"] == 5
    assert [t["id"] for t in body["tasks"]] == [a["id"], b["id"]]
    for t in body["tasks"]:
        assert t["priority"] == 5 and t["done"] is True and t["done_at"] != ZERO
    assert body["tasks"][0]["title"] == a["title"] and body["tasks"][0]["description"] == "keep"
    assert [u["id"] for u in body["tasks"][1]["assignees"]] == [owner["id"]]


def test_bulk_move_project(server, owner, project):
    other = new_project(server, owner)
    a = new_task(server, owner, project["id"])
    body = ok(bulk(server, owner, {"task_ids": [a["id"]], "fields": ["project_id"],
                                   "values": {"project_id": other["id"]}}))
    assert body["tasks"][0]["project_id"] == other["id"] and body["tasks"][0]["index"] == 1


def test_bulk_errors(server, owner, new_user, project):
    a = new_task(server, owner, project["id"])
    stranger = new_user()
    assert_error(bulk(server, owner, {"task_ids": [], "fields": ["done"], "values": {}}), 400, 4004)
    assert_error(bulk(server, owner, {"task_ids": [999999999], "fields": ["done"], "values": {}}), 400, 4004)
    assert_error(bulk(server, owner, {"task_ids": [a["id"]], "fields": ["assignees"], "values": {}}), 400, 4027)
    assert_error(bulk(server, stranger, {"task_ids": [a["id"]], "fields": ["done"], "values": {}}), 403, 0)
    foreign = new_project(server, stranger)
    assert_error(bulk(server, owner, {"task_ids": [a["id"]], "fields": ["project_id"],
                                      "values": {"project_id": foreign["id"]}}), 403, 0)
    assert_error(bulk(server, owner, {"task_ids": "1", "fields": ["done"]}), 400, 2004)
    assert_error(bulk(server, owner, {"task_ids": [a["id"]], "fields": [1]}), 400, 2004)
    assert_error(bulk(server, owner, {"task_ids": [a["id"], 999999999], "fields": ["done"],
                                      "values": {"done": True}}), 404, 4002)
    assert ok(get(server, owner, a["id"]))["done"] is False  # the failed request changed nothing


# ---------------------------------------------------------------------------------------
# position
# ---------------------------------------------------------------------------------------

def position(server, user, task_id, body):
    return call(server, "POST", "/tasks/%s/position" % task_id, token=user["token"], json=body)


def view_tasks(server, user, project_id, view_id):
    r = call(server, "GET", "/projects/%d/views/%d/tasks" % (project_id, view_id), token=user["token"],
             params={"sort_by": "position"})
    return ok(r)


def test_new_tasks_go_on_top_and_position_endpoint(server, owner, project):
    list_view = [v for v in project["views"] if v["view_kind"] == "list"][0]
    a = new_task(server, owner, project["id"])
    b = new_task(server, owner, project["id"])
    r = position(server, owner, a["id"], {"project_view_id": list_view["id"], "position": 1.5})
    assert ok(r) == {"task_id": a["id"], "project_view_id": list_view["id"], "position": 1.5}
    r = position(server, owner, b["id"], {"project_view_id": list_view["id"], "position": 2.25, "task_id": 77})
    assert ok(r)["position"] == 2.25
    c = new_task(server, owner, project["id"])  # on top: half the lowest
    tasks = view_tasks(server, owner, project["id"], list_view["id"])
    by_id = {t["id"]: t["position"] for t in tasks}
    assert by_id[c["id"]] == 0.75 and by_id[a["id"]] == 1.5 and by_id[b["id"]] == 2.25


def test_position_below_spacing_recalculates_view(server, owner, project):
    list_view = [v for v in project["views"] if v["view_kind"] == "list"][0]
    tasks = [new_task(server, owner, project["id"]) for _ in range(3)]
    body = ok(position(server, owner, tasks[0]["id"], {"project_view_id": list_view["id"], "position": 0}))
    assert body["position"] > 1
    listed = view_tasks(server, owner, project["id"], list_view["id"])
    positions = sorted(t["position"] for t in listed)
    assert positions == [2 ** 32 / 3, 2 * 2 ** 32 / 3, 2 ** 32]


def test_create_honours_position(server, owner, project):
    list_view = [v for v in project["views"] if v["view_kind"] == "list"][0]
    t = new_task(server, owner, project["id"], position=123.5)
    assert t["position"] == 123.5
    listed = view_tasks(server, owner, project["id"], list_view["id"])
    assert [x["position"] for x in listed if x["id"] == t["id"]] == [123.5]


def test_position_errors(server, owner, new_user, project):
    list_view = [v for v in project["views"] if v["view_kind"] == "list"][0]
    t = new_task(server, owner, project["id"])
    stranger = new_user()
    other = new_project(server, owner)
    assert_error(position(server, stranger, t["id"], {"project_view_id": list_view["id"], "position": 5}), 403, 0)
    assert_error(position(server, owner, 999999999, {"project_view_id": list_view["id"], "position": 5}), 404, 4002)
    assert_error(position(server, owner, t["id"], {"project_view_id": other["views"][0]["id"], "position": 5}),
                 404, 3014)
    assert_error(position(server, owner, t["id"], {"project_view_id": 999999999, "position": 5}), 404, 3014)
    assert_error(position(server, owner, t["id"], {"project_view_id": "x", "position": 5}), 400, 2004)
    assert_error(position(server, owner, "x", {"project_view_id": list_view["id"], "position": 5}), 400, 2004)


# ---------------------------------------------------------------------------------------
# duplicate, read
# ---------------------------------------------------------------------------------------

def test_duplicate(server, owner, new_user, project):
    t = new_task(server, owner, project["id"], description="d", priority=2, done=True,
                 due_date="2030-01-01T00:00:00Z", assignees=[{"id": owner["id"]}],
                 reminders=[{"reminder": "2029-01-01T00:00:00Z"}])
    r = call(server, "PUT", "/tasks/%d/duplicate" % t["id"], token=owner["token"])
    body = ok(r, 201)
    assert list(body.keys()) == ["duplicated_task"]
    d = body["duplicated_task"]
    assert d["id"] != t["id"] and d["index"] == t["index"] + 1
    assert d["title"] == t["title"] and d["description"] == "d" and d["priority"] == 2
    assert d["done"] is False and d["due_date"] == "2030-01-01T00:00:00Z"
    assert [a["id"] for a in d["assignees"]] == [owner["id"]]
    assert d["reminders"] == t["reminders"]
    assert [x["id"] for x in d["related_tasks"]["copiedfrom"]] == [t["id"]]
    original = ok(get(server, owner, t["id"]))
    assert [x["id"] for x in original["related_tasks"]["copiedto"]] == [d["id"]]
    nested = d["related_tasks"]["copiedfrom"][0]
    assert nested["related_tasks"] is None and nested["created_by"] is None
    stranger = new_user()
    assert_error(call(server, "PUT", "/tasks/%d/duplicate" % t["id"], token=stranger["token"]), 403, 0)
    assert_error(call(server, "PUT", "/tasks/999999999/duplicate", token=owner["token"]), 404, 4002)


def test_mark_read(server, owner, project):
    t = new_task(server, owner, project["id"])
    r = call(server, "POST", "/tasks/%d/read" % t["id"], token=owner["token"], json={})
    assert ok(r) == {"TaskID": t["id"], "UserID": 0}
    assert_error(call(server, "POST", "/tasks/abc/read", token=owner["token"]), 400, 2004)


def test_position_conflicts_are_spread(server, owner, project):
    list_view = [v for v in project["views"] if v["view_kind"] == "list"][0]
    a = new_task(server, owner, project["id"])
    b = new_task(server, owner, project["id"])
    ok(position(server, owner, a["id"], {"project_view_id": list_view["id"], "position": 100}))
    body = ok(position(server, owner, b["id"], {"project_view_id": list_view["id"], "position": 100}))
    # no neighbours: the pair is spread over (0, 2^32) in task id order
    assert body["position"] == 2 * 2 ** 32 / 3
    listed = {t["id"]: t["position"] for t in view_tasks(server, owner, project["id"], list_view["id"])}
    assert listed[a["id"]] == 2 ** 32 / 3 and listed[b["id"]] == 2 * 2 ** 32 / 3


def test_subscription_only_when_subscribed(server, owner, project):
    t = new_task(server, owner, project["id"])
    assert "subscription" not in ok(get(server, owner, t["id"]))
    assigned = new_task(server, owner, project["id"], assignees=[{"id": owner["id"]}])
    body = ok(get(server, owner, assigned["id"]))
    keys = list(body.keys())
    assert keys.index("is_favorite") < keys.index("subscription") < keys.index("created")
    sub = body["subscription"]
    assert list(sub.keys()) == ["id", "entity", "entity_id", "created"]
    assert sub["entity"] == "task" and sub["entity_id"] == assigned["id"]


def test_task_in_a_nested_project(server, owner, stranger):
    # Access and the subscription walk the parent chain here (a top-level project takes a shorter path).
    parent = new_project(server, owner)
    child = new_project(server, owner, parent_project_id=parent["id"])
    grandchild = new_project(server, owner, parent_project_id=child["id"])
    t = new_task(server, owner, grandchild["id"], assignees=[{"id": owner["id"]}])
    body = ok(get(server, owner, t["id"]))
    assert body["project_id"] == grandchild["id"]
    assert body["subscription"]["entity"] == "task" and body["subscription"]["entity_id"] == t["id"]
    assert_error(get(server, stranger, t["id"]), 403, 0)


@pytest.mark.parametrize("field,value", [("priority", 2 ** 63), ("priority", 1e30), ("repeat_after", 2 ** 64),
                                         ("bucket_id", -1.5), ("index", "1")])
def test_huge_or_odd_numbers_are_rejected(server, owner, project, field, value):
    assert_error(create(server, owner, project["id"], **{field: value}), 400, 2004)


def test_extreme_but_valid_numbers(server, owner, project):
    t = new_task(server, owner, project["id"], priority=-(2 ** 63), percent_done=1e300)
    assert t["priority"] == -(2 ** 63) and t["percent_done"] == 1e300
    t = new_task(server, owner, project["id"], priority=2 ** 63 - 1, due_date="9999-12-31T23:59:59Z")
    assert t["priority"] == 2 ** 63 - 1 and t["due_date"] == "9999-12-31T23:59:59Z"


def test_duplicate_copies_attachments_independently(server, owner, project):
    t = new_task(server, owner, project["id"])
    r = call(server, "PUT", "/tasks/%d/attachments" % t["id"], token=owner["token"],
             files=[("files", ("note.txt", b"hello attachment", "text/plain"))])
    if r.status_code == 404 and r.json() == {"message": "Not Found"}:
        pytest.skip("attachments are not served yet")
    uploaded = ok(r)["success"][0]
    cover = dict(ok(get(server, owner, t["id"])))
    cover["cover_image_attachment_id"] = uploaded["id"]
    ok(update(server, owner, t["id"], cover))
    d = ok(call(server, "PUT", "/tasks/%d/duplicate" % t["id"], token=owner["token"]), 201)["duplicated_task"]
    assert len(d["attachments"]) == 1
    copy = d["attachments"][0]
    assert copy["id"] != uploaded["id"] and copy["task_id"] == d["id"]
    assert copy["file"]["name"] == "note.txt" and copy["file"]["size"] == len(b"hello attachment")
    assert d["cover_image_attachment_id"] == copy["id"]
    ok(call(server, "DELETE", "/tasks/%d/attachments/%d" % (t["id"], uploaded["id"]), token=owner["token"]))
    r = call(server, "GET", "/tasks/%d/attachments/%d" % (d["id"], copy["id"]), token=owner["token"])
    assert r.status_code == 200 and r.content == b"hello attachment"


def test_archived_project_is_read_only(server, owner):
    p = new_project(server, owner)
    t = new_task(server, owner, p["id"])
    p["is_archived"] = True
    ok(call(server, "POST", "/projects/%d" % p["id"], token=owner["token"], json=p))
    r = get(server, owner, t["id"])
    assert ok(r)["id"] == t["id"] and r.headers["x-max-permission"] == "0"
    assert_error(update(server, owner, t["id"], {"title": "x"}), 412, 3008)
    assert_error(call(server, "DELETE", "/tasks/%d" % t["id"], token=owner["token"]), 412, 3008)
    other = new_project(server, owner)
    moved = new_task(server, owner, other["id"])
    assert_error(update(server, owner, moved["id"], {"title": "x", "project_id": p["id"]}), 412, 3008)


def test_expand_with_comments_reactions_and_unread(server, owner, project):
    t = new_task(server, owner, project["id"])
    r = call(server, "PUT", "/tasks/%d/comments" % t["id"], token=owner["token"], json={"comment": "first"})
    if r.status_code == 404 and r.json() == {"message": "Not Found"}:
        pytest.skip("comments are not served yet")
    comment = ok(r, 201)
    ok(call(server, "PUT", "/tasks/%d/reactions" % t["id"], token=owner["token"], json={"value": "👍"}), 201)
    body = ok(get(server, owner, t["id"], expand=["comments", "comment_count", "reactions"]))
    assert body["comment_count"] == 1
    assert [c["id"] for c in body["comments"]] == [comment["id"]]
    c = body["comments"][0]
    assert list(c.keys()) == ["id", "comment", "author", "reactions", "created", "updated"]
    assert c["comment"] == "first" and c["author"]["id"] == owner["id"] and c["reactions"] is None
    assert list(body["reactions"].keys()) == ["👍"]
    assert [u["id"] for u in body["reactions"]["👍"]] == [owner["id"]]
    # without expand, no reactions map
    assert ok(get(server, owner, t["id"]))["reactions"] is None


def test_relative_reminder_without_its_date(server, owner, project):
    t = new_task(server, owner, project["id"], reminders=[{"relative_period": -60, "relative_to": "due_date"}])
    assert t["reminders"] == [{"reminder": ZERO, "relative_period": -60, "relative_to": "due_date"}]
    body = dict(t)
    body["due_date"] = "2030-02-01T00:00:00Z"
    body = ok(update(server, owner, t["id"], body))
    assert body["reminders"] == [{"reminder": "2030-01-31T23:59:00Z", "relative_period": -60,
                                  "relative_to": "due_date"}]
