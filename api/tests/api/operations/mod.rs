//! Operations: Prometheus scraping the API and a worker, alert rules,
//! readiness that means something, and no SPA page where none belongs.

mod prometheus;
mod traces;

use englog_api::config::Secret;
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::helpers::{Backend, TestApp, redis_url, spawn_app_with};
use crate::processes::{free_port, spawn_worker_with};
use prometheus::{Prometheus, promtool_check_metrics};

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

/// `/ready` says not ready when the database cannot be reached and when no
/// worker has sent a heartbeat within the configured time; ready again
/// once they are back.
#[tokio::test]
async fn readiness_follows_the_database_and_the_workers() {
    let ollama = FakeOllama::start(vec![]).await;
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(false);
        s.readiness.worker_max_age_secs = 2;
    })
    .await;
    let ready = || async {
        let response = reqwest::get(app.url("/ready")).await.expect("GET /ready");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("JSON");
        (status, body)
    };
    let until = |wanted: u16| {
        let ready = &ready;
        async move {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let (status, body) = ready().await;
                if status == wanted {
                    return body;
                }
                assert!(Instant::now() < deadline, "/ready never {wanted}: {body}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    // No worker yet.
    let body = until(503).await;
    assert_eq!(body["checks"]["worker"], "none", "{body}");
    assert_eq!(body["checks"]["database"], "ok", "{body}");

    let mut worker = spawn_worker_with(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
        &[("ENGLOG_WORKER_LISTEN", ""), ("ENGLOG_HEARTBEAT_SECS", "1")],
    );
    let body = until(200).await;
    assert_eq!(body["checks"]["worker"], "ok", "{body}");
    assert_eq!(body["checks"]["model"], "ok", "{body}");

    // The worker dies: stale after the configured two seconds.
    worker.kill();
    let body = until(503).await;
    assert_eq!(body["checks"]["worker"], "stale", "{body}");

    // The database goes away (it refuses connections; the pool's are cut).
    let _worker = spawn_worker_with(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
        &[("ENGLOG_WORKER_LISTEN", ""), ("ENGLOG_HEARTBEAT_SECS", "1")],
    );
    until(200).await;
    let database = app
        .settings
        .database_url
        .as_ref()
        .map(|url| {
            url.expose()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .expect("a PostgreSQL test database");
    let admin = sea_orm::Database::connect(crate::helpers::postgres_admin_url())
        .await
        .expect("admin connection");
    let sql = |statement: String| {
        let admin = &admin;
        async move {
            sea_orm::ConnectionTrait::execute_unprepared(admin, &statement)
                .await
                .expect(&statement);
        }
    };
    sql(format!("ALTER DATABASE {database} ALLOW_CONNECTIONS false")).await;
    sql(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
    ))
    .await;
    let body = until(503).await;
    assert_eq!(body["checks"]["database"], "unavailable", "{body}");
    sql(format!("ALTER DATABASE {database} ALLOW_CONNECTIONS true")).await;
    let body = until(200).await;
    assert_eq!(body["checks"]["database"], "ok", "{body}");
    admin.close().await.ok();
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

/// With OTLP on, the API and a worker export spans to a receiver, and one
/// trace holds the API's `requestInsight`, the worker's generation and the
/// API's handling of the worker's events.
#[tokio::test]
async fn a_report_is_one_trace_from_the_request_to_the_worker_and_back() {
    let receiver = traces::OtlpReceiver::start();
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: vec![
            "## Key accomplishments\n".into(),
            "- Shipped it [E1]\n".into(),
        ],
        gap: Duration::from_millis(5),
    }])
    .await;
    let prefix = format!("englog_trace_{}", uuid::Uuid::new_v4().simple());
    let server = crate::hostile::server::ServerProcess::start(&[
        ("ENGLOG_REDIS_URL", redis_url().as_str()),
        ("ENGLOG_REPORTS__REDIS_PREFIX", prefix.as_str()),
        ("ENGLOG_REPORTS__EMBEDDED_WORKER", "false"),
        ("ENGLOG_TRACING__OTLP_ENDPOINT", receiver.endpoint.as_str()),
        ("RUST_LOG", "info"),
    ])
    .await;
    let _worker = spawn_worker_with(
        &redis_url(),
        &prefix,
        &ollama.url,
        2,
        &[
            ("ENGLOG_WORKER_LISTEN", ""),
            ("ENGLOG_OTLP_ENDPOINT", receiver.endpoint.as_str()),
        ],
    );
    let client = reqwest::Client::new();
    let graphql = |query: &'static str, variables: Value, token: Option<String>| {
        let client = client.clone();
        let url = server.url("/graphql");
        async move {
            let mut request = client
                .post(url)
                .json(&json!({ "query": query, "variables": variables }));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let body: Value = request
                .send()
                .await
                .expect("POST")
                .json()
                .await
                .expect("JSON");
            assert!(body.get("errors").is_none(), "{body}");
            body["data"].clone()
        }
    };
    let registered = graphql(
        crate::helpers::REGISTER,
        json!({ "input": { "email": "trace@example.com", "password": crate::helpers::PASSWORD,
            "firstName": "T", "lastName": "R", "timezone": "UTC" } }),
        None,
    )
    .await;
    let token = registered["register"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    graphql(
        crate::helpers::CREATE_ENTRY,
        json!({ "input": { "title": "Shipped it", "activityType": "CODE",
            "startTime": "2026-11-02T09:00:00Z", "endTime": "2026-11-02T10:00:00Z" } }),
        Some(token.clone()),
    )
    .await;
    let requested = graphql(
        REQUEST,
        json!({ "input": { "reportType": "WEEKLY", "periodStart": "2026-11-02", "periodEnd": "2026-11-08" } }),
        Some(token.clone()),
    )
    .await;
    let id = requested["requestInsight"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let data = graphql(STATUS, json!({ "id": id }), Some(token.clone())).await;
        if data["insight"]["status"] == "SUCCEEDED" {
            break;
        }
        assert!(Instant::now() < deadline, "report never SUCCEEDED: {data}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Spans are exported every second.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let spans = receiver.spans();
        let find = |service: &str, name: &str| {
            spans
                .iter()
                .filter(|s| s["service"] == service && s["name"] == name)
                .map(|s| s["trace_id"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        };
        let requests = find("englog-api", "requestInsight");
        let generations = find("englog-worker", "generation");
        let handled = find("englog-api", "jobEvent");
        // sea-orm's statement spans (no SQL text in them).
        let statements: Vec<String> = [
            "execute",
            "query_one",
            "query_all",
            "execute_raw",
            "query_one_raw",
            "query_all_raw",
        ]
        .iter()
        .flat_map(|name| find("englog-api", name))
        .collect();
        if let Some(trace) = requests.first()
            && generations.contains(trace)
            && handled.contains(trace)
            && statements.contains(trace)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no trace shared by requestInsight {requests:?}, generation {generations:?}, \
             jobEvent {handled:?} and a statement {statements:?}; {} spans received",
            spans.len()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// A worker started before Redis waits for it (saying why in its log)
/// instead of exiting, and works once Redis is there.
#[tokio::test]
async fn a_worker_started_before_redis_waits_for_it() {
    let mut redis = crate::processes::PrivateRedis::reserve();
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: vec![
            "## Key accomplishments\n".into(),
            "- Shipped it [E1]\n".into(),
        ],
        gap: Duration::from_millis(5),
    }])
    .await;
    let prefix = format!("englog_wait_{}", uuid::Uuid::new_v4().simple());
    let mut worker = spawn_worker_with(
        &redis.url(),
        &prefix,
        &ollama.url,
        2,
        &[("ENGLOG_WORKER_LISTEN", "")],
    );
    // Before, a first connection attempt gave up after about 10 s and the
    // worker exited with code 1: wait past that.
    tokio::time::sleep(Duration::from_secs(15)).await;
    assert!(
        matches!(worker.0.try_wait(), Ok(None)),
        "the worker exited while Redis was down"
    );
    redis.restart();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.redis_url = Some(Secret::new(redis.url()));
        s.reports.redis_prefix = prefix.clone();
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let me = app.register("patient@example.com").await;
    app.create_entry(&me.access, json!({ "title": "Shipped it" }))
        .await;
    report_of_the_year_succeeds(&app, &me.access).await;
}
