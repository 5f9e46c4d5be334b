"""The permission matrix: every role against every resource action (spec §1.2, §2.3–§2.10, §2.16, §4).

Matrix size: 13 resources (project incl. duplicate, view, bucket, task, comment, attachment, label on a task,
assignee, relation, reaction, task position, bucket move, saved filter) with 47 actions × 17 roles = 799 cases.

Roles reach the project `proj` (a child of `top`, both owned by the owner) as: owner; a direct share
(read/write/admin); a team share (read/write/admin); a link share (read/write/admin); a share on `top`
(read/write/admin, acting on `proj`'s objects); a stranger; a disabled user who had an admin share; the owner's
API token holding exactly the route's permission; the owner's API token holding every permission but that one.
The expected answer follows from the role's effective level and the level the route needs (Vikunja:
pkg/models/*_permissions.go, pkg/web/handler/*.go; our src/api/crud.hpp); after every refused write the object
is read back as the owner and must be unchanged.
A link share reaches only its own project, never a child of it (Vikunja's checkPermission compares the
project id), so the actions on fresh child projects are refused to link shares.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable

import pytest
import requests

import grants
from wire import call

READ, WRITE, ADMIN = 0, 1, 2
AUTHOR = "author"    # the owner's identity only (comment author, saved-filter owner)
ANY_USER = "user"    # any real user, whatever their access (link shares are not users)
INVALID = (401, 11)

ROLES = ["owner", "user_read", "user_write", "user_admin", "team_read", "team_write", "team_admin",
         "link_read", "link_write", "link_admin", "parent_read", "parent_write", "parent_admin",
         "stranger", "disabled", "token_scoped", "token_unscoped"]


def uid(prefix="x"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# --- the world ------------------------------------------------------------------------------------------

class World:
    """Users, projects and objects built once for the module, plus owner-side helpers."""

    def __init__(self, server):
        self.server = server
        self.owner = self.register()
        self.tokens: dict = {}          # role -> bearer (users; link shares once authenticated)
        self.link_hashes: dict = {}     # role -> link share hash
        self.api_tokens: dict = {}      # (method, route, scoped) -> tk_…
        self.routes = self.ok("GET", "/routes")

    # requests
    def call(self, method, path, token, **kw):
        return call(self.server, method, path, token=token, **kw)

    def ok(self, method, path, status=200, **kw):
        r = self.call(method, path, self.owner["token"], **kw)
        assert r.status_code == status, f"owner {method} {path}: {r.status_code} {r.text}"
        return r.json()

    def register(self):
        name = "u" + uuid.uuid4().hex[:14]
        r = requests.post(self.server.api + "/register", timeout=30,
                          json={"username": name, "password": "12345678", "email": name + "@example.com"})
        assert r.status_code == 200, r.text
        r2 = requests.post(self.server.api + "/login", json={"username": name, "password": "12345678"}, timeout=30)
        assert r2.status_code == 200, r2.text
        return {"id": r.json()["id"], "username": name, "token": r2.json()["token"]}

    # owner-side objects
    def project(self, parent=0):
        return self.ok("PUT", "/projects", 201, json={"title": uid("p"), "parent_project_id": parent})["id"]

    def task(self, project=None, **fields):
        return self.ok("PUT", f"/projects/{project or self.proj}/tasks", 201, json={"title": uid("t"), **fields})

    def view(self):
        return self.ok("PUT", f"/projects/{self.proj}/views", 201, json={"title": uid("v"), "view_kind": "list"})["id"]

    def bucket(self):
        return self.ok("PUT", f"/projects/{self.proj}/views/{self.kanban}/buckets", 201, json={"title": uid("b")})["id"]

    def comment(self):
        return self.ok("PUT", f"/tasks/{self.t0}/comments", 201, json={"comment": uid("c")})["id"]

    def attachment(self):
        files = {"files": (uid("f") + ".txt", b"attached bytes", "text/plain")}
        return self.ok("PUT", f"/tasks/{self.t0}/attachments", files=files)["success"][0]["id"]

    def saved_filter(self):
        return self.ok("PUT", "/filters", 201, json={"title": uid("f"), "filters": {"filter": "done = false"}})["id"]

    def build(self):
        s = self.server
        self.top = self.project()
        self.proj = self.project(self.top)
        views = self.ok("GET", f"/projects/{self.proj}/views")
        self.list_view = next(v["id"] for v in views if v["view_kind"] == "list")
        self.kanban = next(v["id"] for v in views if v["view_kind"] == "kanban")
        kanban = self.ok("GET", f"/projects/{self.proj}/views/{self.kanban}")
        self.move_target = next(b["id"] for b in self.ok("GET", f"/projects/{self.proj}/views/{self.kanban}/buckets")
                                if b["id"] not in (kanban["default_bucket_id"], kanban["done_bucket_id"]))
        self.extra_view = self.view()
        self.extra_bucket = self.bucket()
        self.t0 = self.task()["id"]
        self.t_update = self.task()["id"]
        self.c0 = self.comment()
        self.c_update = self.comment()
        self.a0 = self.attachment()
        self.label = self.ok("PUT", "/labels", 201, json={"title": uid("l")})["id"]
        self.ok("PUT", f"/tasks/{self.t0}/labels", 201, json={"label_id": self.label})
        self.f0 = self.saved_filter()

        self.tokens["owner"] = self.owner["token"]
        for level, name in enumerate(["read", "write", "admin"]):
            user = self.register()
            grants.share_with_user(s, self.proj, user["id"], level)
            self.tokens[f"user_{name}"] = user["token"]
            member = self.register()
            grants.share_with_team(s, self.proj, grants.make_team(s, self.owner["id"], [member["id"]]), level)
            self.tokens[f"team_{name}"] = member["token"]
            heir = self.register()
            grants.share_with_user(s, self.top, heir["id"], level)
            self.tokens[f"parent_{name}"] = heir["token"]
            self.link_hashes[f"link_{name}"] = grants.make_link_share(s, self.proj, level, self.owner["id"])
        self.tokens["stranger"] = self.register()["token"]
        disabled = self.register()
        grants.share_with_user(s, self.proj, disabled["id"], ADMIN)
        grants.disable_user(s, disabled["id"])
        self.tokens["disabled"] = disabled["token"]
        return self

    # credentials
    def bearer(self, role, method, route):
        if role in self.link_hashes and role not in self.tokens:  # authenticate once, as the front end does
            self.tokens[role] = grants.link_share_token(self.server, self.link_hashes[role])
        if role.startswith("token_"):
            return self.api_token(method, route, scoped=role == "token_scoped")
        return self.tokens[role]

    def api_token(self, method, route, scoped):
        """The owner's API token with exactly the route's permission, or with every permission but that one."""
        key = (method, route, scoped)
        if key not in self.api_tokens:
            pattern = "/api/v1" + route.replace("{", ":").replace("}", "")
            hits = [(g, p) for g, perms in self.routes.items() for p, d in perms.items()
                    if d.get("method") == method and d.get("path") == pattern]
            assert hits, f"GET /routes has no permission for {method} {pattern}"
            if scoped:
                permissions = {hits[0][0]: [hits[0][1]]}
            else:
                permissions = {g: [p for p in perms if (g, p) not in hits] for g, perms in self.routes.items()}
                permissions = {g: p for g, p in permissions.items() if p}
            body = {"title": uid("tk"), "permissions": permissions, "expires_at": "2099-01-01T00:00:00Z"}
            self.api_tokens[key] = self.ok("PUT", "/tokens", 201, json=body)["token"]
        return self.api_tokens[key]

    def level(self, role, on_child):
        """The role's effective level on `proj` (or on a fresh child of it); None = no access; "invalid" = 401."""
        if role in ("disabled", "token_unscoped"):
            return "invalid"
        if role in ("owner", "token_scoped"):
            return ADMIN
        if role == "stranger":
            return None
        if role.startswith("link_") and on_child:
            return None
        return ["read", "write", "admin"].index(role.split("_")[1])


# --- actions --------------------------------------------------------------------------------------------

@dataclass
class Attempt:
    """One prepared request and, for writes, the owner's view of what it must not change."""
    path: str
    body: dict | None = None
    files: dict | None = None
    snapshot: Callable[[], object] | None = None
    visible: Callable[[object], bool] | None = None   # lists: is the seeded object in the answer?


@dataclass
class Action:
    resource: str
    name: str
    method: str
    route: str                                  # the route pattern as in routes.cpp
    need: object                                # READ / WRITE / ADMIN / AUTHOR / ANY_USER
    prepare: Callable[[World], Attempt]
    deny: tuple = (403, 0)                      # the refusal
    ok: int = 200
    on_child: bool = False                      # the target is a fresh child project of proj
    link_share: bool = True                     # False: refused to link shares (they are not users) …
    link_deny: Callable[[object], tuple] = lambda level: (403, 0)   # … with this answer for their level

    @property
    def id(self):
        return f"{self.resource}.{self.name}"


def owner_get(w, path):
    return lambda: w.ok("GET", path)


def owner_status(w, path):
    def snap():
        r = w.call("GET", path, w.owner["token"])
        return r.status_code, r.json()
    return snap


def fresh_child_project(w):
    child = w.project(w.proj)
    return child, w.ok("GET", f"/projects/{child}")


def project_update(field_values):
    def prepare(w):
        child, body = fresh_child_project(w)
        return Attempt(f"/projects/{child}", {**body, **field_values}, snapshot=owner_get(w, f"/projects/{child}"))
    return prepare


def project_children(w):
    return lambda: sorted(p["id"] for p in grants.table_rows(w.server, "projects") if p["parent_project_id"] == w.proj)


def task_found(w, title):
    return lambda: [t["id"] for t in w.ok("GET", f"/projects/{w.proj}/tasks", params={"s": title})]


def position_of(w, task):
    def snap():
        tasks = w.ok("GET", f"/projects/{w.proj}/views/{w.list_view}/tasks", params={"s": task["title"]})
        return [(t["id"], t["position"]) for t in tasks]
    return snap


def bucket_of(w, task):
    return lambda: [(b["project_view_id"], b["bucket_id"]) for b in grants.table_rows(w.server, "task_buckets")
                    if b["task_id"] == task["id"]]


def new_title_attempt(path, snapshot_of, key="title"):
    def prepare(w):
        title = uid("new")
        return Attempt(path(w), {key: title}, snapshot=snapshot_of(w, title))
    return prepare


def with_label(w):
    task = w.task()["id"]
    w.ok("PUT", f"/tasks/{task}/labels", 201, json={"label_id": w.label})
    return task


def with_assignee(w):
    task = w.task()["id"]
    w.ok("PUT", f"/tasks/{task}/assignees", 201, json={"user_id": w.owner["id"]})
    return task


def with_relation(w):
    task = w.task()["id"]
    w.ok("PUT", f"/tasks/{task}/relations", 201, json={"other_task_id": w.t0, "relation_kind": "related"})
    return task


def with_reaction(w):
    value = uuid.uuid4().hex[:8]
    w.ok("PUT", f"/tasks/{w.t0}/reactions", 201, json={"value": value})
    return value


# Reactions belong to users: a link share that may write the task is told so (1023); one that may not, 403.
REACTION_LINK_DENY = lambda level: (403, 1023) if level is not None and level >= WRITE else (403, 0)  # noqa: E731
FILTER_LINK_DENY = lambda level: (412, 11002)  # noqa: E731

ACTIONS = [
    # projects (spec §2.3)
    Action("project", "read", "GET", "/projects/{project}", READ, lambda w: Attempt(f"/projects/{w.proj}")),
    Action("project", "list", "GET", "/projects", ANY_USER, lambda w: Attempt("/projects")),
    Action("project", "create", "PUT", "/projects", WRITE, link_share=False, ok=201,
           prepare=lambda w: Attempt("/projects", {"title": uid("child"), "parent_project_id": w.proj},
                                     snapshot=project_children(w))),
    Action("project", "update", "POST", "/projects/{project}", WRITE, on_child=True,
           prepare=project_update({"title": uid("renamed")})),
    Action("project", "archive", "POST", "/projects/{project}", WRITE, on_child=True,
           prepare=project_update({"is_archived": True})),
    Action("project", "delete", "DELETE", "/projects/{project}", ADMIN, on_child=True,
           prepare=lambda w: (lambda c: Attempt(f"/projects/{c}", snapshot=owner_status(w, f"/projects/{c}")))(
               w.project(w.proj))),
    Action("project", "duplicate", "PUT", "/projects/{projectid}/duplicate", READ, link_share=False, ok=201,
           prepare=lambda w: Attempt(f"/projects/{w.proj}/duplicate", {},
                                     snapshot=lambda: len(grants.table_rows(w.server, "projects")))),
    # views (spec §2.4)
    Action("view", "read", "GET", "/projects/{project}/views/{view}", READ,
           lambda w: Attempt(f"/projects/{w.proj}/views/{w.list_view}")),
    Action("view", "list", "GET", "/projects/{project}/views", READ, lambda w: Attempt(f"/projects/{w.proj}/views")),
    Action("view", "create", "PUT", "/projects/{project}/views", ADMIN, ok=201,
           prepare=lambda w: Attempt(f"/projects/{w.proj}/views", {"title": uid("v"), "view_kind": "list"},
                                     snapshot=owner_get(w, f"/projects/{w.proj}/views"))),
    Action("view", "update", "POST", "/projects/{project}/views/{view}", ADMIN,
           lambda w: Attempt(f"/projects/{w.proj}/views/{w.extra_view}", {"title": uid("v"), "view_kind": "list"},
                             snapshot=owner_get(w, f"/projects/{w.proj}/views/{w.extra_view}"))),
    Action("view", "delete", "DELETE", "/projects/{project}/views/{view}", ADMIN,
           lambda w: (lambda v: Attempt(f"/projects/{w.proj}/views/{v}",
                                        snapshot=owner_get(w, f"/projects/{w.proj}/views/{v}")))(w.view())),
    # buckets (spec §2.4)
    Action("bucket", "list", "GET", "/projects/{project}/views/{view}/buckets", READ,
           lambda w: Attempt(f"/projects/{w.proj}/views/{w.kanban}/buckets")),
    Action("bucket", "create", "PUT", "/projects/{project}/views/{view}/buckets", WRITE, ok=201,
           prepare=lambda w: Attempt(f"/projects/{w.proj}/views/{w.kanban}/buckets", {"title": uid("b")},
                                     snapshot=owner_get(w, f"/projects/{w.proj}/views/{w.kanban}/buckets"))),
    Action("bucket", "update", "POST", "/projects/{project}/views/{view}/buckets/{bucket}", WRITE,
           lambda w: Attempt(f"/projects/{w.proj}/views/{w.kanban}/buckets/{w.extra_bucket}", {"title": uid("b")},
                             snapshot=owner_get(w, f"/projects/{w.proj}/views/{w.kanban}/buckets"))),
    Action("bucket", "delete", "DELETE", "/projects/{project}/views/{view}/buckets/{bucket}", WRITE,
           lambda w: Attempt(f"/projects/{w.proj}/views/{w.kanban}/buckets/{w.bucket()}",
                             snapshot=owner_get(w, f"/projects/{w.proj}/views/{w.kanban}/buckets"))),
    # tasks (spec §2.5)
    Action("task", "read", "GET", "/tasks/{projecttask}", READ, lambda w: Attempt(f"/tasks/{w.t0}")),
    Action("task", "list", "GET", "/projects/{project}/tasks", READ, deny=(403, 7003),
           prepare=lambda w: Attempt(f"/projects/{w.proj}/tasks", visible=lambda b: w.t0 in [t["id"] for t in b])),
    Action("task", "create", "PUT", "/projects/{project}/tasks", WRITE, ok=201,
           prepare=new_title_attempt(lambda w: f"/projects/{w.proj}/tasks", task_found)),
    Action("task", "update", "POST", "/tasks/{projecttask}", WRITE,
           new_title_attempt(lambda w: f"/tasks/{w.t_update}", lambda w, _: owner_get(w, f"/tasks/{w.t_update}"))),
    Action("task", "delete", "DELETE", "/tasks/{projecttask}", WRITE,
           lambda w: (lambda t: Attempt(f"/tasks/{t}", snapshot=owner_status(w, f"/tasks/{t}")))(w.task()["id"])),
    # comments (spec §2.7): edits and deletes are the author's, the owner here
    Action("comment", "read", "GET", "/tasks/{task}/comments/{commentid}", READ,
           lambda w: Attempt(f"/tasks/{w.t0}/comments/{w.c0}")),
    Action("comment", "list", "GET", "/tasks/{task}/comments", READ, deny=(403, 1),
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/comments", visible=lambda b: w.c0 in [c["id"] for c in b])),
    Action("comment", "create", "PUT", "/tasks/{task}/comments", WRITE, ok=201,
           prepare=new_title_attempt(lambda w: f"/tasks/{w.t0}/comments",
                                     lambda w, text: lambda: [c["id"] for c in w.ok("GET", f"/tasks/{w.t0}/comments")
                                                              if c["comment"] == text], key="comment")),
    Action("comment", "update", "POST", "/tasks/{task}/comments/{commentid}", AUTHOR,
           new_title_attempt(lambda w: f"/tasks/{w.t0}/comments/{w.c_update}",
                             lambda w, _: owner_get(w, f"/tasks/{w.t0}/comments/{w.c_update}"), key="comment")),
    Action("comment", "delete", "DELETE", "/tasks/{task}/comments/{commentid}", AUTHOR,
           lambda w: (lambda c: Attempt(f"/tasks/{w.t0}/comments/{c}",
                                        snapshot=owner_status(w, f"/tasks/{w.t0}/comments/{c}")))(w.comment())),
    # attachments (spec §2.7)
    Action("attachment", "list", "GET", "/tasks/{task}/attachments", READ, deny=(403, 1),
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/attachments", visible=lambda b: w.a0 in [a["id"] for a in b])),
    Action("attachment", "read", "GET", "/tasks/{task}/attachments/{attachment}", READ, deny=(403, 1),
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/attachments/{w.a0}")),
    Action("attachment", "create", "PUT", "/tasks/{task}/attachments", WRITE, deny=(403, 1),
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/attachments",
                                     files={"files": ("m.txt", b"must not land", "text/plain")},
                                     snapshot=owner_get(w, f"/tasks/{w.t0}/attachments"))),
    Action("attachment", "delete", "DELETE", "/tasks/{task}/attachments/{attachment}", WRITE,
           lambda w: Attempt(f"/tasks/{w.t0}/attachments/{w.attachment()}",
                             snapshot=owner_get(w, f"/tasks/{w.t0}/attachments"))),
    # labels on a task (spec §2.6): the label sits on t0, so every reader sees it; a stranger gets a plain 403
    Action("label_task", "list", "GET", "/tasks/{projecttask}/labels", READ, deny=(403, 4005),
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/labels", visible=lambda b: w.label in [l["id"] for l in b])),
    Action("label_task", "create", "PUT", "/tasks/{projecttask}/labels", WRITE, ok=201,
           prepare=lambda w: (lambda t: Attempt(f"/tasks/{t}/labels", {"label_id": w.label},
                                                snapshot=owner_get(w, f"/tasks/{t}/labels")))(w.task()["id"])),
    Action("label_task", "delete", "DELETE", "/tasks/{projecttask}/labels/{label}", WRITE,
           lambda w: (lambda t: Attempt(f"/tasks/{t}/labels/{w.label}",
                                        snapshot=owner_get(w, f"/tasks/{t}/labels")))(with_label(w))),
    # assignees (spec §2.6)
    Action("assignee", "list", "GET", "/tasks/{projecttask}/assignees", READ, deny=(403, 1),
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/assignees")),
    Action("assignee", "create", "PUT", "/tasks/{projecttask}/assignees", WRITE, ok=201,
           prepare=lambda w: (lambda t: Attempt(f"/tasks/{t}/assignees", {"user_id": w.owner["id"]},
                                                snapshot=owner_get(w, f"/tasks/{t}/assignees")))(w.task()["id"])),
    Action("assignee", "delete", "DELETE", "/tasks/{projecttask}/assignees/{user}", WRITE,
           lambda w: (lambda t: Attempt(f"/tasks/{t}/assignees/{w.owner['id']}",
                                        snapshot=owner_get(w, f"/tasks/{t}/assignees")))(with_assignee(w))),
    # relations (spec §2.7)
    Action("relation", "create", "PUT", "/tasks/{task}/relations", WRITE, ok=201,
           prepare=lambda w: (lambda t: Attempt(f"/tasks/{t}/relations",
                                                {"other_task_id": w.t0, "relation_kind": "related"},
                                                snapshot=owner_get(w, f"/tasks/{t}")))(w.task()["id"])),
    Action("relation", "delete", "DELETE", "/tasks/{task}/relations/{relationKind}/{otherTask}", WRITE,
           lambda w: (lambda t: Attempt(f"/tasks/{t}/relations/related/{w.t0}",
                                        snapshot=owner_get(w, f"/tasks/{t}")))(with_relation(w))),
    # reactions (spec §2.7): they belong to users, so link shares cannot react
    Action("reaction", "list", "GET", "/{entitykind}/{entityid}/reactions", READ, deny=(403, 1),
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/reactions")),
    Action("reaction", "create", "PUT", "/{entitykind}/{entityid}/reactions", WRITE, ok=201, link_share=False,
           link_deny=REACTION_LINK_DENY,
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/reactions", {"value": uuid.uuid4().hex[:8]},
                                     snapshot=owner_get(w, f"/tasks/{w.t0}/reactions"))),
    Action("reaction", "delete", "POST", "/{entitykind}/{entityid}/reactions/delete", WRITE, link_share=False,
           link_deny=REACTION_LINK_DENY,
           prepare=lambda w: Attempt(f"/tasks/{w.t0}/reactions/delete", {"value": with_reaction(w)},
                                     snapshot=owner_get(w, f"/tasks/{w.t0}/reactions"))),
    # task position and bucket move (spec §2.4, §2.5)
    Action("position", "update", "POST", "/tasks/{task}/position", WRITE,
           lambda w: (lambda t: Attempt(f"/tasks/{t['id']}/position", {"project_view_id": w.list_view, "position": 7.5},
                                        snapshot=position_of(w, t)))(w.task())),
    Action("bucket_move", "update", "POST", "/projects/{project}/views/{view}/buckets/{bucket}/tasks", WRITE,
           lambda w: (lambda t: Attempt(f"/projects/{w.proj}/views/{w.kanban}/buckets/{w.move_target}/tasks",
                                        {"task_id": t["id"]}, snapshot=bucket_of(w, t)))(w.task())),
    # saved filters (spec §2.8): the owner's alone
    Action("filter", "read", "GET", "/filters/{filter}", AUTHOR, link_share=False, link_deny=FILTER_LINK_DENY,
           prepare=lambda w: Attempt(f"/filters/{w.f0}")),
    Action("filter", "create", "PUT", "/filters", ANY_USER, ok=201, link_share=False,
           prepare=lambda w: Attempt("/filters", {"title": uid("f"), "filters": {"filter": "done = true"}},
                                     snapshot=lambda: len(grants.table_rows(w.server, "saved_filters")))),
    Action("filter", "update", "POST", "/filters/{filter}", AUTHOR, link_share=False, link_deny=FILTER_LINK_DENY,
           prepare=lambda w: Attempt(f"/filters/{w.f0}", {"title": uid("f"), "filters": {"filter": "done = true"}},
                             snapshot=owner_get(w, f"/filters/{w.f0}"))),
    Action("filter", "delete", "DELETE", "/filters/{filter}", AUTHOR, link_share=False, link_deny=FILTER_LINK_DENY,
           prepare=lambda w: (lambda f: Attempt(f"/filters/{f}", snapshot=owner_status(w, f"/filters/{f}")))(
               w.saved_filter())),
]

def expected(world: World, action: Action, role: str):
    """("ok", status) or ("deny", status, code) for the role on the action."""
    level = world.level(role, action.on_child)
    if level == "invalid":
        return ("deny", *INVALID)
    if role.startswith("link_") and not action.link_share:
        return ("deny", *action.link_deny(level))
    acting_as_owner = role in ("owner", "token_scoped")
    if action.need == ANY_USER:
        allowed = True
    elif action.need == AUTHOR:
        allowed = acting_as_owner
    else:
        allowed = level is not None and level >= action.need
    return ("ok", action.ok) if allowed else ("deny", *action.deny)


CASES = [pytest.param(a, r, id=f"{a.id}-{r}") for a in ACTIONS for r in ROLES]


@pytest.fixture(scope="module")
def world(server):
    return World(server).build()


@pytest.mark.parametrize("action,role", CASES)
def test_permission_matrix(world, action, role):
    attempt = action.prepare(world)
    before = attempt.snapshot() if attempt.snapshot else None
    bearer = world.bearer(role, action.method, action.route)
    r = world.call(action.method, attempt.path, bearer, json=attempt.body, files=attempt.files)
    want = expected(world, action, role)
    if want[0] == "ok":
        assert r.status_code == want[1], f"{role} {action.method} {attempt.path}: {r.status_code} {r.text}"
        if attempt.visible:
            assert attempt.visible(r.json()), f"{role}: the seeded object is missing from {attempt.path}"
        return
    _, status, code = want
    assert (r.status_code, r.json().get("code")) == (status, code), \
        f"{role} {action.method} {attempt.path}: want {status}/{code}, got {r.status_code} {r.text}"
    if attempt.snapshot:
        assert attempt.snapshot() == before, f"{role} {action.method} {attempt.path} changed the data"


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("disabled", "token_unscoped")])
def test_project_list_hides_unreachable_projects(world, role):
    """GET /projects lists proj exactly to the roles that reach it (a stranger sees nothing of it)."""
    r = world.call("GET", "/projects", world.bearer(role, "GET", "/projects"))
    assert r.status_code == 200, r.text
    listed = {p["id"] for p in r.json()}
    assert (world.proj in listed) == (world.level(role, False) is not None), (role, listed)
    # A share on proj does not reach its parent; only the owner and the parent's sharees see `top`.
    assert (world.top in listed) == (role in ("owner", "token_scoped") or role.startswith("parent_")), role
