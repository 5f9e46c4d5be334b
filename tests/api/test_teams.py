"""Teams and team members: /teams[/{team}], /teams/{team}/members[/{user}[/admin]] (spec §2.9, §3.6, §4;
client-usage A.1, checklist 7 and 39).

Behaviour checked against Vikunja's pkg/models/teams.go (CreateNewTeam, ReadAll, Update, Delete,
addMoreInfoToTeams), teams_permissions.go (CanRead gives x-max-permission 2 to team admins, 0 to members;
IsAdmin checks the team exists first), team_members.go (Create, Delete, Update toggles) and
team_members_permissions.go (members may remove themselves). Struct validation (name runelength(1|250),
member username required) runs before any permission check, so an empty name is 412/2002, never 6001.
"""

import pytest
from wire import RFC3339, assert_error, call, seed_rows
from task_extras_seed import new_project, new_task, ok, uid
from teams_seed import (TEAM_KEYS, add_member, assert_user_shape, get_team, member_ids, new_team,
                        seed_user, share_team)


def teams_of(server, user, **params):
    r = call(server, "GET", "/teams", token=user["token"], params=params)
    return ok(r), r


# --- create ---------------------------------------------------------------------------------------

def test_create_team_shape(server, owner):
    r = call(server, "PUT", "/teams", token=owner["token"],
             json={"name": "Crew", "description": "<p>we</p>", "is_public": False})
    team = ok(r, 201)
    assert list(team) == TEAM_KEYS
    assert isinstance(team["id"], int) and team["id"] > 0
    assert team["name"] == "Crew" and team["description"] == "<p>we</p>"
    assert team["external_id"] == "" and team["is_public"] is False
    assert_user_shape(team["created_by"], owner)
    assert len(team["members"]) == 1
    member = team["members"][0]
    assert list(member) == ["id", "name", "username", "created", "updated", "admin"]
    assert_user_shape(member, owner)
    assert member["admin"] is True
    assert RFC3339.match(team["created"]) and RFC3339.match(team["updated"])
    assert get_team(server, owner, team["id"]) == team


def test_create_team_ignores_read_only_fields(server, owner, stranger):
    team = new_team(server, owner, id=99999, external_id="oidc-1", created_by={"id": stranger["id"]},
                    members=[{"id": stranger["id"], "admin": True}])
    assert team["id"] != 99999 and team["external_id"] == ""
    assert team["created_by"]["id"] == owner["id"] and member_ids(team) == [owner["id"]]


def test_create_team_is_public_stored_even_when_public_teams_are_off(server, owner):
    # Vikunja stores the flag as sent; only listing looks at service.enablepublicteams.
    team = new_team(server, owner, is_public=True)
    assert team["is_public"] is True
    assert get_team(server, owner, team["id"])["is_public"] is True


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 251}, {"description": "only"}])
def test_create_team_name_invalid(server, owner, body):
    err = assert_error(call(server, "PUT", "/teams", token=owner["token"], json=body), 412, 2002)
    assert any(f.startswith("name:") for f in err["invalid_fields"]), err


def test_create_team_name_counts_characters(server, owner):
    assert new_team(server, owner, name="ü" * 250)["name"] == "ü" * 250


def test_create_team_wrong_types(server, owner):
    assert_error(call(server, "PUT", "/teams", token=owner["token"], json={"name": 5}), 400, 2004)


def test_create_team_needs_auth(server):
    assert call(server, "PUT", "/teams", json={"name": "anon"}).status_code == 401


# --- read -----------------------------------------------------------------------------------------

def test_read_team_max_permission(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    r = call(server, "GET", "/teams/%d" % team["id"], token=owner["token"])
    assert ok(r)["id"] == team["id"] and r.headers["x-max-permission"] == "2"
    r = call(server, "GET", "/teams/%d" % team["id"], token=member["token"])
    body = ok(r)
    assert r.headers["x-max-permission"] == "0"
    assert member_ids(body) == sorted([owner["id"], member["id"]])
    assert [m["admin"] for m in body["members"]] == [m["id"] == owner["id"] for m in body["members"]]


def test_read_team_not_member_or_missing_is_forbidden(server, owner, stranger):
    team = new_team(server, owner)
    assert_error(call(server, "GET", "/teams/%d" % team["id"], token=stranger["token"]), 403, 0)
    # Team.CanRead looks for a membership only: a missing team is a plain 403 too.
    assert_error(call(server, "GET", "/teams/99999999", token=owner["token"]), 403, 0)


def test_read_team_bad_id(server, owner):
    assert_error(call(server, "GET", "/teams/abc", token=owner["token"]), 400, 2004)


# --- list -----------------------------------------------------------------------------------------

def test_list_teams_only_mine_with_members(server, owner, stranger):
    mine = new_team(server, owner, name=uid("alpha"))
    other = new_team(server, stranger, name=uid("beta"))
    add_member(server, stranger, other["id"], owner)
    theirs = new_team(server, stranger)
    teams, r = teams_of(server, owner)
    assert [t["id"] for t in teams] == [mine["id"], other["id"]]
    assert r.headers["x-pagination-total-pages"] == "1"
    assert teams[0] == get_team(server, owner, mine["id"])
    assert member_ids(teams[1]) == sorted([owner["id"], stranger["id"]])
    assert theirs["id"] not in [t["id"] for t in teams]


def test_list_teams_empty_is_array(server, owner):
    teams, _ = teams_of(server, owner)
    assert teams == []


def test_list_teams_search_case_insensitive(server, owner):
    hit = new_team(server, owner, name="Design Crew " + uid())
    new_team(server, owner, name="Backend " + uid())
    teams, _ = teams_of(server, owner, s="design")
    assert [t["id"] for t in teams] == [hit["id"]]
    teams, _ = teams_of(server, owner, s="CREW")
    assert [t["id"] for t in teams] == [hit["id"]]


def test_list_teams_paginated(server, owner):
    ids = [new_team(server, owner)["id"] for _ in range(3)]
    teams, r = teams_of(server, owner, page=2, per_page=2)
    assert [t["id"] for t in teams] == ids[2:]
    assert r.headers["x-pagination-total-pages"] == "2"


def test_list_teams_include_public_ignored_when_disabled(server, owner, stranger):
    public = new_team(server, stranger, is_public=True)
    teams, _ = teams_of(server, owner, include_public="true")
    assert public["id"] not in [t["id"] for t in teams]


def test_list_teams_include_public_when_enabled(server_factory):
    srv = server_factory(env={"VIKUNJA_SERVICE_ENABLEPUBLICTEAMS": "true"})

    def user():
        name = uid("p")
        r = call(srv, "POST", "/register", json={"username": name, "password": "12345678",
                                                 "email": name + "@example.com"})
        assert r.status_code == 200, r.text
        r = call(srv, "POST", "/login", json={"username": name, "password": "12345678"})
        return {"token": ok(r)["token"], "username": name}

    a, b = user(), user()
    public = ok(call(srv, "PUT", "/teams", token=b["token"], json={"name": "open", "is_public": True}), 201)
    private = ok(call(srv, "PUT", "/teams", token=b["token"], json={"name": "closed"}), 201)
    listed = ok(call(srv, "GET", "/teams", token=a["token"], params={"include_public": "true"}))
    assert [t["id"] for t in listed] == [public["id"]]
    assert private["id"] not in [t["id"] for t in listed]
    assert ok(call(srv, "GET", "/teams", token=a["token"])) == []
    # Listing a public team does not make its page readable.
    assert_error(call(srv, "GET", "/teams/%d" % public["id"], token=a["token"]), 403, 0)


# --- update ---------------------------------------------------------------------------------------

def test_update_team(server, owner):
    team = new_team(server, owner, description="old")
    r = call(server, "POST", "/teams/%d" % team["id"], token=owner["token"],
             json={"name": "Renamed", "description": "new", "is_public": True})
    body = ok(r)
    assert body["name"] == "Renamed" and body["description"] == "new" and body["is_public"] is True
    assert body["members"] == team["members"] and body["created"] == team["created"]
    assert get_team(server, owner, team["id"]) == body


def test_update_team_empty_description_keeps_the_old_one(server, owner):
    # Vikunja's xorm update skips empty strings (only is_public is forced).
    team = new_team(server, owner, description="keep me")
    body = ok(call(server, "POST", "/teams/%d" % team["id"], token=owner["token"],
                   json={"name": team["name"], "description": "", "is_public": False}))
    assert body["description"] == "keep me"


def test_update_team_invalid_name(server, owner):
    team = new_team(server, owner)
    assert_error(call(server, "POST", "/teams/%d" % team["id"], token=owner["token"], json={"name": ""}), 412, 2002)
    assert get_team(server, owner, team["id"])["name"] == team["name"]


def test_update_team_denied(server, owner, new_user, stranger):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    for user in (member, stranger):
        r = call(server, "POST", "/teams/%d" % team["id"], token=user["token"], json={"name": "hijack"})
        assert_error(r, 403, 0)
    assert get_team(server, owner, team["id"])["name"] == team["name"]


def test_update_missing_team(server, owner):
    assert_error(call(server, "POST", "/teams/99999999", token=owner["token"], json={"name": "x"}), 404, 6002)


# --- delete ---------------------------------------------------------------------------------------

def test_delete_team_removes_members_and_shares(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    project = new_project(server, owner)
    share_team(server, owner, project["id"], team["id"], 1)
    assert call(server, "GET", "/projects/%d" % project["id"], token=member["token"]).status_code == 200
    r = call(server, "DELETE", "/teams/%d" % team["id"], token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert_error(call(server, "GET", "/teams/%d" % team["id"], token=owner["token"]), 403, 0)
    assert teams_of(server, member)[0] == []
    assert call(server, "GET", "/projects/%d" % project["id"], token=member["token"]).status_code == 403
    assert ok(call(server, "GET", "/projects/%d/teams" % project["id"], token=owner["token"])) == []


def test_delete_team_denied(server, owner, new_user, stranger):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    for user in (member, stranger):
        assert_error(call(server, "DELETE", "/teams/%d" % team["id"], token=user["token"]), 403, 0)
    assert member_ids(get_team(server, owner, team["id"])) == sorted([owner["id"], member["id"]])


def test_delete_missing_team(server, owner):
    assert_error(call(server, "DELETE", "/teams/99999999", token=owner["token"]), 404, 6002)


# --- members --------------------------------------------------------------------------------------

def test_add_member_shape(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    r = call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"],
             json={"username": member["username"], "admin": False, "team_id": 12345})
    body = ok(r, 201)
    assert list(body) == ["id", "username", "admin", "created"]
    assert isinstance(body["id"], int) and body["id"] > 0
    assert body["username"] == member["username"] and body["admin"] is False
    assert RFC3339.match(body["created"])
    assert member_ids(get_team(server, owner, team["id"])) == sorted([owner["id"], member["id"]])
    assert [t["id"] for t in teams_of(server, member)[0]] == [team["id"]]


def test_add_member_as_admin(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    assert add_member(server, owner, team["id"], member, admin=True)["admin"] is True
    # A team admin added that way may add members too.
    third = new_user()
    add_member(server, member, team["id"], third)
    assert third["id"] in member_ids(get_team(server, owner, team["id"]))


def test_add_member_twice(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    r = call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"],
             json={"username": member["username"]})
    assert_error(r, 409, 6005)
    assert_error(call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"],
                      json={"username": owner["username"]}), 409, 6005)


def test_add_member_unknown_or_missing_username(server, owner):
    team = new_team(server, owner)
    r = call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"], json={"username": uid("nobody")})
    assert_error(r, 404, 1005)
    err = assert_error(call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"], json={}), 412, 2002)
    assert any(f.startswith("username:") for f in err["invalid_fields"]), err
    assert member_ids(get_team(server, owner, team["id"])) == [owner["id"]]


def test_add_member_username_is_exact(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    r = call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"],
             json={"username": member["username"].upper()})
    assert_error(r, 404, 1005)


def test_add_disabled_user(server, owner):
    team = new_team(server, owner)
    disabled = seed_user(server, status=2)
    r = call(server, "PUT", "/teams/%d/members" % team["id"], token=owner["token"],
             json={"username": disabled["username"]})
    assert_error(r, 412, 1020)
    assert member_ids(get_team(server, owner, team["id"])) == [owner["id"]]


def test_add_member_denied(server, owner, new_user, stranger):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    for user in (member, stranger):
        r = call(server, "PUT", "/teams/%d/members" % team["id"], token=user["token"],
                 json={"username": user["username"] if user is stranger else new_user()["username"]})
        assert_error(r, 403, 0)
    assert member_ids(get_team(server, owner, team["id"])) == sorted([owner["id"], member["id"]])


def test_add_member_to_missing_team_is_forbidden(server, owner):
    # TeamMember.IsAdmin looks for an admin membership only, before the team's existence.
    r = call(server, "PUT", "/teams/99999999/members", token=owner["token"], json={"username": owner["username"]})
    assert_error(r, 403, 0)


def test_remove_member_by_admin(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    r = call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], member["username"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert member_ids(get_team(server, owner, team["id"])) == [owner["id"]]
    assert teams_of(server, member)[0] == []


def test_member_may_leave(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    r = call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], member["username"]), token=member["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert member_ids(get_team(server, owner, team["id"])) == [owner["id"]]


def test_remove_last_member(server, owner):
    team = new_team(server, owner)
    r = call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], owner["username"]), token=owner["token"])
    assert_error(r, 400, 6006)
    assert member_ids(get_team(server, owner, team["id"])) == [owner["id"]]


def test_remove_member_denied(server, owner, new_user, stranger):
    team = new_team(server, owner)
    member, other = new_user(), new_user()
    add_member(server, owner, team["id"], member)
    add_member(server, owner, team["id"], other)
    for user in (member, stranger):
        r = call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], other["username"]), token=user["token"])
        assert_error(r, 403, 0)
    r = call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], owner["username"]), token=member["token"])
    assert_error(r, 403, 0)
    assert member_ids(get_team(server, owner, team["id"])) == sorted([owner["id"], member["id"], other["id"]])


def test_remove_unknown_user(server, owner):
    team = new_team(server, owner)
    r = call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], uid("nobody")), token=owner["token"])
    assert_error(r, 404, 1005)


def test_remove_member_from_external_team(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    # Only OIDC/LDAP sync sets external_id; written directly here.
    r = call(server, "PATCH", "/test/teams", params={"truncate": "false"},
             json=[{"name": "ext " + uid(), "created_by_id": owner["id"], "external_id": "oidc-" + uid(),
                    "created": team["created"], "updated": team["updated"]}],
             headers={"Authorization": server.testing_token})
    assert r.status_code == 201, r.text
    external = [t for t in r.json() if str(t.get("external_id", "")).startswith("oidc-")][-1]
    seed_rows(server, "team_members", [{"team_id": external["id"], "user_id": owner["id"], "admin": True,
                                   "created": team["created"]},
                                  {"team_id": external["id"], "user_id": member["id"], "admin": False,
                                   "created": team["created"]}])
    r = call(server, "DELETE", "/teams/%d/members/%s" % (external["id"], member["username"]), token=owner["token"])
    assert_error(r, 412, 6010)
    assert member_ids(get_team(server, owner, external["id"])) == sorted([owner["id"], member["id"]])
    assert get_team(server, owner, external["id"])["external_id"].startswith("oidc-")


def test_toggle_admin(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    added = add_member(server, owner, team["id"], member)
    path = "/teams/%d/members/%s/admin" % (team["id"], member["username"])
    # The web client sends the whole member; the server toggles regardless of the body's admin.
    body = ok(call(server, "POST", path, token=owner["token"], json={"username": member["username"], "admin": False}))
    assert body == {"id": added["id"], "username": member["username"], "admin": True, "created": added["created"]}
    assert [m["admin"] for m in get_team(server, owner, team["id"])["members"] if m["id"] == member["id"]] == [True]
    r = call(server, "GET", "/teams/%d" % team["id"], token=member["token"])
    assert r.headers["x-max-permission"] == "2"
    assert ok(call(server, "POST", path, token=owner["token"]))["admin"] is False
    r = call(server, "GET", "/teams/%d" % team["id"], token=member["token"])
    assert r.headers["x-max-permission"] == "0"


def test_toggle_admin_denied(server, owner, new_user, stranger):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    for user, target in ((member, member), (member, owner), (stranger, member)):
        r = call(server, "POST", "/teams/%d/members/%s/admin" % (team["id"], target["username"]),
                 token=user["token"])
        assert_error(r, 403, 0)
    admins = {m["id"]: m["admin"] for m in get_team(server, owner, team["id"])["members"]}
    assert admins == {owner["id"]: True, member["id"]: False}


def test_team_membership_grants_project_access(server, owner, new_user):
    team = new_team(server, owner)
    member = new_user()
    add_member(server, owner, team["id"], member)
    project = new_project(server, owner)
    task = new_task(server, owner, project["id"])
    assert call(server, "GET", "/tasks/%d" % task["id"], token=member["token"]).status_code == 403
    share_team(server, owner, project["id"], team["id"], 0)
    r = call(server, "GET", "/tasks/%d" % task["id"], token=member["token"])
    assert ok(r)["id"] == task["id"] and r.headers["x-max-permission"] == "0"
    # Leaving the team ends the access at once.
    ok(call(server, "DELETE", "/teams/%d/members/%s" % (team["id"], member["username"]), token=member["token"]))
    assert call(server, "GET", "/tasks/%d" % task["id"], token=member["token"]).status_code == 403
    assert call(server, "GET", "/projects/%d" % project["id"], token=member["token"]).status_code == 403


# --- API tokens -----------------------------------------------------------------------------------

EXPECTED_GROUPS = {
    "teams": {"read_all": ("GET", "/api/v1/teams"), "read_one": ("GET", "/api/v1/teams/:team"),
              "create": ("PUT", "/api/v1/teams"), "update": ("POST", "/api/v1/teams/:team"),
              "delete": ("DELETE", "/api/v1/teams/:team"),
              "members_admin": ("POST", "/api/v1/teams/:team/members/:user/admin")},
    "teams_members": {"create": ("PUT", "/api/v1/teams/:team/members"),
                      "delete": ("DELETE", "/api/v1/teams/:team/members/:user")},
    "projects_users": {"read_all": ("GET", "/api/v1/projects/:project/users"),
                       "create": ("PUT", "/api/v1/projects/:project/users"),
                       "update": ("POST", "/api/v1/projects/:project/users/:user"),
                       "delete": ("DELETE", "/api/v1/projects/:project/users/:user")},
    "projects_teams": {"read_all": ("GET", "/api/v1/projects/:project/teams"),
                       "create": ("PUT", "/api/v1/projects/:project/teams"),
                       "update": ("POST", "/api/v1/projects/:project/teams/:team"),
                       "delete": ("DELETE", "/api/v1/projects/:project/teams/:team")},
}


def test_route_groups_for_api_tokens(server, owner):
    routes = ok(call(server, "GET", "/routes", token=owner["token"]))
    for group, perms in EXPECTED_GROUPS.items():
        got = {p: (d["method"], d["path"]) for p, d in routes[group].items()}
        assert got == perms, group
    assert routes["other"]["users"] == {"method": "GET", "path": "/api/v1/users"}


def test_api_token_limited_to_its_groups(server, owner):
    team = new_team(server, owner)
    r = call(server, "PUT", "/tokens", token=owner["token"],
             json={"title": "t", "permissions": {"teams": ["read_all", "read_one"], "other": ["users"]},
                   "expires_at": "2099-01-01T00:00:00Z"})
    token = ok(r, 201)["token"]
    assert [t["id"] for t in ok(call(server, "GET", "/teams", token=token))] == [team["id"]]
    assert ok(call(server, "GET", "/teams/%d" % team["id"], token=token))["id"] == team["id"]
    assert ok(call(server, "GET", "/users", token=token, params={"s": owner["username"]}))[0]["id"] == owner["id"]
    assert call(server, "PUT", "/teams", token=token, json={"name": "no"}).status_code == 401
    assert call(server, "DELETE", "/teams/%d" % team["id"], token=token).status_code == 401
    assert get_team(server, owner, team["id"])["name"] == team["name"]
