"""Notifications: GET /notifications, POST /notifications/{id}, POST /notifications (spec §2.11, §3.6;
client-usage A.1, A.2 `Notification`, checklist 25, 26) and who receives which one.

Behaviour checked against Vikunja's pkg/notifications/database.go (newest first, read_at zero while
unread, mark read/unread/all), pkg/models/notifications_permissions.go (notifications about projects the
user can no longer read are left out; -1 is nobody's), notifications.go (payload shapes) and listeners.go
(recipients: subscribers of the task or its projects minus the doer, mentioned and quoted users, the
subscribers of the projects above a new project). Notifications are written in the request's own
transaction, so a refused change leaves none.
"""

import uuid

import pytest
from wire import RFC3339, call, assert_error, now_text, seed_rows
from task_extras_seed import new_project, new_task, ok, assert_public_user
from test_subscriptions import grant, subscribe, new_child_project

ZERO = "0001-01-01T00:00:00Z"
NOTIFICATION_KEYS = ["id", "notification", "name", "read_at", "created"]


def notifications(server, user, **params):
    r = call(server, "GET", "/notifications", token=user["token"], params=params)
    return ok(r)


def named(server, user, name):
    return [n for n in notifications(server, user) if n["name"] == name]


def comment(server, user, task_id, text):
    return ok(call(server, "PUT", "/tasks/%d/comments" % task_id, token=user["token"], json={"comment": text}), 201)


def mention(user):
    return '<mention-user data-id="%s" data-label="%s">@%s</mention-user>' % (
        user["username"], user["username"], user["username"])


def shared_task(server, owner, *others, permission=1):
    """A task in a project of `owner` that each of `others` can read (and write with permission 1)."""
    project = new_project(server, owner)
    for user in others:
        grant(server, project["id"], user["id"], permission)
    return project, new_task(server, owner, project["id"])


# --- list -----------------------------------------------------------------------------------------

def test_list_empty(server, owner):
    r = call(server, "GET", "/notifications", token=owner["token"])
    assert ok(r) == []
    assert r.headers["x-pagination-total-pages"] == "0"
    assert r.headers["x-pagination-result-count"] == "0"


def test_list_needs_a_user(server):
    assert call(server, "GET", "/notifications").status_code == 401


def test_list_shape_newest_first_and_paginated(server, owner, new_user):
    subscriber = new_user()
    project, task = shared_task(server, owner, subscriber)
    ok(subscribe(server, subscriber, "task", task["id"]), 201)
    texts = ["<p>one</p>", "<p>two</p>", "<p>three</p>"]
    for text in texts:
        comment(server, owner, task["id"], text)
    listed = notifications(server, subscriber)
    assert [n["notification"]["comment"]["comment"] for n in listed] == texts[::-1]
    for n in listed:
        assert list(n) == NOTIFICATION_KEYS
        assert n["name"] == "task.comment" and n["read_at"] == ZERO and RFC3339.match(n["created"])
    assert [n["id"] for n in listed] == sorted((n["id"] for n in listed), reverse=True)

    r = call(server, "GET", "/notifications", token=subscriber["token"], params={"page": 2, "per_page": 1})
    assert [n["id"] for n in ok(r)] == [listed[1]["id"]]
    assert r.headers["x-pagination-total-pages"] == "3"
    assert r.headers["x-pagination-result-count"] == "1"
    r = call(server, "GET", "/notifications", token=subscriber["token"], params={"page": 9, "per_page": 1})
    assert ok(r) == [] and r.headers["x-pagination-total-pages"] == "0"  # as every Vikunja list past its end
    # Notifications are the recipient's own: the doer and a stranger see none of them.
    assert notifications(server, owner) == []


# --- who receives what ----------------------------------------------------------------------------

def test_comment_notifies_subscribers_but_not_the_doer(server, owner, new_user):
    reader, writer, outsider = new_user(), new_user(), new_user()
    project, task = shared_task(server, owner, reader, writer)
    ok(subscribe(server, reader, "task", task["id"]), 201)
    ok(subscribe(server, writer, "project", project["id"]), 201)
    ok(subscribe(server, owner, "task", task["id"]), 201)
    posted = comment(server, writer, task["id"], "<p>hello</p>")

    [n] = notifications(server, reader)
    assert n["name"] == "task.comment"
    payload = n["notification"]
    assert list(payload) == ["doer", "task", "comment", "mentioned", "project"]
    assert_public_user(payload["doer"], writer)
    assert payload["task"]["id"] == task["id"] and payload["task"]["title"] == task["title"]
    assert payload["comment"]["id"] == posted["id"] and payload["comment"]["comment"] == "<p>hello</p>"
    assert_public_user(payload["comment"]["author"], writer)
    assert payload["mentioned"] is False
    assert payload["project"]["id"] == project["id"]
    assert_public_user(payload["project"]["owner"], owner)
    [to_owner] = notifications(server, owner)
    assert to_owner["notification"]["comment"]["id"] == posted["id"]
    assert notifications(server, writer) == []  # the doer never notifies themself
    assert notifications(server, outsider) == []


def test_subscriber_who_lost_read_access_is_not_notified(server, owner, new_user):
    follower = new_user()
    parent = new_project(server, owner)
    child = new_child_project(server, owner, parent["id"])
    grant(server, parent["id"], follower["id"])
    task = new_task(server, owner, child["id"])
    ok(subscribe(server, follower, "task", task["id"]), 201)
    ok(call(server, "POST", "/projects/%d" % child["id"], token=owner["token"],
            json={"title": child["title"], "parent_project_id": 0}))
    comment(server, owner, task["id"], "<p>secret</p>")
    assert notifications(server, follower) == []


def test_assignment_notifies_subscribers_and_the_assignee(server, owner, new_user):
    assignee, watcher = new_user(), new_user()
    project, task = shared_task(server, owner, assignee, watcher)
    ok(subscribe(server, watcher, "project", project["id"]), 201)
    ok(call(server, "PUT", "/tasks/%d/assignees" % task["id"], token=owner["token"],
            json={"user_id": assignee["id"]}), 201)
    for user in (assignee, watcher):
        [n] = notifications(server, user)
        assert n["name"] == "task.assigned"
        payload = n["notification"]
        assert list(payload) == ["doer", "task", "assignee", "project"]
        assert_public_user(payload["doer"], owner)
        assert_public_user(payload["assignee"], assignee)
        assert payload["task"]["id"] == task["id"] and payload["project"]["id"] == project["id"]
    assert notifications(server, owner) == []


def test_self_assignment_notifies_nobody_else(server, owner):
    project, task = shared_task(server, owner)
    ok(call(server, "PUT", "/tasks/%d/assignees" % task["id"], token=owner["token"],
            json={"user_id": owner["id"]}), 201)
    assert notifications(server, owner) == []


def test_assignment_through_task_update_and_bulk(server, owner, new_user):
    first, second = new_user(), new_user()
    project, task = shared_task(server, owner, first, second)
    body = dict(task, assignees=[{"id": first["id"]}])
    ok(call(server, "POST", "/tasks/%d" % task["id"], token=owner["token"], json=body))
    assert [n["name"] for n in notifications(server, first)] == ["task.assigned"]
    ok(call(server, "POST", "/tasks/%d/assignees/bulk" % task["id"], token=owner["token"],
            json={"assignees": [{"id": first["id"]}, {"id": second["id"]}]}), 201)
    # `first` hears about `second` (as a subscriber now); `second` about themself.
    names_first = [n["notification"]["assignee"]["id"] for n in named(server, first, "task.assigned")]
    assert names_first == [second["id"], first["id"]]
    assert [n["notification"]["assignee"]["id"] for n in named(server, second, "task.assigned")] == [second["id"]]


def test_refused_assignment_leaves_no_notification(server, owner, new_user):
    watcher, assignee = new_user(), new_user()
    project, task = shared_task(server, owner, watcher, assignee)
    ok(subscribe(server, watcher, "task", task["id"]), 201)
    # The first entry is assigned (and would notify), the repeated one is refused with 4021: all rolls back.
    r = call(server, "POST", "/tasks/%d/assignees/bulk" % task["id"], token=owner["token"],
             json={"assignees": [{"id": assignee["id"]}, {"id": assignee["id"]}]})
    assert_error(r, 400, 4021)
    assert notifications(server, watcher) == []
    assert notifications(server, assignee) == []
    assert ok(call(server, "GET", "/tasks/%d/assignees" % task["id"], token=owner["token"])) == []


def test_refused_task_update_leaves_no_notification(server, owner, new_user):
    watcher, assignee, outsider = new_user(), new_user(), new_user()
    project, task = shared_task(server, owner, watcher, assignee)
    ok(subscribe(server, watcher, "task", task["id"]), 201)
    # The first assignee is assigned (notifying the watcher), the outsider cannot see the project (7003):
    # the whole update rolls back, the notification with it.
    body = dict(task, description="<p>%s</p>" % mention(watcher),
                assignees=[{"id": assignee["id"]}, {"id": outsider["id"]}])
    assert_error(call(server, "POST", "/tasks/%d" % task["id"], token=owner["token"], json=body), 403, 7003)
    assert notifications(server, watcher) == []
    assert notifications(server, assignee) == []
    stored = ok(call(server, "GET", "/tasks/%d" % task["id"], token=owner["token"]))
    assert stored["description"] == task["description"] and stored["assignees"] is None


def test_stranger_comment_attempt_notifies_nobody(server, owner, new_user):
    watcher, stranger = new_user(), new_user()
    project, task = shared_task(server, owner, watcher)
    ok(subscribe(server, watcher, "task", task["id"]), 201)
    r = call(server, "PUT", "/tasks/%d/comments" % task["id"], token=stranger["token"], json={"comment": "x"})
    assert r.status_code == 403, r.text
    assert notifications(server, watcher) == []
    assert ok(call(server, "GET", "/tasks/%d/comments" % task["id"], token=owner["token"])) == []


def test_mention_in_comment(server, owner, new_user):
    mentioned, subscriber, outsider = new_user(), new_user(), new_user()
    project, task = shared_task(server, owner, mentioned, subscriber)
    ok(subscribe(server, subscriber, "task", task["id"]), 201)
    text = "<p>Hi %s and %s and %s</p>" % (mention(mentioned), mention(subscriber), mention(outsider))
    posted = comment(server, owner, task["id"], text)
    for user in (mentioned, subscriber):
        [n] = notifications(server, user)  # a mentioned subscriber hears it once
        assert n["name"] == "task.comment"
        assert n["notification"]["mentioned"] is True
        assert n["notification"]["comment"]["id"] == posted["id"]
    assert notifications(server, outsider) == []  # cannot read the task

    # Editing the comment notifies only users it newly mentions.
    late = new_user()
    grant(server, project["id"], late["id"])
    ok(call(server, "POST", "/tasks/%d/comments/%d" % (task["id"], posted["id"]), token=owner["token"],
            json={"comment": text + mention(late)}))
    [n] = notifications(server, late)
    assert n["notification"]["mentioned"] is True
    assert len(notifications(server, mentioned)) == 1


def test_quoted_comment_author_is_notified(server, owner, new_user):
    author = new_user()
    project, task = shared_task(server, owner, author)
    quoted = comment(server, author, task["id"], "<p>original</p>")
    assert notifications(server, owner) == []
    comment(server, owner, task["id"], '<blockquote data-comment-id="%d"><p>original</p></blockquote>'
                                       '<p>reply</p>' % quoted["id"])
    [n] = notifications(server, author)
    assert n["name"] == "task.comment" and n["notification"]["mentioned"] is True


def test_mention_in_task_description(server, owner, new_user):
    mentioned = new_user()
    project = new_project(server, owner)
    grant(server, project["id"], mentioned["id"])
    r = call(server, "PUT", "/projects/%d/tasks" % project["id"], token=owner["token"],
             json={"title": "t", "description": "<p>%s %s</p>" % (mention(mentioned), mention(owner))})
    task = ok(r, 201)
    [n] = notifications(server, mentioned)
    assert n["name"] == "task.mentioned"
    payload = n["notification"]
    assert list(payload) == ["doer", "task", "is_new", "project"]
    assert_public_user(payload["doer"], owner)
    assert payload["is_new"] is True and payload["task"]["id"] == task["id"]
    assert payload["project"]["id"] == project["id"]
    assert notifications(server, owner) == []  # mentioning oneself notifies nobody

    # Saving the task again with the same mention does not repeat it.
    ok(call(server, "POST", "/tasks/%d" % task["id"], token=owner["token"], json=dict(task, title="t2")))
    assert len(notifications(server, mentioned)) == 1


def test_mention_added_by_update(server, owner, new_user):
    mentioned = new_user()
    project, task = shared_task(server, owner, mentioned)
    ok(call(server, "POST", "/tasks/%d" % task["id"], token=owner["token"],
            json=dict(task, description="<p>%s</p>" % mention(mentioned))))
    [n] = notifications(server, mentioned)
    assert n["name"] == "task.mentioned" and n["notification"]["is_new"] is False


def test_task_deleted_notifies_subscribers(server, owner, new_user):
    watcher = new_user()
    project, task = shared_task(server, owner, watcher)
    ok(subscribe(server, watcher, "project", project["id"]), 201)
    ok(subscribe(server, owner, "task", task["id"]), 201)
    ok(call(server, "DELETE", "/tasks/%d" % task["id"], token=owner["token"]))
    [n] = notifications(server, watcher)
    assert n["name"] == "task.deleted"
    assert list(n["notification"]) == ["doer", "task"]
    assert_public_user(n["notification"]["doer"], owner)
    assert n["notification"]["task"]["id"] == task["id"] and n["notification"]["task"]["title"] == task["title"]
    assert notifications(server, owner) == []


def test_project_created_notifies_parent_subscribers(server, owner, new_user):
    watcher = new_user()
    parent = new_project(server, owner)
    grant(server, parent["id"], watcher["id"])
    ok(subscribe(server, watcher, "project", parent["id"]), 201)
    ok(subscribe(server, owner, "project", parent["id"]), 201)
    child = new_child_project(server, owner, parent["id"])
    [n] = notifications(server, watcher)
    assert n["name"] == "project.created"
    assert list(n["notification"]) == ["doer", "project"]
    assert_public_user(n["notification"]["doer"], owner)
    assert n["notification"]["project"]["id"] == child["id"]
    assert n["notification"]["project"]["parent_project_id"] == parent["id"]
    assert notifications(server, owner) == []
    # A grandchild reaches the subscriber of the grandparent too; a new root project reaches nobody.
    new_child_project(server, owner, child["id"])
    new_project(server, owner)
    assert [n["name"] for n in notifications(server, watcher)] == ["project.created", "project.created"]


def test_task_done_is_not_notified(server, owner, new_user):
    """Vikunja has no "task done" notification (only webhooks and the task.updated event)."""
    watcher = new_user()
    project, task = shared_task(server, owner, watcher)
    ok(subscribe(server, watcher, "task", task["id"]), 201)
    ok(call(server, "POST", "/tasks/%d" % task["id"], token=owner["token"], json=dict(task, done=True)))
    assert notifications(server, watcher) == []


def test_disabled_and_bot_users_are_not_notified(server, owner, new_user):
    """Vikunja's User.ShouldNotify: no notifications for bots or disabled/locked accounts."""
    watcher = new_user()
    project, task = shared_task(server, owner, watcher)
    now = now_text()
    quiet = {}
    for kind, extra in (("disabled", {"status": 2}), ("locked", {"status": 3}), ("bot", {"bot_owner_id": owner["id"]})):
        username = kind + uuid.uuid4().hex[:10]
        rows = seed_rows(server, "users", [dict({"username": username, "password": "x", "email": username + "@example.com",
                                            "issuer": "local", "created": now, "updated": now}, **extra)])
        quiet[kind] = [row["id"] for row in rows if row["username"] == username][0]
    for user_id in [watcher["id"], *quiet.values()]:
        grant(server, project["id"], user_id)
        seed_rows(server, "subscriptions", [{"entity_type": 3, "entity_id": task["id"], "user_id": user_id, "created": now}])
    comment(server, owner, task["id"], "<p>%s</p>" % "".join(
        '<mention-user data-id="%s"></mention-user>' % row["username"]
        for row in seed_rows(server, "users", []) if row["id"] in quiet.values()))
    stored = seed_rows(server, "notifications", [])
    assert [n["notifiable_id"] for n in stored if n["notifiable_id"] in quiet.values()] == []
    assert [n["name"] for n in notifications(server, watcher)] == ["task.comment"]


# --- visibility -----------------------------------------------------------------------------------

def test_project_zero_is_everyones_and_minus_one_nobodys(server, owner):
    now = now_text()
    rows = [{"notifiable_id": owner["id"], "notification": '{"marker": %d}' % project_id, "name": "test.seeded",
             "subject_id": 0, "project_id": project_id, "created": now} for project_id in (0, -1)]
    seed_rows(server, "notifications", rows)
    [visible] = notifications(server, owner)
    assert visible["notification"] == {"marker": 0} and visible["read_at"] == ZERO
    hidden = [n for n in seed_rows(server, "notifications", [])
              if n["notifiable_id"] == owner["id"] and n["project_id"] == -1]
    assert len(hidden) == 1
    r = call(server, "POST", "/notifications/%d" % hidden[0]["id"], token=owner["token"], json={"read": True})
    assert_error(r, 403, 0)
    # Mark-all touches every row of the user; the hidden one stays hidden.
    ok(call(server, "POST", "/notifications", token=owner["token"], json=False))
    [visible] = notifications(server, owner)
    assert visible["read_at"] != ZERO


def test_notification_hidden_after_losing_access(server, owner, new_user):
    follower = new_user()
    parent = new_project(server, owner)
    child = new_child_project(server, owner, parent["id"])
    grant(server, parent["id"], follower["id"])
    task = new_task(server, owner, child["id"])
    ok(subscribe(server, follower, "task", task["id"]), 201)
    comment(server, owner, task["id"], "<p>before</p>")
    [n] = notifications(server, follower)

    ok(call(server, "POST", "/projects/%d" % child["id"], token=owner["token"],
            json={"title": child["title"], "parent_project_id": 0}))
    r = call(server, "GET", "/notifications", token=follower["token"])
    assert ok(r) == [] and r.headers["x-pagination-total-pages"] == "0"
    r = call(server, "POST", "/notifications/%d" % n["id"], token=follower["token"], json=dict(n, read=True))
    assert_error(r, 403, 0)

    # Access back (a share on the child itself): the notification reappears, still unread.
    grant(server, child["id"], follower["id"])
    [again] = notifications(server, follower)
    assert again["id"] == n["id"] and again["read_at"] == ZERO


# --- mark read / unread / all ---------------------------------------------------------------------

def one_notification(server, owner, new_user):
    recipient = new_user()
    project, task = shared_task(server, owner, recipient)
    ok(subscribe(server, recipient, "task", task["id"]), 201)
    comment(server, owner, task["id"], "<p>ping</p>")
    [n] = notifications(server, recipient)
    return recipient, n


def test_mark_read_and_unread(server, owner, new_user):
    recipient, n = one_notification(server, owner, new_user)
    # The web app sends the whole notification back with read:true.
    r = call(server, "POST", "/notifications/%d" % n["id"], token=recipient["token"],
             json=dict(n, read=True, read_at="1970-01-01T00:00:00Z"))
    body = ok(r)
    assert list(body) == NOTIFICATION_KEYS + ["read"]
    assert body["read"] is True and body["id"] == n["id"] and body["name"] == n["name"]
    assert body["notification"] == n["notification"]
    assert RFC3339.match(body["read_at"]) and not body["read_at"].startswith(("0001", "1970"))
    [listed] = notifications(server, recipient)
    assert listed["read_at"] == body["read_at"]

    r = call(server, "POST", "/notifications/%d" % n["id"], token=recipient["token"], json=dict(n, read=False))
    assert ok(r)["read_at"] == ZERO
    assert notifications(server, recipient)[0]["read_at"] == ZERO


def test_mark_without_body_is_unread(server, owner, new_user):
    recipient, n = one_notification(server, owner, new_user)
    ok(call(server, "POST", "/notifications/%d" % n["id"], token=recipient["token"], json={"read": True}))
    r = call(server, "POST", "/notifications/%d" % n["id"], token=recipient["token"])
    body = ok(r)
    assert body["read"] is False and body["read_at"] == ZERO
    assert notifications(server, recipient)[0]["read_at"] == ZERO


def test_mark_someone_elses_notification_is_refused(server, owner, new_user):
    recipient, n = one_notification(server, owner, new_user)
    for user in (owner, new_user()):
        r = call(server, "POST", "/notifications/%d" % n["id"], token=user["token"], json={"read": True})
        assert_error(r, 403, 0)
    assert notifications(server, recipient)[0]["read_at"] == ZERO


def test_mark_missing_notification(server, owner):
    assert_error(call(server, "POST", "/notifications/99999999", token=owner["token"], json={"read": True}), 403, 0)


def test_mark_bad_body(server, owner, new_user):
    recipient, n = one_notification(server, owner, new_user)
    r = call(server, "POST", "/notifications/%d" % n["id"], token=recipient["token"], json={"read": "yes"})
    assert r.status_code == 400, r.text
    assert notifications(server, recipient)[0]["read_at"] == ZERO


@pytest.mark.parametrize("body", ["false", "", "{}", "true"])
def test_mark_all_read(server, owner, new_user, body):
    recipient = new_user()
    project, task = shared_task(server, owner, recipient)
    ok(subscribe(server, recipient, "task", task["id"]), 201)
    comment(server, owner, task["id"], "<p>a</p>")
    comment(server, owner, task["id"], "<p>b</p>")
    other, other_n = one_notification(server, owner, new_user)
    r = call(server, "POST", "/notifications", token=recipient["token"], data=body,
             headers={"Content-Type": "application/json"})
    assert ok(r) == {"message": "success"}
    listed = notifications(server, recipient)
    assert len(listed) == 2
    for n in listed:
        assert RFC3339.match(n["read_at"]) and n["read_at"] != ZERO
    # Only the caller's own are touched.
    assert notifications(server, other)[0]["read_at"] == ZERO


def test_mark_all_read_with_nothing(server, owner):
    assert ok(call(server, "POST", "/notifications", token=owner["token"], json=False)) == {"message": "success"}


# --- teams ----------------------------------------------------------------------------------------

def test_team_member_added_notifies_the_member(server, owner, new_user):
    member = new_user()
    team = ok(call(server, "PUT", "/teams", token=owner["token"], json={"name": "crew"}), 201)
    assert named(server, owner, "team.member.added") == []  # the creator added themself
    ok(call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"],
            json={"username": member["username"]}), 201)
    [n] = notifications(server, member)
    assert n["name"] == "team.member.added" and n["read_at"] == ZERO
    payload = n["notification"]
    assert_public_user(payload["member"], member)
    assert_public_user(payload["doer"], owner)
    assert payload["team"]["id"] == team["id"] and payload["team"]["name"] == "crew"
    assert named(server, owner, "team.member.added") == []


def test_refused_member_add_notifies_nobody(server, owner, new_user):
    member, outsider = new_user(), new_user()
    team = ok(call(server, "PUT", "/teams", token=owner["token"], json={"name": "closed"}), 201)
    r = call(server, "PUT", "/teams/%d/members" % team["id"], token=outsider["token"],
             json={"username": member["username"]})
    assert r.status_code == 403, r.text
    assert notifications(server, member) == []
