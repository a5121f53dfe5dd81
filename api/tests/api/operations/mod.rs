//! Operations: Prometheus scraping the API and a worker, alert rules,
//! readiness that means something, and no SPA page where none belongs.

mod prometheus;
mod readiness;
mod report_trace;
mod scraping;
mod traces;
mod worker_start;

use serde_json::json;
use std::time::{Duration, Instant};

use crate::helpers::TestApp;

const REQUEST: &str =
    "mutation($input: RequestInsightInput!) { requestInsight(input: $input) { id } }";
const STATUS: &str = "query($id: UUID!) { insight(id: $id) { status } }";

fn host_port(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

async fn wait_for_status(app: &TestApp, token: &str, id: &str, status: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let data = app.ok(STATUS, json!({ "id": id }), token).await;
        if data["insight"]["status"] == status {
            return;
        }
        assert!(Instant::now() < deadline, "report never {status}: {data}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Requests a report of this year's entries and waits until it is written.
async fn report_of_the_year_succeeds(app: &TestApp, token: &str) {
    let requested = app
        .ok(
            REQUEST,
            json!({ "input": { "reportType": "CUSTOM", "periodStart": "2026-01-01", "periodEnd": "2026-12-31" } }),
            token,
        )
        .await;
    let id = requested["requestInsight"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    wait_for_status(app, token, &id, "SUCCEEDED").await;
}

async fn text(url: &str) -> (u16, String, String) {
    let response = reqwest::get(url).await.expect("GET");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.text().await.expect("body"))
}
