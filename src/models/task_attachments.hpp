// SPDX-License-Identifier: AGPL-3.0-or-later
/// Task attachments (tables `task_attachments`, `files`).
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "db/database.hpp"
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

}  // namespace vicugna::models
