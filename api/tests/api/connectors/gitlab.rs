//! Done-when 2 (GitLab): the expected drafts, pagination followed, a 429
//! waited out, a 401 shown as a connector error, a second sync that adds
//! nothing, and an updated MR title that changes its draft but not a
//! confirmed entry.

use serde_json::{Value, json};
use std::sync::atomic::Ordering;

use super::fake_gitlab::{FakeGitlab, GOOD_TOKEN};
use super::{entries, sync_and_wait};
use crate::helpers::{TestApp, spawn_app};

async fn connect(app: &TestApp, token: &str, gitlab: &FakeGitlab, pat: &str) -> String {
    let data = app
        .ok(
            "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { id kind } }",
            json!({ "i": { "kind": "GITLAB", "baseUrl": gitlab.base, "token": pat } }),
            token,
        )
        .await;
    assert_eq!(data["configureConnector"]["kind"], "GITLAB");
    data["configureConnector"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn titles(rows: &[Value]) -> Vec<&str> {
    rows.iter()
        .map(|r| r["title"].as_str().unwrap_or_default())
        .collect()
}

fn at(n: i64, time: &str) -> String {
    let day = chrono::Utc::now().date_naive() - chrono::Duration::days(n);
    format!("{day}T{time}+00:00")
}

#[tokio::test]
async fn a_gitlab_sync_creates_the_expected_drafts_once_waiting_out_a_429() {
    let app = spawn_app().await;
    let me = app.register("ada@example.com").await;
    let gitlab = FakeGitlab::start().await;
    let id = connect(&app, &me.access, &gitlab, GOOD_TOKEN).await;
    gitlab
        .knobs
        .rate_limit_next_list
        .store(true, Ordering::SeqCst);

    let first = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(first["status"], "OK", "{first}");
    assert_eq!(first["lastResult"]["created"], 4);
    let rows = entries(&app, &me.access).await;
    assert_eq!(
        titles(&rows),
        [
            "Wrote and merged MR !12 Add SEPA refunds (payments)",
            "Opened MR !5 Tidy the login form (web)",
            "Reviewed MR !40 Cache exchange rates (payments)",
            "Closed issue #34 Login fails on Safari (web)",
        ]
    );
    // The first of the MR's commits (listed newest first) to its opening.
    assert_eq!(rows[0]["startTime"], at(3, "10:30:00"));
    assert_eq!(rows[0]["endTime"], at(3, "13:00:00"));
    assert_eq!(rows[0]["tags"], json!(["payments"]));
    // Ada's comment and approval (not Bob's reply nor GitLab's "added 1
    // commit"): from 30 minutes before the comment to the approval.
    assert_eq!(rows[2]["activityType"], "REVIEW");
    assert_eq!(rows[2]["startTime"], at(1, "13:30:00"));
    assert_eq!(rows[2]["endTime"], at(1, "14:20:00"));
    assert_eq!(
        rows[2]["description"],
        "https://gitlab.example.com/acme/platform/payments/-/merge_requests/40#note_904"
    );
    assert_eq!(rows[3]["tags"], json!(["bug", "web"]));

    let requests = gitlab.requests();
    assert!(
        requests.iter().any(|r| r.contains("page=2")),
        "the Link header's next page was read: {requests:?}"
    );
    let authored_first_page = requests
        .iter()
        .filter(|r| r.contains("scope=created_by_me") && !r.contains("page=2"))
        .count();
    assert_eq!(authored_first_page, 2, "asked again once after the 429");

    let second = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(
        second["lastResult"],
        json!({ "created": 0, "updated": 0, "removed": 0 })
    );
    assert_eq!(entries(&app, &me.access).await, rows);
}

#[tokio::test]
async fn an_updated_mr_title_updates_its_draft_and_a_confirmed_entry_stays() {
    let app = spawn_app().await;
    let me = app.register("ada@example.com").await;
    let gitlab = FakeGitlab::start().await;
    let id = connect(&app, &me.access, &gitlab, GOOD_TOKEN).await;
    sync_and_wait(&app, &me.access, &id).await;
    let rows = entries(&app, &me.access).await;
    let merged = rows[0]["id"].clone();

    gitlab.set("title12", "Add SEPA refunds and mandates");
    let synced = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(synced["lastResult"]["updated"], 1);
    let after = entries(&app, &me.access).await;
    assert_eq!(after[0]["id"], merged);
    assert_eq!(
        after[0]["title"],
        "Wrote and merged MR !12 Add SEPA refunds and mandates (payments)"
    );

    app.ok(
        "mutation($id: UUID!) { updateLogEntry(id: $id, input: { isDraft: false }) { id } }",
        json!({ "id": merged }),
        &me.access,
    )
    .await;
    gitlab.set("title12", "Something else entirely");
    let synced = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(synced["lastResult"]["updated"], 0);
    let last = entries(&app, &me.access).await;
    assert_eq!(last[0]["title"], after[0]["title"], "confirmed: untouched");
    assert_eq!(last[0]["isDraft"], false);
}

#[tokio::test]
async fn a_rejected_gitlab_token_is_a_clear_connector_error() {
    let app = spawn_app().await;
    let me = app.register("ada@example.com").await;
    let gitlab = FakeGitlab::start().await;
    let id = connect(&app, &me.access, &gitlab, "glpat-revoked").await;
    let synced = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(synced["status"], "FAILED");
    let error = synced["lastError"].as_str().unwrap_or_default();
    assert!(error.contains("token was rejected (401)"), "{error}");
    assert!(!error.contains("glpat"), "{error}");
    assert!(entries(&app, &me.access).await.is_empty());
}
