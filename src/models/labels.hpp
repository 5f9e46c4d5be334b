// SPDX-License-Identifier: AGPL-3.0-or-later
/// Labels (tables `labels`, `label_tasks`): the model, its JSON, the batch loader used by task lists, label CRUD
/// and the labels of one task.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "models/access.hpp"
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

/// The Label object: id, title, description, hex_color, created_by (null once the creator is deleted), created,
/// updated.
void write_label(util::json::Writer& w, const Label& label);

/// The labels of each task (task id → labels ordered by label id); one query for the whole page.
asio::awaitable<std::map<std::int64_t, std::vector<Label>>> labels_for_tasks(db::Tx& tx,
                                                                             const std::vector<std::int64_t>& task_ids);

/// A page of labels and the number of all matches.
using LabelPage = std::pair<std::vector<Label>, std::int64_t>;

/// Vikunja's hex colour normalisation: without the leading '#', at most 6 characters.
std::string normalize_hex(std::string_view hex);

/// The label with its creator, or nothing.
asio::awaitable<std::optional<Label>> find_label(db::Tx& tx, std::int64_t id);

/// Whether the caller may see the label: its creator, the owner of the bot that created it, or anyone who can read
/// a task carrying it (Vikunja: hasAccessToLabel, with its conditions grouped explicitly, GHSA-hj5c-mhh2-g7jq).
/// False for a label that does not exist.
asio::awaitable<bool> can_see_label(db::Tx& tx, const Doer& doer, std::int64_t label_id);

/// The caller's permission on the label for x-max-permission: Admin for its owner (as owns_label), Read for anyone
/// else who can see it, nothing when it is invisible or missing. One query after the readable projects.
asio::awaitable<std::optional<Permission>> label_permission(db::Tx& tx, const Doer& doer, std::int64_t label_id);

/// Whether the caller may change or delete the label: its creator or the owner of the creating bot; never a link
/// share. Throws LabelDoesNotExist (8002).
asio::awaitable<bool> owns_label(db::Tx& tx, const Doer& doer, std::int64_t label_id);

/// Inserts the label (id, created, updated and created_by filled in).
asio::awaitable<void> insert_label(db::Tx& tx, const Doer& doer, Label& label);
/// Writes title, description and hex_color, then reloads the label.
asio::awaitable<void> update_label(db::Tx& tx, Label& label);
/// Deletes the label and takes it off every task.
asio::awaitable<void> delete_label(db::Tx& tx, std::int64_t id);

/// `GET /labels`: every label the caller can see, by id. `search` is Vikunja's: a comma list of numbers selects
/// those ids, any other text matches the title. limit 0 = all.
asio::awaitable<LabelPage> list_visible_labels(db::Tx& tx, const Doer& doer, const std::string& search,
                                               std::int64_t limit, std::int64_t offset);
/// `GET /tasks/{id}/labels`: the task's labels by id, searched as above.
asio::awaitable<LabelPage> list_task_labels(db::Tx& tx, std::int64_t task_id, const std::string& search,
                                            std::int64_t limit, std::int64_t offset);

/// A label as the manual's dialect names one on a task: by id, or by title.
struct LabelRef {
    std::int64_t id = 0;  ///< 0: use `title`
    std::string title;
};
/// The label ids for `refs`, in order and without repeats. Ids are passed on (replace_task_labels checks them). A
/// title is the caller's own label with exactly that title, else the oldest such label the caller can see, else a
/// new label of the caller's (a link share cannot create labels: 403 code 0). Titles must be valid label titles.
asio::awaitable<std::vector<std::int64_t>> find_or_create_labels(db::Tx& tx, const Doer& doer,
                                                                 const std::vector<LabelRef>& refs);
/// Every label the caller can see whose title is exactly one of `titles`, by id.
asio::awaitable<std::vector<Label>> visible_labels_titled(db::Tx& tx, const Doer& doer,
                                                          const std::vector<std::string>& titles);

/// Whether the label is on the task.
asio::awaitable<bool> task_has_label(db::Tx& tx, std::int64_t task_id, std::int64_t label_id);
/// Puts the label on the task; returns the creation time. Throws LabelIsAlreadyOnTask (8001).
asio::awaitable<Timestamp> add_task_label(db::Tx& tx, std::int64_t task_id, std::int64_t label_id);
/// Takes the label off the task.
asio::awaitable<void> remove_task_label(db::Tx& tx, std::int64_t task_id, std::int64_t label_id);
/// Makes `label_ids` the task's whole label set; each added label must exist (8002) and be visible (8003).
asio::awaitable<void> replace_task_labels(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                          const std::vector<std::int64_t>& label_ids);

}  // namespace vicugna::models
