//! One trace from a report's request through the worker and back.

use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::helpers::redis_url;
use crate::processes::spawn_worker_with;

use super::traces;
use super::{REQUEST, STATUS};

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
