# shellcheck shell=bash
# PostGraphile 4 for scripts/bench-api (issue 18): installed from the npm
# registry at the version pinned by tools/postgraphile/package-lock.json,
# started over the bench database, authenticated with its own JWTs.
# Source it after lib/common.sh and lib/bench-pg.sh.

PGL_DIR="$ENGLOG_ROOT/tools/postgraphile"
PGL_PID=""
PGL_URL=""
PGL_SECRET=""
PGL_ROLE="${BENCH_PGL_ROLE:-englog_bench_pgl}"

# install_postgraphile: npm ci (exact versions from the lock file). Skipped
# when node_modules already matches the lock (npm writes its own copy of the
# lock there), so repeated runs do not reach the registry.
install_postgraphile() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  if ! cmp -s "$PGL_DIR/package-lock.json" "$PGL_DIR/node_modules/.package-lock.json.src" 2>/dev/null ||
    [ ! -x "$PGL_DIR/node_modules/.bin/postgraphile" ]; then
    log "npm ci --prefix tools/postgraphile (PostGraphile $(jq -r '.packages["node_modules/postgraphile"].version' "$PGL_DIR/package-lock.json"))"
    npm ci --prefix "$PGL_DIR" --no-audit --no-fund >&2
    cp "$PGL_DIR/package-lock.json" "$PGL_DIR/node_modules/.package-lock.json.src"
  fi
}

# b64url: base64url without padding, of stdin.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# pgl_token USER_ID: an HS256 JWT PostGraphile accepts: its default audience,
# the role its requests run as, and the user id its row policies read.
pgl_token() {
  local header payload sig
  header="$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)"
  payload="$(jq -cn --arg role "$PGL_ROLE" --arg uid "$1" --argjson exp "$(($(date +%s) + 86400))" \
    '{aud: "postgraphile", role: $role, user_id: $uid, exp: $exp}' | tr -d '\n' | b64url)"
  sig="$(printf '%s' "$header.$payload" | openssl dgst -sha256 -hmac "$PGL_SECRET" -binary | b64url)"
  echo "$header.$payload.$sig"
}

# start_postgraphile DB_URL WORKERS POOL: serves the schemas public (EngLog's
# tables, behind row-level security) and pgl (the create function) on a free
# port; sets PGL_PID and PGL_URL. Query logging is off, as PostGraphile
# recommends for production; --no-ignore-rbac keeps the schema to what the
# role may touch.
start_postgraphile() {
  local db_url="$1" workers="$2" pool="$3" port cluster=()
  PGL_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
  port="$(free_port)"
  PGL_URL="http://127.0.0.1:$port"
  [ "$workers" -le 1 ] || cluster=(--cluster-workers "$workers")
  log "Starting PostGraphile on 127.0.0.1:$port (workers: $workers, pool: $pool per worker)"
  (
    cd "$WORK" || exit 1
    exec env NODE_ENV=production "$PGL_DIR/node_modules/.bin/postgraphile" \
      -c "$db_url" -s public,pgl -n 127.0.0.1 -p "$port" -e "$PGL_SECRET" -m "$pool" \
      --no-ignore-rbac --disable-query-log "${cluster[@]}"
  ) >"$WORK/postgraphile.log" 2>&1 &
  PGL_PID=$!
  wait_until 90 "PostGraphile on $PGL_URL" postgraphile_up
}

# postgraphile_up: PostGraphile answers a query (dies if it exited).
postgraphile_up() {
  kill -0 "$PGL_PID" 2>/dev/null ||
    die "PostGraphile exited during start-up: $(tail -n 20 "$WORK/postgraphile.log")"
  curl -fsS -H 'Content-Type: application/json' --data '{"query":"{ __typename }"}' "$PGL_URL/graphql" |
    grep -q Query
}

# children_of PID: the ids of PID's child processes.
children_of() { proc_table | awk -v p="$1" '$2 == p { print $1 }'; }

stop_postgraphile() {
  [ -n "$PGL_PID" ] || return 0
  local kids
  # Cluster workers too, should the master not take them down with it.
  kids="$(children_of "$PGL_PID")"
  kill "$PGL_PID" 2>/dev/null || true
  # shellcheck disable=SC2086
  [ -z "$kids" ] || kill $kids 2>/dev/null || true
  wait "$PGL_PID" 2>/dev/null || true
  PGL_PID=""
}
