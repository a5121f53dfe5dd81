// Loads the wasm app. Kept out of index.html so a CSP of
// `script-src 'self' 'wasm-unsafe-eval'` (no inline scripts) works.
import init from '/pkg/englog_web.js';

init().catch((error) => {
  const root = document.getElementById('main');
  if (root) {
    root.textContent = 'EngLog could not start in this browser: ' + error;
  }
  throw error;
});
