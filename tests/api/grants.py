"""Seeding grants for the permission tests: direct shares, teams, link shares, and disabling a user.

These insert rows through the testing endpoint (wire.seed_rows), so the permission tests exercise the
permission model apart from the sharing routes, which test_project_sharing.py, test_teams.py and
test_link_shares.py test on their own. A link share's token is obtained as a client does.
"""

import subprocess
import uuid

import requests

from wire import now_text, seed_rows


def table_rows(server, table) -> list:
    """Every row of `table`, as the database holds it (an empty insert)."""
    return seed_rows(server, table, [])


def share_with_user(server, project_id, user_id, permission):
    now = now_text()
    seed_rows(server, "users_projects", [{"user_id": user_id, "project_id": project_id, "permission": permission,
                                          "created": now, "updated": now}])


def make_team(server, creator_id, member_ids) -> int:
    """A team created by `creator_id` holding `member_ids` (the creator is not added); returns its id."""
    now = now_text()
    name = "team-" + uuid.uuid4().hex[:12]
    teams = seed_rows(server, "teams", [{"name": name, "created_by_id": creator_id, "created": now, "updated": now}])
    team_id = next(t["id"] for t in teams if t["name"] == name)
    seed_rows(server, "team_members", [{"team_id": team_id, "user_id": uid, "admin": False, "created": now}
                                       for uid in member_ids])
    return team_id


def share_with_team(server, project_id, team_id, permission):
    now = now_text()
    seed_rows(server, "team_projects", [{"team_id": team_id, "project_id": project_id, "permission": permission,
                                         "created": now, "updated": now}])


def make_link_share(server, project_id, permission, shared_by_id) -> str:
    """A password-less link share (sharing_type 1) of the project; returns its hash."""
    now = now_text()
    share_hash = uuid.uuid4().hex + uuid.uuid4().hex[:8]  # 40 characters, as Vikunja's
    seed_rows(server, "link_shares", [{"hash": share_hash, "name": "share-" + share_hash[:6], "project_id": project_id,
                                       "permission": permission, "sharing_type": 1, "password": None,
                                       "shared_by_id": shared_by_id, "created": now, "updated": now}])
    return share_hash


def link_share_id(server, share_hash) -> int:
    return next(s["id"] for s in table_rows(server, "link_shares") if s["hash"] == share_hash)


def link_share_token(server, share_hash) -> str:
    """The link share's JWT, obtained as a client does (POST /shares/{hash}/auth, spec §1.2, §2.10)."""
    r = requests.post(f"{server.api}/shares/{share_hash}/auth", json={"password": ""}, timeout=30)
    assert r.status_code == 200, f"POST /shares/{{hash}}/auth: {r.status_code} {r.text}"
    return r.json()["token"]


def disable_user(server, user_id):
    """`vicugna user change-status <id> --disable` on the server's own work dir and database."""
    res = subprocess.run([str(server.binary), "user", "change-status", str(user_id), "--disable"],
                         cwd=server.workdir, env=server.environment(), capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, f"change-status --disable: {res.stdout}\n{res.stderr}"
