#!/usr/bin/env bash
# The test command (README) and what CI runs: build the ci preset, start a throwaway PostgreSQL
# and Redis, run every ctest test (unit tests and both API suites) against them, tear them down.
# Exits with ctest's status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/services.sh

step() { printf '==> %s\n' "$*"; }

step "installing dependencies"
bash scripts/install-deps.sh

step "checking migration numbers"
# A number belongs to one migration; only its .sqlite.sql/.postgres.sql variants may share it (design C.5).
dups=$(find migrations -maxdepth 1 -name '*.sql' -printf '%f\n' | sed -E 's/(\.(sqlite|postgres))?\.sql$//' | sort -u | cut -d_ -f1 | uniq -d)
if [[ -n $dups ]]; then
  echo "migrations: number used by more than one migration: $dups" >&2
  exit 1
fi

step "building (preset ci)"
cmake --preset ci
cmake --build --preset ci

# Set before starting anything, so a half-started pair is cleaned up too.
trap services_stop EXIT
step "starting PostgreSQL 15 and Redis"
pg_start
redis_start
export VICUGNA_TEST_PG_DSN="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export VICUGNA_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
echo "    PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"

step "running ctest"
status=0
ctest --preset ci --output-on-failure || status=$?

step "stopping PostgreSQL and Redis"
exit "$status"
