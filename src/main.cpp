// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/cli.hpp"

int main(int argc, char** argv) { return vicugna::cli::run(argc, argv); }
