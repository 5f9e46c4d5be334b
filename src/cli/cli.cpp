// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace vicugna::cli {

int run(int argc, char** argv) {
    CLI::App app{"Vicugna: a task and project manager speaking Vikunja's REST API v1", "vicugna"};
    app.require_subcommand(0, 1);
    std::string config_file;
    app.add_option("--config", config_file, "Path to a config.yml (default: searched like Vikunja)");
    int exit_code = 0;

    auto serve = add_serve(app, config_file, exit_code);
    add_migrate(app, config_file, exit_code);
    add_user(app, config_file, exit_code);
    app.add_subcommand("version", "Print the version")->callback([] { std::cout << "v" VICUGNA_VERSION << "\n"; });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    // Like Vikunja, no subcommand means "serve".
    if (app.get_subcommands().empty()) serve();
    return exit_code;
}

}  // namespace vicugna::cli
