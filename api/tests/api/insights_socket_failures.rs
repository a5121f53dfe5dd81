//! Failures behind a subscription socket: a credential that cannot be
//! checked, a report that can no longer be read. Each is answered as an
//! error the client sees, never as a refusal or a silent end.

use serde_json::json;
use std::time::Duration;

use crate::helpers::{Backend, spawn_app_with};
use crate::insights::request;
use crate::ws;

#[tokio::test]
async fn a_socket_whose_token_cannot_be_checked_gets_an_internal_error_not_a_refusal() {
    let app = spawn_app_with(Backend::Postgres, |_| {}).await;
    let me = app.register("unchecked@example.com").await;
    let data = app
        .ok(
            "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }",
            json!({ "input": { "name": "socket", "scope": "READ" } }),
            &me.access,
        )
        .await;
    let token = data["createApiToken"]["token"].as_str().expect("a token");
    // API tokens are checked in the database on every connection.
    app.execute_sql("ALTER TABLE api_tokens RENAME TO api_tokens_away")
        .await;
    let broken = ws::connect(app.port(), json!({ "token": token })).await;
    app.execute_sql("ALTER TABLE api_tokens_away RENAME TO api_tokens")
        .await;
    match broken {
        Err(reason) => assert_eq!(reason, "internal error"),
        Ok(_) => panic!("a token that could not be checked opened a socket"),
    }
    let missing = ws::connect(app.port(), json!({})).await;
    match missing {
        Err(reason) => assert_eq!(reason, "authentication required"),
        Ok(_) => panic!("a socket without a token opened"),
    }
    ws::connect(app.port(), json!({ "token": token }))
        .await
        .expect("the same token opens a socket once the database answers");
}

#[tokio::test]
async fn a_report_that_can_no_longer_be_read_ends_its_subscription_with_an_error() {
    // Once the report ends (here: cancelled), the stored report carries a
    // type no report has, so reading it back for the subscription's last
    // update fails.
    let app = spawn_app_with(Backend::Postgres, |_| {}).await;
    app.execute_sql(
        "CREATE FUNCTION spoil_report() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN NEW.report_type := 'bogus'; RETURN NEW; END $$; \
         CREATE TRIGGER spoil_report BEFORE UPDATE ON insights FOR EACH ROW \
         WHEN (NEW.status IN ('succeeded', 'failed', 'cancelled')) \
         EXECUTE FUNCTION spoil_report();",
    )
    .await;
    let me = app.register("unreadable@example.com").await;
    let id = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    let mut sub = ws::connect(app.port(), json!({ "token": me.access }))
        .await
        .expect("connects");
    sub.subscribe(
        "1",
        "subscription($id: UUID!) { insightUpdates(id: $id) { status } }",
        json!({ "id": id }),
    )
    .await;
    let first = sub
        .answer_to("1", Duration::from_secs(5))
        .await
        .expect("the current state");
    let mut seen = vec![first["data"]["insightUpdates"]["status"].clone()];
    app.graphql(
        "mutation($id: UUID!) { cancelInsight(id: $id) { id } }",
        json!({ "id": id }),
        Some(&me.access),
    )
    .await;
    let last = loop {
        let answer = sub
            .answer_to("1", Duration::from_secs(20))
            .await
            .unwrap_or_else(|| panic!("the subscription stopped without an error after {seen:?}"));
        if answer.get("errors").is_some() {
            break answer;
        }
        let status = answer["data"]["insightUpdates"]["status"].clone();
        assert!(
            status == "QUEUED" || status == "RUNNING",
            "no terminal state reads back: {answer}"
        );
        seen.push(status);
    };
    assert_eq!(last["errors"][0]["message"], "internal error", "{last}");
    assert_eq!(
        last["errors"][0]["extensions"]["code"], "INTERNAL",
        "{last}"
    );
}
