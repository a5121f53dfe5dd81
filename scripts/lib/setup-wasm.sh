# shellcheck shell=bash
# The wasm toolchain for the SPA: the wasm32-unknown-unknown target and the
# wasm-bindgen CLI at exactly the version of the `wasm-bindgen` crate in
# Cargo.lock (the two must match). Idempotent: does nothing when both are
# already there. Needs common.sh to be sourced first.

# Prints the version of package $1 pinned in Cargo.lock.
lock_version() {
  NAME="$1" awk '
    /^\[\[package\]\]/ { in_pkg = 0 }
    $0 == "name = \"" ENVIRON["NAME"] "\"" { in_pkg = 1; next }
    in_pkg && /^version = "/ { gsub(/"/, "", $3); print $3; exit }
  ' "$ENGLOG_ROOT/Cargo.lock"
}

# Prints the `wasm-bindgen` crate version pinned in Cargo.lock.
wasm_bindgen_lock_version() { lock_version wasm-bindgen; }

setup_wasm() {
  command -v cargo >/dev/null 2>&1 ||
    die "cargo not found: install Rust first (https://rustup.rs), then re-run"

  if command -v rustup >/dev/null 2>&1; then
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
      log "Adding the Rust target wasm32-unknown-unknown"
      rustup target add wasm32-unknown-unknown
    fi
  elif [ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
    die "the wasm32-unknown-unknown target is missing and rustup is not installed to add it"
  fi

  local want have
  want="$(wasm_bindgen_lock_version)"
  [ -n "$want" ] || die "no wasm-bindgen package in Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    log "Installing wasm-bindgen-cli $want (Cargo.lock's wasm-bindgen; found: ${have:-none})"
    ensure_cc
    # --locked can name a dependency version the registry mirror lacks
    # (seen: webpki-roots); then resolve afresh at the same CLI version.
    cargo install wasm-bindgen-cli --locked --version "=$want" ||
      cargo install wasm-bindgen-cli --version "=$want"
  fi

  # wasm-opt (optional: scripts/build-web skips it when missing). Debian's
  # binaryen is too old for the reference-types code wasm-bindgen emits;
  # Binaryen's npm package ships a current one.
  local opt_version
  opt_version="$(wasm-opt --version 2>/dev/null | awk '{print $3}' || true)"
  if [ "${opt_version:-0}" -lt 116 ] 2>/dev/null && command -v npm >/dev/null 2>&1; then
    log "Installing wasm-opt (npm package binaryen@$BINARYEN_VERSION)"
    npm install -g --no-fund --no-audit "binaryen@$BINARYEN_VERSION" >/dev/null ||
      warn "could not install wasm-opt; the SPA will be built without it"
  fi
}

BINARYEN_VERSION=132.0.0

# wasm-split-cli, the splitter Dioxus' own `dx` uses, at the version of the
# `wasm-splitter` runtime crate in Cargo.lock (the loader the app calls and
# the modules the tool writes must agree). Optional: without it
# scripts/build-web builds one module with every page in it. Installed
# quietly on first use; returns non-zero when it is not there.
wasm_splitter() {
  local want have
  want="$(lock_version wasm-splitter)"
  [ -n "$want" ] || return 1
  # The tool has no --version; cargo's install list has the version.
  have="$(cargo install --list 2>/dev/null | awk '$1 == "wasm-split-cli" { sub(/^v/, "", $2); sub(/:$/, "", $2); print $2 }')"
  if [ "$have" != "$want" ] || ! command -v wasm-split-cli >/dev/null 2>&1; then
    log "Installing wasm-split-cli $want (Cargo.lock's wasm-splitter; found: ${have:-none})"
    ensure_cc
    cargo install wasm-split-cli --locked --version "=$want" ||
      { warn "could not install wasm-split-cli; the SPA will be built as one module"; return 1; }
  fi
}

# esbuild (optional: scripts/build-web ships the glue unbundled without it),
# pinned by tools/web-bundle/package-lock.json. Prints the binary's path.
web_bundler() {
  local dir="$ENGLOG_ROOT/tools/web-bundle"
  local bin="$dir/node_modules/.bin/esbuild"
  if [ ! -x "$bin" ] && command -v npm >/dev/null 2>&1; then
    log "Installing esbuild (npm ci --prefix tools/web-bundle)" >&2
    npm ci --prefix "$dir" --no-audit --no-fund >&2 ||
      warn "could not install esbuild; the SPA's JS will not be bundled" >&2
  fi
  [ -x "$bin" ] && printf '%s' "$bin"
}
