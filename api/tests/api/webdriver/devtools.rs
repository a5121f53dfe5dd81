//! Chrome DevTools Protocol commands through chromedriver's
//! `goog/cdp/execute`: the HTTP cache and emulated media. Screenshots and
//! downloads use the same path.

use reqwest::Method;
use serde_json::{Value, json};

use super::Browser;

impl Browser {
    /// Runs a Chrome DevTools Protocol command and returns its result.
    pub async fn devtools(&self, cmd: &str, params: Value) -> Value {
        self.session_command(
            Method::POST,
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
        .await
        .unwrap_or_else(|e| panic!("DevTools command {cmd} failed: {e}"))
    }

    /// Empties the browser's HTTP cache, so the next load downloads
    /// everything.
    pub async fn clear_http_cache(&self) {
        self.devtools("Network.clearBrowserCache", json!({})).await;
    }

    /// Makes the page see `prefers-color-scheme: <scheme>` (`light`, `dark`).
    pub async fn emulate_color_scheme(&self, scheme: &str) {
        self.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
    }
}
