//! The page as a whole: opening a URL, the window's size, scripts run in
//! the page, keys pressed, and the browser console's errors.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Browser, LogEntry};

impl Browser {
    /// Opens `url` and waits for the document to load.
    pub async fn goto(&self, url: &str) {
        self.session_command(Method::POST, "/url", Some(json!({ "url": url })))
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Resizes the window (CSS pixels), e.g. to a phone's width.
    pub async fn set_window_size(&self, width: u32, height: u32) {
        let rect = json!({ "width": width, "height": height });
        self.session_command(Method::POST, "/window/rect", Some(rect))
            .await
            .unwrap_or_else(|e| panic!("cannot resize the window to {width}x{height}: {e}"));
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) in the
    /// page and returns its result.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.session_command(
            Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
        .unwrap_or_else(|e| panic!("cannot run a script in the page: {e}"))
    }

    /// Presses each character of `keys` on whatever has the focus (the page
    /// itself when nothing does), like a person typing a shortcut.
    pub async fn press_keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                let key = c.to_string();
                [
                    json!({ "type": "keyDown", "value": key }),
                    json!({ "type": "keyUp", "value": key }),
                ]
            })
            .collect();
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.session_command(Method::POST, "/actions", Some(body))
            .await
            .unwrap_or_else(|e| panic!("cannot press {keys:?}: {e}"));
    }

    /// The `id` of the element that has the keyboard focus ("" if none).
    pub async fn focused_id(&self) -> String {
        self.execute(
            "return document.activeElement ? document.activeElement.id : '';",
            json!([]),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// SEVERE browser console entries since the last call (the log is drained
    /// on each read). Uses chromedriver's legacy `se/log` endpoint.
    pub async fn browser_errors(&self) -> Vec<LogEntry> {
        let body = Some(json!({ "type": "browser" }));
        let logs = match self
            .session_command(Method::POST, "/se/log", body.clone())
            .await
        {
            Ok(logs) => logs,
            Err(e) if e.error == "unknown command" => self
                .session_command(Method::POST, "/log", body)
                .await
                .unwrap_or_else(|e| panic!("cannot read the browser log: {e}")),
            Err(e) => panic!("cannot read the browser log: {e}"),
        };
        logs.as_array()
            .into_iter()
            .flatten()
            .map(|entry| LogEntry {
                level: entry["level"].as_str().unwrap_or_default().to_owned(),
                message: entry["message"].as_str().unwrap_or_default().to_owned(),
            })
            .filter(|entry| entry.level == "SEVERE")
            .collect()
    }
}
