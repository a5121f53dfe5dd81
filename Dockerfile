# syntax=docker/dockerfile:1
#
# EngLog image: the API server (`englog`), the GPU-box worker
# (`englog-worker`) and the web SPA, on a small non-root Debian runtime.
#
#   docker build -t englog .
#   docker run -p 8080:8080 englog                 # embedded default (SQLite)
#   docker run englog englog-worker                # the worker
#
# See docker-compose.yml for the two-box deployment.

# ---------------------------------------------------------------- builder
FROM rust:1-bookworm AS builder
WORKDIR /src

# The wasm toolchain first (its own layer, rebuilt only when Cargo.lock
# changes): the wasm32 target and wasm-bindgen-cli at exactly the version of
# the `wasm-bindgen` crate in Cargo.lock — the same setup scripts/test and
# scripts/run use.
# Node.js and npm (Debian's) bring wasm-opt (Binaryen's npm package) and
# esbuild (tools/web-bundle, pinned by its lock file), which make the SPA
# about 10 % smaller (docs/PERFORMANCE.md); scripts/build-web uses them when
# present. wasm-split-cli (at the `wasm-splitter` version in Cargo.lock)
# splits every page but the journal into a module loaded when first shown.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
COPY Cargo.lock ./
COPY scripts/lib/ scripts/lib/
COPY tools/web-bundle/package.json tools/web-bundle/package-lock.json tools/web-bundle/
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    bash -c 'set -euo pipefail; source scripts/lib/common.sh; source scripts/lib/setup-wasm.sh; setup_wasm; wasm_splitter || true; web_bundler >/dev/null || true'

COPY . .
# Release binaries and the SPA (web/dist). target/ is a build cache, so the
# results are copied out to /out within the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
        -p englog-api --bin englog \
        -p englog-worker --bin englog-worker \
 && scripts/build-web \
 && mkdir -p /out \
 && cp target/release/englog target/release/englog-worker /out/ \
 && cp -R web/dist /out/web

# ---------------------------------------------------------------- runtime
FROM debian:bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Unprivileged user; its home is the working directory, where the embedded
# default keeps its SQLite database (./data) when no database URL is set.
RUN useradd --system --user-group --uid 10001 \
        --home-dir /var/lib/englog --create-home --shell /usr/sbin/nologin englog

COPY --from=builder /out/englog /out/englog-worker /usr/local/bin/
COPY --from=builder /out/web /usr/share/englog/web

ENV ENGLOG_WEB_DIR=/usr/share/englog/web \
    ENGLOG_LISTEN=0.0.0.0:8080

USER englog
WORKDIR /var/lib/englog
# 8080: the API (web app, GraphQL, /metrics). 9187: the worker's /metrics,
# /live and /ready when ENGLOG_WORKER_LISTEN=0.0.0.0:9187 (compose sets it).
EXPOSE 8080 9187

# No HEALTHCHECK: the image has no HTTP client. Probe /health, /ready and
# /live from the orchestrator or load balancer instead.
CMD ["englog", "serve"]
