//! The session: chromedriver started, a headless Chromium opened with a
//! fresh profile, commands sent and their answers read, and the session
//! ended when the `Browser` drops.

use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::process::{delete_session_blocking, free_port, wait_until_ready};
use super::{Browser, WebDriverError};

/// Ports tried before giving up on chromedriver.
const DRIVER_ATTEMPTS: u32 = 3;

impl Browser {
    /// Starts chromedriver and opens a browser session.
    pub async fn launch() -> Browser {
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium_path =
            std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());

        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        // The free port is only free when asked: a test running beside this
        // one may bind it before chromedriver does, which then exits.
        let mut attempts = 0;
        let (port, driver) = loop {
            attempts += 1;
            let port = free_port();
            let mut driver = Command::new(&driver_path)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start chromedriver at {driver_path}: {e}"));
            let base = format!("http://127.0.0.1:{port}");
            match wait_until_ready(&http, &base, &mut driver).await {
                Ok(()) => break (port, driver),
                Err(status) if attempts < DRIVER_ATTEMPTS => {
                    eprintln!("chromedriver exited ({status}) on port {port}; trying another");
                }
                Err(status) => {
                    panic!("chromedriver exited before it was ready, {attempts} times: {status}")
                }
            }
        };

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

    /// Sends one command to this session (`path` after `/session/{id}`).
    pub(super) async fn session_command(
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
