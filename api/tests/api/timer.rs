//! The running timer: one per person, kept by the server, stopped into an
//! entry; starting a second stops the first. Bad input changes nothing.

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, error_field};
use crate::on_both_backends;

const START: &str = "mutation($input: StartTimerInput!) { startTimer(input: $input) {
    timer { title description activityType projectId tags valueRating impactLevel startedAt }
    stoppedEntry { title tags durationMinutes isDraft valueRating } } }";
const RUNNING: &str = "{ runningTimer { title startedAt } }";
const STOP: &str = "mutation($end: DateTime) { stopTimer(endTime: $end) {
    id title description activityType projectId tags startTime endTime durationMinutes valueRating impactLevel isDraft } }";
const DISCARD: &str = "mutation { discardTimer }";

fn rfc3339(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An instant the API returned.
fn instant(value: &Value) -> chrono::DateTime<Utc> {
    let text = value.as_str().expect("an RFC 3339 instant");
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

async fn running(app: &TestApp, token: &str) -> Value {
    app.ok(RUNNING, json!({}), token).await["runningTimer"].clone()
}

async fn a_timer_runs_on_the_server_and_stops_into_an_entry(app: TestApp) {
    let me = app.register("timer@example.com").await;
    let project = app.create_project(&me.access, "Payments").await;
    assert_eq!(running(&app, &me.access).await, Value::Null);

    let started_at = Utc::now() - Duration::minutes(45);
    let input = json!({ "title": "Fix checkout 502", "description": "502s under load\nretry storm",
        "activityType": "DEBUG", "projectId": project, "tags": ["Incident", "incident"],
        "valueRating": "HIGH", "impactLevel": "COMPANY", "startTime": rfc3339(started_at) });
    let first = app.ok(START, json!({ "input": input }), &me.access).await["startTimer"].clone();
    assert_eq!(first["stoppedEntry"], Value::Null);
    assert_eq!(first["timer"]["tags"], json!(["incident"]));
    assert_eq!(first["timer"]["projectId"], project.as_str());
    // Another request (a reload, another device) sees the same timer.
    assert_eq!(running(&app, &me.access).await["title"], "Fix checkout 502");

    let entry = app.ok(STOP, json!({}), &me.access).await["stopTimer"].clone();
    assert_eq!(entry["title"], "Fix checkout 502");
    assert_eq!(entry["description"], "502s under load\nretry storm");
    assert_eq!(entry["activityType"], "DEBUG");
    assert_eq!(entry["projectId"], project.as_str());
    assert_eq!(entry["tags"], json!(["incident"]));
    assert_eq!(entry["valueRating"], "HIGH");
    assert_eq!(entry["impactLevel"], "COMPANY");
    assert_eq!(entry["isDraft"], false);
    assert_eq!(rfc3339(instant(&entry["startTime"])), rfc3339(started_at));
    // Rounded up to whole minutes from the start: 45, or 46 if the clock
    // ticked past a second boundary meanwhile.
    let minutes = entry["durationMinutes"].as_i64().expect("minutes");
    assert!((45..=46).contains(&minutes), "{minutes}");
    assert_eq!(running(&app, &me.access).await, Value::Null);
    assert_eq!(
        app.entry_titles(&me.access, json!({})).await,
        vec!["Fix checkout 502".to_owned()]
    );

    let again = app.graphql(STOP, json!({}), Some(&me.access)).await;
    assert_eq!(error_code(&again), "NOT_FOUND");
    assert_eq!(
        app.ok(DISCARD, json!({}), &me.access).await["discardTimer"],
        false
    );
}

async fn starting_a_second_timer_stops_the_first(app: TestApp) {
    let me = app.register("timer@example.com").await;
    let other = app.register("other@example.com").await;
    let first = json!({ "title": "Review PR 812", "activityType": "REVIEW", "tags": ["payments"],
        "startTime": rfc3339(Utc::now() - Duration::minutes(20)) });
    app.ok(START, json!({ "input": first }), &me.access).await;
    // Someone else's timer is theirs alone.
    let theirs = json!({ "title": "Standup", "activityType": "MEETING" });
    app.ok(START, json!({ "input": theirs }), &other.access)
        .await;

    let second = json!({ "title": "Write the runbook", "activityType": "DOCS" });
    let started = app.ok(START, json!({ "input": second }), &me.access).await["startTimer"].clone();
    assert_eq!(started["timer"]["title"], "Write the runbook");
    assert_eq!(started["stoppedEntry"]["title"], "Review PR 812");
    assert_eq!(started["stoppedEntry"]["tags"], json!(["payments"]));
    assert_eq!(started["stoppedEntry"]["valueRating"], "MEDIUM");
    let minutes = started["stoppedEntry"]["durationMinutes"]
        .as_i64()
        .expect("minutes");
    assert!((20..=21).contains(&minutes), "{minutes}");
    assert_eq!(
        running(&app, &me.access).await["title"],
        "Write the runbook"
    );
    assert_eq!(running(&app, &other.access).await["title"], "Standup");

    assert_eq!(
        app.ok(DISCARD, json!({}), &me.access).await["discardTimer"],
        true
    );
    assert_eq!(running(&app, &me.access).await, Value::Null);
    assert_eq!(running(&app, &other.access).await["title"], "Standup");
    assert_eq!(
        app.entry_titles(&me.access, json!({})).await,
        vec!["Review PR 812".to_owned()]
    );
}

async fn bad_timer_input_is_refused_and_changes_nothing(app: TestApp) {
    let me = app.register("timer@example.com").await;
    let start = |input: Value| {
        let token = me.access.clone();
        let app = &app;
        async move {
            app.graphql(START, json!({ "input": input }), Some(&token))
                .await
        }
    };
    let blank = start(json!({ "title": "  ", "activityType": "CODE" })).await;
    assert_eq!(error_code(&blank), "VALIDATION");
    assert_eq!(error_field(&blank), "title");
    let old = Utc::now() - Duration::hours(25);
    let too_old =
        start(json!({ "title": "Deploy", "activityType": "OPS", "startTime": rfc3339(old) })).await;
    assert_eq!(error_field(&too_old), "startTime");
    let later = Utc::now() + Duration::hours(1);
    let future =
        start(json!({ "title": "Deploy", "activityType": "OPS", "startTime": rfc3339(later) }))
            .await;
    assert_eq!(error_field(&future), "startTime");
    let long_tag = "t".repeat(51);
    let bad_tag =
        start(json!({ "title": "Deploy", "activityType": "OPS", "tags": [long_tag] })).await;
    assert_eq!(error_code(&bad_tag), "VALIDATION");
    let missing_project = start(json!({ "title": "Deploy", "activityType": "OPS",
        "projectId": "01890000-0000-7000-8000-000000000000" }))
    .await;
    assert_eq!(error_code(&missing_project), "NOT_FOUND");
    assert_eq!(running(&app, &me.access).await, Value::Null);

    let begun = Utc::now() - Duration::minutes(10);
    let ok = json!({ "title": "Deploy", "activityType": "OPS", "startTime": rfc3339(begun) });
    app.ok(START, json!({ "input": ok }), &me.access).await;
    let stop = |end: chrono::DateTime<Utc>| {
        let token = me.access.clone();
        let app = &app;
        async move {
            app.graphql(STOP, json!({ "end": rfc3339(end) }), Some(&token))
                .await
        }
    };
    let before_start = stop(begun - Duration::minutes(5)).await;
    assert_eq!(error_code(&before_start), "VALIDATION");
    assert_eq!(error_field(&before_start), "endTime");
    let in_future = stop(Utc::now() + Duration::hours(2)).await;
    assert_eq!(error_field(&in_future), "endTime");
    // Still running, and no entry was written.
    assert_eq!(running(&app, &me.access).await["title"], "Deploy");
    assert!(app.entry_titles(&me.access, json!({})).await.is_empty());

    // An explicit end inside the span is taken as given.
    let end = begun + Duration::minutes(7);
    let entry = app
        .ok(STOP, json!({ "end": rfc3339(end) }), &me.access)
        .await["stopTimer"]
        .clone();
    assert_eq!(entry["durationMinutes"], 7);
    assert_eq!(rfc3339(instant(&entry["endTime"])), rfc3339(end));

    let anonymous = app.graphql(RUNNING, json!({}), None).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

on_both_backends!(
    a_timer_runs_on_the_server_and_stops_into_an_entry,
    starting_a_second_timer_stops_the_first,
    bad_timer_input_is_refused_and_changes_nothing,
);
