//! Connectors: activity from a forge arrives as drafts, once, and never
//! changes what the person confirmed. GitHub and GitLab are local servers
//! answering with the documented REST responses; everything else is real.

pub(crate) mod calendar;
pub(crate) mod calendar_events;
mod calendar_feed;
mod dismissed;
pub(crate) mod fake_github;
mod fake_gitlab;
mod fixtures;
mod github;
mod gitlab;
pub(crate) mod radicale;
mod scheduler;

use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::helpers::TestApp;

pub const CONNECTOR_FIELDS: &str = "id kind baseUrl account status syncPending lastSyncAt lastError \
    consecutiveFailures nextSyncAt lastResult { created updated removed }";

/// Every entry of the person with what a reviewer checks, oldest first.
pub async fn entries(app: &TestApp, token: &str) -> Vec<Value> {
    let data = app
        .ok(
            "query { logEntries(first: 100) { edges { node { id title description activityType \
             startTime endTime tags isDraft } } } }",
            json!({}),
            token,
        )
        .await;
    let mut rows: Vec<Value> = data["logEntries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    rows.sort_by_key(|r| r["startTime"].as_str().unwrap_or_default().to_owned());
    rows
}

/// Asks for a sync now and polls the connector until it is no longer
/// syncing (the way a client follows it); returns the connector.
pub async fn sync_and_wait(app: &TestApp, token: &str, id: &str) -> Value {
    let before = app
        .ok(
            &format!("query($id: UUID!) {{ connector(id: $id) {{ {CONNECTOR_FIELDS} }} }}"),
            json!({ "id": id }),
            token,
        )
        .await["connector"]["lastSyncAt"]
        .clone();
    let requested = app
        .ok(
            "mutation($id: UUID!) { syncConnector(id: $id) { syncPending } }",
            json!({ "id": id }),
            token,
        )
        .await;
    assert_eq!(requested["syncConnector"]["syncPending"], true);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let c = app
            .ok(
                &format!("query($id: UUID!) {{ connector(id: $id) {{ {CONNECTOR_FIELDS} }} }}"),
                json!({ "id": id }),
                token,
            )
            .await["connector"]
            .clone();
        if c["status"] != "SYNCING" && c["lastSyncAt"] != before && !c["lastSyncAt"].is_null() {
            assert_eq!(c["syncPending"], false, "{c}");
            return c;
        }
        assert!(Instant::now() < deadline, "the sync never finished: {c}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The server's state, for driving the scheduler's passes directly.
pub async fn scheduler_state(app: &TestApp) -> englog_api::state::AppState {
    crate::helpers::background_state(app, None).await
}

pub async fn connector(app: &TestApp, token: &str, id: &str) -> Value {
    app.ok(
        &format!("query($id: UUID!) {{ connector(id: $id) {{ {CONNECTOR_FIELDS} }} }}"),
        json!({ "id": id }),
        token,
    )
    .await["connector"]
        .clone()
}
