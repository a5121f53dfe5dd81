//! Done-when 2 (GitHub): the expected drafts, pagination followed, a
//! rate-limited answer waited out, a 401 shown as a connector error, a
//! second sync that adds nothing, and an updated PR title that changes
//! its draft but not a confirmed entry.

use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

use super::fake_github::{FakeGithub, GOOD_TOKEN};
use super::{CONNECTOR_FIELDS, entries, sync_and_wait};
use crate::helpers::{Backend, TestApp, spawn_app, spawn_app_on};

const CONFIGURE: &str = "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { id kind baseUrl status } }";

pub(super) async fn connect(app: &TestApp, token: &str, github: &FakeGithub, pat: &str) -> String {
    let data = app
        .ok(
            CONFIGURE,
            json!({ "i": { "kind": "GITHUB", "baseUrl": github.base, "token": pat,
                           "projectRules": [{ "repository": "acme/payments-api", "project": "Payments" }] } }),
            token,
        )
        .await;
    let c = &data["configureConnector"];
    assert_eq!(c["status"], "PENDING");
    c["id"].as_str().expect("id").to_owned()
}

fn titles(rows: &[Value]) -> Vec<&str> {
    rows.iter()
        .map(|r| r["title"].as_str().unwrap_or_default())
        .collect()
}

fn by_title<'a>(rows: &'a [Value], prefix: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["title"].as_str().unwrap_or_default().starts_with(prefix))
        .unwrap_or_else(|| panic!("no entry titled {prefix}…: {rows:?}"))
}

/// `YYYY-MM-DDTHH:MM:SS+00:00` on the day `n` days ago, as the API prints it.
fn at(n: i64, time: &str) -> String {
    let day = chrono::Utc::now().date_naive() - chrono::Duration::days(n);
    format!("{day}T{time}+00:00")
}

#[tokio::test]
async fn a_github_sync_creates_the_expected_drafts_once_following_pagination() {
    expected_drafts_once(Backend::Postgres).await;
}

#[tokio::test]
async fn a_github_sync_creates_the_expected_drafts_once_on_sqlite() {
    expected_drafts_once(Backend::Sqlite).await;
}

async fn expected_drafts_once(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let me = app.register("octo@example.com").await;
    let payments = app.create_project(&me.access, "Payments").await;
    let github = FakeGithub::start().await;
    let id = connect(&app, &me.access, &github, GOOD_TOKEN).await;

    let first = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(first["status"], "OK", "{first}");
    assert_eq!(
        first["lastResult"],
        json!({ "created": 4, "updated": 0, "removed": 0 })
    );
    let rows = entries(&app, &me.access).await;
    assert_eq!(
        titles(&rows),
        [
            "Wrote and merged PR #812 Add idempotency keys for refunds (payments-api)",
            "Opened PR #77 Fix flaky checkout test (web-app)",
            "Reviewed PR #901 Retry webhooks with jitter (payments-api)",
            "Closed issue #34 Login fails on Safari (web-app)",
        ]
    );
    assert!(rows.iter().all(|r| r["isDraft"] == true));

    // From the first commit to the PR's opening (3 h, under the cap).
    let pr = by_title(&rows, "Wrote and merged PR #812");
    assert_eq!(pr["activityType"], "CODE");
    assert_eq!(pr["startTime"], at(3, "11:00:00"));
    assert_eq!(pr["endTime"], at(3, "14:00:00"));
    assert_eq!(pr["tags"], json!(["backend", "payments-api"]));
    assert_eq!(
        pr["description"],
        "https://github.com/acme/payments-api/pull/812"
    );
    // The first commit is days earlier: capped at 4 hours before opening.
    let opened = by_title(&rows, "Opened PR #77");
    assert_eq!(opened["startTime"], at(2, "05:30:00"));
    assert_eq!(opened["endTime"], at(2, "09:30:00"));
    // Two reviews that day (another reviewer's and a pending one left
    // out): one draft from 30 minutes before the first to the last.
    let review = by_title(&rows, "Reviewed PR #901");
    assert_eq!(review["activityType"], "REVIEW");
    assert_eq!(review["startTime"], at(1, "09:30:00"));
    assert_eq!(review["endTime"], at(1, "10:40:00"));
    let issue = by_title(&rows, "Closed issue #34");
    assert_eq!(issue["tags"], json!(["bug", "good-first-issue", "web-app"]));
    assert_eq!(issue["endTime"], at(1, "16:00:00"));

    // The project rule filed the payments-api drafts.
    let filed = app
        .ok(
            "query($f: LogEntryFilter) { logEntries(first: 10, filter: $f) { edges { node { title } } } }",
            json!({ "f": { "projectId": payments } }),
            &me.access,
        )
        .await;
    assert_eq!(
        filed["logEntries"]["edges"].as_array().map(Vec::len),
        Some(2)
    );

    // Page 2 of the authored PRs came from the Link header.
    let requests = github.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("/search/issues") && r.contains("page=2")),
        "{requests:?}"
    );

    let second = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(
        second["lastResult"],
        json!({ "created": 0, "updated": 0, "removed": 0 })
    );
    assert_eq!(entries(&app, &me.access).await, rows, "nothing changed");
}

#[tokio::test]
async fn an_updated_pr_title_updates_its_draft_but_never_a_confirmed_entry() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let github = FakeGithub::start().await;
    let id = connect(&app, &me.access, &github, GOOD_TOKEN).await;
    sync_and_wait(&app, &me.access, &id).await;
    let rows = entries(&app, &me.access).await;
    let confirmed = by_title(&rows, "Opened PR #77")["id"].clone();
    app.ok(
        "mutation($id: UUID!, $input: UpdateLogEntryInput!) { updateLogEntry(id: $id, input: $input) { id } }",
        json!({ "id": confirmed, "input": { "isDraft": false } }),
        &me.access,
    )
    .await;

    // The person corrects a draft without confirming it yet; the source
    // has nothing new for it, so syncs leave the correction alone.
    let edited = by_title(&rows, "Closed issue #34")["id"].clone();
    app.ok(
        "mutation($id: UUID!, $input: UpdateLogEntryInput!) { updateLogEntry(id: $id, input: $input) { id } }",
        json!({ "id": edited, "input": { "title": "Fixed the Safari login loop" } }),
        &me.access,
    )
    .await;

    github.set("title812", "Idempotency keys for refunds and chargebacks");
    github.set("title77", "Fix the flaky checkout test for good");
    // The approval is dismissed; the earlier comment stays.
    github.set("review82", "DISMISSED");
    let synced = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(
        synced["lastResult"],
        json!({ "created": 0, "updated": 2, "removed": 0 })
    );
    let after = entries(&app, &me.access).await;
    assert_eq!(after.len(), 4);
    by_title(
        &after,
        "Wrote and merged PR #812 Idempotency keys for refunds and chargebacks",
    );
    let kept = by_title(&after, "Opened PR #77 Fix flaky checkout test (web-app)");
    assert_eq!(kept["id"], confirmed);
    assert_eq!(kept["isDraft"], false);
    let corrected = after
        .iter()
        .find(|r| r["id"] == edited)
        .expect("still there");
    assert_eq!(corrected["title"], "Fixed the Safari login loop");
    assert_eq!(corrected["isDraft"], true);
    // Only the comment is left that day: 09:30–10:00.
    assert_eq!(
        by_title(&after, "Reviewed PR #901")["endTime"],
        at(1, "10:00:00")
    );

    // Both reviews dismissed: the review draft goes away.
    github.set("review81", "DISMISSED");
    let synced = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(synced["lastResult"]["removed"], 1);
    let last = entries(&app, &me.access).await;
    assert!(
        !titles(&last).iter().any(|t| t.starts_with("Reviewed")),
        "{last:?}"
    );
}

#[tokio::test]
async fn a_rate_limited_answer_is_waited_out_instead_of_failing() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let github = FakeGithub::start().await;
    let id = connect(&app, &me.access, &github, GOOD_TOKEN).await;
    github
        .knobs
        .rate_limit_next_search
        .store(true, Ordering::SeqCst);

    let synced = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(synced["status"], "OK", "{synced}");
    assert_eq!(synced["lastResult"]["created"], 4);
    // The refused search was asked again once after the reset, no more.
    let first_page: Vec<String> = github
        .requests()
        .into_iter()
        .filter(|r| r.contains("author%3Aoctocat") && !r.contains("page=2"))
        .collect();
    assert_eq!(first_page.len(), 2, "{first_page:?}");
}

#[tokio::test]
async fn a_rejected_token_is_a_clear_connector_error_and_changes_nothing() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let github = FakeGithub::start().await;
    let id = connect(
        &app,
        &me.access,
        &github,
        "ghp_revoked0000000000000000000000000000",
    )
    .await;

    let test = app
        .ok(
            "mutation($id: UUID!) { testConnector(id: $id) { ok account message } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(test["testConnector"]["ok"], false);
    assert!(
        test["testConnector"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("401"),
        "{test}"
    );

    let synced = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(synced["status"], "FAILED");
    assert_eq!(synced["consecutiveFailures"], 1);
    let error = synced["lastError"].as_str().unwrap_or_default();
    assert!(error.contains("token was rejected (401)"), "{error}");
    assert!(!error.contains("ghp_"), "no token in the message: {error}");
    // Backoff: not retried at once.
    let next: chrono::DateTime<chrono::Utc> = synced["nextSyncAt"]
        .as_str()
        .expect("next")
        .parse()
        .expect("date");
    assert!(next > chrono::Utc::now());
    assert!(entries(&app, &me.access).await.is_empty());

    // A new token fixes it; the connector is the same one.
    let again = app
        .ok(
            CONFIGURE,
            json!({ "i": { "kind": "GITHUB", "baseUrl": github.base, "token": GOOD_TOKEN } }),
            &me.access,
        )
        .await;
    assert_eq!(again["configureConnector"]["id"], id);
    let test = app
        .ok(
            "mutation($id: UUID!) { testConnector(id: $id) { ok account } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(test["testConnector"]["account"], "octocat");
    let fixed = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(fixed["status"], "OK");
    assert!(fixed["lastError"].is_null());
}

#[tokio::test]
async fn connectors_are_private_and_their_input_is_checked() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let other = app.register("other@example.com").await;
    let github = FakeGithub::start().await;
    let id = connect(&app, &me.access, &github, GOOD_TOKEN).await;

    let theirs = app
        .graphql(
            &format!("query($id: UUID!) {{ connector(id: $id) {{ {CONNECTOR_FIELDS} }} }}"),
            json!({ "id": id }),
            Some(&other.access),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&theirs), "NOT_FOUND");
    let list = app
        .ok("query { connectors { id } }", json!({}), &other.access)
        .await;
    assert_eq!(list["connectors"], json!([]));

    for (input, field) in [
        (
            json!({ "kind": "GITHUB", "baseUrl": "ftp://x", "token": "t" }),
            "baseUrl",
        ),
        (
            json!({ "kind": "GITHUB", "baseUrl": "https://u:p@ghe.example.com/api/v3", "token": "t" }),
            "baseUrl",
        ),
        (
            json!({ "kind": "GITHUB", "baseUrl": "https://ghe.example.com/api/v3" }),
            "token",
        ),
        (
            json!({ "kind": "GITHUB", "token": "t", "intervalMinutes": 1 }),
            "intervalMinutes",
        ),
    ] {
        let body = app
            .graphql(CONFIGURE, json!({ "i": input }), Some(&me.access))
            .await;
        assert_eq!(crate::helpers::error_code(&body), "VALIDATION", "{body}");
        assert_eq!(crate::helpers::error_field(&body), field, "{body}");
    }
    let mine = app
        .ok("query { connectors { id } }", json!({}), &me.access)
        .await;
    assert_eq!(mine["connectors"].as_array().map(Vec::len), Some(1));

    // Stored sealed: the token appears nowhere in the row.
    let state = super::scheduler_state(&app).await;
    let row = entity::connector::Entity::find_by_id(uuid::Uuid::parse_str(&id).unwrap())
        .one(&state.db)
        .await
        .expect("query")
        .expect("row");
    assert!(row.sealed_credentials.starts_with("v1:"));
    assert!(!format!("{row:?}").contains(GOOD_TOKEN));

    let removed = app
        .ok(
            "mutation($id: UUID!) { removeConnector(id: $id) }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(removed["removeConnector"], true);
    let mine = app
        .ok("query { connectors { id } }", json!({}), &me.access)
        .await;
    assert_eq!(mine["connectors"], json!([]));
}
