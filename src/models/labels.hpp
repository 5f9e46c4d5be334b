// SPDX-License-Identifier: AGPL-3.0-or-later
/// Labels (tables `labels`, `label_tasks`): the model, its JSON and the batch loader used by task lists.
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

struct Label {
    std::int64_t id = 0;
    std::string title;
    std::string description;
    std::string hex_color;
    std::int64_t created_by_id = 0;
    User created_by;
    Timestamp created{};
    Timestamp updated{};
};

/// The Label object: id, title, description, hex_color, created_by, created, updated.
void write_label(util::json::Writer& w, const Label& label);

/// The labels of each task (task id → labels ordered by label id); one query for the whole page.
asio::awaitable<std::map<std::int64_t, std::vector<Label>>> labels_for_tasks(db::Tx& tx,
                                                                             const std::vector<std::int64_t>& task_ids);

}  // namespace vicugna::models
