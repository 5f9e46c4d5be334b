"""Sharing projects with users and teams: /projects/{project}/users[/{user}], /projects/{project}/teams[/{team}]
(spec §2.10, §3.6, §4; client-usage A.1).

Behaviour checked against Vikunja's pkg/models/project_users.go, project_users_permissions.go, project_team.go,
project_team_permissions.go and project_permissions.go (IsAdmin: a missing project is 3001, archived projects
can still be shared, link shares never). Lists need read access (else 3004). The permission's struct tag
`length(0|2)` is checked on its decimal text before anything else (412); 3 or -1 pass it and are 9001.
Access through a share is computed by the one permission model: owner anywhere up = admin, else the nearest level
of the parent chain with any grant, the higher of the user's and their teams' grants there.
"""

import pytest
from wire import RFC3339, assert_error, call
from task_extras_seed import new_project, new_task, ok, uid
from teams_seed import (TEAM_KEYS, add_member, assert_user_shape, new_team, share_team, share_user, shared_teams,
                        shared_users)


def max_permission(server, user, path):
    r = call(server, "GET", path, token=user["token"])
    if r.status_code != 200:
        return r.status_code
    return int(r.headers["x-max-permission"])


def project_permission(server, user, project_id):
    return max_permission(server, user, "/projects/%d" % project_id)


def task_permission(server, user, task_id):
    return max_permission(server, user, "/tasks/%d" % task_id)


# --- users: create ------------------------------------------------------------------------------

def test_share_with_user_shape(server, owner, new_user):
    project = new_project(server, owner)
    sharee = new_user()
    r = call(server, "PUT", "/projects/%d/users" % project["id"], token=owner["token"],
             json={"username": sharee["username"], "permission": 1, "project_id": 99999})
    body = ok(r, 201)
    assert list(body) == ["id", "username", "permission", "created", "updated"]
    assert isinstance(body["id"], int) and body["id"] > 0
    assert body["username"] == sharee["username"] and body["permission"] == 1
    assert RFC3339.match(body["created"]) and RFC3339.match(body["updated"])
    assert project_permission(server, sharee, project["id"]) == 1


def test_list_shared_users(server, owner, new_user):
    project = new_project(server, owner)
    a, b = new_user(), new_user()
    share_user(server, owner, project["id"], a, 0)
    share_user(server, owner, project["id"], b, 2)
    users = shared_users(server, owner, project["id"])
    assert [u["id"] for u in users] == [a["id"], b["id"]]
    assert list(users[0]) == ["id", "name", "username", "created", "updated", "permission"]
    assert_user_shape(users[0], a)
    assert [u["permission"] for u in users] == [0, 2]
    # A read sharee sees the list too.
    assert [u["id"] for u in shared_users(server, a, project["id"])] == [a["id"], b["id"]]
    # s searches the username, ignoring case.
    found = shared_users(server, owner, project["id"], s=b["username"].upper())
    assert [u["id"] for u in found] == [b["id"]]
    r = call(server, "GET", "/projects/%d/users" % project["id"], token=owner["token"], params={"per_page": 1})
    assert len(ok(r)) == 1 and r.headers["x-pagination-total-pages"] == "2"


def test_list_shared_users_empty_is_array(server, owner):
    project = new_project(server, owner)
    assert shared_users(server, owner, project["id"]) == []


def test_list_shares_needs_read_access(server, owner, stranger):
    project = new_project(server, owner)
    for path in ("/projects/%d/users", "/projects/%d/teams"):
        assert_error(call(server, "GET", path % project["id"], token=stranger["token"]), 403, 3004)
        assert_error(call(server, "GET", path % 99999999, token=owner["token"]), 403, 3004)


def test_share_with_user_twice_or_owner(server, owner, new_user):
    project = new_project(server, owner)
    sharee = new_user()
    share_user(server, owner, project["id"], sharee, 0)
    for who in (sharee, owner):
        r = call(server, "PUT", "/projects/%d/users" % project["id"], token=owner["token"],
                 json={"username": who["username"], "permission": 2})
        assert_error(r, 409, 7002)
    assert [(u["id"], u["permission"]) for u in shared_users(server, owner, project["id"])] == [(sharee["id"], 0)]


def test_share_with_unknown_or_disabled_user(server, owner):
    from teams_seed import seed_user
    project = new_project(server, owner)
    for body in ({"username": uid("nobody"), "permission": 0}, {"permission": 0}):
        assert_error(call(server, "PUT", "/projects/%d/users" % project["id"], token=owner["token"], json=body),
                     404, 1005)
    disabled = seed_user(server, status=2)
    r = call(server, "PUT", "/projects/%d/users" % project["id"], token=owner["token"],
             json={"username": disabled["username"], "permission": 0})
    assert_error(r, 412, 1020)
    assert shared_users(server, owner, project["id"]) == []


@pytest.mark.parametrize("permission,status,code", [(3, 400, 9001), (-1, 400, 9001), (9, 400, 9001),
                                                     (100, 412, 2002), (-10, 412, 2002)])
def test_share_invalid_permission(server, owner, new_user, permission, status, code):
    project = new_project(server, owner)
    sharee = new_user()
    team = new_team(server, owner)
    r = call(server, "PUT", "/projects/%d/users" % project["id"], token=owner["token"],
             json={"username": sharee["username"], "permission": permission})
    err = assert_error(r, status, code)
    if code == 2002:
        assert err["invalid_fields"] == ["permission: %d does not validate as length(0|2)" % permission]
    r = call(server, "PUT", "/projects/%d/teams" % project["id"], token=owner["token"],
             json={"team_id": team["id"], "permission": permission})
    assert_error(r, status, code)
    assert shared_users(server, owner, project["id"]) == [] and shared_teams(server, owner, project["id"]) == []


def test_share_missing_project(server, owner, new_user):
    sharee = new_user()
    r = call(server, "PUT", "/projects/99999999/users", token=owner["token"],
             json={"username": sharee["username"], "permission": 0})
    assert_error(r, 404, 3001)


def test_share_pseudo_project_forbidden(server, owner, new_user):
    sharee = new_user()
    r = call(server, "PUT", "/projects/-1/users", token=owner["token"],
             json={"username": sharee["username"], "permission": 0})
    assert_error(r, 403, 0)


# --- users: permission denials ------------------------------------------------------------------

def test_share_writes_need_admin(server, owner, new_user, stranger):
    project = new_project(server, owner)
    reader, writer, victim = new_user(), new_user(), new_user()
    share_user(server, owner, project["id"], reader, 0)
    share_user(server, owner, project["id"], writer, 1)
    team = new_team(server, writer)
    before_users = shared_users(server, owner, project["id"])
    for user in (reader, writer, stranger):
        base = "/projects/%d/users" % project["id"]
        assert_error(call(server, "PUT", base, token=user["token"],
                          json={"username": victim["username"], "permission": 2}), 403, 0)
        assert_error(call(server, "POST", base + "/" + reader["username"], token=user["token"],
                          json={"permission": 2}), 403, 0)
        assert_error(call(server, "DELETE", base + "/" + reader["username"], token=user["token"]), 403, 0)
        assert_error(call(server, "PUT", "/projects/%d/teams" % project["id"], token=user["token"],
                          json={"team_id": team["id"], "permission": 2}), 403, 0)
    assert shared_users(server, owner, project["id"]) == before_users
    assert shared_teams(server, owner, project["id"]) == []
    assert project_permission(server, reader, project["id"]) == 0
    assert project_permission(server, victim, project["id"]) == 403


def test_admin_sharee_can_share(server, owner, new_user):
    project = new_project(server, owner)
    admin, other = new_user(), new_user()
    share_user(server, owner, project["id"], admin, 2)
    share_user(server, admin, project["id"], other, 1)
    assert project_permission(server, other, project["id"]) == 1
    # Sharing with oneself again is "already has access".
    r = call(server, "PUT", "/projects/%d/users" % project["id"], token=admin["token"],
             json={"username": admin["username"], "permission": 2})
    assert_error(r, 409, 7002)


# --- users: update and delete -------------------------------------------------------------------

def test_update_user_share(server, owner, new_user):
    project = new_project(server, owner)
    sharee = new_user()
    created = share_user(server, owner, project["id"], sharee, 0)
    r = call(server, "POST", "/projects/%d/users/%s" % (project["id"], sharee["username"]), token=owner["token"],
             json={"username": "ignored", "permission": 2, "project_id": 1})
    body = ok(r)
    assert list(body) == ["id", "username", "permission", "created", "updated"]
    assert body["id"] == created["id"] and body["username"] == sharee["username"] and body["permission"] == 2
    assert body["created"] == created["created"]
    assert project_permission(server, sharee, project["id"]) == 2
    assert [u["permission"] for u in shared_users(server, owner, project["id"])] == [2]


def test_update_user_share_invalid_permission(server, owner, new_user):
    project = new_project(server, owner)
    sharee = new_user()
    share_user(server, owner, project["id"], sharee, 0)
    r = call(server, "POST", "/projects/%d/users/%s" % (project["id"], sharee["username"]), token=owner["token"],
             json={"permission": 5})
    assert_error(r, 400, 9001)
    assert [u["permission"] for u in shared_users(server, owner, project["id"])] == [0]


def test_unshare_user(server, owner, new_user):
    project = new_project(server, owner)
    sharee = new_user()
    task = new_task(server, owner, project["id"])
    share_user(server, owner, project["id"], sharee, 1)
    assert task_permission(server, sharee, task["id"]) == 1
    r = call(server, "DELETE", "/projects/%d/users/%s" % (project["id"], sharee["username"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert shared_users(server, owner, project["id"]) == []
    assert project_permission(server, sharee, project["id"]) == 403
    assert task_permission(server, sharee, task["id"]) == 403
    r = call(server, "DELETE", "/projects/%d/users/%s" % (project["id"], sharee["username"]), token=owner["token"])
    assert_error(r, 403, 7003)
    r = call(server, "DELETE", "/projects/%d/users/%s" % (project["id"], uid("nobody")), token=owner["token"])
    assert_error(r, 404, 1005)


# --- teams ----------------------------------------------------------------------------------------

def test_share_with_team_shape(server, owner, new_user):
    project = new_project(server, owner)
    team = new_team(server, owner)
    r = call(server, "PUT", "/projects/%d/teams" % project["id"], token=owner["token"],
             json={"team_id": team["id"], "permission": 2, "project_id": 99999})
    body = ok(r, 201)
    assert list(body) == ["id", "team_id", "permission", "created", "updated"]
    assert body["team_id"] == team["id"] and body["permission"] == 2
    assert RFC3339.match(body["created"]) and RFC3339.match(body["updated"])


def test_list_shared_teams(server, owner, new_user):
    project = new_project(server, owner)
    member = new_user()
    first = new_team(server, owner, name="Ops " + uid())
    second = new_team(server, owner, name="Dev " + uid())
    add_member(server, owner, second["id"], member)
    share_team(server, owner, project["id"], first["id"], 0)
    share_team(server, owner, project["id"], second["id"], 1)
    teams = shared_teams(server, owner, project["id"])
    assert [t["id"] for t in teams] == [first["id"], second["id"]]
    assert list(teams[0]) == TEAM_KEYS + ["permission"]
    assert [t["permission"] for t in teams] == [0, 1]
    assert [m["id"] for m in teams[1]["members"]] == sorted([owner["id"], member["id"]])
    assert teams[1]["created_by"]["id"] == owner["id"]
    assert [t["id"] for t in shared_teams(server, owner, project["id"], s="dev")] == [second["id"]]
    # The member reads the project through the team, and the list with it.
    assert [t["id"] for t in shared_teams(server, member, project["id"])] == [first["id"], second["id"]]


def test_share_with_team_twice_or_unknown(server, owner):
    project = new_project(server, owner)
    team = new_team(server, owner)
    share_team(server, owner, project["id"], team["id"], 0)
    r = call(server, "PUT", "/projects/%d/teams" % project["id"], token=owner["token"],
             json={"team_id": team["id"], "permission": 1})
    assert_error(r, 409, 6004)
    for body in ({"team_id": 99999999, "permission": 0}, {"permission": 0}):
        r = call(server, "PUT", "/projects/%d/teams" % project["id"], token=owner["token"], json=body)
        assert_error(r, 404, 6002)
    assert [(t["id"], t["permission"]) for t in shared_teams(server, owner, project["id"])] == [(team["id"], 0)]


def test_update_team_share(server, owner, new_user):
    project = new_project(server, owner)
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    created = share_team(server, owner, project["id"], team["id"], 0)
    assert project_permission(server, member, project["id"]) == 0
    r = call(server, "POST", "/projects/%d/teams/%d" % (project["id"], team["id"]), token=owner["token"],
             json={"team_id": 12345, "permission": 1})
    body = ok(r)
    assert body["id"] == created["id"] and body["team_id"] == team["id"] and body["permission"] == 1
    assert project_permission(server, member, project["id"]) == 1


def test_unshare_team(server, owner, new_user):
    project = new_project(server, owner)
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    share_team(server, owner, project["id"], team["id"], 1)
    r = call(server, "DELETE", "/projects/%d/teams/%d" % (project["id"], team["id"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert project_permission(server, member, project["id"]) == 403
    r = call(server, "DELETE", "/projects/%d/teams/%d" % (project["id"], team["id"]), token=owner["token"])
    assert_error(r, 403, 6007)
    r = call(server, "DELETE", "/projects/%d/teams/99999999" % project["id"], token=owner["token"])
    assert_error(r, 404, 6002)


def test_team_share_writes_need_project_admin(server, owner, new_user, stranger):
    project = new_project(server, owner)
    team = new_team(server, owner)
    writer = new_user()
    add_member(server, owner, team["id"], writer, admin=True)
    share_team(server, owner, project["id"], team["id"], 1)
    # A team admin with write access to the project still cannot change the team's grant.
    for user in (writer, stranger):
        path = "/projects/%d/teams/%d" % (project["id"], team["id"])
        assert_error(call(server, "POST", path, token=user["token"], json={"permission": 2}), 403, 0)
        assert_error(call(server, "DELETE", path, token=user["token"]), 403, 0)
    assert [t["permission"] for t in shared_teams(server, owner, project["id"])] == [1]


# --- access through shares ----------------------------------------------------------------------

@pytest.mark.parametrize("permission", [0, 1, 2])
def test_team_grant_levels(server, owner, new_user, permission):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    share_team(server, owner, project["id"], team["id"], permission)
    assert project_permission(server, member, project["id"]) == permission
    assert task_permission(server, member, task["id"]) == permission
    r = call(server, "POST", "/tasks/%d" % task["id"], token=member["token"], json={"title": "changed"})
    assert r.status_code == (200 if permission >= 1 else 403), r.text
    r = call(server, "PUT", "/projects/%d/users" % project["id"], token=member["token"],
             json={"username": new_user()["username"], "permission": 0})
    assert r.status_code == (201 if permission == 2 else 403), r.text


def test_highest_of_user_and_team_grant_wins(server, owner, new_user):
    project = new_project(server, owner)
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    share_user(server, owner, project["id"], member, 0)
    share_team(server, owner, project["id"], team["id"], 2)
    assert project_permission(server, member, project["id"]) == 2
    ok(call(server, "POST", "/projects/%d/teams/%d" % (project["id"], team["id"]), token=owner["token"],
            json={"permission": 0}))
    ok(call(server, "POST", "/projects/%d/users/%s" % (project["id"], member["username"]), token=owner["token"],
            json={"permission": 1}))
    assert project_permission(server, member, project["id"]) == 1


def test_removing_member_removes_access(server, owner, new_user):
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    share_team(server, owner, project["id"], team["id"], 1)
    assert task_permission(server, member, task["id"]) == 1
    ok(call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], member["username"]), token=owner["token"]))
    assert task_permission(server, member, task["id"]) == 403
    assert project_permission(server, member, project["id"]) == 403


def test_team_share_inherited_by_child_projects(server, owner, new_user):
    parent = new_project(server, owner)
    child = ok(call(server, "PUT", "/projects", token=owner["token"],
                    json={"title": uid("child"), "parent_project_id": parent["id"]}), 201)
    task = new_task(server, owner, child["id"])
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    share_team(server, owner, parent["id"], team["id"], 1)
    assert project_permission(server, member, child["id"]) == 1
    assert task_permission(server, member, task["id"]) == 1
    # The nearest level with a grant wins: a read share on the child narrows it there.
    share_user(server, owner, child["id"], member, 0)
    assert project_permission(server, member, child["id"]) == 0
    assert project_permission(server, member, parent["id"]) == 1
    listed = ok(call(server, "GET", "/projects", token=member["token"]))
    assert {parent["id"], child["id"]} <= {p["id"] for p in listed}


def test_archived_project_can_be_shared(server, owner, new_user):
    project = new_project(server, owner)
    archived = ok(call(server, "POST", "/projects/%d" % project["id"], token=owner["token"],
                       json={"title": project["title"], "is_archived": True}))
    assert archived["is_archived"] is True
    sharee = new_user()
    team = new_team(server, owner)
    share_user(server, owner, project["id"], sharee, 1)
    share_team(server, owner, project["id"], team["id"], 1)
    assert [u["permission"] for u in shared_users(server, owner, project["id"])] == [1]
    ok(call(server, "POST", "/projects/%d/users/%s" % (project["id"], sharee["username"]), token=owner["token"],
            json={"permission": 2}))
    ok(call(server, "DELETE", "/projects/%d/teams/%d" % (project["id"], team["id"]), token=owner["token"]))
    assert [u["permission"] for u in shared_users(server, owner, project["id"])] == [2]
    assert shared_teams(server, owner, project["id"]) == []


# --- per-user state on shared projects ----------------------------------------------------------

def test_favorite_on_shared_project_is_per_user(server, owner, new_user):
    project = new_project(server, owner)
    writer, reader = new_user(), new_user()
    share_user(server, owner, project["id"], writer, 1)
    share_user(server, owner, project["id"], reader, 0)
    body = ok(call(server, "GET", "/projects/%d" % project["id"], token=writer["token"]))
    body["is_favorite"] = True
    # Project.CanUpdate is CanWrite: favouriting needs write access.
    assert ok(call(server, "POST", "/projects/%d" % project["id"], token=writer["token"], json=body))["is_favorite"]
    assert ok(call(server, "GET", "/projects/%d" % project["id"], token=writer["token"]))["is_favorite"] is True
    assert ok(call(server, "GET", "/projects/%d" % project["id"], token=owner["token"]))["is_favorite"] is False
    r = call(server, "POST", "/projects/%d" % project["id"], token=reader["token"], json=body)
    assert_error(r, 403, 0)
    assert ok(call(server, "GET", "/projects/%d" % project["id"], token=reader["token"]))["is_favorite"] is False


def test_removed_member_loses_assignments_in_unreadable_projects(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    via_team = new_project(server, owner)
    also_direct = new_project(server, owner)
    share_team(server, owner, via_team["id"], team["id"], 1)
    share_team(server, owner, also_direct["id"], team["id"], 1)
    share_user(server, owner, also_direct["id"], member, 0)
    lost = new_task(server, owner, via_team["id"])
    kept = new_task(server, owner, also_direct["id"])
    for task in (lost, kept):
        ok(call(server, "PUT", "/tasks/%d/assignees" % task["id"], token=owner["token"],
                json={"user_id": member["id"]}), 201)
    ok(call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], member["username"]), token=owner["token"]))
    # Vikunja's CleanupTaskAssignmentsAfterTeamRemoval: only where the member can no longer read the project.
    assert ok(call(server, "GET", "/tasks/%d/assignees" % lost["id"], token=owner["token"])) == []
    kept_assignees = ok(call(server, "GET", "/tasks/%d/assignees" % kept["id"], token=owner["token"]))
    assert [u["id"] for u in kept_assignees] == [member["id"]]
