// SPDX-License-Identifier: AGPL-3.0-or-later
/// Kanban buckets (table `buckets`): the model, its JSON and create/update/delete (Vikunja: pkg/models/kanban.go).
/// Moving a task into a bucket belongs to the task model.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
#include "models/user.hpp"
#include "util/json.hpp"

namespace vicugna::models {

struct ProjectView;

struct Bucket {
    std::int64_t id = 0;
    std::string title;
    std::int64_t project_view_id = 0;
    std::int64_t limit = 0;
    std::int64_t count = 0;  ///< tasks in the bucket
    double position = 0;
    Timestamp created{};
    Timestamp updated{};
    std::int64_t created_by_id = 0;
    User created_by;
    std::optional<std::string> tasks;  ///< raw JSON array echoed in an update answer (Vikunja echoes the request)
};

/// The Bucket object: id, title, project_view_id, [tasks], limit, count, position, created, updated, created_by.
void write_bucket(util::json::Writer& w, const Bucket& bucket);

/// Reads title (required), limit (≥ 0) and position; `tasks` is kept verbatim. Bad values → 412 2002.
Bucket bucket_from_json(const util::json::Object& in);

/// The buckets of a view ordered by position then id, with creators and task counts (three queries).
asio::awaitable<std::vector<Bucket>> buckets_of_view(db::Tx& tx, std::int64_t view_id);
/// One bucket with its creator and count; nullopt when it does not exist.
asio::awaitable<std::optional<Bucket>> find_bucket(db::Tx& tx, std::int64_t bucket_id);

/// Inserts the bucket created by `doer`; position defaults to id×65536.
asio::awaitable<void> create_bucket(db::Tx& tx, const Doer& doer, Bucket& bucket);
/// Writes title, limit and position only.
asio::awaitable<void> update_bucket(db::Tx& tx, Bucket& bucket);
/// Deletes a bucket of `view`: its tasks move to the view's default bucket, a deleted default/done bucket resets
/// the view's id, and the last bucket of a view cannot go (10003).
asio::awaitable<void> delete_bucket(db::Tx& tx, const Bucket& bucket, const ProjectView& view);

}  // namespace vicugna::models
