//! Fixture files of the fake forges: each holds the status, headers and
//! body of one documented response and names the documentation page it
//! follows. Placeholders: `{{base}}` (the fake's URL), `{{day-N}}` (the
//! date N days ago, UTC), `{{reset+N}}` (epoch seconds N seconds from
//! now) and the test's own values (`{{title812}}`).

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use serde_json::Value;
use std::collections::HashMap;

pub fn render(forge: &str, name: &str, base: &str, values: &HashMap<String, String>) -> Response {
    let path = format!(
        "{}/tests/api/connectors/fixtures/{forge}/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text = text.replace("{{base}}", base);
    let today = Utc::now().date_naive();
    for n in 0..15 {
        text = text.replace(
            &format!("{{{{day-{n}}}}}"),
            &(today - Duration::days(n)).to_string(),
        );
    }
    for secs in [1, 60, 3600] {
        let reset = (Utc::now() + Duration::seconds(secs)).timestamp();
        text = text.replace(&format!("{{{{reset+{secs}}}}}"), &reset.to_string());
    }
    for (key, value) in values {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let status =
        StatusCode::from_u16(doc["status"].as_u64().expect("status") as u16).expect("code");
    let mut headers = HeaderMap::new();
    for (k, v) in doc["headers"].as_object().expect("headers") {
        headers.insert(
            HeaderName::from_bytes(k.as_bytes()).expect("header name"),
            HeaderValue::from_str(v.as_str().expect("header text")).expect("header value"),
        );
    }
    // A string body is sent as it is (GitLab's 429 answers plain text).
    let body = match &doc["body"] {
        Value::String(text) => text.clone().into_bytes(),
        json => serde_json::to_vec(json).expect("body"),
    };
    (status, headers, body).into_response()
}

/// A free local port for a fake forge (its address is the base URL).
pub async fn bind() -> tokio::net::TcpListener {
    tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
}

/// Serves `app` on `listener` until the test ends.
pub fn serve(listener: tokio::net::TcpListener, app: axum::Router) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        axum::serve(listener, app)
            .await
            .expect("the fake forge serves");
    })
}

/// What every fake forge keeps: the placeholder values its fixtures are
/// rendered with (a test changes them to change an answer) and the
/// requests it received.
#[derive(Default)]
pub struct Recorder {
    values: std::sync::Mutex<HashMap<String, String>>,
    requests: std::sync::Mutex<Vec<String>>,
}

impl Recorder {
    pub fn set(&self, key: &str, value: &str) {
        self.values.lock().unwrap().insert(key.into(), value.into());
    }

    /// `path?query` of every request, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    pub fn record(&self, uri: &axum::http::Uri) {
        self.requests.lock().unwrap().push(
            uri.path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
        );
    }

    /// The fixture `forge/name.json` rendered with the current values.
    pub fn fixture(&self, forge: &str, name: &str, base: &str) -> Response {
        let values = self.values.lock().unwrap().clone();
        render(forge, name, base, &values)
    }
}
