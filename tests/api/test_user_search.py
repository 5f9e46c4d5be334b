"""User search: GET /users?s= (spec §2.2; client-usage A.1).

Behaviour checked against Vikunja's pkg/user/users_project.go (ListUsers, SearchUsers) and
pkg/routes/api/v1/user_list.go: each comma-separated term matches an exact username ignoring case, a name
(partially, ignoring case) only of users with discoverable_by_name, an exact email only of users with
discoverable_by_email, and anything of members of an external (OIDC/LDAP) team the searcher is in. Other people's
bots never match; the searcher's own bots match by username or name. The status is not looked at, the searcher can
find themself, and emails are never returned.
"""

from wire import assert_error, call, now_text, seed_rows
from task_extras_seed import ok, uid
from teams_seed import assert_user_shape, seed_user, set_settings


def search(server, user, s):
    return ok(call(server, "GET", "/users", token=user["token"], params={"s": s}))


def ids(users):
    return [u["id"] for u in users]


def test_exact_username_ignoring_case(server, owner, new_user):
    target = new_user()
    found = search(server, owner, target["username"].upper())
    assert len(found) == 1
    assert list(found[0]) == ["id", "name", "username", "created", "updated"]
    assert_user_shape(found[0], target)
    assert search(server, owner, target["username"][:-2]) == []


def test_empty_search_finds_no_one(server, owner):
    for s in ("", "   ", "%", "%%"):
        assert search(server, owner, s) == []
    assert ok(call(server, "GET", "/users", token=owner["token"])) == []


def test_percent_is_dropped(server, owner, new_user):
    target = new_user()
    assert ids(search(server, owner, target["username"][:4] + "%" + target["username"][4:])) == [target["id"]]


def test_name_only_when_discoverable(server, owner, new_user):
    marker = uid("Name")
    hidden, shown = new_user(), new_user()
    set_settings(server, hidden, name="Hidden " + marker)
    set_settings(server, shown, name="Shown " + marker, discoverable_by_name=True)
    found = search(server, owner, marker.lower())
    assert ids(found) == [shown["id"]]
    assert found[0]["name"] == "Shown " + marker


def test_email_exact_and_only_when_discoverable(server, owner, new_user):
    hidden, shown = new_user(), new_user()
    set_settings(server, shown, discoverable_by_email=True)
    assert search(server, owner, hidden["email"]) == []
    found = search(server, owner, shown["email"])
    assert ids(found) == [shown["id"]] and "email" not in found[0]
    assert search(server, owner, shown["email"][:-3]) == []


def test_comma_separated_terms_are_ored(server, owner, new_user):
    a, b = new_user(), new_user()
    set_settings(server, b, discoverable_by_email=True)
    assert ids(search(server, owner, "%s,%s" % (b["email"], a["username"]))) == [a["id"], b["id"]]
    # Terms are not trimmed.
    assert ids(search(server, owner, "%s, %s" % (a["username"], b["username"]))) == [a["id"]]


def test_finds_the_searcher_and_disabled_users(server, owner):
    assert ids(search(server, owner, owner["username"])) == [owner["id"]]
    disabled = seed_user(server, status=2)
    assert ids(search(server, owner, disabled["username"])) == [disabled["id"]]


def test_bots(server, owner, stranger):
    mine = seed_user(server, username="bot-" + uid("mine"), bot_owner_id=owner["id"], name="Helper")
    theirs = seed_user(server, username="bot-" + uid("theirs"), bot_owner_id=stranger["id"])
    assert search(server, owner, theirs["username"]) == []
    found = search(server, owner, mine["username"][4:12])
    assert ids(found) == [mine["id"]]
    assert found[0]["bot_owner_id"] == owner["id"]
    assert mine["id"] not in ids(search(server, stranger, mine["username"]))


def test_external_team_members_found_by_name(server, owner, new_user):
    mate = new_user()
    marker = uid("Mate")
    set_settings(server, mate, name=marker)
    assert search(server, owner, marker) == []
    rows = seed_rows(server, "teams", [{"name": "ext", "created_by_id": owner["id"], "external_id": "oidc-" + marker,
                                   "created": now_text(), "updated": now_text()}])
    team_id = [t["id"] for t in rows if t.get("external_id") == "oidc-" + marker][0]
    seed_rows(server, "team_members", [{"team_id": team_id, "user_id": owner["id"], "admin": True, "created": now_text()},
                                  {"team_id": team_id, "user_id": mate["id"], "admin": False,
                                   "created": now_text()}])
    assert ids(search(server, owner, marker.lower())) == [mate["id"]]
    assert ids(search(server, owner, mate["email"])) == [mate["id"]]
    assert "email" not in search(server, owner, mate["email"])[0]


def test_needs_auth(server):
    assert call(server, "GET", "/users", params={"s": "x"}).status_code == 401


def test_blank_terms_list_nobody_and_terms_are_bounded(server, owner, new_user):
    shown = new_user()
    set_settings(server, shown, name="Listed " + uid("n"), discoverable_by_name=True)
    # A blank term would be the name pattern "%%", which matches every discoverable user.
    assert search(server, owner, ",") == []
    assert ids(search(server, owner, shown["username"] + ", ,")) == [shown["id"]]
    assert ids(search(server, owner, ",".join([shown["username"]] * 500))) == [shown["id"]]
    r = call(server, "GET", "/users", token=owner["token"], params={"s": ",".join(uid("t") for _ in range(101))})
    assert any(f.startswith("s:") for f in assert_error(r, 400, 2002)["invalid_fields"])
    assert call(server, "GET", "/users", token=owner["token"], params={"s": "," * 3000}).json() == []
