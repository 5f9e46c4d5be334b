// SPDX-License-Identifier: AGPL-3.0-or-later
// Labels (Vikunja: pkg/models/label.go, label_task.go).
#include "models/labels.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kLabelColumns =
    "labels.id, labels.title, labels.description, labels.hex_color, labels.created_by_id, labels.created, "
    "labels.updated";

Label label_from_row(const db::Row& row) {
    Label l;
    l.id = row.get<std::int64_t>("id");
    l.title = row.get<std::string>("title");
    l.description = row.get<std::string>("description");
    l.hex_color = row.get<std::string>("hex_color");
    l.created_by_id = row.get<std::int64_t>("created_by_id");
    l.created_by = public_user_from_row(row, "u_");
    l.created = row.get<Timestamp>("created");
    l.updated = row.get<Timestamp>("updated");
    return l;
}

}  // namespace

void write_label(util::json::Writer& w, const Label& label) {
    w.start_object();
    w.key("id").integer(label.id);
    w.key("title").string(label.title);
    w.key("description").string(label.description);
    w.key("hex_color").string(label.hex_color);
    w.key("created_by").start_object();
    write_user(w, label.created_by);
    w.end_object();
    w.key("created").time(label.created);
    w.key("updated").time(label.updated);
    w.end_object();
}

asio::awaitable<std::map<std::int64_t, std::vector<Label>>> labels_for_tasks(db::Tx& tx,
                                                                             const std::vector<std::int64_t>& task_ids) {
    std::map<std::int64_t, std::vector<Label>> out;
    if (task_ids.empty()) co_return out;
    std::string sql = "SELECT label_tasks.task_id, " + std::string(kLabelColumns) + ", " +
                      public_user_columns("u", "u_") +
                      " FROM label_tasks JOIN labels ON labels.id = label_tasks.label_id"
                      " LEFT JOIN users u ON u.id = labels.created_by_id WHERE label_tasks.task_id IN " +
                      db::placeholders(task_ids.size()) + " ORDER BY labels.id";
    std::vector<db::Value> args(task_ids.begin(), task_ids.end());
    for (auto row : co_await tx.run(sql, std::move(args))) {
        out[row.get<std::int64_t>("task_id")].push_back(label_from_row(row));
    }
    co_return out;
}

}  // namespace vicugna::models
