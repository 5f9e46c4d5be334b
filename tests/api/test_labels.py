"""Labels: PUT/GET /labels, GET/POST/DELETE /labels/{label} (spec §2.6, §3.6, §4; client-usage A.1, A.2).

Behaviour checked against Vikunja's pkg/models/label.go, label_permissions.go (hasAccessToLabel,
isLabelOwner), label_task.go (GetLabelsByTaskIDs), pkg/utils/normalize_hex.go and
pkg/web/handler/*.go. Visibility is the GHSA-hj5c-mhh2-g7jq rule: a label is visible only to its
creator and to users who can read a task carrying it.
"""

import pytest
from wire import RFC3339, call, assert_error
from task_extras_seed import new_label, new_task, ok, uid, assert_public_user

LABEL_KEYS = ["id", "title", "description", "hex_color", "created_by", "created", "updated"]
NOT_NUMERIC = ["abc", "1.5", "1e3", "0x10"]


def labels_of(server, user, **params):
    r = call(server, "GET", "/labels", token=user["token"], params=params)
    return ok(r), r


# --- create --------------------------------------------------------------------------------------

def test_create_label_shape(server, owner):
    r = call(server, "PUT", "/labels", token=owner["token"],
             json={"title": "Urgent", "description": "<p>now</p>", "hex_color": "e8e8e8"})
    body = ok(r, 201)
    assert list(body) == LABEL_KEYS
    assert isinstance(body["id"], int) and body["id"] > 0
    assert body["title"] == "Urgent" and body["description"] == "<p>now</p>" and body["hex_color"] == "e8e8e8"
    assert_public_user(body["created_by"], owner)
    assert RFC3339.match(body["created"]) and RFC3339.match(body["updated"])


@pytest.mark.parametrize("sent,stored", [("#ff00aa", "ff00aa"), ("ff00aa11", None), ("#123456", "123456"),
                                         ("ff00aa1", "ff00aa"), ("", ""), ("#abc", "abc")])
def test_create_label_hex_color_normalised(server, owner, sent, stored):
    r = call(server, "PUT", "/labels", token=owner["token"], json={"title": "c", "hex_color": sent})
    if stored is None:  # runelength(0|7) is checked before the '#' is cut
        body = assert_error(r, 412, 2002)
        assert any(f.startswith("hex_color:") for f in body["invalid_fields"]), body
    else:
        assert ok(r, 201)["hex_color"] == stored


def test_create_label_ignores_read_only_fields(server, owner, stranger):
    body = {"id": 999999, "title": "ro", "created_by": {"id": stranger["id"]}, "created": "2001-01-01T00:00:00Z",
            "max_permission": None}
    created = ok(call(server, "PUT", "/labels", token=owner["token"], json=body), 201)
    assert created["id"] != 999999
    assert created["created_by"]["id"] == owner["id"]
    assert not created["created"].startswith("2001")


@pytest.mark.parametrize("body", [{}, {"title": ""}, {"title": "x" * 251}, {"description": "only"}])
def test_create_label_title_invalid(server, owner, body):
    r = call(server, "PUT", "/labels", token=owner["token"], json=body)
    err = assert_error(r, 412, 2002)
    assert any(f.startswith("title:") for f in err["invalid_fields"]), err


def test_create_label_title_limit_counts_characters(server, owner):
    title = "ü" * 250  # 500 bytes, 250 characters
    assert ok(call(server, "PUT", "/labels", token=owner["token"], json={"title": title}), 201)["title"] == title


@pytest.mark.parametrize("body", [{"title": 5}, {"title": ["a"]}, {"title": "t", "hex_color": 1},
                                  {"title": "t", "description": {}}])
def test_create_label_wrong_types(server, owner, body):
    assert_error(call(server, "PUT", "/labels", token=owner["token"], json=body), 400, 2004)


def test_create_label_not_json(server, owner):
    r = call(server, "PUT", "/labels", token=owner["token"], data="{title",
             headers={"Content-Type": "application/json"})
    assert_error(r, 400, 2004)


def test_create_label_needs_auth(server):
    r = call(server, "PUT", "/labels", json={"title": "anon"})
    assert r.status_code == 401


# --- read one ------------------------------------------------------------------------------------

def test_get_label_as_creator(server, owner):
    label = new_label(server, owner)
    r = call(server, "GET", "/labels/%d" % label["id"], token=owner["token"])
    assert ok(r) == label
    assert r.headers["x-max-permission"] == "2"


def test_get_label_stranger_forbidden(server, owner, stranger):
    label = new_label(server, owner)
    r = call(server, "GET", "/labels/%d" % label["id"], token=stranger["token"])
    assert_error(r, 403, 0)


def test_get_label_missing_is_forbidden(server, owner):
    # hasAccessToLabel finds nothing for an unknown id, so Vikunja answers the generic 403.
    assert_error(call(server, "GET", "/labels/999999999", token=owner["token"]), 403, 0)


@pytest.mark.parametrize("bad", NOT_NUMERIC + ["99999999999999999999"])
def test_label_id_not_numeric(server, owner, bad):
    for method in ("GET", "POST", "DELETE"):
        r = call(server, method, "/labels/" + bad, token=owner["token"], json={"title": "t"})
        assert_error(r, 400, 2004)


# --- list ----------------------------------------------------------------------------------------

def test_list_labels_only_mine(server, owner, stranger):
    mine = new_label(server, owner)
    theirs = new_label(server, stranger)
    body, r = labels_of(server, owner)
    ids = [label["id"] for label in body]
    assert mine["id"] in ids and theirs["id"] not in ids
    assert ids == sorted(ids)
    assert body[ids.index(mine["id"])] == mine
    assert r.headers["x-pagination-result-count"] == str(len(body))
    assert r.headers["x-pagination-total-pages"] == "1"


def test_list_labels_empty(server, owner):
    body, r = labels_of(server, owner)
    assert body == []
    assert r.headers["x-pagination-total-pages"] == "0"
    assert r.headers["x-pagination-result-count"] == "0"


def test_list_labels_paging(server, owner):
    made = [new_label(server, owner)["id"] for _ in range(3)]
    first, r = labels_of(server, owner, per_page=2, page=1)
    assert [label["id"] for label in first] == made[:2]
    assert r.headers["x-pagination-total-pages"] == "2"
    second, r = labels_of(server, owner, per_page=2, page=2)
    assert [label["id"] for label in second] == made[2:]
    everything, _ = labels_of(server, owner, page=0)
    assert [label["id"] for label in everything] == made


@pytest.mark.parametrize("params", [{"page": -1}, {"per_page": -1}, {"page": "x"}])
def test_list_labels_bad_paging(server, owner, params):
    r = call(server, "GET", "/labels", token=owner["token"], params=params)
    assert r.status_code == 400, r.text


def test_list_labels_search_title(server, owner):
    word = uid("Needle")
    hit = new_label(server, owner, title="a " + word + " b")
    new_label(server, owner, title="other")
    body, _ = labels_of(server, owner, s=word.lower())
    assert [label["id"] for label in body] == [hit["id"]]


def test_list_labels_search_ids(server, owner, stranger):
    # A comma list of numbers selects ids (still only visible ones).
    a, b, c = (new_label(server, owner) for _ in range(3))
    theirs = new_label(server, stranger)
    body, _ = labels_of(server, owner, s="%d,%d,%d" % (a["id"], c["id"], theirs["id"]))
    assert [label["id"] for label in body] == [a["id"], c["id"]]


# --- update --------------------------------------------------------------------------------------

def test_update_label(server, owner):
    label = new_label(server, owner, description="d", hex_color="111111")
    r = call(server, "POST", "/labels/%d" % label["id"], token=owner["token"],
             json=dict(label, title="Renamed", hex_color="#abcdef"))
    body = ok(r)
    assert list(body) == LABEL_KEYS
    assert body["id"] == label["id"] and body["title"] == "Renamed" and body["hex_color"] == "abcdef"
    assert body["description"] == "d" and body["created_by"] == label["created_by"]
    assert ok(call(server, "GET", "/labels/%d" % label["id"], token=owner["token"])) == body


def test_update_label_replaces_whole_object(server, owner):
    label = new_label(server, owner, description="keep?", hex_color="222222")
    body = ok(call(server, "POST", "/labels/%d" % label["id"], token=owner["token"], json={"title": "only"}))
    assert body["description"] == "" and body["hex_color"] == ""


def test_update_label_path_id_wins(server, owner):
    a, b = new_label(server, owner), new_label(server, owner)
    ok(call(server, "POST", "/labels/%d" % a["id"], token=owner["token"], json={"id": b["id"], "title": "A2"}))
    assert ok(call(server, "GET", "/labels/%d" % b["id"], token=owner["token"]))["title"] == b["title"]


def test_update_label_stranger(server, owner, stranger):
    label = new_label(server, owner)
    r = call(server, "POST", "/labels/%d" % label["id"], token=stranger["token"], json={"title": "mine now"})
    assert_error(r, 403, 0)
    assert ok(call(server, "GET", "/labels/%d" % label["id"], token=owner["token"]))["title"] == label["title"]


def test_update_label_missing(server, owner):
    r = call(server, "POST", "/labels/999999999", token=owner["token"], json={"title": "x"})
    assert_error(r, 404, 8002)


def test_update_label_invalid(server, owner):
    label = new_label(server, owner)
    r = call(server, "POST", "/labels/%d" % label["id"], token=owner["token"], json={"title": ""})
    assert_error(r, 412, 2002)
    r = call(server, "POST", "/labels/%d" % label["id"], token=owner["token"], json={"title": 1})
    assert_error(r, 400, 2004)


# --- delete --------------------------------------------------------------------------------------

def test_delete_label(server, owner):
    label = new_label(server, owner)
    r = call(server, "DELETE", "/labels/%d" % label["id"], token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert_error(call(server, "GET", "/labels/%d" % label["id"], token=owner["token"]), 403, 0)
    assert label["id"] not in [l_["id"] for l_ in labels_of(server, owner)[0]]


def test_delete_label_stranger(server, owner, stranger):
    label = new_label(server, owner)
    assert_error(call(server, "DELETE", "/labels/%d" % label["id"], token=stranger["token"]), 403, 0)
    ok(call(server, "GET", "/labels/%d" % label["id"], token=owner["token"]))


def test_delete_label_missing(server, owner):
    assert_error(call(server, "DELETE", "/labels/999999999", token=owner["token"]), 404, 8002)


# --- visibility through tasks (GHSA-hj5c-mhh2-g7jq) ----------------------------------------------

def test_label_on_a_task_stays_invisible_to_strangers(server, owner, stranger):
    label = new_label(server, owner)
    task = new_task(server, owner)
    ok(call(server, "PUT", "/tasks/%d/labels" % task["id"], token=owner["token"], json={"label_id": label["id"]}), 201)
    assert_error(call(server, "GET", "/labels/%d" % label["id"], token=stranger["token"]), 403, 0)
    assert label["id"] not in [l_["id"] for l_ in labels_of(server, stranger)[0]]
    assert label["id"] not in [l_["id"] for l_ in labels_of(server, stranger, s=str(label["id"]))[0]]


def test_deleted_label_leaves_tasks(server, owner):
    label = new_label(server, owner)
    task = new_task(server, owner)
    ok(call(server, "PUT", "/tasks/%d/labels" % task["id"], token=owner["token"], json={"label_id": label["id"]}), 201)
    ok(call(server, "DELETE", "/labels/%d" % label["id"], token=owner["token"]))
    assert ok(call(server, "GET", "/tasks/%d/labels" % task["id"], token=owner["token"])) == []


@pytest.mark.parametrize("label_id", [-1, 0, 9223372036854775807])
def test_label_ids_out_of_range(server, owner, label_id):
    assert_error(call(server, "GET", "/labels/%d" % label_id, token=owner["token"]), 403, 0)
    assert_error(call(server, "POST", "/labels/%d" % label_id, token=owner["token"], json={"title": "t"}), 404, 8002)
    assert_error(call(server, "DELETE", "/labels/%d" % label_id, token=owner["token"]), 404, 8002)
