// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/user.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "api/errors.hpp"
#include "models/link_shares.hpp"
#include "models/project.hpp"
#include "models/webhooks.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kUserColumns =
    "id, username, email, password, status, is_admin, issuer, bot_owner_id, name, email_reminders_enabled, "
    "discoverable_by_name, discoverable_by_email, overdue_tasks_reminders_enabled, overdue_tasks_reminders_time, "
    "default_project_id, week_start, language, timezone, frontend_settings, deletion_scheduled_at, created, updated";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (username, email, password, status, is_admin, issuer, name, email_reminders_enabled, "
    "discoverable_by_name, discoverable_by_email, overdue_tasks_reminders_enabled, overdue_tasks_reminders_time, "
    "default_project_id, week_start, language, timezone, avatar_provider, created, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'initials', ?, ?) RETURNING id";
constexpr std::string_view kUserTimezone = "SELECT timezone FROM users WHERE id = ?";
constexpr std::string_view kUsernameTaken = "SELECT 1 FROM users WHERE username = ?";
constexpr std::string_view kEmailTaken = "SELECT 1 FROM users WHERE email = ? AND (issuer = 'local' OR issuer IS NULL)";
constexpr std::string_view kUpdateSettings =
    "UPDATE users SET name = ?, email_reminders_enabled = ?, discoverable_by_name = ?, discoverable_by_email = ?, "
    "overdue_tasks_reminders_enabled = ?, overdue_tasks_reminders_time = ?, default_project_id = ?, week_start = ?, "
    "language = ?, timezone = ?, frontend_settings = ?, updated = ? WHERE id = ?";
constexpr std::string_view kUpdatePassword = "UPDATE users SET password = ?, updated = ? WHERE id = ?";
constexpr std::string_view kUpdateStatus = "UPDATE users SET status = ?, updated = ? WHERE id = ?";
constexpr std::string_view kUpdateIdentity =
    "UPDATE users SET username = ?, email = ?, is_admin = COALESCE(?, is_admin), updated = ? WHERE id = ?";
// Deleting a user removes what only they can reach; shared data cleanup grows with the sharing features.
constexpr std::string_view kDeleteUserRows[] = {
    "DELETE FROM sessions WHERE user_id = ?",
    "DELETE FROM api_tokens WHERE owner_id = ?",
    "DELETE FROM saved_filters WHERE owner_id = ?",
    "DELETE FROM task_assignees WHERE user_id = ?",
    "DELETE FROM users_projects WHERE user_id = ?",
    "DELETE FROM team_members WHERE user_id = ?",
    "DELETE FROM favorites WHERE user_id = ?",
    "DELETE FROM subscriptions WHERE user_id = ?",
    "DELETE FROM notifications WHERE notifiable_id = ?",
    "DELETE FROM user_tokens WHERE user_id = ?",
    "DELETE FROM totp WHERE user_id = ?",
    "DELETE FROM idempotency_keys WHERE user_id = ?",
    "DELETE FROM users WHERE id = ?",
};

// The terms of search_users. One term: its lowercase, `%term%` lowercase, true, the searcher twice, `%term%`
// lowercase again and the term as sent.
constexpr std::string_view kUsernameIs = "LOWER(username) = ?";
constexpr std::string_view kNameDiscoverable = "(LOWER(name) LIKE ? AND discoverable_by_name = ?)";
// Members of an external team the searcher is in are found by name or exact email without discoverability.
constexpr std::string_view kSharesExternalTeam =
    "(id IN (SELECT tm2.user_id FROM team_members tm1 JOIN team_members tm2 ON tm1.team_id = tm2.team_id "
    "JOIN teams t ON t.id = tm1.team_id WHERE tm1.user_id = ? AND t.external_id <> '' AND tm2.user_id <> ?) "
    "AND (LOWER(name) LIKE ? OR email = ?))";
constexpr std::string_view kNotSomeoneElsesBot = "(bot_owner_id IS NULL OR bot_owner_id = 0 OR bot_owner_id = ?)";
constexpr std::string_view kOwnBotMatches = "LOWER(username) LIKE ? OR LOWER(name) LIKE ?";
constexpr std::size_t kMaxSearchTerms = 100;

User from_row(const db::Row& r) {
    User u;
    u.id = r.get<std::int64_t>("id");
    u.username = r.get<std::string>("username");
    u.email = r.get<std::string>("email");
    u.password_hash = r.get<std::string>("password");
    u.status = static_cast<UserStatus>(r.get<int>("status"));
    u.is_admin = r.get<bool>("is_admin");
    u.issuer = r.get<std::string>("issuer");
    u.bot_owner_id = r.get<std::int64_t>("bot_owner_id");
    auto& s = u.settings;
    s.name = r.get<std::string>("name");
    s.email_reminders_enabled = r.get<bool>("email_reminders_enabled");
    s.discoverable_by_name = r.get<bool>("discoverable_by_name");
    s.discoverable_by_email = r.get<bool>("discoverable_by_email");
    s.overdue_tasks_reminders_enabled = r.get<bool>("overdue_tasks_reminders_enabled");
    s.overdue_tasks_reminders_time = r.get<std::string>("overdue_tasks_reminders_time");
    s.default_project_id = r.get<std::int64_t>("default_project_id");
    s.week_start = r.get<int>("week_start");
    s.language = r.get<std::string>("language");
    s.timezone = r.get<std::string>("timezone");
    s.frontend_settings = r.get<std::string>("frontend_settings");
    u.deletion_scheduled_at = r.get<std::optional<Timestamp>>("deletion_scheduled_at");
    u.created = r.get<Timestamp>("created");
    u.updated = r.get<Timestamp>("updated");
    return u;
}

asio::awaitable<std::optional<User>> find_one(db::Tx& tx, std::string_view where, db::Value arg) {
    std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users WHERE " + std::string(where);
    std::vector<db::Value> args{std::move(arg)};
    auto rows = co_await tx.run(sql, std::move(args));
    if (rows.empty()) co_return std::nullopt;
    co_return from_row(rows[0]);
}

constexpr std::string_view kPublicUserFields[] = {"id", "username", "name", "bot_owner_id", "created", "updated"};

bool looks_like_url(const std::string& s) {
    return s.find("://") != std::string::npos || s.rfind("www.", 0) == 0;
}

}  // namespace

void write_user(util::json::Writer& w, const User& u) {
    w.key("id").integer(u.id);
    w.key("name").string(u.settings.name);
    w.key("username").string(u.username);
    if (u.bot_owner_id) w.key("bot_owner_id").integer(u.bot_owner_id);
    w.key("created").time(u.created);
    w.key("updated").time(u.updated);
}

void write_user_with_settings(util::json::Writer& w, const User& u) {
    write_user(w, u);
    const auto& s = u.settings;
    w.key("settings").start_object();
    w.key("name").string(s.name);
    w.key("email_reminders_enabled").boolean(s.email_reminders_enabled);
    w.key("discoverable_by_name").boolean(s.discoverable_by_name);
    w.key("discoverable_by_email").boolean(s.discoverable_by_email);
    w.key("overdue_tasks_reminders_enabled").boolean(s.overdue_tasks_reminders_enabled);
    w.key("overdue_tasks_reminders_time").string(s.overdue_tasks_reminders_time);
    w.key("default_project_id").integer(s.default_project_id);
    w.key("week_start").integer(s.week_start);
    w.key("language").string(s.language);
    w.key("timezone").string(s.timezone);
    w.key("frontend_settings").raw(s.frontend_settings);
    w.key("extra_settings_links").null();
    w.end_object();
    w.key("deletion_scheduled_at").time(u.deletion_scheduled_at);
    // A link share's pseudo-user (negative id) is no account of any provider.
    bool link_share = u.id < 0;
    w.key("is_local_user").boolean(!link_share && u.is_local());
    w.key("auth_provider").string(link_share ? "" : u.is_local() ? "local" : u.issuer);
    w.key("is_admin").boolean(u.is_admin);
}

std::string public_user_columns(std::string_view alias, std::string_view prefix) {
    std::string sql;
    for (auto field : kPublicUserFields) {
        if (!sql.empty()) sql += ", ";
        sql += std::string(alias) + "." + std::string(field) + " AS " + std::string(prefix) + std::string(field);
    }
    return sql;
}

User public_user_from_row(const db::Row& row, std::string_view prefix) {
    auto column = [&](std::string_view field) { return std::string(prefix) + std::string(field); };
    User u;
    u.id = row.get<std::int64_t>(column("id"));
    u.username = row.get<std::string>(column("username"));
    u.settings.name = row.get<std::string>(column("name"));
    u.bot_owner_id = row.get<std::int64_t>(column("bot_owner_id"));
    u.created = row.get<Timestamp>(column("created"));
    u.updated = row.get<Timestamp>(column("updated"));
    return u;
}

asio::awaitable<std::map<std::int64_t, User>> load_public_users(db::Tx& tx, const std::vector<std::int64_t>& ids) {
    // Negative ids are link shares acting as users (what they created names them).
    std::vector<std::int64_t> user_ids, share_ids;
    for (auto id : ids) (id < 0 ? share_ids.push_back(-id) : user_ids.push_back(id));
    auto users = co_await load_link_share_users(tx, share_ids);
    if (user_ids.empty()) co_return users;
    std::string sql =
        "SELECT " + public_user_columns("users", "") + " FROM users WHERE id IN " + db::placeholders(user_ids.size());
    for (auto row : co_await tx.run(sql, std::vector<db::Value>(user_ids.begin(), user_ids.end()))) {
        auto u = public_user_from_row(row, "");
        users.emplace(u.id, std::move(u));
    }
    co_return users;
}

asio::awaitable<std::optional<User>> find_user_by_id(db::Tx& tx, std::int64_t id) {
    co_return co_await find_one(tx, "id = ?", id);
}

asio::awaitable<std::string> user_timezone(db::Tx& tx, std::int64_t user_id) {
    auto rows = co_await tx.query(kUserTimezone, user_id);
    co_return rows.empty() ? std::string() : rows[0].get<std::string>(0);
}

asio::awaitable<std::optional<User>> find_user_for_login(db::Tx& tx, const std::string& username_or_email) {
    if (auto u = co_await find_one(tx, "username = ?", username_or_email)) co_return u;
    if (username_or_email.find('@') == std::string::npos) co_return std::nullopt;
    co_return co_await find_one(tx, "email = ? AND (issuer = 'local' OR issuer IS NULL)", username_or_email);
}

asio::awaitable<std::vector<User>> list_users(db::Tx& tx, const std::string& email_filter) {
    std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users";
    std::vector<db::Value> args;
    if (!email_filter.empty()) {
        sql += " WHERE email = ?";
        args.emplace_back(email_filter);
    }
    sql += " ORDER BY id";
    std::vector<User> out;
    for (auto row : co_await tx.run(sql, std::move(args))) out.push_back(from_row(row));
    co_return out;
}

asio::awaitable<User> user_by_username(db::Tx& tx, const std::string& username, bool any_status) {
    if (username.empty()) throw api::Error(api::ErrorCode::UserDoesNotExist);
    auto user = co_await find_one(tx, "username = ?", username);
    if (!user) throw api::Error(api::ErrorCode::UserDoesNotExist);
    if (!any_status && user->status == UserStatus::Disabled) throw api::Error(api::ErrorCode::AccountDisabled);
    if (!any_status && user->status == UserStatus::Locked) throw api::Error(api::ErrorCode::AccountLocked);
    co_return std::move(*user);
}

asio::awaitable<std::vector<User>> search_users(db::Tx& tx, const std::string& search, std::int64_t searcher_id) {
    std::string text;
    for (char c : search) {
        if (c != '%') text += c;
    }
    std::vector<User> found;
    // Blank terms are dropped: as a name pattern "%%" would list every discoverable user (Vikunja does).
    std::vector<std::string> terms;
    for (std::size_t start = 0; start <= text.size();) {
        auto comma = std::min(text.find(',', start), text.size());
        auto term = text.substr(start, comma - start);
        bool blank = term.find_first_not_of(' ') == std::string::npos;
        if (!blank && std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
        start = comma + 1;
    }
    if (terms.empty()) co_return found;
    // Each term adds a few conditions; a bound keeps the statement within SQLite's expression depth.
    if (terms.size() > kMaxSearchTerms) {
        throw api::Error(api::ErrorCode::InvalidDataBadRequest, {},
                         {"s: at most " + std::to_string(kMaxSearchTerms) + " comma-separated terms"});
    }
    std::string matches;
    std::string own_bot_matches;
    std::vector<db::Value> args;
    std::vector<db::Value> own_bot_args;
    auto lowered = [](const std::string& s) {
        std::string out;
        for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
    };
    for (const auto& term : terms) {
        matches += std::string(matches.empty() ? "" : " OR ") + std::string(kUsernameIs) + " OR " +
                   std::string(kNameDiscoverable) + " OR " + std::string(kSharesExternalTeam);
        auto name_pattern = db::lowercase_like_pattern(term);
        args.insert(args.end(), {lowered(term), name_pattern, true, searcher_id, searcher_id, name_pattern, term});
        own_bot_matches += std::string(own_bot_matches.empty() ? "" : " OR ") + std::string(kOwnBotMatches);
        own_bot_args.insert(own_bot_args.end(), {name_pattern, name_pattern});
    }
    matches += " OR (email IN " + db::placeholders(terms.size()) + " AND discoverable_by_email = ?)";
    args.insert(args.end(), terms.begin(), terms.end());
    args.emplace_back(true);
    std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users WHERE ((" + matches + ") AND " +
                      std::string(kNotSomeoneElsesBot) + ") OR (bot_owner_id = ? AND (" + own_bot_matches +
                      ")) ORDER BY id";
    args.emplace_back(searcher_id);
    args.emplace_back(searcher_id);
    args.insert(args.end(), own_bot_args.begin(), own_bot_args.end());
    for (auto row : co_await tx.run(sql, std::move(args))) found.push_back(from_row(row));
    co_return found;
}

asio::awaitable<User> insert_user(db::Tx& tx, User u) {
    if (!(co_await tx.query(kUsernameTaken, u.username)).empty()) throw api::Error(api::ErrorCode::UsernameExists);
    if (!u.email.empty() && !(co_await tx.query(kEmailTaken, u.email)).empty()) {
        throw api::Error(api::ErrorCode::EmailExists);
    }
    u.created = u.updated = util::now();
    const auto& s = u.settings;
    try {
        auto rows = co_await tx.query(kInsertUser, u.username, u.email, u.password_hash, static_cast<int>(u.status),
                                      u.is_admin, u.issuer, s.name, s.email_reminders_enabled, s.discoverable_by_name,
                                      s.discoverable_by_email, s.overdue_tasks_reminders_enabled,
                                      s.overdue_tasks_reminders_time, s.default_project_id, s.week_start, s.language,
                                      s.timezone, u.created, u.updated);
        u.id = rows[0].get<std::int64_t>(0);
    } catch (const db::UniqueViolation&) {
        // Two registrations raced for the same name; the unique index decided.
        throw api::Error(api::ErrorCode::UsernameExists);
    }
    co_return u;
}

asio::awaitable<User> create_account(db::Tx& tx, User user) {
    user = co_await insert_user(tx, std::move(user));
    user.settings.default_project_id = co_await create_project_with_defaults(tx, user.id, "Inbox");
    co_await update_user_settings(tx, user.id, user.settings);
    co_await create_my_open_tasks_filter(tx, user.id, user.username);
    co_return user;
}

asio::awaitable<void> update_user_settings(db::Tx& tx, std::int64_t user_id, const UserSettings& s) {
    // Computed before the co_await: GCC 12 mis-destroys temporaries of conditional expressions there.
    db::Value frontend_settings = s.frontend_settings.empty() ? db::Value{} : db::Value{s.frontend_settings};
    co_await tx.exec(kUpdateSettings, s.name, s.email_reminders_enabled, s.discoverable_by_name, s.discoverable_by_email,
                     s.overdue_tasks_reminders_enabled, s.overdue_tasks_reminders_time, s.default_project_id,
                     s.week_start, s.language, s.timezone,
                     frontend_settings, util::now(), user_id);
}

asio::awaitable<void> update_user_password(db::Tx& tx, std::int64_t user_id, const std::string& hash) {
    co_await tx.exec(kUpdatePassword, hash, util::now(), user_id);
}

asio::awaitable<void> update_user_status(db::Tx& tx, std::int64_t user_id, UserStatus status) {
    co_await tx.exec(kUpdateStatus, static_cast<int>(status), util::now(), user_id);
}

asio::awaitable<void> update_user_identity(db::Tx& tx, std::int64_t user_id, const std::string& username,
                                           const std::string& email, std::optional<bool> is_admin) {
    try {
        co_await tx.exec(kUpdateIdentity, username, email, is_admin, util::now(), user_id);
    } catch (const db::UniqueViolation&) {
        throw api::Error(api::ErrorCode::UsernameExists);
    }
}

asio::awaitable<void> delete_user(db::Tx& tx, std::int64_t user_id) {
    co_await delete_user_webhooks(tx, user_id);
    for (auto sql : kDeleteUserRows) co_await tx.exec(sql, user_id);
}

void validate_new_username(const std::string& username) {
    // Vikunja's "username" validator: 3–250 characters, no whitespace, no comma, not URL-like; link-share-N is
    // how link shares appear, so no account may take such a name.
    bool whitespace = std::any_of(username.begin(), username.end(), [](unsigned char c) { return std::isspace(c); });
    if (username.size() < 3 || username.size() > 250 || whitespace || username.find(',') != std::string::npos ||
        looks_like_url(username) || username.rfind("link-share-", 0) == 0) {
        api::invalid_field("username", "username must be 3 to 250 characters without spaces or commas and not a URL");
    }
    // Bot accounts are made through /user/bots only.
    if (username.rfind("bot-", 0) == 0) throw api::Error(api::ErrorCode::UsernameReserved);
}

void validate_language(const std::string& language) {
    // The translations Vikunja ships (pkg/i18n/lang); the frontend retries with "en" on this error.
    static const std::set<std::string, std::less<>> kLanguages = {
        "ar-SA", "bg-BG", "ca-ES", "cs-CZ", "da-DK", "de-DE", "de-swiss", "el-GR", "en", "eo-UY", "es-ES",
        "fa-IR", "fi-FI", "fr-FR", "he-IL", "hr-HR", "hu-HU", "it-IT", "ja-JP", "ko-KR", "lt-LT", "nl-NL",
        "no-NO", "pl-PL", "pt-BR", "pt-PT", "ro-RO", "ru-RU", "sk-SK", "sl-SI", "sr-CS", "sv-SE", "th-TH",
        "tr-TR", "uk-UA", "vi-VN", "zh-CN", "zh-TW"};
    if (!language.empty() && !kLanguages.count(language)) {
        api::invalid_field("language", "language is not one of the available translations");
    }
}

void validate_password(const std::string& password, const char* field) {
    if (password.size() < 8 || password.size() > 72) {
        api::invalid_field(field, "password must be between 8 and 72 bytes");
    }
}

}  // namespace vicugna::models
