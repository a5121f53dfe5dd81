# shellcheck shell=bash
# Shared helpers for scripts/test, scripts/run and scripts/build-web.
# Source it; it sets ENGLOG_ROOT (the repository root) and cds there.

ENGLOG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ENGLOG_ROOT" || exit 1

# rustup installs cargo, rustup and `cargo install`ed tools here; a fresh
# shell (CI, sudo, cron) may not have it on PATH yet.
_englog_cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -d "$_englog_cargo_bin" ]; then
  case ":$PATH:" in
    *":$_englog_cargo_bin:"*) ;;
    *) PATH="$_englog_cargo_bin:$PATH" ;;
  esac
  export PATH
fi
unset _englog_cargo_bin

log() { printf '\033[1;34m==> %s\033[0m\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning: %s\033[0m\n' "$*" >&2; }
die() {
  printf '\033[1;31merror: %s\033[0m\n' "$*" >&2
  exit 1
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run '$*' (not root and sudo is missing); install it by hand and re-run"
  fi
}

# Run a command as the `postgres` system user (peer authentication on the
# local socket, which Debian's PostgreSQL allows out of the box).
as_postgres() {
  # From / so the postgres user is not left in a directory it cannot read.
  if [ "$(id -un)" = postgres ]; then
    (cd / && "$@")
  elif [ "$(id -u)" -eq 0 ]; then
    (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
  else
    (cd / && sudo -u postgres "$@")
  fi
}

_englog_apt_updated=""
# apt_install PKG...: install Debian/Ubuntu packages, running `apt-get update`
# at most once per script run.
apt_install() {
  [ "$#" -gt 0 ] || return 0
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages ($*) and apt-get is not available: install them by hand"
  if [ -z "$_englog_apt_updated" ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    _englog_apt_updated=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# A C toolchain: build scripts and some crates need `cc` (and pkg-config).
ensure_cc() {
  if ! command -v cc >/dev/null 2>&1; then
    log "No C compiler found: installing build-essential and pkg-config"
    apt_install build-essential pkg-config
  fi
}

# wait_until SECONDS DESCRIPTION CMD...: poll CMD every 0.5 s until it
# succeeds or the deadline passes.
wait_until() {
  local seconds="$1" what="$2" deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "$what not ready after ${seconds}s"
    fi
    sleep 0.5
  done
}
