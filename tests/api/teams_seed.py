"""Seeding through the API for the team, sharing and user-search tests."""

from wire import RFC3339, call, now_text, seed_rows
from task_extras_seed import ok, uid

USER_KEYS = ["id", "name", "username", "created", "updated"]
TEAM_KEYS = ["id", "name", "description", "external_id", "created_by", "members", "created", "updated", "is_public"]


def seed_user(server, **columns):
    """A user row written directly (for states the API cannot make: disabled, locked, bots); returns {id, username}."""
    row = {"username": uid("seeded"), "password": "$2a$04$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva",
           "status": 0, "issuer": "local", "language": "en", "created": now_text(), "updated": now_text()}
    row.update(columns)
    rows = seed_rows(server, "users", [row])
    mine = [x for x in rows if x.get("username") == row["username"]]
    assert len(mine) == 1, mine
    return {"id": int(mine[0]["id"]), "username": row["username"]}


def new_team(server, user, name=None, **fields):
    body = {"name": name or uid("team")}
    body.update(fields)
    return ok(call(server, "PUT", "/teams", token=user["token"], json=body), 201)


def add_member(server, admin_user, team_id, member, admin=False):
    r = call(server, "PUT", "/teams/%d/members" % team_id, token=admin_user["token"],
             json={"username": member["username"], "admin": admin})
    return ok(r, 201)


def get_team(server, user, team_id):
    return ok(call(server, "GET", "/teams/%d" % team_id, token=user["token"]))


def member_ids(team):
    return [m["id"] for m in team["members"]]


def share_user(server, sharer, project_id, member, permission):
    r = call(server, "PUT", "/projects/%d/users" % project_id, token=sharer["token"],
             json={"username": member["username"], "permission": permission})
    return ok(r, 201)


def share_team(server, sharer, project_id, team_id, permission):
    r = call(server, "PUT", "/projects/%d/teams" % project_id, token=sharer["token"],
             json={"team_id": team_id, "permission": permission})
    return ok(r, 201)


def shared_users(server, user, project_id, **params):
    return ok(call(server, "GET", "/projects/%d/users" % project_id, token=user["token"], params=params))


def shared_teams(server, user, project_id, **params):
    return ok(call(server, "GET", "/projects/%d/teams" % project_id, token=user["token"], params=params))


def set_settings(server, user, **changes):
    """Changes some general settings of `user` (the rest as they are)."""
    me = ok(call(server, "GET", "/user", token=user["token"]))
    body = dict(me["settings"])
    body.pop("extra_settings_links", None)
    body.update(changes)
    ok(call(server, "POST", "/user/settings/general", token=user["token"], json=body))


def assert_user_shape(body, user):
    assert list(body)[:5] == USER_KEYS, body
    assert body["id"] == user["id"] and body["username"] == user["username"], body
    assert "email" not in body and "password" not in body, body
    assert RFC3339.match(body["created"]) and RFC3339.match(body["updated"]), body
