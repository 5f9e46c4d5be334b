// SPDX-License-Identifier: AGPL-3.0-or-later
// `vicugna serve` (alias `web`, Vikunja's name): start the HTTP server.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "cli/cli.hpp"

namespace vicugna::cli {

std::function<void()> add_serve(CLI::App& app, const std::string& config_file, int& exit_code) {
    auto* serve = app.add_subcommand("serve", "Start the server (runs pending migrations first)");
    serve->alias("web");
    auto action = [&] {
        config::Config config;
        try {
            config = config::load(config_file);
        } catch (const config::ConfigError& e) {
            std::cerr << e.what() << "\n";
            exit_code = 1;
            return;
        }
        app::setup_logging(config);
        exit_code = app::serve(config);
    };
    serve->callback(action);
    return action;
}

}  // namespace vicugna::cli
