// SPDX-License-Identifier: AGPL-3.0-or-later
// `vicugna user …`: account administration from the shell, with Vikunja's subcommands and flags.
#include <CLI/CLI.hpp>

#include <iostream>

#include "api/errors.hpp"
#include "api/v1/handlers.hpp"
#include "app/app.hpp"
#include "auth/password.hpp"
#include "cli/cli.hpp"
#include "db/migrate.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace vicugna::cli {
namespace {

namespace asio = boost::asio;

std::string prompt(const std::string& question) {
    std::cout << question << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer;
}

/// Opens the configured database (migrated), runs `fn` in one write transaction, maps errors to exit code 1.
void with_database(const std::string& config_file, int& exit_code,
                   const std::function<asio::awaitable<void>(db::Tx&, const config::Config&)>& fn) {
    try {
        auto config = config::load(config_file);
        db::SyncDatabase sync(app::database_options(config));
        sync.run([&]() -> asio::awaitable<void> { co_await db::apply_migrations(sync.db()); });
        sync.transact(db::TxMode::Write, [&](db::Tx& tx) { return fn(tx, config); });
    } catch (const api::Error& e) {
        std::cerr << "error: " << e.what();
        for (const auto& f : e.invalid_fields()) std::cerr << " (" << f << ")";
        std::cerr << "\n";
        exit_code = 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        exit_code = 1;
    }
}

asio::awaitable<models::User> existing_user(db::Tx& tx, std::int64_t id) {
    auto user = co_await models::find_user_by_id(tx, id);
    if (!user) throw api::Error(api::ErrorCode::UserDoesNotExist);
    co_return *user;
}

const char* status_name(models::UserStatus s) {
    switch (s) {
        case models::UserStatus::Active: return "active";
        case models::UserStatus::EmailConfirmationRequired: return "email confirmation required";
        case models::UserStatus::Disabled: return "disabled";
        case models::UserStatus::Locked: return "locked";
    }
    return "unknown";
}

}  // namespace

/// Flag values of every `user` subcommand; CLI11 writes into them while parsing.
struct UserFlags {
    std::string list_email;
    std::string c_username, c_email, c_password, c_avatar;
    std::int64_t up_id = 0;
    std::string up_username, up_email;
    std::optional<bool> up_admin;
    std::int64_t rp_id = 0;
    bool rp_direct = false;
    std::string rp_password;
    std::int64_t st_id = 0;
    bool st_disable = false, st_enable = false;
    std::int64_t del_id = 0;
    bool del_now = false, del_confirm = false;
};

void add_user(CLI::App& app, const std::string& config_file, int& exit_code) {
    // Owned by the callbacks below, which live as long as `app`; the options write into it while parsing.
    auto flags = std::make_shared<UserFlags>();
    auto& bound = *flags;
    auto* user = app.add_subcommand("user", "Manage users");
    user->require_subcommand(1);

    auto* list = user->add_subcommand("list", "List users");
    list->add_option("-e,--email", bound.list_email, "Only the user with this email");
    list->callback([&, flags] {
        auto& f = *flags;
        with_database(config_file, exit_code, [&f](db::Tx& tx, const config::Config&) -> asio::awaitable<void> {
            std::printf("%-6s %-30s %-36s %-10s %s\n", "ID", "Username", "Email", "Status", "Created");
            for (const auto& u : co_await models::list_users(tx, f.list_email)) {
                std::printf("%-6lld %-30s %-36s %-10s %s\n", static_cast<long long>(u.id), u.username.c_str(),
                            u.email.c_str(), status_name(u.status), util::to_rfc3339(u.created).c_str());
            }
        });
    });

    auto* create = user->add_subcommand("create", "Create a user (with an Inbox project)");
    create->add_option("-u,--username", bound.c_username, "Username")->required();
    create->add_option("-e,--email", bound.c_email, "Email address")->required();
    create->add_option("-p,--password", bound.c_password, "Password (asked for when omitted)");
    create->add_option("-a,--avatar-provider", bound.c_avatar, "Avatar provider");
    create->callback([&, flags] {
        auto& f = *flags;
        if (f.c_password.empty()) f.c_password = prompt("Password: ");
        with_database(config_file, exit_code, [&f](db::Tx& tx, const config::Config& c) -> asio::awaitable<void> {
            models::validate_new_username(f.c_username);
            models::validate_password(f.c_password);
            models::User u;
            u.username = f.c_username;
            u.email = f.c_email;
            u.password_hash = auth::PasswordHasher(static_cast<int>(c.service_bcryptrounds), 1, 1).hash_now(f.c_password);
            u.settings = api::v1::default_user_settings(c);
            u = co_await models::create_account(tx, std::move(u));
            std::cout << "Created user " << u.username << " with id " << u.id << "\n";
        });
    });

    auto* update = user->add_subcommand("update", "Change a user's username, email or admin flag");
    update->add_option("id", bound.up_id, "User id")->required();
    update->add_option("-u,--username", bound.up_username, "New username");
    update->add_option("-e,--email", bound.up_email, "New email");
    update->add_flag("--admin,!--no-admin", bound.up_admin, "Make the user an instance admin (or not)");
    update->callback([&, flags] {
        auto& f = *flags;
        with_database(config_file, exit_code, [&f](db::Tx& tx, const config::Config&) -> asio::awaitable<void> {
            auto u = co_await existing_user(tx, f.up_id);
            if (!f.up_username.empty()) models::validate_new_username(f.up_username);
            std::string username = f.up_username.empty() ? u.username : f.up_username;
            std::string email = f.up_email.empty() ? u.email : f.up_email;
            co_await models::update_user_identity(tx, u.id, username, email, f.up_admin);
            std::cout << "Updated user " << u.id << "\n";
        });
    });

    auto* reset = user->add_subcommand("reset-password", "Set a new password (needs --direct: there is no mailer)");
    reset->add_option("id", bound.rp_id, "User id")->required();
    reset->add_flag("-d,--direct", bound.rp_direct, "Set the password directly instead of mailing a reset link");
    reset->add_option("-p,--password", bound.rp_password, "The new password (with --direct)");
    reset->callback([&, flags] {
        auto& f = *flags;
        if (!f.rp_direct) {
            std::cerr << "error: the mailer is not enabled; use --direct --password <new password>\n";
            exit_code = 1;
            return;
        }
        if (f.rp_password.empty()) f.rp_password = prompt("New password: ");
        with_database(config_file, exit_code, [&f](db::Tx& tx, const config::Config& c) -> asio::awaitable<void> {
            auto u = co_await existing_user(tx, f.rp_id);
            models::validate_password(f.rp_password);
            auto hash = auth::PasswordHasher(static_cast<int>(c.service_bcryptrounds), 1, 1).hash_now(f.rp_password);
            co_await models::update_user_password(tx, u.id, hash);
            co_await models::delete_user_sessions(tx, u.id);
            std::cout << "Password of user " << u.id << " changed\n";
        });
    });

    auto* status = user->add_subcommand("change-status", "Enable or disable a user");
    status->add_option("id", bound.st_id, "User id")->required();
    auto* d = status->add_flag("-d,--disable", bound.st_disable, "Disable the user");
    auto* e = status->add_flag("-e,--enable", bound.st_enable, "Enable the user");
    d->excludes(e);
    status->callback([&, flags] {
        auto& f = *flags;
        if (!f.st_disable && !f.st_enable) {
            std::cerr << "error: give --disable or --enable\n";
            exit_code = 2;
            return;
        }
        with_database(config_file, exit_code, [&f](db::Tx& tx, const config::Config&) -> asio::awaitable<void> {
            auto u = co_await existing_user(tx, f.st_id);
            co_await models::update_user_status(tx, u.id, f.st_disable ? models::UserStatus::Disabled
                                                                     : models::UserStatus::Active);
            // A disabled user's sessions end now, not when their tokens expire.
            if (f.st_disable) co_await models::delete_user_sessions(tx, u.id);
            std::cout << "User " << u.id << (f.st_disable ? " disabled\n" : " enabled\n");
        });
    });

    auto* del = user->add_subcommand("delete", "Delete a user and their data");
    del->add_option("id", bound.del_id, "User id")->required();
    del->add_flag("-n,--now", bound.del_now, "Delete now (Vikunja's flag; deletion is always immediate here)");
    del->add_flag("-c,--confirm", bound.del_confirm, "Do not ask for confirmation");
    del->callback([&, flags] {
        auto& f = *flags;
        if (!f.del_confirm && prompt("Delete user " + std::to_string(f.del_id) + " and all their data? [y/N] ") != "y") {
            std::cerr << "aborted\n";
            exit_code = 1;
            return;
        }
        with_database(config_file, exit_code, [&f](db::Tx& tx, const config::Config&) -> asio::awaitable<void> {
            auto u = co_await existing_user(tx, f.del_id);
            co_await models::delete_user(tx, u.id);
            std::cout << "Deleted user " << u.id << "\n";
        });
    });
}

}  // namespace vicugna::cli
