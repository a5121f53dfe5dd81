//! The model service away (a GPU box rebooting): a report waits for it,
//! says so, and is written when it is back, without spending its attempts;
//! past the configured patience it fails with the reason.

use englog_worker::fake_ollama::{FakeOllama, Reply, ReservedPort};
use serde_json::json;
use std::time::{Duration, Instant};

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::insights::{GET, report_text, request, seed_week, wait_for};

/// A report of the seeded week, on an app whose model service is at
/// `model_url`, which gives up on a failing model after two quick attempts.
async fn app_with_model_at(model_url: String, patience_secs: u64) -> TestApp {
    spawn_app_with(Backend::Sqlite, move |s| {
        s.reports.ollama_url = model_url;
        s.reports.max_attempts = 2;
        s.reports.backoff_base_ms = 100;
        s.reports.model_retry_secs = 1;
        s.reports.model_patience_secs = patience_secs;
    })
    .await
}

async fn waiting_reason(app: &TestApp, token: &str, id: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    loop {
        let report = app.ok(GET, json!({ "id": id }), token).await["insight"].clone();
        if let Some(error) = report["error"].as_str()
            && error.contains("waiting for the model service")
        {
            assert_eq!(report["status"], "QUEUED", "{report}");
            return error.to_owned();
        }
        assert!(Instant::now() < deadline, "never said it waits: {report}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_report_waits_for_the_model_service_and_is_written_when_it_returns() {
    let port = ReservedPort::new();
    let app = app_with_model_at(port.url(), 3_600).await;
    let me = app.register("waiting@example.com").await;
    seed_week(&app, &me.access, "").await;
    let id = request(&app, &me.access, "2026-03-02", "2026-03-08").await;

    let reason = waiting_reason(&app, &me.access, &id, Duration::from_secs(10)).await;
    assert!(reason.starts_with("retrying: "), "{reason}");
    // Far longer than two attempts 100 ms apart: it still waits.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let report = app.ok(GET, json!({ "id": id }), &me.access).await;
    assert_eq!(report["insight"]["status"], "QUEUED", "{report}");

    let _model = FakeOllama::start_on(
        port,
        vec![Reply::Stream {
            chunks: report_text(),
            gap: Duration::ZERO,
        }],
    )
    .await;
    let done = wait_for(&app, &me.access, &id, "SUCCEEDED", Duration::from_secs(60)).await;
    assert!(
        done["content"]
            .as_str()
            .is_some_and(|c| c.contains("Key accomplishments"))
    );
}

#[tokio::test]
async fn past_its_patience_a_waiting_report_fails_with_the_reason() {
    let port = ReservedPort::new();
    let address = port.address().to_string();
    let app = app_with_model_at(port.url(), 2).await;
    let me = app.register("impatient@example.com").await;
    seed_week(&app, &me.access, "").await;
    let id = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    let failed = wait_for(&app, &me.access, &id, "FAILED", Duration::from_secs(30)).await;
    let error = failed["error"].as_str().unwrap_or_default();
    assert!(error.contains("gave up after waiting"), "{error}");
    assert!(error.contains(&address), "names the service: {error}");
}
