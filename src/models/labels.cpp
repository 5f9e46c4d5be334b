// SPDX-License-Identifier: AGPL-3.0-or-later
// Labels (Vikunja: pkg/models/label.go, label_task.go).
#include "models/labels.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "api/errors.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kFindLabel = " FROM labels LEFT JOIN users u ON u.id = labels.created_by_id";
constexpr std::string_view kLabelOwner =
    "SELECT labels.created_by_id, u.bot_owner_id FROM labels LEFT JOIN users u ON u.id = labels.created_by_id "
    "WHERE labels.id = ?";
constexpr std::string_view kInsertLabel =
    "INSERT INTO labels (title, description, hex_color, created_by_id, created, updated) VALUES (?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view kUpdateLabel =
    "UPDATE labels SET title = ?, description = ?, hex_color = ?, updated = ? WHERE id = ?";
constexpr std::string_view kDeleteLabel = "DELETE FROM labels WHERE id = ?";
constexpr std::string_view kDeleteLabelFromTasks = "DELETE FROM label_tasks WHERE label_id = ?";
constexpr std::string_view kLabelExists = "SELECT 1 FROM labels WHERE id = ?";
constexpr std::string_view kLabelsOnTasks =
    "SELECT DISTINCT lt.label_id FROM label_tasks lt JOIN tasks t ON t.id = lt.task_id"
    " WHERE t.deleted_at IS NULL AND t.project_id IN ";
constexpr std::string_view kTaskHasLabel = "SELECT 1 FROM label_tasks WHERE task_id = ? AND label_id = ?";
constexpr std::string_view kTaskLabelIds = "SELECT label_id FROM label_tasks WHERE task_id = ?";
constexpr std::string_view kAddTaskLabel = "INSERT INTO label_tasks (task_id, label_id, created) VALUES (?, ?, ?)";
constexpr std::string_view kRemoveTaskLabel = "DELETE FROM label_tasks WHERE task_id = ? AND label_id = ?";
// Label changes count as task changes for delta syncs and the CalDAV ctag (Vikunja: updateTaskLastUpdated and
// updateProjectByTaskID).
constexpr std::string_view kLockUser = "UPDATE users SET updated = updated WHERE id = ?";
constexpr std::string_view kTouchTask = "UPDATE tasks SET updated = ? WHERE id = ?";
constexpr std::string_view kTouchProject =
    "UPDATE projects SET updated = ? WHERE id = (SELECT project_id FROM tasks WHERE id = ?)";

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

std::string select_labels() {
    return "SELECT " + std::string(kLabelColumns) + ", " + public_user_columns("u", "u_") + std::string(kFindLabel);
}

// The caller's visibility condition on `labels`, in parentheses so it cannot mix with what follows
// (the flattened OR chain was Vikunja's GHSA-hj5c-mhh2-g7jq).
asio::awaitable<std::string> visible_condition(db::Tx& tx, const Doer& doer, std::vector<db::Value>& args) {
    // The labels on readable tasks are read once here, not as a subquery that the page and its COUNT would
    // each evaluate again over every readable task.
    auto projects = co_await readable_project_ids(tx, doer);
    std::vector<db::Value> project_args(projects.begin(), projects.end());
    std::string on_tasks_sql = std::string(kLabelsOnTasks) + db::placeholders(projects.size());
    auto on_tasks = co_await tx.run(on_tasks_sql, std::move(project_args));
    std::string sql = "(labels.id IN " + db::placeholders(on_tasks.size());
    for (auto row : on_tasks) args.emplace_back(row.get<std::int64_t>(0));
    if (!doer.is_link_share()) {
        sql += " OR labels.created_by_id = ? OR labels.created_by_id IN (SELECT id FROM users WHERE bot_owner_id = ?)";
        args.emplace_back(doer.user_id);
        args.emplace_back(doer.user_id);
    }
    co_return sql + ")";
}

// Go's strconv.ParseInt: an optional sign, then digits only.
std::optional<std::int64_t> parse_int(std::string_view s) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// Vikunja's label search: the trimmed text split at commas; if any part is a number, those ids are selected,
// otherwise the title must contain the text (case-insensitively).
std::string search_condition(const std::string& search, std::vector<db::Value>& args) {
    auto first = search.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    std::string_view text(search);
    text = text.substr(first, search.find_last_not_of(' ') - first + 1);
    std::vector<std::int64_t> ids;
    for (std::size_t start = 0; start <= text.size();) {
        auto comma = std::min(text.find(',', start), text.size());
        if (auto id = parse_int(text.substr(start, comma - start))) ids.push_back(*id);
        start = comma + 1;
    }
    if (!ids.empty()) {
        args.insert(args.end(), ids.begin(), ids.end());
        return " AND labels.id IN " + db::placeholders(ids.size());
    }
    std::string pattern = "%";
    for (char c : text) pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    args.emplace_back(pattern + "%");
    return " AND LOWER(labels.title) LIKE ?";
}

// Per title: the caller's own label with it, else the oldest visible one.
asio::awaitable<std::map<std::string, Label>> labels_for_titles(db::Tx& tx, const Doer& doer,
                                                                const std::vector<std::string>& titles) {
    std::map<std::string, Label> chosen;
    for (auto& label : co_await visible_labels_titled(tx, doer, titles)) {
        auto it = chosen.find(label.title);
        bool own = !doer.is_link_share() && label.created_by_id == doer.user_id;
        if (it == chosen.end()) {
            chosen.emplace(label.title, std::move(label));
        } else if (own && it->second.created_by_id != doer.user_id) {
            it->second = std::move(label);
        }
    }
    co_return chosen;
}

asio::awaitable<LabelPage> page_of_labels(db::Tx& tx, const std::string& where, std::vector<db::Value> args,
                                          std::int64_t limit, std::int64_t offset) {
    auto count_sql = "SELECT COUNT(*) FROM labels WHERE " + where;
    auto count = co_await tx.run(count_sql, args);
    std::string sql = select_labels() + " WHERE " + where + " ORDER BY labels.id";
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    LabelPage page;
    for (auto row : co_await tx.run(sql, std::move(args))) page.first.push_back(label_from_row(row));
    page.second = count[0].get<std::int64_t>(0);
    co_return page;
}

// A kLabelOwner row: the creator, or the owner of the bot that created it (never a link share).
bool owned_by(const Doer& doer, const db::Row& row) {
    return !doer.is_link_share() &&
           (row.get<std::int64_t>(0) == doer.user_id || row.get<std::int64_t>(1) == doer.user_id);
}

asio::awaitable<void> touch_task(db::Tx& tx, std::int64_t task_id) {
    auto now = util::now();
    co_await tx.exec(kTouchTask, now, task_id);
    co_await tx.exec(kTouchProject, now, task_id);
}

}  // namespace

void write_label(util::json::Writer& w, const Label& label) {
    w.start_object();
    w.key("id").integer(label.id);
    w.key("title").string(label.title);
    w.key("description").string(label.description);
    w.key("hex_color").string(label.hex_color);
    w.key("created_by");
    if (label.created_by.id == 0) {
        w.null();  // the creator's account is gone (Vikunja's nil user)
    } else {
        w.start_object();
        write_user(w, label.created_by);
        w.end_object();
    }
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

std::string normalize_hex(std::string_view hex) {
    if (!hex.empty() && hex.front() == '#') hex.remove_prefix(1);
    return std::string(hex.substr(0, 6));
}

asio::awaitable<std::optional<Label>> find_label(db::Tx& tx, std::int64_t id) {
    auto sql = select_labels() + " WHERE labels.id = ?";
    auto rows = co_await tx.query(sql, id);
    if (rows.empty()) co_return std::nullopt;
    co_return label_from_row(rows[0]);
}

asio::awaitable<bool> can_see_label(db::Tx& tx, const Doer& doer, std::int64_t label_id) {
    std::vector<db::Value> args{label_id};
    auto visible = co_await visible_condition(tx, doer, args);
    auto sql = "SELECT 1 FROM labels WHERE labels.id = ? AND " + visible;
    auto rows = co_await tx.run(sql, std::move(args));
    co_return !rows.empty();
}

asio::awaitable<std::optional<Permission>> label_permission(db::Tx& tx, const Doer& doer, std::int64_t label_id) {
    std::vector<db::Value> args{label_id};
    auto visible = co_await visible_condition(tx, doer, args);
    auto sql = std::string(kLabelOwner) + " AND " + visible;
    auto rows = co_await tx.run(sql, std::move(args));
    std::optional<Permission> permission;
    if (rows.empty()) co_return permission;
    permission = owned_by(doer, rows[0]) ? Permission::Admin : Permission::Read;
    co_return permission;
}

asio::awaitable<bool> owns_label(db::Tx& tx, const Doer& doer, std::int64_t label_id) {
    if (doer.is_link_share()) co_return false;
    auto rows = co_await tx.query(kLabelOwner, label_id);
    if (rows.empty()) throw api::Error(api::ErrorCode::LabelDoesNotExist);
    co_return owned_by(doer, rows[0]);
}

asio::awaitable<void> insert_label(db::Tx& tx, const Doer& doer, Label& label) {
    label.hex_color = normalize_hex(label.hex_color);
    label.created_by_id = doer.id();
    label.created = label.updated = util::now();
    auto rows = co_await tx.query(kInsertLabel, label.title, label.description, label.hex_color, label.created_by_id,
                                  label.created, label.updated);
    label.id = rows[0].get<std::int64_t>(0);
    std::vector<std::int64_t> creator{label.created_by_id};
    auto users = co_await load_public_users(tx, creator);
    if (auto it = users.find(label.created_by_id); it != users.end()) label.created_by = it->second;
}

asio::awaitable<void> update_label(db::Tx& tx, Label& label) {
    label.hex_color = normalize_hex(label.hex_color);
    co_await tx.exec(kUpdateLabel, label.title, label.description, label.hex_color, util::now(), label.id);
    auto stored = co_await find_label(tx, label.id);
    if (!stored) throw api::Error(api::ErrorCode::LabelDoesNotExist);
    label = std::move(*stored);
}

asio::awaitable<void> delete_label(db::Tx& tx, std::int64_t id) {
    co_await tx.exec(kDeleteLabel, id);
    co_await tx.exec(kDeleteLabelFromTasks, id);
}

asio::awaitable<LabelPage> list_visible_labels(db::Tx& tx, const Doer& doer, const std::string& search,
                                               std::int64_t limit, std::int64_t offset) {
    std::vector<db::Value> args;
    auto where = co_await visible_condition(tx, doer, args);
    where += search_condition(search, args);
    auto page = co_await page_of_labels(tx, where, std::move(args), limit, offset);
    co_return page;
}

asio::awaitable<LabelPage> list_task_labels(db::Tx& tx, std::int64_t task_id, const std::string& search,
                                            std::int64_t limit, std::int64_t offset) {
    std::vector<db::Value> args{task_id};
    std::string where = "labels.id IN (SELECT label_id FROM label_tasks WHERE task_id = ?)";
    where += search_condition(search, args);
    auto page = co_await page_of_labels(tx, where, std::move(args), limit, offset);
    co_return page;
}

asio::awaitable<std::vector<Label>> visible_labels_titled(db::Tx& tx, const Doer& doer,
                                                          const std::vector<std::string>& titles) {
    std::vector<Label> out;
    if (titles.empty()) co_return out;
    std::vector<db::Value> args(titles.begin(), titles.end());
    auto visible = co_await visible_condition(tx, doer, args);
    auto sql = select_labels() + " WHERE labels.title IN " + db::placeholders(titles.size()) + " AND " + visible +
               " ORDER BY labels.id";
    for (auto row : co_await tx.run(sql, std::move(args))) out.push_back(label_from_row(row));
    co_return out;
}

asio::awaitable<std::vector<std::int64_t>> find_or_create_labels(db::Tx& tx, const Doer& doer,
                                                                 const std::vector<LabelRef>& refs) {
    std::vector<std::string> titles;
    for (const auto& ref : refs) {
        if (ref.id == 0 && std::find(titles.begin(), titles.end(), ref.title) == titles.end()) {
            titles.push_back(ref.title);
        }
    }
    auto chosen = co_await labels_for_titles(tx, doer, titles);
    if (chosen.size() < titles.size() && !doer.is_link_share()) {
        // Concurrent requests of one user would each create a missing label. The user's row lock, held to commit,
        // makes the later one wait here and then find the label the earlier one made.
        co_await tx.exec(kLockUser, doer.user_id);
        chosen = co_await labels_for_titles(tx, doer, titles);
    }
    std::vector<std::int64_t> ids;
    for (const auto& ref : refs) {
        std::int64_t id = ref.id;
        if (id == 0) {
            auto it = chosen.find(ref.title);
            if (it == chosen.end()) {
                if (doer.is_link_share()) throw api::Error(api::ErrorCode::GenericForbidden);
                Label label;
                label.title = ref.title;
                co_await insert_label(tx, doer, label);
                it = chosen.emplace(label.title, std::move(label)).first;
            }
            id = it->second.id;
        }
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    co_return ids;
}

asio::awaitable<bool> task_has_label(db::Tx& tx, std::int64_t task_id, std::int64_t label_id) {
    auto rows = co_await tx.query(kTaskHasLabel, task_id, label_id);
    co_return !rows.empty();
}

asio::awaitable<Timestamp> add_task_label(db::Tx& tx, std::int64_t task_id, std::int64_t label_id) {
    bool on_task = co_await task_has_label(tx, task_id, label_id);
    if (on_task) throw api::Error(api::ErrorCode::LabelIsAlreadyOnTask);
    auto created = util::now();
    co_await tx.exec(kAddTaskLabel, task_id, label_id, created);
    co_await touch_task(tx, task_id);
    co_return created;
}

asio::awaitable<void> remove_task_label(db::Tx& tx, std::int64_t task_id, std::int64_t label_id) {
    co_await tx.exec(kRemoveTaskLabel, task_id, label_id);
    co_await touch_task(tx, task_id);
}

asio::awaitable<void> replace_task_labels(db::Tx& tx, const Doer& doer, std::int64_t task_id,
                                          const std::vector<std::int64_t>& label_ids) {
    std::set<std::int64_t> current;
    for (auto row : co_await tx.query(kTaskLabelIds, task_id)) current.insert(row.get<std::int64_t>(0));
    std::set<std::int64_t> wanted(label_ids.begin(), label_ids.end());
    for (auto id : current) {
        if (!wanted.count(id)) co_await tx.exec(kRemoveTaskLabel, task_id, id);
    }
    auto created = util::now();
    // In the order given; a label listed twice is added once (Vikunja would insert it twice).
    for (auto id : label_ids) {
        if (current.count(id)) continue;
        auto exists = co_await tx.query(kLabelExists, id);
        if (exists.empty()) throw api::Error(api::ErrorCode::LabelDoesNotExist);
        bool visible = co_await can_see_label(tx, doer, id);
        if (!visible) throw api::Error(api::ErrorCode::UserHasNoAccessToLabel);
        co_await tx.exec(kAddTaskLabel, task_id, id, created);
        current.insert(id);
    }
    co_await touch_task(tx, task_id);
}

}  // namespace vicugna::models
