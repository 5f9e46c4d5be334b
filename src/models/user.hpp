// SPDX-License-Identifier: AGPL-3.0-or-later
/// Users (table `users`): lookup, creation with Vikunja's defaults, settings, and their JSON shapes.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "util/json.hpp"
#include "util/time.hpp"

namespace vicugna::models {

namespace asio = boost::asio;
using util::Timestamp;

enum class UserStatus { Active = 0, EmailConfirmationRequired = 1, Disabled = 2, Locked = 3 };

struct UserSettings {
    std::string name;
    bool email_reminders_enabled = false;
    bool discoverable_by_name = false;
    bool discoverable_by_email = false;
    bool overdue_tasks_reminders_enabled = true;
    std::string overdue_tasks_reminders_time = "09:00";
    std::int64_t default_project_id = 0;
    int week_start = 0;
    std::string language;
    std::string timezone;
    std::string frontend_settings;  ///< opaque JSON text, stored verbatim ("" = null)
};

struct User {
    std::int64_t id = 0;
    std::string username;
    std::string email;
    std::string password_hash;
    UserStatus status = UserStatus::Active;
    bool is_admin = false;
    std::string issuer = "local";
    std::int64_t bot_owner_id = 0;
    UserSettings settings;
    std::optional<Timestamp> deletion_scheduled_at;
    Timestamp created{};
    Timestamp updated{};

    bool is_local() const { return issuer.empty() || issuer == "local"; }
};

/// The public user shape (id, name, username, created, updated); emails are never shown to others.
void write_user(util::json::Writer& w, const User& u);
/// `GET /user`: the public shape plus settings, is_local_user, auth_provider, is_admin, deletion_scheduled_at.
void write_user_with_settings(util::json::Writer& w, const User& u);

asio::awaitable<std::optional<User>> find_user_by_id(db::Tx& tx, std::int64_t id);
/// The user's time zone setting ("" when unset, or for no user).
asio::awaitable<std::string> user_timezone(db::Tx& tx, std::int64_t user_id);

/// SQL select-list of the public user fields of table alias `alias`, each named `<prefix><column>`, for joining
/// users into another query (one round trip for a page of objects with their users).
std::string public_user_columns(std::string_view alias, std::string_view prefix);
/// Reads the columns written by public_user_columns with the same prefix (all NULL → a zero User).
User public_user_from_row(const db::Row& row, std::string_view prefix);
/// Public users by id (unknown ids are absent from the map).
asio::awaitable<std::map<std::int64_t, User>> load_public_users(db::Tx& tx, const std::vector<std::int64_t>& ids);
/// Exact username, or the email address when no user has that username (Vikunja's login lookup).
asio::awaitable<std::optional<User>> find_user_for_login(db::Tx& tx, const std::string& username_or_email);
asio::awaitable<std::vector<User>> list_users(db::Tx& tx, const std::string& email_filter);
/// The user with exactly this username (Vikunja's GetUserByUsername): "" or unknown → UserDoesNotExist (1005);
/// a disabled or locked account → AccountDisabled (1020) / AccountLocked (1026) unless `any_status`.
asio::awaitable<User> user_by_username(db::Tx& tx, const std::string& username, bool any_status = false);
/// `GET /users?s=` (Vikunja's ListUsers): each comma-separated term matches a username exactly (ignoring case),
/// the name of a user who is discoverable by name or who shares an external (OIDC/LDAP) team with the searcher,
/// or the exact email of a user who is discoverable by email (or shares an external team). Other people's bots
/// never match; the searcher's own bots match by username or name. '%' is dropped; blank and repeated terms are
/// dropped (a blank search finds no one); more than 100 terms is 400 2002.
asio::awaitable<std::vector<User>> search_users(db::Tx& tx, const std::string& search, std::int64_t searcher_id);

/// Inserts the user and returns it with id and timestamps. Throws UsernameExists / EmailExists.
asio::awaitable<User> insert_user(db::Tx& tx, User user);
/// A new account as Vikunja makes one: the user, an "Inbox" project as default project and the
/// "My Open Tasks" saved filter. Throws like insert_user.
asio::awaitable<User> create_account(db::Tx& tx, User user);
asio::awaitable<void> update_user_settings(db::Tx& tx, std::int64_t user_id, const UserSettings& s);
asio::awaitable<void> update_user_password(db::Tx& tx, std::int64_t user_id, const std::string& hash);
asio::awaitable<void> update_user_status(db::Tx& tx, std::int64_t user_id, UserStatus status);
asio::awaitable<void> update_user_identity(db::Tx& tx, std::int64_t user_id, const std::string& username,
                                           const std::string& email, std::optional<bool> is_admin);
/// Deletes the user, their sessions, tokens and owned projects' rows that would otherwise be orphaned.
asio::awaitable<void> delete_user(db::Tx& tx, std::int64_t user_id);

/// Username rules of Vikunja's registration (throws the matching api::Error).
void validate_new_username(const std::string& username);
/// Empty, or one of the translations Vikunja ships (412/2002 naming `language`).
void validate_language(const std::string& language);
/// 8–72 bytes: bcrypt silently ignores bytes past 72 (throws 412/2002 naming `field`).
void validate_password(const std::string& password, const char* field = "password");

}  // namespace vicugna::models
