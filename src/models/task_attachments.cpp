// SPDX-License-Identifier: AGPL-3.0-or-later
// Task attachments (Vikunja: pkg/models/task_attachment.go, pkg/files, pkg/web/files).
#include "models/task_attachments.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "api/errors.hpp"
#include "models/events.hpp"
#include "util/crypto.hpp"
#include "util/mime.hpp"
#include "util/offload.hpp"

namespace vicugna::models {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kInsertFile =
    "INSERT INTO files (name, mime, size, created, created_by_id) VALUES (?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kInsertAttachment =
    "INSERT INTO task_attachments (task_id, file_id, created_by_id, created) VALUES (?, ?, ?, ?) RETURNING id";
constexpr std::string_view kCountOfTask = "SELECT COUNT(*) FROM task_attachments WHERE task_id = ?";
constexpr std::string_view kDeleteAttachment = "DELETE FROM task_attachments WHERE id = ?";
constexpr std::string_view kDeleteFile = "DELETE FROM files WHERE id = ?";
constexpr std::string_view kFilesToCopy =
    "SELECT task_attachments.id, files.id AS file_id, files.name, files.mime, files.size FROM task_attachments "
    "JOIN files ON files.id = task_attachments.file_id WHERE task_attachments.task_id = ? ORDER BY task_attachments.id";

/// Task ids per statement when deleting in bulk (keeps IN lists far below both engines' parameter limits).
constexpr std::size_t kDeleteChunk = 500;

/// The attachment columns with the file and the uploader; `where` completes the statement.
std::string select_attachments(std::string_view where) {
    return "SELECT task_attachments.id, task_attachments.task_id, task_attachments.created, "
           "files.id AS file_id, files.name AS file_name, files.mime AS file_mime, files.size AS file_size, "
           "files.created AS file_created, " +
           public_user_columns("u", "u_") +
           " FROM task_attachments JOIN files ON files.id = task_attachments.file_id"
           " LEFT JOIN users u ON u.id = task_attachments.created_by_id WHERE " +
           std::string(where);
}

TaskAttachment attachment_from_row(const db::Row& row) {
    TaskAttachment a;
    a.id = row.get<std::int64_t>("id");
    a.task_id = row.get<std::int64_t>("task_id");
    a.created = row.get<Timestamp>("created");
    a.created_by = public_user_from_row(row, "u_");
    a.file.id = row.get<std::int64_t>("file_id");
    a.file.name = row.get<std::string>("file_name");
    a.file.mime = row.get<std::string>("file_mime");
    a.file.size = row.get<std::int64_t>("file_size");
    a.file.created = row.get<Timestamp>("file_created");
    return a;
}

void remove_quietly(const fs::path& path) {
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) spdlog::warn("could not remove stored file {}: {}", path.string(), ec.message());
}

}  // namespace

void write_attachment(util::json::Writer& w, const TaskAttachment& a) {
    w.start_object();
    w.key("id").integer(a.id);
    w.key("task_id").integer(a.task_id);
    w.key("created_by").start_object();
    write_user(w, a.created_by);
    w.end_object();
    w.key("file").start_object();
    w.key("id").integer(a.file.id);
    w.key("name").string(a.file.name);
    w.key("mime").string(a.file.mime);
    w.key("size").integer(a.file.size);
    w.key("created").time(a.file.created);
    w.end_object();
    w.key("created").time(a.created);
    w.end_object();
}

asio::awaitable<std::map<std::int64_t, std::vector<TaskAttachment>>> attachments_for_tasks(
    db::Tx& tx, const std::vector<std::int64_t>& task_ids) {
    std::map<std::int64_t, std::vector<TaskAttachment>> out;
    if (task_ids.empty()) co_return out;
    std::string sql = select_attachments("task_attachments.task_id IN " + db::placeholders(task_ids.size()) +
                                         " ORDER BY task_attachments.id");
    std::vector<db::Value> args(task_ids.begin(), task_ids.end());
    for (auto row : co_await tx.run(sql, std::move(args))) {
        auto a = attachment_from_row(row);
        out[a.task_id].push_back(std::move(a));
    }
    co_return out;
}

// --- Stored bytes ----------------------------------------------------------------------------

StagedFiles::~StagedFiles() {
    for (const auto& path : owned_) remove_quietly(path);
}

std::filesystem::path StagedFiles::write_temp(std::string_view bytes) {
    const fs::path& dir = store_.dir();
    fs::create_directories(dir);
    // A random name in the same directory: concurrent requests and processes never collide, and
    // publish() is a rename within one file system.
    fs::path temp = dir / (".upload-" + util::random_hex(12) + ".tmp");
    owned_.push_back(temp);
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("could not write " + temp.string());
    return temp;
}

void StagedFiles::publish(const std::filesystem::path& temp, std::int64_t file_id) {
    fs::path final_path = store_.path(file_id);
    fs::rename(temp, final_path);
    for (auto& path : owned_) {
        if (path == temp) path = final_path;  // until keep(), a rollback removes the published file
    }
}

// --- Upload, list, download, delete ----------------------------------------------------------

asio::awaitable<StagedBatch> stage_uploads(StagedFiles& staged, std::vector<AttachmentUpload> uploads,
                                           std::int64_t max_size) {
    auto stage = [&staged, &uploads, max_size]() {
        StagedBatch batch;
        for (auto& upload : uploads) {
            auto size = static_cast<std::int64_t>(upload.bytes.size());
            if (size > max_size) {
                batch.failures.push_back({4012, "The task attachment exceeds the configured file size of " +
                                                    std::to_string(max_size) + " bytes, filesize was " +
                                                    std::to_string(size)});
                continue;
            }
            try {
                auto temp = staged.write_temp(upload.bytes);
                batch.files.push_back({std::move(upload.filename), util::sniff_mime(upload.bytes), size, temp});
            } catch (const std::exception& e) {
                spdlog::error("storing an uploaded file failed: {}", e.what());
                batch.failures.push_back({0, "failed to save file"});
            }
        }
        return batch;
    };
    auto worker = staged.store().io_executor();
    co_return co_await util::run_on<StagedBatch>(worker, stage);
}

namespace {

asio::awaitable<void> emit_attachment_event(db::Tx& tx, const Doer& doer, std::string_view name,
                                           const TaskAttachment& attachment) {
    std::vector<EventExtra> extras{
        {"attachment", 0, [&attachment](util::json::Writer& w) { write_attachment(w, attachment); }}};
    co_await emit_task_event(tx, doer, name, attachment.task_id, extras);
}

}  // namespace

asio::awaitable<std::vector<TaskAttachment>> attach_staged_uploads(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                                                   StagedFiles& staged,
                                                                   const std::vector<StagedUpload>& files) {
    auto access = co_await task_access(tx, doer, task_id);
    if (!access.project.can_write()) throw api::Error(api::ErrorCode::Forbidden);
    if (files.empty()) co_return std::vector<TaskAttachment>{};

    auto now = util::now();
    std::vector<db::Value> ids;
    for (const auto& file : files) {
        auto file_id = (co_await tx.query(kInsertFile, file.name, file.mime, file.size, now, doer.id()))[0]
                           .get<std::int64_t>(0);
        auto id = (co_await tx.query(kInsertAttachment, task_id, file_id, doer.id(), now))[0].get<std::int64_t>(0);
        staged.publish(file.temp, file_id);
        ids.emplace_back(id);
    }
    std::string sql = select_attachments("task_attachments.id IN " + db::placeholders(ids.size()) +
                                         " ORDER BY task_attachments.id");
    std::vector<TaskAttachment> out;
    for (auto row : co_await tx.run(sql, std::move(ids))) out.push_back(attachment_from_row(row));
    for (const auto& attachment : out) co_await emit_attachment_event(tx, doer, "task.attachment.created", attachment);
    co_return out;
}

void write_upload_result(util::json::Writer& w, const std::vector<TaskAttachment>& success,
                         const std::vector<UploadFailure>& failures) {
    // The web client checks `errors !== null`: it must be null, not [], when nothing failed.
    w.start_object();
    w.key("errors");
    if (failures.empty()) {
        w.null();
    } else {
        w.start_array();
        for (const auto& f : failures) {
            w.start_object();
            if (f.code != 0) w.key("code").integer(f.code);
            w.key("message").string(f.message);
            w.end_object();
        }
        w.end_array();
    }
    w.key("success");
    if (success.empty()) {
        w.null();
    } else {
        w.start_array();
        for (const auto& a : success) write_attachment(w, a);
        w.end_array();
    }
    w.end_object();
}

asio::awaitable<std::pair<std::vector<TaskAttachment>, std::int64_t>> list_attachments(
    db::Tx& tx, std::int64_t task_id, std::int64_t limit, std::int64_t offset) {
    std::string sql = select_attachments("task_attachments.task_id = ? ORDER BY task_attachments.id");
    std::vector<db::Value> args{task_id};
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<TaskAttachment> items;
    for (auto row : co_await tx.run(sql, std::move(args))) items.push_back(attachment_from_row(row));
    auto total = (co_await tx.query(kCountOfTask, task_id))[0].get<std::int64_t>(0);
    co_return std::make_pair(std::move(items), total);
}

asio::awaitable<TaskAttachment> attachment_of_task(db::Tx& tx, std::int64_t task_id, std::int64_t attachment_id) {
    // Both ids must match: an attachment is never reachable through another task (Vikunja: IDOR guard).
    std::string sql = select_attachments("task_attachments.id = ? AND task_attachments.task_id = ?");
    auto rows = co_await tx.query(sql, attachment_id, task_id);
    if (rows.empty()) throw api::Error(api::ErrorCode::TaskAttachmentDoesNotExist);
    co_return attachment_from_row(rows[0]);
}

asio::awaitable<void> delete_attachment(db::Tx& tx, const FileStore& files, const Doer& doer, std::int64_t task_id,
                                        std::int64_t attachment_id) {
    auto attachment = co_await attachment_of_task(tx, task_id, attachment_id);
    co_await emit_attachment_event(tx, doer, "task.attachment.deleted", attachment);
    auto file_id = attachment.file.id;
    co_await tx.exec(kDeleteAttachment, attachment_id);
    co_await tx.exec(kDeleteFile, file_id);
    std::vector<std::int64_t> removed{file_id};
    files.remove_after_commit(tx, std::move(removed));
}

asio::awaitable<void> delete_attachments_of_tasks(db::Tx& tx, const FileStore& files,
                                                 const std::vector<std::int64_t>& task_ids) {
    std::vector<std::int64_t> file_ids;
    for (std::size_t start = 0; start < task_ids.size(); start += kDeleteChunk) {
        auto end = std::min(task_ids.size(), start + kDeleteChunk);
        std::vector<db::Value> args(task_ids.begin() + static_cast<std::ptrdiff_t>(start),
                                    task_ids.begin() + static_cast<std::ptrdiff_t>(end));
        std::string in = db::placeholders(args.size());
        for (auto row : co_await tx.run("SELECT file_id FROM task_attachments WHERE task_id IN " + in, args)) {
            file_ids.push_back(row.get<std::int64_t>(0));
        }
        co_await tx.run("DELETE FROM files WHERE id IN (SELECT file_id FROM task_attachments WHERE task_id IN " + in +
                            ")",
                        args);
        co_await tx.run("DELETE FROM task_attachments WHERE task_id IN " + in, std::move(args));
    }
    files.remove_after_commit(tx, std::move(file_ids));
}

asio::awaitable<std::map<std::int64_t, std::int64_t>> copy_attachments(db::Tx& tx, const FileStore& files,
                                                                       const Doer& doer, std::int64_t from_task_id,
                                                                       std::int64_t to_task_id) {
    std::map<std::int64_t, std::int64_t> new_ids;
    std::vector<std::pair<std::int64_t, std::int64_t>> links;  // old file id → new file id
    auto now = util::now();
    auto sources = co_await tx.query(kFilesToCopy, from_task_id);
    for (auto row : sources) {
        auto old_file = row.get<std::int64_t>("file_id");
        auto name = row.get<std::string>("name");
        auto mime = row.get<std::string>("mime");
        auto size = row.get<std::int64_t>("size");
        auto new_file = (co_await tx.query(kInsertFile, name, mime, size, now, doer.id()))[0].get<std::int64_t>(0);
        auto id = (co_await tx.query(kInsertAttachment, to_task_id, new_file, doer.id(), now))[0].get<std::int64_t>(0);
        new_ids[row.get<std::int64_t>("id")] = id;
        links.emplace_back(old_file, new_file);
    }
    // After the commit, so a rollback leaves nothing on disk.
    files.link_after_commit(tx, std::move(links));
    co_return new_ids;
}

}  // namespace vicugna::models
