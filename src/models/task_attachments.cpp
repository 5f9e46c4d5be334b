// SPDX-License-Identifier: AGPL-3.0-or-later
// Task attachments (Vikunja: pkg/models/task_attachment.go, pkg/files).
#include "models/task_attachments.hpp"

namespace vicugna::models {

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
    std::string sql =
        "SELECT task_attachments.id, task_attachments.task_id, task_attachments.created, files.id AS file_id, "
        "files.name AS file_name, files.mime AS file_mime, files.size AS file_size, files.created AS file_created, " +
        public_user_columns("u", "u_") +
        " FROM task_attachments JOIN files ON files.id = task_attachments.file_id"
        " LEFT JOIN users u ON u.id = task_attachments.created_by_id WHERE task_attachments.task_id IN " +
        db::placeholders(task_ids.size()) + " ORDER BY task_attachments.id";
    std::vector<db::Value> args(task_ids.begin(), task_ids.end());
    for (auto row : co_await tx.run(sql, std::move(args))) {
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
        out[a.task_id].push_back(std::move(a));
    }
    co_return out;
}

}  // namespace vicugna::models
