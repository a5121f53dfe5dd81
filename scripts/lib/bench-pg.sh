# shellcheck shell=bash
# PostgreSQL helpers for scripts/bench-api: a private cluster with
# pg_stat_statements preloaded, and statement counting. Source it after
# lib/common.sh; it needs log, die, warn, as_postgres.
#
# Why a private cluster: pg_stat_statements needs shared_preload_libraries,
# i.e. a server restart, which a shared server (tests of other sessions run
# on it) cannot take. A private cluster also keeps other databases' traffic
# out of the bench's PostgreSQL CPU and statement counts.

# free_port: a TCP port on 127.0.0.1 nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    # Nothing listening there: the connection attempt fails.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# proc_table: "pid ppid ticks child_ticks" for every process (ticks: user +
# system CPU; child_ticks: that of its reaped children). cat goes on past a
# process that exits meanwhile; the command name, which may hold spaces, is
# cut off first.
proc_table() {
  # cat fails when a process exits between the glob and the read.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk '{ pid = $1; sub(/^.*\) /, ""); print pid, $2, $12 + $13, $14 + $15 }'
}

# tree_ticks PID: CPU ticks of PID and all its descendants (and of children
# they reaped): a server with worker processes counts whole.
tree_ticks() {
  [ -n "$1" ] || {
    echo 0
    return 0
  }
  proc_table | awk -v root="$1" '
    { parent[$1] = $2; t[$1] = $3; c[$1] = $4 }
    END {
      for (p in parent) {
        q = p; n = 0
        while (q != "" && q != root && n++ < 64) q = parent[q]
        if (q == root) s += t[p] + c[p]
      }
      print s + 0
    }'
}

# pg_tool CMD...: run a PostgreSQL server binary; initdb and postgres refuse
# to run as root, so as root they run as the postgres system user.
pg_tool() {
  if [ "$(id -u)" -eq 0 ]; then
    as_postgres "$@"
  else
    "$@"
  fi
}

PRIVATE_PG_DIR=""
PRIVATE_PG_BIN=""
# start_private_pg: initdb + pg_ctl start on a free port with
# pg_stat_statements preloaded; sets PG_URL. The settings that matter for
# these queries are those of the machine's shared server as installed
# (Debian's defaults: shared_buffers 128 MB, work_mem 4 MB, fsync and
# synchronous_commit on), so numbers stay comparable with earlier runs;
# max_connections is raised for c32 runs of three systems side by side.
start_private_pg() {
  local bindir port
  bindir="${BENCH_PG_BINDIR:-}"
  if [ -z "$bindir" ]; then
    bindir="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  fi
  if [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
    die "no initdb/pg_ctl (set BENCH_PG_BINDIR, or BENCH_PG_URL to a server with pg_stat_statements preloaded)"
  fi
  [ -f "$(dirname "$bindir")/lib/pg_stat_statements.so" ] ||
    die "pg_stat_statements is not installed for $bindir (Debian: the postgresql-NN package ships it)"
  PRIVATE_PG_BIN="$bindir"
  PRIVATE_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/englog-bench-pg.XXXXXX")"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$PRIVATE_PG_DIR"
  chmod 700 "$PRIVATE_PG_DIR"
  port="$(free_port)"
  log "Starting a private PostgreSQL ($bindir) on 127.0.0.1:$port with pg_stat_statements"
  pg_tool "$bindir/initdb" -D "$PRIVATE_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$PRIVATE_PG_DIR/initdb.log" 2>&1 || {
    cat "$PRIVATE_PG_DIR/initdb.log" >&2
    die "initdb failed"
  }
  pg_tool "$bindir/pg_ctl" -D "$PRIVATE_PG_DIR/data" -l "$PRIVATE_PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PRIVATE_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 \
-c shared_buffers=128MB -c work_mem=4MB -c shared_preload_libraries=pg_stat_statements \
-c pg_stat_statements.track=top -c pg_stat_statements.track_utility=on" start >/dev/null || {
    cat "$PRIVATE_PG_DIR/server.log" >&2
    die "the private PostgreSQL did not start"
  }
  PG_URL="postgres://postgres@127.0.0.1:$port"
  psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qAt -c 'CREATE EXTENSION pg_stat_statements' >/dev/null
}

# stop_private_pg: stops and deletes the private cluster (if one was started).
stop_private_pg() {
  [ -n "$PRIVATE_PG_DIR" ] || return 0
  pg_tool "$PRIVATE_PG_BIN/pg_ctl" -D "$PRIVATE_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 ||
    warn "could not stop the private PostgreSQL in $PRIVATE_PG_DIR"
  rm -rf "$PRIVATE_PG_DIR"
  PRIVATE_PG_DIR=""
}

# have_pg_stat_statements: the server at PG_URL can count statements.
have_pg_stat_statements() {
  [ "$(psql "$PG_URL/postgres" -qAt -c "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'" 2>/dev/null)" = 1 ] &&
    psql "$PG_URL/postgres" -qAt -c 'SELECT 1 FROM pg_stat_statements LIMIT 1' >/dev/null 2>&1
}

# stmts_reset: zero the statement counters (all databases).
stmts_reset() {
  [ "${COUNT_STATEMENTS:-0}" = 1 ] || return 0
  psql "$PG_URL/postgres" -qAt -c 'SELECT pg_stat_statements_reset()' >/dev/null
}

# stmts_read DB USERS FILE: "total transaction_control" statement
# executions in DB by the roles in USERS (comma-separated) since the last
# reset (transaction control: BEGIN, COMMIT, ROLLBACK, SET and the like,
# counted among the statements because each is a round trip), and the
# statements themselves, most called first, in FILE.
stmts_read() {
  local db="$1" users="$2" file="$3"
  [ "${COUNT_STATEMENTS:-0}" = 1 ] || {
    : >"$file"
    echo "nan nan"
    return 0
  }
  psql "$PG_URL/postgres" -qAt -F $'\t' -v db="$db" -v users="$users" >"$file" <<'SQL'
SELECT s.calls, regexp_replace(s.query, '\s+', ' ', 'g')
FROM pg_stat_statements s
JOIN pg_database d ON d.oid = s.dbid
JOIN pg_roles r ON r.oid = s.userid
WHERE d.datname = :'db' AND r.rolname = ANY (string_to_array(:'users', ','))
ORDER BY s.calls DESC, s.query;
SQL
  awk -F'\t' '{ n += $1; if ($2 ~ /^ *(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SET|RESET|DISCARD|DEALLOCATE)/) t += $1 }
    END { print n + 0, t + 0 }' "$file"
}
