"""The current user: GET /user, POST /user/settings/general, POST /user/password,
GET /user/timezones (spec §2.2, §3.1, §4; client-usage §D 10, 28, 33).

Behaviour checked against Vikunja's pkg/routes/api/v1/user_show.go, user_settings.go,
user_update_password.go, pkg/models/user_settings.go (UserGeneralSettings,
ChangeUserPassword), pkg/user/user.go (UpdateUser, UpdateUserPassword), pkg/user/error.go,
pkg/user/user_create.go and pkg/config/config.go (defaultsettings.*).
"""

import copy
import uuid

import pytest
from wire import RFC3339, call, assert_error

try:  # tests/api may or may not be a package
    from . import jwt_tools
except ImportError:  # pragma: no cover - depends on rootdir layout
    import jwt_tools


SETTINGS_KEYS = {
    "name", "email_reminders_enabled", "discoverable_by_name", "discoverable_by_email",
    "overdue_tasks_reminders_enabled", "overdue_tasks_reminders_time", "default_project_id",
    "week_start", "language", "timezone", "frontend_settings",
}


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def get_me(server, token):
    r = call(server, "GET", "/user", token=token)
    assert r.status_code == 200, r.text
    return r.json()


def login(server, username, password):
    return call(server, "POST", "/login", json={"username": username, "password": password})


def login_ok(server, username, password):
    r = login(server, username, password)
    assert r.status_code == 200, r.text
    cookie = jwt_tools.find_cookie(r)
    assert cookie is not None and cookie["value"]
    return r.json()["token"], cookie["value"]


def refresh(server, refresh_token):
    return call(server, "POST", "/user/token/refresh",
                headers={"Cookie": "%s=%s" % (jwt_tools.REFRESH_COOKIE, refresh_token)})


def current_settings_body(me):
    """A complete UserGeneralSettings request body built from GET /user."""
    body = {k: copy.deepcopy(me["settings"][k]) for k in SETTINGS_KEYS}
    return body


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


# ---------------------------------------------------------------------------------------
# GET /user
# ---------------------------------------------------------------------------------------

def test_get_user_shape(server, new_user):
    user = new_user()
    me = get_me(server, user["token"])

    assert me["id"] == user["id"]
    assert me["username"] == user["username"]
    assert me["name"] == ""
    assert RFC3339.match(me["created"]), me
    assert RFC3339.match(me["updated"]), me
    # The email is never part of GET /user.
    assert me.get("email", "") == ""
    assert "password" not in me
    assert me["is_local_user"] is True
    assert me["auth_provider"] == "local"
    assert me.get("is_admin") is False
    assert me["deletion_scheduled_at"] in ("0001-01-01T00:00:00Z", None), me

    settings = me["settings"]
    assert isinstance(settings, dict)
    missing = SETTINGS_KEYS - set(settings)
    assert not missing, missing
    assert isinstance(settings["name"], str)
    for key in ("email_reminders_enabled", "discoverable_by_name", "discoverable_by_email",
                "overdue_tasks_reminders_enabled"):
        assert isinstance(settings[key], bool), (key, settings[key])
    assert isinstance(settings["overdue_tasks_reminders_time"], str)
    assert is_int(settings["default_project_id"])
    assert is_int(settings["week_start"])
    assert isinstance(settings["language"], str)
    assert isinstance(settings["timezone"], str)


def test_get_user_default_settings_of_new_user(server):
    # Registered without a language; defaults from pkg/config (defaultsettings.*).
    username = "def" + uuid.uuid4().hex[:12]
    r = call(server, "POST", "/register", json={
        "username": username, "password": "12345678", "email": username + "@example.com"})
    assert r.status_code == 200, r.text
    token, _ = login_ok(server, username, "12345678")
    s = get_me(server, token)["settings"]
    assert s["name"] == ""
    assert s["email_reminders_enabled"] is False
    assert s["discoverable_by_name"] is False
    assert s["discoverable_by_email"] is False
    assert s["overdue_tasks_reminders_enabled"] is True
    assert s["overdue_tasks_reminders_time"] == "9:00"
    assert s["week_start"] == 0
    assert s["language"] == ""
    assert s["timezone"] == "GMT"  # service.timezone default
    assert s["frontend_settings"] is None


def test_get_user_default_project_is_the_inbox(server, new_user):
    user = new_user()
    me = get_me(server, user["token"])
    pid = me["settings"]["default_project_id"]
    assert is_int(pid) and pid > 0
    r = call(server, "GET", "/projects/%d" % pid, token=user["token"])
    if r.status_code == 404 and r.json() == {"message": "Not Found"}:
        pytest.skip("GET /projects/{id} is not served yet")
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Inbox"


# ---------------------------------------------------------------------------------------
# POST /user/settings/general
# ---------------------------------------------------------------------------------------

def test_settings_general_saves_every_field(server, new_user):
    user = new_user()
    me = get_me(server, user["token"])
    wanted = current_settings_body(me)
    wanted.update({
        "name": "Vicu\u00f1a Tester",
        "email_reminders_enabled": True,
        "discoverable_by_name": True,
        "discoverable_by_email": True,
        "overdue_tasks_reminders_enabled": False,
        "overdue_tasks_reminders_time": "18:30",
        "week_start": 1,
        "language": "de-DE",
        "timezone": "Europe/Berlin",
        "frontend_settings": {"color_schema": "dark", "play_sound_when_done": True},
    })
    r = call(server, "POST", "/user/settings/general", token=user["token"], json=wanted)
    assert r.status_code == 200, r.text
    assert isinstance(r.json().get("message"), str)

    after = get_me(server, user["token"])
    for key, value in wanted.items():
        assert after["settings"][key] == value, (key, after["settings"][key], value)
    # The display name is the user's name.
    assert after["name"] == wanted["name"]
    assert after["id"] == user["id"]


def test_settings_frontend_settings_stored_verbatim(server, new_user):
    user = new_user()
    body = current_settings_body(get_me(server, user["token"]))
    fs = {
        "color_schema": "auto",
        "quick_add_magic_mode": "vikunja",
        "default_view": "first",
        "nested": {"a": [1, 2.5, {"b": None, "c": "\u00fc\u20ac"}], "empty": {}, "list": []},
        "flag": False,
        "count": 0,
    }
    body["frontend_settings"] = fs
    r = call(server, "POST", "/user/settings/general", token=user["token"], json=body)
    assert r.status_code == 200, r.text
    assert get_me(server, user["token"])["settings"]["frontend_settings"] == fs


def test_settings_frontend_settings_are_replaced_not_merged(server, new_user):
    user = new_user()
    body = current_settings_body(get_me(server, user["token"]))
    body["frontend_settings"] = {"first": 1, "nested": {"keep": "no"}}
    assert call(server, "POST", "/user/settings/general", token=user["token"], json=body).status_code == 200
    body["frontend_settings"] = {"second": 2}
    assert call(server, "POST", "/user/settings/general", token=user["token"], json=body).status_code == 200
    assert get_me(server, user["token"])["settings"]["frontend_settings"] == {"second": 2}


def test_settings_invalid_timezone(server, new_user):
    user = new_user()
    before = get_me(server, user["token"])
    body = current_settings_body(before)
    body["timezone"] = "Mars/Olympus_Mons"
    body["name"] = "should not stick"
    r = call(server, "POST", "/user/settings/general", token=user["token"], json=body)
    assert_error(r, 400, 1025)
    after = get_me(server, user["token"])
    assert after["settings"]["timezone"] == before["settings"]["timezone"]
    assert after["name"] == before["name"]


def test_settings_overdue_time_is_required(server, new_user):
    # `overdue_tasks_reminders_time` has valid:"time,required"; the v1 handler answers 400.
    user = new_user()
    body = current_settings_body(get_me(server, user["token"]))
    del body["overdue_tasks_reminders_time"]
    r = call(server, "POST", "/user/settings/general", token=user["token"], json=body)
    assert r.status_code == 400, r.text


def test_settings_week_start_out_of_range(server, new_user):
    user = new_user()
    before = get_me(server, user["token"])
    body = current_settings_body(before)
    body["week_start"] = 7
    r = call(server, "POST", "/user/settings/general", token=user["token"], json=body)
    assert r.status_code == 400, r.text
    assert get_me(server, user["token"])["settings"]["week_start"] == before["settings"]["week_start"]


def test_settings_malformed_body(server, new_user):
    user = new_user()
    r = call(server, "POST", "/user/settings/general", token=user["token"],
             data='{"name": ', headers={"Content-Type": "application/json"})
    assert_error(r, 400, 2004)


# ---------------------------------------------------------------------------------------
# POST /user/password
# ---------------------------------------------------------------------------------------

def test_change_password_wrong_old_password(server, new_user):
    user = new_user()
    r = call(server, "POST", "/user/password", token=user["token"],
             json={"old_password": "not-my-password", "new_password": "a-new-password"})
    assert_error(r, 403, 1011)
    # Nothing changed.
    assert login(server, user["username"], user["password"]).status_code == 200
    assert login(server, user["username"], "a-new-password").status_code == 403


def test_change_password_empty_old_password(server, new_user):
    user = new_user()
    r = call(server, "POST", "/user/password", token=user["token"],
             json={"old_password": "", "new_password": "a-new-password"})
    assert_error(r, 412, 1014)


def test_change_password_empty_new_password(server, new_user):
    user = new_user()
    r = call(server, "POST", "/user/password", token=user["token"],
             json={"old_password": user["password"], "new_password": ""})
    assert_error(r, 412, 1013)
    assert login(server, user["username"], user["password"]).status_code == 200


@pytest.mark.parametrize("new_password", ["1234567", "a" * 73, "\u20ac" * 25],
                         ids=["7_bytes", "73_bytes", "25_chars_75_bytes"])
def test_change_password_invalid_length(server, new_user, new_password):
    user = new_user()
    r = call(server, "POST", "/user/password", token=user["token"],
             json={"old_password": user["password"], "new_password": new_password})
    body = assert_error(r, 412, 2002)
    fields = body.get("invalid_fields")
    assert isinstance(fields, list) and fields, body
    assert fields[0].startswith("new_password:"), body
    assert login(server, user["username"], user["password"]).status_code == 200


def test_change_password_success(server, new_user):
    user = new_user()
    new_password = "changed-" + uuid.uuid4().hex[:8]
    r = call(server, "POST", "/user/password", token=user["token"],
             json={"old_password": user["password"], "new_password": new_password})
    assert r.status_code == 200, r.text
    assert isinstance(r.json().get("message"), str) and r.json()["message"]

    r = login(server, user["username"], new_password)
    assert r.status_code == 200, r.text
    assert jwt_tools.claims_of(r.json()["token"])["id"] == user["id"]
    assert_error(login(server, user["username"], user["password"]), 403, 1011)


def test_change_password_deletes_all_sessions(server, new_user):
    user = new_user(login=False)
    token_a, cookie_a = login_ok(server, user["username"], user["password"])
    _, cookie_b = login_ok(server, user["username"], user["password"])
    new_password = "changed-" + uuid.uuid4().hex[:8]
    r = call(server, "POST", "/user/password", token=token_a,
             json={"old_password": user["password"], "new_password": new_password})
    assert r.status_code == 200, r.text
    # Every session of the user is gone, including the one that made the change.
    for cookie in (cookie_a, cookie_b):
        assert refresh(server, cookie).status_code == 401
    # A fresh login starts a working session again.
    _, cookie_c = login_ok(server, user["username"], new_password)
    assert refresh(server, cookie_c).status_code == 200


def test_change_password_keeps_other_users_sessions(server, new_user):
    user = new_user(login=False)
    other = new_user(login=False)
    token, _ = login_ok(server, user["username"], user["password"])
    _, other_cookie = login_ok(server, other["username"], other["password"])
    r = call(server, "POST", "/user/password", token=token,
             json={"old_password": user["password"], "new_password": "changed-" + uuid.uuid4().hex[:8]})
    assert r.status_code == 200, r.text
    assert refresh(server, other_cookie).status_code == 200


# ---------------------------------------------------------------------------------------
# GET /user/timezones (optional in Vicugna, but the settings page calls it)
# ---------------------------------------------------------------------------------------

def test_timezones_lists_iana_names(server, new_user):
    user = new_user()
    r = call(server, "GET", "/user/timezones", token=user["token"])
    assert r.status_code == 200, r.text
    zones = r.json()
    assert isinstance(zones, list) and zones
    assert all(isinstance(z, str) and z for z in zones)
    assert len(zones) == len(set(zones))
    for z in ("Europe/Berlin", "America/New_York", "Asia/Tokyo"):
        assert z in zones, z
