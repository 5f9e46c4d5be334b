# shellcheck shell=bash
# Throwaway PostgreSQL 15 and Redis servers for the test suites; sourced by scripts/test.sh.
#
#   pg_start       initdb + start on a free loopback port; sets PG_PORT (superuser "postgres", trust auth)
#   redis_start    start on a free loopback port; sets REDIS_PORT (no persistence)
#   services_stop  stop whatever was started and delete its temp dir; safe at any point (the EXIT trap)
#
# Each server lives in its own mktemp dir (data, socket, log) so nothing touches the system clusters.

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR=""
PG_PORT=""
REDIS_DIR=""
REDIS_PORT=""
REDIS_PID=""

# Lets the kernel pick a free port; the short race until the server binds it is acceptable here.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# initdb and postgres refuse to run as root, so as root they run as the postgres user
# (from / because the caller's directory may be closed to that user); otherwise as ourselves.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# wait_for <what> <pid> <command…>: retries the command for up to 30 s; gives up at once if <pid> exits.
wait_for() {
  local what=$1 pid=$2 _
  shift 2
  for _ in $(seq 300); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "services: $what did not start" >&2
  return 1
}

pg_start() {
  # Under /tmp rather than $TMPDIR: the postgres user must reach it, and the socket path must stay short.
  PG_DIR=$(mktemp -d /tmp/vicugna-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$PG_DIR"; fi
  PG_PORT=$(free_port)
  # -U postgres: the superuser is "postgres" whoever runs this, so the DSN is the same for everyone.
  if ! as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --no-locale -E UTF8 --no-sync \
      >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2
    return 1
  fi
  # Durability off (as Vikunja's CI does): the data is thrown away, and tests run much faster.
  local opts="-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR"
  opts+=" -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300"
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -o "$opts" -w -t 30 start >/dev/null; then
    cat "$PG_DIR/postgres.log" >&2
    return 1
  fi
  wait_for "PostgreSQL on port $PG_PORT" "$(head -1 "$PG_DIR/data/postmaster.pid")" \
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres
}

pg_stop() {
  [[ -n $PG_DIR ]] || return 0
  if [[ -f $PG_DIR/data/postmaster.pid ]]; then
    # Immediate mode: nothing in this cluster is worth a checkpoint.
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}

redis_ping() {
  [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

redis_start() {
  REDIS_DIR=$(mktemp -d /tmp/vicugna-redis.XXXXXX)
  REDIS_PORT=$(free_port)
  # A background job rather than --daemonize: its pid is ours, so an early exit (port taken) shows at once.
  # No RDB snapshots, no AOF: a test cache that vanishes with the process.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$REDIS_DIR" \
    >"$REDIS_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  if ! wait_for "Redis on port $REDIS_PORT" "$REDIS_PID" redis_ping; then
    cat "$REDIS_DIR/redis.log" >&2
    return 1
  fi
}

redis_stop() {
  [[ -n $REDIS_DIR ]] || return 0
  if [[ -n $REDIS_PID ]]; then
    # SIGTERM makes Redis exit at once (nothing to save); wait so its port is free when we return.
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$REDIS_DIR"
  REDIS_DIR=""
  REDIS_PID=""
}

services_stop() {
  redis_stop
  pg_stop
}
