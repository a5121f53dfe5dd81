//! The scheduler: due connectors sync, one at a time per person; a
//! failing one backs off; a forge's 500 or a cut-off body is a clear
//! error that leaves earlier drafts as they were.

use chrono::{DateTime, Duration, Utc};
use englog_api::connectors::scheduler::run_due;
use serde_json::json;
use std::sync::atomic::Ordering;

use super::fake_github::{FakeGithub, GOOD_TOKEN};
use super::github::connect;
use super::{connector, entries, scheduler_state, sync_and_wait};
use crate::helpers::spawn_app;

fn instant(value: &serde_json::Value) -> DateTime<Utc> {
    value
        .as_str()
        .expect("date-time")
        .parse()
        .expect("RFC 3339")
}

#[tokio::test]
async fn the_scheduler_syncs_one_connector_at_a_time_per_person() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let github = FakeGithub::start().await;
    let first = connect(&app, &me.access, &github, GOOD_TOKEN).await;
    // The same fake under another host name: a second connector.
    let other_base = github.base.replace("127.0.0.1", "localhost");
    let second = app
        .ok(
            "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { id } }",
            json!({ "i": { "kind": "GITHUB", "baseUrl": other_base, "token": GOOD_TOKEN } }),
            &me.access,
        )
        .await["configureConnector"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // Hold each sync open long enough for the other to try.
    github.knobs.delay_ms.store(100, Ordering::SeqCst);
    let state = scheduler_state(&app).await;

    assert_eq!(
        run_due(&state, Utc::now()).await.expect("pass"),
        1,
        "one of the two"
    );
    assert_eq!(
        run_due(&state, Utc::now()).await.expect("pass"),
        1,
        "then the other"
    );
    assert_eq!(
        run_due(&state, Utc::now()).await.expect("pass"),
        0,
        "none due"
    );
    for id in [&first, &second] {
        let c = connector(&app, &me.access, id).await;
        assert_eq!(c["status"], "OK", "{c}");
        // Next sync one interval (30 minutes by default) after this one.
        let wait = instant(&c["nextSyncAt"]) - instant(&c["lastSyncAt"]);
        assert_eq!(wait, Duration::minutes(30), "{c}");
    }
    // Two hosts, two sets of drafts; neither sync duplicated its own.
    assert_eq!(entries(&app, &me.access).await.len(), 8);
}

#[tokio::test]
async fn a_failing_connector_backs_off_and_keeps_its_error_visible() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let github = FakeGithub::start().await;
    let id = connect(
        &app,
        &me.access,
        &github,
        "ghp_wrong0000000000000000000000000000000",
    )
    .await;
    let state = scheduler_state(&app).await;

    assert_eq!(run_due(&state, Utc::now()).await.expect("pass"), 1);
    let c = connector(&app, &me.access, &id).await;
    assert_eq!(c["status"], "FAILED");
    let first_wait = instant(&c["nextSyncAt"]) - instant(&c["lastSyncAt"]);
    assert_eq!(first_wait.num_seconds(), 60, "{c}");
    // Not due again before the backoff ends.
    assert_eq!(run_due(&state, Utc::now()).await.expect("pass"), 0);
    let requests = github.requests().len();

    assert_eq!(
        run_due(&state, Utc::now() + Duration::seconds(61))
            .await
            .expect("pass"),
        1
    );
    let c = connector(&app, &me.access, &id).await;
    assert_eq!(c["consecutiveFailures"], 2);
    let second_wait = instant(&c["nextSyncAt"]) - instant(&c["lastSyncAt"]);
    assert_eq!(second_wait.num_seconds(), 120, "doubled: {c}");
    // One request per try: a rejected token is not retried in a loop.
    assert_eq!(github.requests().len(), requests + 1);
}

#[tokio::test]
async fn a_server_error_or_a_cut_off_body_is_a_clear_error_and_keeps_earlier_drafts() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let github = FakeGithub::start().await;
    let id = connect(&app, &me.access, &github, GOOD_TOKEN).await;
    sync_and_wait(&app, &me.access, &id).await;
    let before = entries(&app, &me.access).await;
    assert_eq!(before.len(), 4);

    for (failure, expected) in [
        ("500", "HTTP 500 on /search/issues"),
        ("truncated", "is not the expected JSON"),
    ] {
        *github.knobs.fail_next_search.lock().unwrap() = Some(failure);
        github.set("title812", "A title that must not arrive");
        let c = sync_and_wait(&app, &me.access, &id).await;
        assert_eq!(c["status"], "FAILED", "{c}");
        let error = c["lastError"].as_str().unwrap_or_default();
        assert!(error.contains(expected), "{failure}: {error}");
        assert_eq!(
            entries(&app, &me.access).await,
            before,
            "{failure}: untouched"
        );
    }
}

#[tokio::test]
async fn an_unreachable_base_url_is_a_clear_connector_error() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    // Nothing listens on port 9.
    let id = app
        .ok(
            "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { id } }",
            json!({ "i": { "kind": "GITHUB", "baseUrl": "http://127.0.0.1:9/api/v3", "token": GOOD_TOKEN } }),
            &me.access,
        )
        .await["configureConnector"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let c = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(c["status"], "FAILED");
    let error = c["lastError"].as_str().unwrap_or_default();
    assert!(error.starts_with("cannot reach the API"), "{error}");
}
