//! Reports end to end: requested through GraphQL, written by a worker
//! against a fake Ollama, watched live over `graphql-transport-ws`.

use englog_api::config::Secret;
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::helpers::{
    Backend, Session, TestApp, error_code, error_field, redis_url, spawn_app_with,
};
use crate::processes::spawn_worker;
use crate::ws;

pub(crate) const REQUEST: &str =
    "mutation($i: RequestInsightInput!) { requestInsight(input: $i) { id status } }";
pub(crate) const GET: &str = "query($id: UUID!) { insight(id: $id) { id status content error citations { statement entryIds } metrics promptTokens model sections { heading } } }";
const MY_UPDATES: &str = "subscription { myInsightUpdates { insightId status delta error } }";

pub(crate) fn report_text() -> Vec<String> {
    "## Key accomplishments\n- Shipped the login flow [E1]\n- Unblocked the team on the outage [E2, E99]\n## Next\n- Keep going\n"
        .split_inclusive(' ')
        .map(str::to_owned)
        .collect()
}

/// Three entries in the week of 2026-03-02 (Paris); returns their ids in
/// start order (E1, E2, E3 in the prompt).
pub(crate) async fn seed_week(app: &TestApp, token: &str, marker: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, (title, value)) in [
        ("Shipped login", "HIGH"),
        ("Outage call", "MEDIUM"),
        ("Docs", "LOW"),
    ]
    .iter()
    .enumerate()
    {
        let entry = app
            .create_entry(
                token,
                json!({ "title": format!("{title} {marker}"), "valueRating": value,
                        "startTime": format!("2026-03-0{}T09:00:00Z", i + 2),
                        "endTime": format!("2026-03-0{}T10:00:00Z", i + 2) }),
            )
            .await;
        ids.push(entry["id"].as_str().unwrap().to_owned());
    }
    ids
}

pub(crate) async fn request(app: &TestApp, token: &str, start: &str, end: &str) -> String {
    let data = app
        .ok(
            REQUEST,
            json!({ "i": { "reportType": "WEEKLY", "periodStart": start, "periodEnd": end } }),
            token,
        )
        .await;
    assert_eq!(data["requestInsight"]["status"], "QUEUED");
    data["requestInsight"]["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn wait_for(
    app: &TestApp,
    token: &str,
    id: &str,
    status: &str,
    within: Duration,
) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let data = app.ok(GET, json!({ "id": id }), token).await;
        if data["insight"]["status"] == status {
            return data["insight"].clone();
        }
        assert!(
            Instant::now() < deadline,
            "report never reached {status}: {data}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Subscribes to all the user's report changes and collects them until the
/// report `id` ends.
async fn collect_until_done(sub: &mut ws::Subscription, id: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    while let Some(payload) = sub.next(Duration::from_secs(30)).await {
        let update = payload["data"]["myInsightUpdates"].clone();
        assert!(!update.is_null(), "{payload}");
        if update["insightId"] != id {
            continue;
        }
        let done = matches!(
            update["status"].as_str(),
            Some("SUCCEEDED" | "FAILED" | "CANCELLED")
        );
        seen.push(update);
        if done {
            break;
        }
    }
    seen
}

/// QUEUED → RUNNING → text → SUCCEEDED, and the stored report cites only
/// the period's real entries.
async fn watch_a_weekly_report_being_written(app: &TestApp, me: &Session) {
    let ids = seed_week(app, &me.access, "").await;
    let mut sub = ws::connect(
        app.port(),
        json!({ "Authorization": format!("Bearer {}", me.access) }),
    )
    .await
    .expect("subscription connects");
    sub.subscribe("1", MY_UPDATES, json!({})).await;
    // The subscription is live once the server has it; a request right after
    // could beat it, so give the handshake a moment to settle.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let id = request(app, &me.access, "2026-03-02", "2026-03-08").await;
    let updates = collect_until_done(&mut sub, &id).await;
    let statuses: Vec<&str> = updates
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"QUEUED"), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&"SUCCEEDED"), "{statuses:?}");
    let first_running = statuses
        .iter()
        .position(|s| *s == "RUNNING")
        .expect("RUNNING seen");
    let text: String = updates.iter().filter_map(|u| u["delta"].as_str()).collect();
    assert!(
        text.contains("Shipped the login flow"),
        "streamed text: {text:?}"
    );
    let first_delta = updates
        .iter()
        .position(|u| u["delta"].is_string())
        .expect("deltas seen");
    assert!(first_running <= first_delta);

    let report = app.ok(GET, json!({ "id": id }), &me.access).await["insight"].clone();
    assert_eq!(report["status"], "SUCCEEDED");
    let content = report["content"].as_str().unwrap();
    assert!(
        content.contains("[E1]") && !content.contains("E99"),
        "{content}"
    );
    let cited: Vec<&str> = report["citations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["entryIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
        })
        .collect();
    assert_eq!(
        cited,
        [ids[0].as_str(), ids[1].as_str()],
        "only existing entries are cited"
    );
    assert_eq!(report["metrics"]["inventedCitations"], 1);
    assert_eq!(report["metrics"]["entryCount"], 3);
    assert_eq!(report["promptTokens"], 1234);
    assert_eq!(report["sections"][0]["heading"], "Key accomplishments");
}

#[tokio::test]
async fn the_embedded_default_writes_a_report_live() {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: report_text(),
        gap: Duration::from_millis(20),
    }])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.reports.ollama_url = url).await;
    let me = app.register("live@example.com").await;
    watch_a_weekly_report_being_written(&app, &me).await;
    let prompt = &ollama.prompts()[0];
    assert!(
        prompt.contains("Shipped login") && prompt.contains("Europe/Paris")
            || prompt.contains("[E3]")
    );
}

#[tokio::test]
async fn postgres_redis_and_a_separate_worker_process_write_a_report_live() {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: report_text(),
        gap: Duration::from_millis(20),
    }])
    .await;
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let _worker = spawn_worker(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
    );
    let me = app.register("split@example.com").await;
    watch_a_weekly_report_being_written(&app, &me).await;
}

#[tokio::test]
async fn a_failing_model_fails_one_report_with_a_reason_and_blocks_no_other() {
    let ollama = FakeOllama::start(vec![Reply::Route {
        needle: "CURSED".into(),
        then: Box::new(Reply::Status(500, "GPU fell off the bus".into())),
        otherwise: Box::new(Reply::Stream {
            chunks: report_text(),
            gap: Duration::ZERO,
        }),
    }])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Postgres, move |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(true);
        s.reports.ollama_url = url;
    })
    .await;
    let me = app.register("failing@example.com").await;
    seed_week(&app, &me.access, "").await;
    app.create_entry(
        &me.access,
        json!({ "title": "CURSED task", "startTime": "2026-04-06T09:00:00Z", "endTime": "2026-04-06T10:00:00Z" }),
    )
    .await;
    let bad = request(&app, &me.access, "2026-04-06", "2026-04-12").await;
    let good = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    let failed = wait_for(&app, &me.access, &bad, "FAILED", Duration::from_secs(30)).await;
    let reason = failed["error"].as_str().unwrap();
    assert!(
        reason.contains("GPU fell off the bus") && reason.contains("2 attempts"),
        "{reason}"
    );
    wait_for(
        &app,
        &me.access,
        &good,
        "SUCCEEDED",
        Duration::from_secs(30),
    )
    .await;
    let client = redis::Client::open(redis_url()).unwrap();
    let mut conn = client.get_connection().unwrap();
    let dead: u64 = redis::cmd("XLEN")
        .arg(format!("{}:jobs:dead", app.settings.reports.redis_prefix))
        .query(&mut conn)
        .unwrap();
    assert_eq!(dead, 1);
}

#[tokio::test]
async fn a_report_can_be_cancelled_and_retried() {
    let slow: Vec<String> = (0..50).map(|i| format!("w{i} ")).collect();
    let ollama = FakeOllama::start(vec![
        Reply::Stream {
            chunks: slow,
            gap: Duration::from_millis(100),
        },
        Reply::Stream {
            chunks: report_text(),
            gap: Duration::ZERO,
        },
    ])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.reports.ollama_url = url).await;
    let me = app.register("cancel@example.com").await;
    seed_week(&app, &me.access, "").await;
    let id = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    wait_for(&app, &me.access, &id, "RUNNING", Duration::from_secs(20)).await;
    let cancelled = app
        .ok(
            "mutation($id: UUID!) { cancelInsight(id: $id) { status } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(cancelled["cancelInsight"]["status"], "CANCELLED");
    // The worker stops; a late result would not revive the report.
    tokio::time::sleep(Duration::from_millis(800)).await;
    wait_for(&app, &me.access, &id, "CANCELLED", Duration::from_secs(1)).await;
    let again = app
        .graphql(
            "mutation($id: UUID!) { cancelInsight(id: $id) { status } }",
            json!({ "id": id }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");

    let retried = app
        .ok(
            "mutation($id: UUID!) { retryInsight(id: $id) { status } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(retried["retryInsight"]["status"], "QUEUED");
    wait_for(&app, &me.access, &id, "SUCCEEDED", Duration::from_secs(30)).await;
}

#[tokio::test]
async fn bad_requests_and_other_users_reports_are_refused() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("owner@example.com").await;
    let other = app.register("nosy@example.com").await;
    let backwards = app
        .graphql(REQUEST, json!({ "i": { "reportType": "DAILY", "periodStart": "2026-03-08", "periodEnd": "2026-03-01" } }), Some(&me.access))
        .await;
    assert_eq!(error_code(&backwards), "VALIDATION");
    assert_eq!(error_field(&backwards), "input.periodEnd");
    let too_long = app
        .graphql(REQUEST, json!({ "i": { "reportType": "ANNUAL", "periodStart": "2025-01-01", "periodEnd": "2026-06-30" } }), Some(&me.access))
        .await;
    assert_eq!(error_field(&too_long), "input.periodEnd");
    let id = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    let nosy = app
        .graphql(GET, json!({ "id": id }), Some(&other.access))
        .await;
    assert_eq!(error_code(&nosy), "NOT_FOUND");
    let delete = app
        .graphql(
            "mutation($id: UUID!) { deleteInsight(id: $id) }",
            json!({ "id": id }),
            Some(&other.access),
        )
        .await;
    assert_eq!(error_code(&delete), "NOT_FOUND");

    let refused = ws::connect(app.port(), json!({ "Authorization": "Bearer forged" })).await;
    assert!(refused.is_err(), "a bad token does not open a subscription");
    let mut sub = ws::connect(app.port(), json!({ "token": other.access }))
        .await
        .expect("connects");
    sub.subscribe(
        "1",
        "subscription($id: UUID!) { insightUpdates(id: $id) { status } }",
        json!({ "id": id }),
    )
    .await;
    let payload = sub.next(Duration::from_secs(5)).await.expect("an answer");
    assert_eq!(
        payload["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{payload}"
    );
}

#[tokio::test]
async fn a_subscription_socket_closes_once_its_session_is_revoked() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.graphql.ws_recheck_secs = 1).await;
    let me = app.register("closing@example.com").await;
    let mut sub = ws::connect(
        app.port(),
        json!({ "Authorization": format!("Bearer {}", me.access) }),
    )
    .await
    .expect("connects");
    sub.subscribe("1", MY_UPDATES, json!({})).await;
    assert!(
        !sub.closed_within(Duration::from_millis(1500)).await,
        "open while the session lives"
    );
    app.ok(
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": me.refresh }),
        &me.access,
    )
    .await;
    let started = Instant::now();
    assert!(
        sub.closed_within(Duration::from_secs(5)).await,
        "the socket is closed after logout"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A report tells what the person did: an unconfirmed draft in the period
/// (an import, a connector's) is not in what the model is sent.
#[tokio::test]
async fn drafts_stay_out_of_a_report_until_confirmed() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("owner@example.com").await;
    let ids = seed_week(&app, &me.access, "for real").await;
    app.create_entry(
        &me.access,
        json!({ "title": "Imported meeting", "isDraft": true,
                "startTime": "2026-03-04T13:00:00Z", "endTime": "2026-03-04T14:00:00Z" }),
    )
    .await;
    let insight = request(&app, &me.access, "2026-03-02", "2026-03-08").await;

    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    let job = entity::job::Entity::find()
        .filter(entity::job::Column::InsightId.eq(insight.parse::<uuid::Uuid>().expect("uuid")))
        .one(&db)
        .await
        .expect("query")
        .expect("the report's job");
    let sent: Vec<&str> = job.payload["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(sent, ids.iter().map(String::as_str).collect::<Vec<_>>());
}
