// SPDX-License-Identifier: AGPL-3.0-or-later
// `vicugna migrate` (apply pending migrations) and `migrate list`, as Vikunja's CLI.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/app.hpp"
#include "cli/cli.hpp"
#include "db/migrate.hpp"

namespace vicugna::cli {

void add_migrate(CLI::App& app, const std::string& config_file, int& exit_code) {
    auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations");
    auto* list = migrate->add_subcommand("list", "List every migration and whether it is applied");
    migrate->callback([&, migrate, list] {
        try {
            auto config = config::load(config_file);
            db::SyncDatabase sync(app::database_options(config));
            if (list->parsed()) {
                sync.run([&]() -> boost::asio::awaitable<void> {
                    for (const auto& m : co_await db::list_migrations(sync.db())) {
                        std::cout << (m.applied ? "applied  " : "pending  ") << m.id << "\n";
                    }
                });
                return;
            }
            sync.run([&]() -> boost::asio::awaitable<void> {
                auto applied = co_await db::apply_migrations(sync.db());
                for (const auto& id : applied) std::cout << "applied " << id << "\n";
                if (applied.empty()) std::cout << "the database is up to date\n";
            });
        } catch (const std::exception& e) {
            std::cerr << "migrate: " << e.what() << "\n";
            exit_code = 1;
        }
    });
}

}  // namespace vicugna::cli
