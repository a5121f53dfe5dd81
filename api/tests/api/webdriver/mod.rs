//! A minimal W3C WebDriver client for the browser tests: it starts Debian's
//! `chromedriver` on a free loopback port, opens one headless Chromium
//! session with a fresh profile, and offers the few commands the tests need.
//!
//! Nothing sleeps to wait for readiness: every wait polls with a deadline.
//! Element commands retry while the element is missing, stale or not yet
//! interactable, because the SPA renders asynchronously.
//!
//! Environment: `CHROMEDRIVER` (default `/usr/bin/chromedriver`) and
//! `CHROMIUM` (default `/usr/bin/chromium`).

// A small client: not every test uses every command.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};

mod answers;
mod downloads;
mod process;
mod windows;
pub use answers::{LogEntry, WebDriverError};
pub use downloads::wait_for_download;
use process::{delete_session_blocking, free_port, wait_until_ready};

/// How long element commands and `wait_*` helpers wait by default.
pub const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);
const DRIVER_START: Duration = Duration::from_secs(20);
/// The W3C key of an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium driven through chromedriver. Dropping it ends the
/// session (closing Chromium) and kills chromedriver, also when a test fails.
pub struct Browser {
    http: reqwest::Client,
    port: u16,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and opens a browser session.
    pub async fn launch() -> Browser {
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium_path =
            std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());

        let port = free_port();
        let mut driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start chromedriver at {driver_path}: {e}"));

        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        let base = format!("http://127.0.0.1:{port}");
        wait_until_ready(&http, &base, &mut driver).await;

        let profile = tempfile::tempdir().expect("a temporary Chromium profile directory");
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chromium_path,
                        "args": [
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--window-size=1280,900",
                            format!("--user-data-dir={}", profile.path().display()),
                        ],
                    },
                    "goog:loggingPrefs": { "browser": "ALL" },
                }
            }
        });
        let mut browser = Browser {
            http,
            port,
            session: String::new(),
            driver,
            _profile: profile,
        };
        let created = browser
            .command(Method::POST, "/session", Some(capabilities))
            .await
            .unwrap_or_else(|e| panic!("cannot open a Chromium session ({chromium_path}): {e}"));
        browser.session = created["sessionId"]
            .as_str()
            .expect("a sessionId in the new-session answer")
            .to_owned();
        browser
    }

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

    /// The element matching `css` now, if there is one.
    pub async fn find(&self, css: &str) -> Result<String, WebDriverError> {
        let found = self
            .session_command(
                Method::POST,
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await?;
        Ok(element_id(&found))
    }

    /// Every element matching `css` now.
    pub async fn find_all(&self, css: &str) -> Vec<String> {
        let found = self
            .session_command(
                Method::POST,
                "/elements",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await
            .unwrap_or_else(|e| panic!("cannot look for {css}: {e}"));
        found
            .as_array()
            .map(|all| all.iter().map(element_id).collect())
            .unwrap_or_default()
    }

    /// Waits until an element matches `css` and returns it.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> String {
        self.retry(css, timeout, move || self.find(css)).await
    }

    /// Waits until exactly `count` elements match `css` and returns them.
    pub async fn wait_for_count(&self, css: &str, count: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.find_all(css).await;
            if found.len() == count {
                return found;
            }
            if Instant::now() >= deadline {
                panic!(
                    "expected {count} element(s) matching {css} within {timeout:?}, found {}; \
                     page text: {:?}",
                    found.len(),
                    self.page_text().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the element matching `css` shows some text and returns it.
    pub async fn wait_for_text(&self, css: &str, timeout: Duration) -> String {
        self.retry(css, timeout, move || async move {
            let text = self.text_now(css).await?;
            if text.trim().is_empty() {
                return Err(WebDriverError {
                    error: "no such element".into(),
                    message: format!("{css} has no text yet"),
                });
            }
            Ok(text)
        })
        .await
    }

    /// Clicks the element matching `css` (waiting for it).
    pub async fn click(&self, css: &str) {
        self.retry(css, WAIT, move || async move {
            let id = self.find(css).await?;
            self.session_command(
                Method::POST,
                &format!("/element/{id}/click"),
                Some(json!({})),
            )
            .await
            .map(drop)
        })
        .await
    }

    /// Types `text` into the element matching `css` (waiting for it).
    pub async fn type_text(&self, css: &str, text: &str) {
        self.retry(css, WAIT, move || async move {
            let id = self.find(css).await?;
            self.session_command(
                Method::POST,
                &format!("/element/{id}/value"),
                Some(json!({ "text": text })),
            )
            .await
            .map(drop)
        })
        .await
    }

    /// The visible text of the element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> String {
        self.retry(css, WAIT, move || self.text_now(css)).await
    }

    /// The visible text of every element matching `css`, in document order.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        self.retry(css, WAIT, move || async move {
            let mut texts = Vec::new();
            for id in self.find_all(css).await {
                texts.push(self.element_text(&id).await?);
            }
            Ok(texts)
        })
        .await
    }

    /// Saves a PNG screenshot of the window, creating parent directories.
    pub async fn screenshot(&self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        let encoded = self
            .session_command(Method::GET, "/screenshot", None)
            .await
            .unwrap_or_else(|e| panic!("cannot take a screenshot: {e}"));
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("a base64 screenshot"))
            .expect("a valid base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot directory");
        }
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
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

    /// Runs a Chrome DevTools Protocol command (chromedriver's
    /// `goog/cdp/execute`).
    pub async fn devtools(&self, cmd: &str, params: Value) {
        self.session_command(
            Method::POST,
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
        .await
        .unwrap_or_else(|e| panic!("DevTools command {cmd} failed: {e}"));
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

    /// Replaces the value of the field matching `css` (waiting for it) and
    /// fires `input` and `change`, as a person's edit does.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.wait_for(css, WAIT).await;
        self.execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            json!([css, value]),
        )
        .await;
    }

    /// Waits until the element matching `css` shows text containing
    /// `needle` and returns that text.
    pub async fn wait_for_text_containing(
        &self,
        css: &str,
        needle: &str,
        timeout: Duration,
    ) -> String {
        self.retry(css, timeout, move || async move {
            let text = self.text_now(css).await?;
            if !text.contains(needle) {
                return Err(WebDriverError {
                    error: "no such element".into(),
                    message: format!("{css} shows {text:?}, not yet {needle:?}"),
                });
            }
            Ok(text)
        })
        .await
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_for_gone(&self, css: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.find_all(css).await.is_empty() {
            if Instant::now() >= deadline {
                panic!(
                    "{css} is still on the page after {timeout:?}; page text: {:?}",
                    self.page_text().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The text of the whole page, for failure messages.
    pub async fn page_text(&self) -> String {
        match self.find("body").await {
            Ok(id) => self.element_text(&id).await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn text_now(&self, css: &str) -> Result<String, WebDriverError> {
        let id = self.find(css).await?;
        self.element_text(&id).await
    }

    async fn element_text(&self, id: &str) -> Result<String, WebDriverError> {
        let text = self
            .session_command(Method::GET, &format!("/element/{id}/text"), None)
            .await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Runs `attempt` until it succeeds, retrying transient errors until
    /// `timeout`; panics with the last error and the page text otherwise.
    async fn retry<T, F, Fut>(&self, css: &str, timeout: Duration, mut attempt: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, WebDriverError>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            match attempt().await {
                Ok(value) => return value,
                Err(e) if e.is_transient() && Instant::now() < deadline => {
                    tokio::time::sleep(POLL).await
                }
                Err(e) => panic!(
                    "{css}: {e} (after up to {timeout:?}); page text: {:?}",
                    self.page_text().await
                ),
            }
        }
    }

    async fn session_command(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, WebDriverError> {
        let path = format!("/session/{}{path}", self.session);
        self.command(method, &path, body).await
    }

    /// Sends one command and returns its `value`, or the WebDriver error.
    async fn command(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, WebDriverError> {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let mut request = self.http.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| WebDriverError {
            error: "transport".into(),
            message: format!("{url}: {e}"),
        })?;
        let status = response.status();
        let mut answer: Value = response.json().await.map_err(|e| WebDriverError {
            error: "transport".into(),
            message: format!("{url} answered {status} without JSON: {e}"),
        })?;
        let value = answer["value"].take();
        match value.get("error").and_then(Value::as_str) {
            Some(error) if !status.is_success() => Err(WebDriverError {
                error: error.to_owned(),
                message: value["message"].as_str().unwrap_or_default().to_owned(),
            }),
            _ => Ok(value),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Drop cannot await, so end the session (which closes Chromium) with
        // one blocking HTTP/1.1 request; then stop chromedriver.
        if !self.session.is_empty() {
            delete_session_blocking(self.port, &self.session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn element_id(found: &Value) -> String {
    found[ELEMENT_KEY]
        .as_str()
        .unwrap_or_else(|| panic!("expected an element reference, got {found}"))
        .to_owned()
}
