"""Task attachments: PUT/GET /tasks/{task}/attachments, GET/DELETE /tasks/{task}/attachments/{attachment}
(spec §1.1 body limit, §1.3, §2.7, §3.6 TaskAttachment and File; client-usage A.6, D.19, D.21).

Behaviour checked against Vikunja's pkg/routes/api/v1/task_attachment.go (UploadTaskAttachment,
GetTaskAttachment), pkg/models/task_attachment.go (NewAttachment, UploadTaskAttachments, ReadOne, ReadAll,
Delete), task_attachment_permissions.go, pkg/files/files.go (size check, mimetype sniffing) and
pkg/web/files/{file,task_attachment}.go (download headers, the upload result shape).
"""

import os
import uuid

import grants
import pytest
from wire import RFC3339, assert_error, call

ATTACHMENT_KEYS = ["id", "task_id", "created_by", "file", "created"]
FILE_KEYS = ["id", "name", "mime", "size", "created"]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# Every byte value, CRLFs and something that looks like a boundary: the parser must keep them all.
BINARY = bytes(range(256)) + b"\r\n--not-the-boundary\r\n\r\n\x00\r"


def uid(prefix="x"):
    return prefix + "-" + uuid.uuid4().hex[:10]


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def is_bare_404(r):
    return r.status_code == 404 and r.json() == {"message": "Not Found"}


def register(server):
    """A new user on `server` (which may be a throwaway one) with a token."""
    name = uid("u").replace("-", "")
    body = {"username": name, "password": "12345678", "email": name + "@example.com"}
    user = ok(call(server, "POST", "/register", json=body))
    token = ok(call(server, "POST", "/login", json={"username": name, "password": "12345678"}))["token"]
    return {"id": user["id"], "username": name, "token": token}


def new_project(server, user):
    return ok(call(server, "PUT", "/projects", token=user["token"], json={"title": uid("project")}), 201)


def new_task(server, user, project_id=None):
    if project_id is None:
        project_id = new_project(server, user)["id"]
    r = call(server, "PUT", "/projects/%d/tasks" % project_id, token=user["token"], json={"title": uid("task")})
    return ok(r, 201)


def share(server, project_id, user, permission):
    grants.share_with_user(server, project_id, user["id"], permission)


def upload(server, user, task_id, *files, field="files"):
    parts = [(field, (name, data, "application/octet-stream")) for name, data in files]
    return call(server, "PUT", "/tasks/%d/attachments" % task_id, token=user["token"], files=parts)


def uploaded(server, user, task_id, *files):
    body = ok(upload(server, user, task_id, *files))
    assert body["errors"] is None, body
    return body["success"]


def files_dir(server):
    return server.workdir / "files"


def stored_names(server):
    d = files_dir(server)
    return set(os.listdir(d)) if d.exists() else set()


@pytest.fixture
def task(server, owner):
    return new_task(server, owner)


# --- upload ------------------------------------------------------------------------------------

def test_upload_one_file_sniffs_the_mime_type_and_stores_the_bytes(server, owner, task):
    r = upload(server, owner, task["id"], ("x.bin", PNG))
    body = ok(r)
    # Vikunja's AttachmentUploadResult: errors first, and exactly null when nothing failed (D.19).
    assert list(body) == ["errors", "success"], body
    assert body["errors"] is None
    assert len(body["success"]) == 1
    a = body["success"][0]
    assert list(a) == ATTACHMENT_KEYS, a
    assert a["task_id"] == task["id"] and a["id"] > 0
    assert a["created_by"]["id"] == owner["id"] and a["created_by"]["username"] == owner["username"]
    assert "email" not in a["created_by"]
    assert list(a["file"]) == FILE_KEYS, a["file"]
    # The part says application/octet-stream and the name says .bin: the type comes from the bytes.
    assert a["file"]["mime"] == "image/png"
    assert a["file"]["name"] == "x.bin"
    assert a["file"]["size"] == len(PNG)
    assert RFC3339.match(a["created"]) and RFC3339.match(a["file"]["created"])
    assert (files_dir(server) / str(a["file"]["id"])).read_bytes() == PNG


def test_upload_several_files_each_attached_in_order(server, owner, task):
    success = uploaded(server, owner, task["id"], ("a.png", PNG), ("doc.pdf", PDF), ("raw.dat", BINARY),
                       ("notes.txt", b"hello world\n"))
    assert [a["file"]["name"] for a in success] == ["a.png", "doc.pdf", "raw.dat", "notes.txt"]
    assert [a["file"]["mime"] for a in success[:2]] == ["image/png", "application/pdf"]
    assert success[3]["file"]["mime"].startswith("text/plain")
    assert len({a["id"] for a in success}) == 4 and len({a["file"]["id"] for a in success}) == 4
    for a, data in zip(success, [PNG, PDF, BINARY, b"hello world\n"]):
        assert a["file"]["size"] == len(data)
        assert (files_dir(server) / str(a["file"]["id"])).read_bytes() == data


def test_filename_keeps_only_the_last_path_element(server, owner, task):
    [a] = uploaded(server, owner, task["id"], ("some/dir/report.txt", b"x"))
    assert a["file"]["name"] == "report.txt"


def test_parts_without_a_filename_or_with_another_name_are_ignored(server, owner, task):
    r = call(server, "PUT", "/tasks/%d/attachments" % task["id"], token=owner["token"],
             files=[("files", (None, b"a plain field")), ("other", ("o.txt", b"other field"))])
    assert ok(r) == {"errors": None, "success": None}
    assert ok(call(server, "GET", "/tasks/%d/attachments" % task["id"], token=owner["token"])) == []


def test_upload_without_multipart_is_400(server, owner, task):
    r = call(server, "PUT", "/tasks/%d/attachments" % task["id"], token=owner["token"], json={"files": []})
    assert r.status_code == 400, r.text
    assert r.json() == {"message": "No multipart form provided"}


def test_upload_too_large_file_fails_alone(server_factory):
    srv = server_factory(env={"VIKUNJA_FILES_MAXSIZE": "1KB"})
    user = register(srv)
    t = new_task(srv, user)
    r = upload(srv, user, t["id"], ("big.bin", b"\x01" * 1025), ("small.png", PNG), ("edge.bin", b"\x02" * 1024))
    body = ok(r)
    assert len(body["errors"]) == 1
    err = body["errors"][0]
    assert list(err) == ["code", "message"] and err["code"] == 4012 and err["message"], err
    assert [a["file"]["name"] for a in body["success"]] == ["small.png", "edge.bin"]
    assert [a["file"]["name"] for a in ok(call(srv, "GET", "/tasks/%d/attachments" % t["id"],
                                                token=user["token"]))] == ["small.png", "edge.bin"]
    # Only the two stored files are on disk: the refused one left nothing behind.
    assert stored_names(srv) == {str(a["file"]["id"]) for a in body["success"]}


def test_upload_only_too_large_files_gives_null_success(server_factory):
    srv = server_factory(env={"VIKUNJA_FILES_MAXSIZE": "1KB"})
    user = register(srv)
    t = new_task(srv, user)
    body = ok(upload(srv, user, t["id"], ("big.bin", b"\x01" * 2000)))
    assert body["success"] is None and [e["code"] for e in body["errors"]] == [4012]


def test_body_over_the_upload_limit_is_413(server_factory):
    # The upload route accepts files.maxsize + 2 MB; anything above is refused before it is read.
    srv = server_factory(env={"VIKUNJA_FILES_MAXSIZE": "1KB"})
    user = register(srv)
    t = new_task(srv, user)
    r = upload(srv, user, t["id"], ("huge.bin", b"\x00" * (2 * 1024 * 1024 + 4096)))
    assert_error(r, 413, 4013)
    assert stored_names(srv) == set()


def test_upload_just_under_the_default_limit_is_accepted(server, owner, task):
    data = os.urandom(3 * 1024 * 1024)
    [a] = uploaded(server, owner, task["id"], ("random.bin", data))
    assert a["file"]["size"] == len(data)
    r = call(server, "GET", "/tasks/%d/attachments/%d" % (task["id"], a["id"]), token=owner["token"])
    assert r.status_code == 200 and r.content == data


# --- list --------------------------------------------------------------------------------------

def test_list_is_paginated(server, owner, task):
    assert ok(call(server, "GET", "/tasks/%d/attachments" % task["id"], token=owner["token"])) == []
    success = uploaded(server, owner, task["id"], ("1.txt", b"1"), ("2.txt", b"2"), ("3.txt", b"3"))
    r = call(server, "GET", "/tasks/%d/attachments" % task["id"], token=owner["token"])
    body = ok(r)
    assert [a["id"] for a in body] == [a["id"] for a in success]
    assert list(body[0]) == ATTACHMENT_KEYS and list(body[0]["file"]) == FILE_KEYS
    assert body == success
    assert r.headers["x-pagination-total-pages"] == "1" and r.headers["x-pagination-result-count"] == "3"
    assert r.headers["Cache-Control"] == "no-store"
    r = call(server, "GET", "/tasks/%d/attachments" % task["id"], token=owner["token"],
             params={"page": 2, "per_page": 2})
    assert [a["id"] for a in ok(r)] == [success[2]["id"]]
    assert r.headers["x-pagination-total-pages"] == "2" and r.headers["x-pagination-result-count"] == "1"


def test_list_only_shows_this_tasks_attachments(server, owner, task):
    other = new_task(server, owner, task["project_id"])
    uploaded(server, owner, other["id"], ("other.txt", b"o"))
    [mine] = uploaded(server, owner, task["id"], ("mine.txt", b"m"))
    assert [a["id"] for a in ok(call(server, "GET", "/tasks/%d/attachments" % task["id"],
                                      token=owner["token"]))] == [mine["id"]]


# --- download ----------------------------------------------------------------------------------

def download(server, user, task_id, attachment_id, **kw):
    return call(server, "GET", "/tasks/%d/attachments/%d" % (task_id, attachment_id), token=user["token"], **kw)


def test_download_round_trip(server, owner, task):
    [a] = uploaded(server, owner, task["id"], ("x.bin", PNG))
    r = download(server, owner, task["id"], a["id"])
    assert r.status_code == 200
    assert r.content == PNG
    assert r.headers["Content-Type"] == "image/png"
    assert r.headers["Content-Disposition"] == "attachment; filename=x.bin"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # Downloads replace the API's no-store with no-cache (exactly one Cache-Control).
    assert r.headers["Cache-Control"] == "no-cache"
    assert r.headers["Content-Length"] == str(len(PNG))
    assert r.headers["Last-Modified"].endswith(" GMT")


@pytest.mark.parametrize("range_header, status, content_range, body", [
    ("bytes=0-3", 206, "bytes 0-3/10", b"0123"),
    ("bytes=7-", 206, "bytes 7-9/10", b"789"),
    ("bytes=-2", 206, "bytes 8-9/10", b"89"),
    ("bytes=5-100", 206, "bytes 5-9/10", b"56789"),
    ("bytes=10-", 416, "bytes */10", b""),
    ("bytes=0-1,4-5", 200, None, b"0123456789"),  # several ranges: the whole file (RFC 9110 allows it)
    ("items=0-1", 200, None, b"0123456789"),
])
def test_download_ranges(server, owner, task, range_header, status, content_range, body):
    [a] = uploaded(server, owner, task["id"], ("digits.txt", b"0123456789"))
    r = download(server, owner, task["id"], a["id"], headers={"Range": range_header})
    assert r.status_code == status, r.text
    assert r.headers.get("Content-Range") == content_range
    assert r.content == body
    assert r.headers["Accept-Ranges"] == "bytes"


def test_download_if_modified_since(server, owner, task):
    [a] = uploaded(server, owner, task["id"], ("x.txt", b"x"))
    r = download(server, owner, task["id"], a["id"])
    r2 = download(server, owner, task["id"], a["id"], headers={"If-Modified-Since": r.headers["Last-Modified"]})
    assert r2.status_code == 304 and r2.content == b""
    r3 = download(server, owner, task["id"], a["id"],
                  headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert r3.status_code == 200 and r3.content == b"x"


def test_download_ignores_preview_size(server, owner, task):
    [a] = uploaded(server, owner, task["id"], ("x.png", PNG))
    r = download(server, owner, task["id"], a["id"], params={"preview_size": "sm"})
    assert r.status_code == 200 and r.content == PNG


def test_download_binary_bytes_are_unchanged(server, owner, task):
    [a] = uploaded(server, owner, task["id"], ("raw.dat", BINARY))
    r = download(server, owner, task["id"], a["id"])
    assert r.content == BINARY
    assert r.headers["Content-Type"] == a["file"]["mime"]


def upload_raw(server, user, task_id, quoted_filename, data):
    """A hand-made multipart body, so the filename parameter is exactly `quoted_filename` (RFC 2045 quoting;
    HTTP clients differ in how they escape quotes and backslashes)."""
    boundary = "vicugna" + uuid.uuid4().hex
    body = (b"--" + boundary.encode() + b"\r\n"
            b'Content-Disposition: form-data; name="files"; filename="' + quoted_filename.encode() + b'"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--" + boundary.encode() + b"--\r\n")
    return call(server, "PUT", "/tasks/%d/attachments" % task_id, token=user["token"], data=body,
                headers={"Content-Type": "multipart/form-data; boundary=" + boundary})


@pytest.mark.parametrize("quoted, name, header", [
    ('my file \\"1\\".txt', 'my file "1".txt', 'attachment; filename="my file \\"1\\".txt"'),
    ("back\\\\slash.txt", "back\\slash.txt", 'attachment; filename="back\\\\slash.txt"'),
    ("été.txt", "été.txt", "attachment; filename*=utf-8''%C3%A9t%C3%A9.txt"),
    ("a;b=c.txt", "a;b=c.txt", 'attachment; filename="a;b=c.txt"'),
    ("tab\there.txt", "tab\there.txt", 'attachment; filename="tab\there.txt"'),
])
def test_download_content_disposition_is_escaped_like_go(server, owner, task, quoted, name, header):
    [a] = ok(upload_raw(server, owner, task["id"], quoted, b"data"))["success"]
    assert a["file"]["name"] == name
    r = download(server, owner, task["id"], a["id"])
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == header


def test_attachment_of_another_task_is_4011(server, owner, task):
    other = new_task(server, owner, task["project_id"])
    [a] = uploaded(server, owner, other["id"], ("secret.txt", b"s"))
    assert_error(download(server, owner, task["id"], a["id"]), 404, 4011)
    assert_error(call(server, "DELETE", "/tasks/%d/attachments/%d" % (task["id"], a["id"]),
                      token=owner["token"]), 404, 4011)
    # Still there, through its own task.
    assert download(server, owner, other["id"], a["id"]).content == b"s"


def test_unknown_ids(server, owner, task):
    assert_error(download(server, owner, task["id"], 999999999), 404, 4011)
    assert_error(download(server, owner, 999999999, 1), 404, 4002)
    assert_error(call(server, "GET", "/tasks/999999999/attachments", token=owner["token"]), 404, 4002)
    assert_error(upload(server, owner, 999999999, ("a.txt", b"a")), 404, 4002)
    assert_error(call(server, "DELETE", "/tasks/999999999/attachments/1", token=owner["token"]), 404, 4002)
    assert_error(call(server, "DELETE", "/tasks/%d/attachments/999999999" % task["id"], token=owner["token"]),
                 404, 4011)
    assert_error(call(server, "GET", "/tasks/abc/attachments", token=owner["token"]), 400, 2004)
    assert_error(call(server, "GET", "/tasks/%d/attachments/abc" % task["id"], token=owner["token"]), 400, 2004)
    assert_error(call(server, "GET", "/tasks/%d/attachments/99999999999999999999" % task["id"],
                      token=owner["token"]), 400, 2004)


def test_needs_a_token(server, task):
    for method, path in [("GET", "/tasks/%d/attachments"), ("PUT", "/tasks/%d/attachments"),
                         ("GET", "/tasks/%d/attachments/1"), ("DELETE", "/tasks/%d/attachments/1")]:
        r = call(server, method, path % task["id"])
        assert r.status_code == 401 and r.json()["code"] == 11


# --- permissions -------------------------------------------------------------------------------

def test_stranger_gets_403(server, owner, task, new_user):
    [a] = uploaded(server, owner, task["id"], ("x.txt", b"x"))
    stranger = new_user()
    before = stored_names(server)
    # Vikunja checks inside the model for upload, list and download (code 1), in the handler for delete (code 0).
    assert_error(upload(server, stranger, task["id"], ("y.txt", b"y")), 403, 1)
    assert stored_names(server) == before, "a refused upload must leave no file behind"
    assert_error(call(server, "GET", "/tasks/%d/attachments" % task["id"], token=stranger["token"]), 403, 1)
    assert_error(download(server, stranger, task["id"], a["id"]), 403, 1)
    r = call(server, "DELETE", "/tasks/%d/attachments/%d" % (task["id"], a["id"]), token=stranger["token"])
    assert r.status_code == 403 and r.json() == {"code": 0, "message": "Forbidden"}
    assert download(server, owner, task["id"], a["id"]).content == b"x"


def test_reader_can_read_but_not_upload_or_delete(server, owner, task, new_user):
    [a] = uploaded(server, owner, task["id"], ("x.txt", b"x"))
    reader = new_user()
    share(server, task["project_id"], reader, 0)
    assert [x["id"] for x in ok(call(server, "GET", "/tasks/%d/attachments" % task["id"],
                                      token=reader["token"]))] == [a["id"]]
    assert download(server, reader, task["id"], a["id"]).content == b"x"
    before = stored_names(server)
    assert_error(upload(server, reader, task["id"], ("y.txt", b"y")), 403, 1)
    assert stored_names(server) == before
    r = call(server, "DELETE", "/tasks/%d/attachments/%d" % (task["id"], a["id"]), token=reader["token"])
    assert r.status_code == 403 and r.json()["code"] == 0
    assert (files_dir(server) / str(a["file"]["id"])).exists()


def test_writer_can_upload_and_delete(server, owner, task, new_user):
    writer = new_user()
    share(server, task["project_id"], writer, 1)
    [a] = uploaded(server, writer, task["id"], ("w.txt", b"w"))
    assert a["created_by"]["id"] == writer["id"]
    ok(call(server, "DELETE", "/tasks/%d/attachments/%d" % (task["id"], a["id"]), token=writer["token"]))


# --- delete ------------------------------------------------------------------------------------

def test_delete_removes_row_and_bytes(server, owner, task):
    [a, b] = uploaded(server, owner, task["id"], ("a.txt", b"a"), ("b.txt", b"b"))
    path = files_dir(server) / str(a["file"]["id"])
    assert path.exists()
    r = call(server, "DELETE", "/tasks/%d/attachments/%d" % (task["id"], a["id"]), token=owner["token"])
    assert ok(r) == {"message": "Successfully deleted."}
    assert not path.exists()
    assert [x["id"] for x in ok(call(server, "GET", "/tasks/%d/attachments" % task["id"],
                                      token=owner["token"]))] == [b["id"]]
    assert_error(download(server, owner, task["id"], a["id"]), 404, 4011)
    assert_error(call(server, "DELETE", "/tasks/%d/attachments/%d" % (task["id"], a["id"]),
                      token=owner["token"]), 404, 4011)
    assert (files_dir(server) / str(b["file"]["id"])).exists()


def test_no_temporary_files_are_left(server, owner, task):
    uploaded(server, owner, task["id"], ("a.txt", b"a"), ("b.txt", b"b"))
    assert_error(upload(server, owner, 999999999, ("c.txt", b"c")), 404, 4002)
    assert not [n for n in stored_names(server) if not n.isdigit()]


# --- configuration -----------------------------------------------------------------------------

def test_routes_absent_when_attachments_are_disabled(server_factory):
    srv = server_factory(env={"VIKUNJA_SERVICE_ENABLETASKATTACHMENTS": "false"})
    user = register(srv)
    t = new_task(srv, user)
    assert is_bare_404(call(srv, "GET", "/tasks/%d/attachments" % t["id"], token=user["token"]))
    assert is_bare_404(upload(srv, user, t["id"], ("a.txt", b"a")))
    assert is_bare_404(call(srv, "GET", "/tasks/%d/attachments/1" % t["id"], token=user["token"]))


# --- with other resources ----------------------------------------------------------------------

def test_task_shows_its_attachments(server, owner, task):
    success = uploaded(server, owner, task["id"], ("a.png", PNG), ("b.txt", b"b"))
    body = ok(call(server, "GET", "/tasks/%d" % task["id"], token=owner["token"]))
    assert body["attachments"] == success


def test_project_delete_removes_the_bytes(server, owner):
    project = new_project(server, owner)
    t = new_task(server, owner, project["id"])
    [a] = uploaded(server, owner, t["id"], ("gone.txt", b"gone"))
    path = files_dir(server) / str(a["file"]["id"])
    assert path.exists()
    ok(call(server, "DELETE", "/projects/%d" % project["id"], token=owner["token"]))
    assert not path.exists()


def test_task_duplicate_copies_the_bytes(server, owner, task):
    [a] = uploaded(server, owner, task["id"], ("copy.bin", BINARY))
    r = call(server, "PUT", "/tasks/%d/duplicate" % task["id"], token=owner["token"])
    if is_bare_404(r):
        pytest.skip("PUT /tasks/{task}/duplicate is not served yet")
    copy = ok(r, 201)["duplicated_task"]
    [b] = ok(call(server, "GET", "/tasks/%d/attachments" % copy["id"], token=owner["token"]))
    assert b["id"] != a["id"] and b["file"]["id"] != a["file"]["id"]
    assert (b["file"]["name"], b["file"]["mime"], b["file"]["size"]) == (a["file"]["name"], a["file"]["mime"],
                                                                          a["file"]["size"])
    assert download(server, owner, copy["id"], b["id"]).content == BINARY
    # The copy is independent: deleting the original keeps the duplicate's bytes.
    ok(call(server, "DELETE", "/tasks/%d/attachments/%d" % (task["id"], a["id"]), token=owner["token"]))
    assert download(server, owner, copy["id"], b["id"]).content == BINARY


def test_api_token_permissions(server, owner, task):
    routes = ok(call(server, "GET", "/routes", token=owner["token"]))
    assert set(routes["tasks_attachments"]) == {"read_all", "read_one", "create", "delete"}
    assert routes["tasks_attachments"]["create"] == {"path": "/api/v1/tasks/:task/attachments", "method": "PUT"}
    token = ok(call(server, "PUT", "/tokens", token=owner["token"],
                    json={"title": "uploader", "permissions": {"tasks_attachments": ["create", "read_one"]},
                          "expires_at": "2099-01-01T00:00:00Z"}), 201)["token"]
    [a] = uploaded(server, {"token": token}, task["id"], ("t.txt", b"t"))
    assert download(server, {"token": token}, task["id"], a["id"]).content == b"t"
    r = call(server, "GET", "/tasks/%d/attachments" % task["id"], token=token)
    assert r.status_code == 401 and r.json()["code"] == 11
