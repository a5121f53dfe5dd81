//! Prometheus scrapes the API and a worker; the alert rules pass promtool;
//! `/metrics` is metrics (on its own listener when asked), not the web app.

use englog_api::config::Secret;
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;
use std::time::{Duration, Instant};

use crate::helpers::{Backend, redis_url, spawn_app_with};
use crate::processes::{free_port, spawn_worker_with};

use super::prometheus::{Prometheus, promtool_check_metrics};
use super::{host_port, report_of_the_year_succeeds, text};

/// Debian's Prometheus scrapes an API and a separate worker process; after a
/// few operations and one report its HTTP API shows the request counts, the
/// report's outcome, the model's tokens/s and an empty outbox, and
/// `promtool` accepts both `/metrics` bodies and the alert rules.
#[tokio::test]
async fn prometheus_sees_requests_a_report_and_the_model_speed() {
    // 8 chunks; the fake reports 3 tokens a chunk and 20 ms a token: 50/s.
    let chunks: Vec<String> = "## Key accomplishments\n- Shipped the login flow [E1]\n"
        .split_inclusive(' ')
        .map(str::to_owned)
        .collect();
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks,
        gap: Duration::from_millis(5),
    }])
    .await;
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let worker_port = free_port();
    let worker_address = format!("127.0.0.1:{worker_port}");
    let _worker = spawn_worker_with(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
        &[
            ("ENGLOG_WORKER_LISTEN", worker_address.as_str()),
            ("ENGLOG_HEARTBEAT_SECS", "1"),
        ],
    );
    let prometheus = Prometheus::start(&[
        ("englog-api", host_port(&app)),
        ("englog-worker", worker_address.clone()),
    ])
    .await;

    let me = app.register("ops@example.com").await;
    for title in ["Shipped the login flow", "Reviewed the outage notes"] {
        app.create_entry(&me.access, json!({ "title": title }))
            .await;
    }
    let listed = app.entry_titles(&me.access, json!({})).await;
    assert_eq!(listed.len(), 2);
    report_of_the_year_succeeds(&app, &me.access).await;

    // Both targets are up.
    prometheus
        .wait_for("up{job=\"englog-api\"}", |v| v == 1.0)
        .await;
    prometheus
        .wait_for("up{job=\"englog-worker\"}", |v| v == 1.0)
        .await;
    // Every GraphQL request so far answered 200 and was counted.
    let requests = prometheus
        .wait_for(
            "sum(englog_http_requests_total{route=\"/graphql\",status=\"200\"})",
            |v| v >= 6.0,
        )
        .await;
    assert!(requests >= 6.0, "{requests}");
    prometheus
        .wait_for(
            "sum(englog_graphql_operations_total{type=\"mutation\",outcome=\"ok\"})",
            |v| v >= 4.0,
        )
        .await;
    // The report: published once, started once, succeeded once.
    prometheus
        .wait_for("sum(englog_jobs_enqueued_total{kind=\"report\"})", |v| {
            v == 1.0
        })
        .await;
    prometheus
        .wait_for(
            "sum(englog_job_events_total{kind=\"report\",event=\"succeeded\"})",
            |v| v == 1.0,
        )
        .await;
    // The worker's model speed, exactly as the fake model reported it.
    let rate = prometheus
        .wait_for(
            "englog_worker_last_tokens_per_second{kind=\"report\"}",
            |v| v > 0.0,
        )
        .await;
    assert!((rate - 50.0).abs() < 1e-6, "tokens/s {rate}");
    prometheus
        .wait_for(
            "sum(englog_worker_model_calls_total{outcome=\"ok\"})",
            |v| v == 1.0,
        )
        .await;
    // Nothing is left in the outbox, and a worker is alive.
    prometheus
        .wait_for("englog_outbox_backlog_jobs", |v| v == 0.0)
        .await;
    prometheus
        .wait_for("englog_worker_heartbeat_age_seconds", |v| {
            (0.0..10.0).contains(&v)
        })
        .await;

    let (status, content_type, api_metrics) = text(&app.url("/metrics")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    promtool_check_metrics(&api_metrics, "the API's /metrics");
    let (status, _, worker_metrics) = text(&format!("http://{worker_address}/metrics")).await;
    assert_eq!(status, 200);
    promtool_check_metrics(&worker_metrics, "the worker's /metrics");
    let (status, _, worker_ready) = text(&format!("http://{worker_address}/ready")).await;
    assert_eq!(status, 200, "{worker_ready}");
}

#[test]
fn the_alert_rules_pass_promtool() {
    let rules = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/prometheus/alerts.yml"
    );
    let output = std::process::Command::new("promtool")
        .args(["check", "rules", rules])
        .output()
        .expect("promtool (Debian package `prometheus`)");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `/metrics` is the metrics, unknown server paths are 404 (not the web
/// app), and with metrics off `/metrics` is a 404 too.
#[tokio::test]
async fn metrics_and_unknown_paths_are_not_the_web_app() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let (status, content_type, body) = text(&app.url("/metrics")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert!(!body.contains("<html"), "{body}");
    for path in ["/api/x", "/favicon.ico", "/graphql/unknown", "/export"] {
        let (status, _, body) = text(&app.url(path)).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let off = spawn_app_with(Backend::Sqlite, |s| s.metrics.enabled = false).await;
    let (status, _, _) = text(&off.url("/metrics")).await;
    assert_eq!(status, 404);
}

/// `metrics.listen` serves `/metrics` on its own address, and not on the
/// main one.
#[tokio::test]
async fn metrics_can_have_their_own_listener() {
    let port = free_port();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.metrics.listen = Some(format!("127.0.0.1:{port}").parse().expect("address"));
    })
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let body = loop {
        if let Ok(response) = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await {
            break response.text().await.expect("body");
        }
        assert!(Instant::now() < deadline, "no metrics listener");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(body.contains("englog_"), "{body}");
    let (status, _, _) = text(&app.url("/metrics")).await;
    assert_eq!(status, 404);
}
