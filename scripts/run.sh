#!/usr/bin/env bash
# The run command (README): install dependencies, build the release preset, start the server.
# Arguments go to `vicugna serve`. It runs from the repository root, so the default SQLite
# database (./vikunja.db) and files (./files) land there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "==> installing dependencies"
bash scripts/install-deps.sh
echo "==> building (preset release)"
cmake --preset release
cmake --build --preset release
echo "==> starting vicugna serve"
exec build/release/src/vicugna serve "$@"
