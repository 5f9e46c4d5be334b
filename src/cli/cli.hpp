// SPDX-License-Identifier: AGPL-3.0-or-later
/// The command line: a table of subcommands (serve/web, migrate, version, user …), each in its own file.
#pragma once
#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace vicugna::cli {

/// Parses argv, runs the subcommand and returns the process exit code (0 ok, 1 failure, 2 usage).
int run(int argc, char** argv);

// Each registers its subcommand on `app`; `config_file` points at the global --config value.
/// Returns the serve action, also run when no subcommand is given.
std::function<void()> add_serve(CLI::App& app, const std::string& config_file, int& exit_code);
void add_migrate(CLI::App& app, const std::string& config_file, int& exit_code);
void add_user(CLI::App& app, const std::string& config_file, int& exit_code);

}  // namespace vicugna::cli
