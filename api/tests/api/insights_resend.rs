//! A report request resent with the same client request id (a client that
//! timed out and tried again) returns the first report instead of making a
//! second; the id is the caller's own, and a bad one changes nothing.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_field, spawn_app_on};

const REQUEST: &str =
    "mutation($i: RequestInsightInput!) { requestInsight(input: $i) { id status } }";
const LIST: &str = "{ insights(first: 50) { edges { node { id } } } }";

fn named(id: &str) -> Value {
    json!({ "i": { "reportType": "WEEKLY", "periodStart": "2026-03-02",
                   "periodEnd": "2026-03-08", "clientRequestId": id } })
}

async fn report_count(app: &TestApp, token: &str) -> usize {
    app.ok(LIST, json!({}), token).await["insights"]["edges"]
        .as_array()
        .map_or(0, Vec::len)
}

async fn a_resent_request_returns_the_first_report(app: TestApp) {
    let me = app.register("resend@example.com").await;
    let first =
        app.ok(REQUEST, named("req-7f3a"), &me.access).await["requestInsight"]["id"].clone();
    let again =
        app.ok(REQUEST, named("req-7f3a"), &me.access).await["requestInsight"]["id"].clone();
    assert_eq!(first, again, "the resend returns the first report");
    assert_eq!(report_count(&app, &me.access).await, 1);

    // Another name, or none, is another report.
    let other =
        app.ok(REQUEST, named("req-9c01"), &me.access).await["requestInsight"]["id"].clone();
    assert_ne!(other, first);
    assert_eq!(report_count(&app, &me.access).await, 2);

    // The name is the caller's own: someone else using it gets their own.
    let them = app.register("other@example.com").await;
    let theirs =
        app.ok(REQUEST, named("req-7f3a"), &them.access).await["requestInsight"]["id"].clone();
    assert_ne!(theirs, first);
    assert_eq!(report_count(&app, &them.access).await, 1);

    // Bad names are refused and write nothing.
    for bad in ["", "  padded ", &"x".repeat(101)] {
        let body = app.graphql(REQUEST, named(bad), Some(&me.access)).await;
        assert_eq!(error_field(&body), "input.clientRequestId", "{body}");
    }
    assert_eq!(report_count(&app, &me.access).await, 2);
}

#[tokio::test]
async fn a_resent_request_returns_the_first_report_on_sqlite() {
    a_resent_request_returns_the_first_report(spawn_app_on(Backend::Sqlite).await).await;
}

#[tokio::test]
async fn a_resent_request_returns_the_first_report_on_postgres() {
    a_resent_request_returns_the_first_report(spawn_app_on(Backend::Postgres).await).await;
}
