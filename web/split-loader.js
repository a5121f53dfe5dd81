// Loads the lazily loaded pages' wasm modules. scripts/build-web puts this in
// place of the `makeLoad` that wasm-split-cli writes and keeps the tool's list
// of modules after it (`export const __wasm_split_load_… = makeLoad(url,
// deps, fusedImports, …)`). It links a module exactly as the tool's does; what
// differs is failure. The tool's logs the error and never answers, which
// leaves the page on "Loading…" for good. Here a module that cannot be
// fetched is tried again (the network may come back), and a module the
// server no longer has (EngLog was upgraded since this tab loaded; the file
// names carry content hashes) reloads the page once, which brings the new
// version.

// The glue sets this global (scripts/build-web), so the glue and this loader
// do not import each other.
const initSync = (...args) => globalThis.__wasm_split_main_initSync(...args);

const RETRY_MAX_MS = 10000;

export function makeLoad(url, deps, fusedImports) {
  let loaded = null;
  return async (callbackIndex, callbackData) => {
    await Promise.all(deps.map((dep) => dep()));
    loaded ??= instantiate(url, fusedImports);
    await loaded;
    if (callbackIndex !== undefined) {
      const main = initSync(undefined, undefined);
      main.__indirect_function_table.get(callbackIndex)(callbackData, true);
    }
  };
}

async function instantiate(url, fusedImports) {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url);
      if (response.status === 404) {
        reloadOnce(url);
      }
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const main = initSync(undefined, undefined);
      // The main module's memory, table, globals and functions, then what the
      // modules loaded before this one export.
      const shared = {
        __indirect_function_table: main.__indirect_function_table,
        __stack_pointer: main.__stack_pointer,
        __tls_base: main.__tls_base,
        memory: main.memory,
      };
      Object.assign(shared, main, fusedImports);
      const { instance } = await WebAssembly.instantiateStreaming(response, {
        env: { memory: main.memory },
        __wasm_split: shared,
      });
      Object.assign(fusedImports, instance.exports);
      return;
    } catch (error) {
      const wait = Math.min(1000 * 2 ** attempt, RETRY_MAX_MS);
      console.error(`EngLog could not load ${url} (${error}); trying again in ${wait / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

// Once per module and tab session: if the reloaded page still lacks it, the
// retries above go on instead of reloading in a loop.
function reloadOnce(url) {
  const key = `englog-module-reload:${url}`;
  try {
    if (sessionStorage.getItem(key)) return;
    sessionStorage.setItem(key, "1");
  } catch {
    return;
  }
  location.reload();
}
