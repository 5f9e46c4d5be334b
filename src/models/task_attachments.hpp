// SPDX-License-Identifier: AGPL-3.0-or-later
/// Task attachments (tables `task_attachments`, `files`); their bytes live in a FileStore.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/file_store.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

/// A stored file (Vikunja: pkg/files): its bytes live at files.basepath/<id>.
struct File {
    std::int64_t id = 0;
    std::string name;
    std::string mime;
    std::int64_t size = 0;
    Timestamp created{};
};

struct TaskAttachment {
    std::int64_t id = 0;
    std::int64_t task_id = 0;
    User created_by;
    File file;
    Timestamp created{};
};

/// The TaskAttachment object: id, task_id, created_by, file{id, name, mime, size, created}, created.
void write_attachment(util::json::Writer& w, const TaskAttachment& attachment);

/// The attachments of each task (task id → attachments by id); one query for the whole page.
asio::awaitable<std::map<std::int64_t, std::vector<TaskAttachment>>> attachments_for_tasks(
    db::Tx& tx, const std::vector<std::int64_t>& task_ids);

// --- Stored bytes ----------------------------------------------------------------------------

/// Files written for a request whose transaction has not committed yet. They are written under temporary
/// names in the store's directory (so publishing is an atomic rename) and removed by the destructor unless
/// keep() is called after the commit: a failed request leaves no bytes behind.
class StagedFiles {
public:
    explicit StagedFiles(const FileStore& store) : store_(store) {}
    StagedFiles(const StagedFiles&) = delete;
    StagedFiles& operator=(const StagedFiles&) = delete;
    ~StagedFiles();

    /// Writes `bytes` to a new temporary file (blocking; run it off the I/O threads). Throws std::exception.
    std::filesystem::path write_temp(std::string_view bytes);
    /// Renames a temporary file to the final name of `file_id`. Throws std::filesystem::filesystem_error.
    void publish(const std::filesystem::path& temp, std::int64_t file_id);
    /// The transaction committed: keep every published file.
    void keep() { owned_.clear(); }
    const FileStore& store() const { return store_; }

private:
    const FileStore& store_;
    std::vector<std::filesystem::path> owned_;  ///< removed on destruction unless kept
};

// --- Upload, list, download, delete ----------------------------------------------------------

/// One uploaded file (a multipart part named `files`).
struct AttachmentUpload {
    std::string filename;
    std::string bytes;
};

/// A file that failed on its own; code 0 means "no code" (omitted from the JSON, as Vikunja does).
struct UploadFailure {
    int code = 0;
    std::string message;
};

/// A file ready to be attached: its bytes sit at `temp`, its MIME type is sniffed from the content.
struct StagedUpload {
    std::string name;
    std::string mime;
    std::int64_t size = 0;
    std::filesystem::path temp;
};

struct StagedBatch {
    std::vector<StagedUpload> files;
    std::vector<UploadFailure> failures;
};

/// Before the transaction: refuses files larger than `max_size` (4012), sniffs each MIME type and writes the
/// bytes to temporary files on the file I/O threads (a write error fails only that file).
asio::awaitable<StagedBatch> stage_uploads(StagedFiles& staged, std::vector<AttachmentUpload> uploads,
                                           std::int64_t max_size);

/// Inside the transaction: checks write access to the task (404 4002 when missing, 403 code 1 otherwise),
/// inserts a `files` and a `task_attachments` row per file and publishes its bytes as files.basepath/<id>.
/// Returns the created attachments. A database error throws; the caller's StagedFiles then removes the bytes.
asio::awaitable<std::vector<TaskAttachment>> attach_staged_uploads(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                                                   StagedFiles& staged,
                                                                   const std::vector<StagedUpload>& files);

/// The upload response: {"errors": null | [{code?, message}], "success": null | [TaskAttachment]}.
void write_upload_result(util::json::Writer& w, const std::vector<TaskAttachment>& success,
                         const std::vector<UploadFailure>& failures);

/// One page of a task's attachments (by id) and the total count. limit 0 = all.
asio::awaitable<std::pair<std::vector<TaskAttachment>, std::int64_t>> list_attachments(
    db::Tx& tx, std::int64_t task_id, std::int64_t limit, std::int64_t offset);

/// The attachment `attachment_id` of task `task_id`; 404 4011 when it does not exist or belongs to another task.
asio::awaitable<TaskAttachment> attachment_of_task(db::Tx& tx, std::int64_t task_id, std::int64_t attachment_id);

/// Deletes one attachment of a task (404 4011 as above), its `files` row and, once committed, its bytes.
asio::awaitable<void> delete_attachment(db::Tx& tx, const FileStore& files, const Doer& doer, std::int64_t task_id,
                                        std::int64_t attachment_id);

/// For project and task deletion: deletes every attachment of these tasks with their `files` rows; the bytes
/// are removed only after `tx` commits (tx.after_commit), so a rollback keeps everything.
asio::awaitable<void> delete_attachments_of_tasks(db::Tx& tx, const FileStore& files,
                                                 const std::vector<std::int64_t>& task_ids);

/// For task and project duplication: gives task `to_task_id` a copy of every attachment of `from_task_id`
/// (new `files` rows created by `doer`, same name, mime and size). The bytes are linked (or copied) to the
/// new ids after `tx` commits. Returns old attachment id → new attachment id (for cover_image_attachment_id).
asio::awaitable<std::map<std::int64_t, std::int64_t>> copy_attachments(db::Tx& tx, const FileStore& files,
                                                                       const Doer& doer, std::int64_t from_task_id,
                                                                       std::int64_t to_task_id);

}  // namespace vicugna::models
