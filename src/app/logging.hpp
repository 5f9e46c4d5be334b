// SPDX-License-Identifier: AGPL-3.0-or-later
/// Process-wide logging set-up from log.* keys: level, text or JSON lines, stdout/stderr/off.
#pragma once
#include "config/config.hpp"

namespace vicugna::app {

void setup_logging(const config::Config& config);

}  // namespace vicugna::app
