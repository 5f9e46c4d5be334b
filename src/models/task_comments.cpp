// SPDX-License-Identifier: AGPL-3.0-or-later
// Task comments (Vikunja: pkg/models/task_comments.go, task_comment_permissions.go, users.go).
#include "models/task_comments.hpp"

#include <set>

#include "api/errors.hpp"
#include "models/events.hpp"
#include "models/notifications.hpp"

namespace vicugna::models {
namespace {

// The author is joined in; only link-share authors (negative ids) need a second query.
constexpr std::string_view kSelect =
    "SELECT c.id, c.task_id, c.comment, c.author_id, c.created, c.updated, {author} FROM task_comments c "
    "LEFT JOIN users u ON u.id = c.author_id ";
constexpr std::string_view kInsert =
    "INSERT INTO task_comments (comment, author_id, task_id, created, updated) VALUES (?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kUpdate = "UPDATE task_comments SET comment = ?, updated = ? WHERE id = ?";
constexpr std::string_view kDelete = "DELETE FROM task_comments WHERE id = ?";
constexpr std::string_view kDeleteReactions = "DELETE FROM reactions WHERE entity_kind = ? AND entity_id = ?";
constexpr std::string_view kLinkShares = "SELECT id, name, created, updated FROM link_shares WHERE id IN ";

std::string select_comments() {
    std::string sql(kSelect);
    sql.replace(sql.find("{author}"), 8, public_user_columns("u", "a_"));
    return sql;
}

TaskComment comment_from_row(const db::Row& row) {
    TaskComment c;
    c.id = row.get<std::int64_t>("id");
    c.task_id = row.get<std::int64_t>("task_id");
    c.comment = row.get<std::string>("comment");
    c.author_id = row.get<std::int64_t>("author_id");
    c.created = row.get<std::optional<Timestamp>>("created");
    c.updated = row.get<std::optional<Timestamp>>("updated");
    if (c.author_id > 0 && !row.is_null("a_id")) c.author = public_user_from_row(row, "a_");
    return c;
}

// Reactions (one query) and link-share authors (one more, only if there are any) for a page of comments.
asio::awaitable<void> complete(db::Tx& tx, std::vector<TaskComment>& comments) {
    if (comments.empty()) co_return;
    std::set<std::int64_t> share_authors;
    std::vector<std::int64_t> ids;
    for (const auto& c : comments) {
        if (c.author_id < 0) share_authors.insert(c.author_id);
        ids.push_back(c.id);
    }
    auto reactions = co_await reactions_for(tx, ReactionKind::Comment, ids);
    std::map<std::int64_t, User> shares;
    if (!share_authors.empty()) {
        std::vector<std::int64_t> share_ids(share_authors.begin(), share_authors.end());
        shares = co_await load_users_or_link_shares(tx, share_ids);
    }
    for (auto& c : comments) {
        if (auto it = shares.find(c.author_id); it != shares.end()) c.author = it->second;
        if (auto it = reactions.find(c.id); it != reactions.end()) c.reactions = std::move(it->second);
    }
}

}  // namespace

void write_task_comment(util::json::Writer& w, const TaskComment& c) {
    w.start_object();
    w.key("id").integer(c.id);
    w.key("comment").string(c.comment);
    w.key("author");
    if (c.author.id == 0) {
        w.null();  // the author's account is gone
    } else {
        w.start_object();
        write_user(w, c.author);
        w.end_object();
    }
    w.key("reactions");
    write_reactions(w, c.reactions);
    w.key("created").time(c.created);
    w.key("updated").time(c.updated);
    w.end_object();
}

asio::awaitable<std::map<std::int64_t, User>> load_users_or_link_shares(db::Tx& tx,
                                                                        const std::vector<std::int64_t>& ids) {
    std::vector<std::int64_t> user_ids;
    std::vector<db::Value> share_ids;
    for (auto id : ids) {
        if (id < 0) {
            share_ids.emplace_back(-id);
        } else {
            user_ids.push_back(id);
        }
    }
    auto users = co_await load_public_users(tx, user_ids);
    if (share_ids.empty()) co_return users;
    auto sql = std::string(kLinkShares) + db::placeholders(share_ids.size());
    for (auto row : co_await tx.run(sql, std::move(share_ids))) {
        // Vikunja's LinkSharing.toUser.
        User u;
        auto share_id = row.get<std::int64_t>("id");
        auto name = row.get<std::string>("name");
        u.id = -share_id;
        u.settings.name = name.empty() ? "Link Share" : name + " (Link Share)";
        u.username = "link-share-" + std::to_string(share_id);
        u.created = row.get<Timestamp>("created");
        u.updated = row.get<Timestamp>("updated");
        users[u.id] = std::move(u);
    }
    co_return users;
}

asio::awaitable<User> doer_as_user(db::Tx& tx, const Doer& doer) {
    std::vector<std::int64_t> ids{doer.id()};
    auto users = co_await load_users_or_link_shares(tx, ids);
    User user;
    if (auto it = users.find(doer.id()); it != users.end()) user = it->second;
    co_return user;
}

asio::awaitable<std::optional<TaskComment>> find_task_comment(db::Tx& tx, std::int64_t task_id, std::int64_t id) {
    auto sql = select_comments() + "WHERE c.id = ? AND c.task_id = ?";
    auto rows = co_await tx.query(sql, id, task_id);
    if (rows.empty()) co_return std::nullopt;
    std::vector<TaskComment> one{comment_from_row(rows[0])};
    co_await complete(tx, one);
    co_return std::move(one[0]);
}

namespace {

asio::awaitable<void> emit_comment_event(db::Tx& tx, const Doer& doer, std::string_view name,
                                        const TaskComment& comment) {
    std::vector<EventExtra> extras{{"comment", 0, [&comment](util::json::Writer& w) { write_task_comment(w, comment); }}};
    co_await emit_task_event(tx, doer, name, comment.task_id, extras);
}

}  // namespace

asio::awaitable<void> insert_task_comment(db::Tx& tx, const Doer& doer, TaskComment& c) {
    c.author = co_await doer_as_user(tx, doer);
    c.author_id = doer.id();
    c.created = c.updated = util::now();
    auto rows = co_await tx.query(kInsert, c.comment, c.author_id, c.task_id, c.created, c.updated);
    c.id = rows[0].get<std::int64_t>(0);
    c.reactions.clear();
    co_await notify_task_comment(tx, doer, c);
    co_await emit_comment_event(tx, doer, "task.comment.created", c);
}

asio::awaitable<void> update_task_comment(db::Tx& tx, const Doer& doer, TaskComment& c) {
    co_await tx.exec(kUpdate, c.comment, util::now(), c.id);
    auto stored = co_await find_task_comment(tx, c.task_id, c.id);
    if (!stored) throw api::Error(api::ErrorCode::TaskCommentDoesNotExist);
    c = std::move(*stored);
    co_await notify_comment_mentions(tx, doer, c);
    co_await emit_comment_event(tx, doer, "task.comment.edited", c);
}

asio::awaitable<void> delete_task_comment(db::Tx& tx, const Doer& doer, std::int64_t task_id, std::int64_t id) {
    auto comment = co_await find_task_comment(tx, task_id, id);
    if (comment) co_await emit_comment_event(tx, doer, "task.comment.deleted", *comment);
    co_await tx.exec(kDelete, id);
    co_await tx.exec(kDeleteReactions, static_cast<std::int64_t>(ReactionKind::Comment), id);
}

asio::awaitable<std::pair<std::vector<TaskComment>, std::int64_t>> list_task_comments(
    db::Tx& tx, std::int64_t task_id, const std::string& search, bool newest_first, std::int64_t limit,
    std::int64_t offset) {
    std::string where = "WHERE c.task_id = ?";
    std::vector<db::Value> args{task_id};
    if (!search.empty()) {
        std::string pattern = "%";
        for (char ch : search) pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        where += " AND LOWER(c.comment) LIKE ?";
        args.emplace_back(pattern + "%");
    }
    auto count_sql = "SELECT COUNT(*) FROM task_comments c " + where;
    auto count = co_await tx.run(count_sql, args);
    std::string sql = select_comments() + where +
                      (newest_first ? " ORDER BY c.created DESC, c.id DESC" : " ORDER BY c.created ASC, c.id ASC");
    if (limit > 0) {
        sql += " LIMIT ? OFFSET ?";
        args.emplace_back(limit);
        args.emplace_back(offset);
    }
    std::vector<TaskComment> comments;
    for (auto row : co_await tx.run(sql, std::move(args))) comments.push_back(comment_from_row(row));
    co_await complete(tx, comments);
    co_return std::pair{std::move(comments), count[0].get<std::int64_t>(0)};
}

}  // namespace vicugna::models
