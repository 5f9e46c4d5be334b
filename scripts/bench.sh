#!/usr/bin/env bash
# The benchmark command: install dependencies, build the release preset (server and bench/ tools), start a
# throwaway PostgreSQL and Redis, run bench/run.py against both engines, tear them down. Arguments go to
# bench/run.py (e.g. --engines sqlite, --sweep '' for a quicker run). The report lands in bench/results/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/services.sh

echo "==> installing dependencies"
bash scripts/install-deps.sh
echo "==> building (preset release)"
cmake --preset release
cmake --build --preset release
trap services_stop EXIT
echo "==> starting PostgreSQL 15 and Redis"
pg_start
redis_start
echo "==> running bench/run.py"
python3 bench/run.py --binary build/release/src/vicugna --bin-dir build/release/bench \
  --pg-dsn "postgres://postgres@127.0.0.1:$PG_PORT/postgres" --redis-url "redis://127.0.0.1:$REDIS_PORT" "$@"
