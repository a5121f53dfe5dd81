//! More than one tab: the handles of the open windows and switching the
//! commands' target between them.

use reqwest::Method;
use serde_json::json;

use super::Browser;

impl Browser {
    /// The handles of every open tab or window.
    pub async fn window_handles(&self) -> Vec<String> {
        let handles = self
            .session_command(Method::GET, "/window/handles", None)
            .await
            .unwrap_or_else(|e| panic!("cannot list the windows: {e}"));
        handles
            .as_array()
            .expect("an array of window handles")
            .iter()
            .filter_map(|h| h.as_str().map(str::to_owned))
            .collect()
    }

    /// The handle of the tab the commands go to.
    pub async fn window_handle(&self) -> String {
        let handle = self
            .session_command(Method::GET, "/window", None)
            .await
            .unwrap_or_else(|e| panic!("cannot read the current window: {e}"));
        handle.as_str().expect("a window handle").to_owned()
    }

    /// Sends the next commands to the tab `handle`.
    pub async fn switch_to_window(&self, handle: &str) {
        self.session_command(Method::POST, "/window", Some(json!({ "handle": handle })))
            .await
            .unwrap_or_else(|e| panic!("cannot switch to window {handle}: {e}"));
    }
}
