//! The ICS-feed form of the calendar connector: a secret address answered
//! with GET only (as Google, Outlook and Nextcloud publish them), by a
//! local server a test can make misbehave (not iCalendar, cut off, HTTP
//! 500, unreachable). Each failure is a clear connector error that leaves
//! the drafts as they were and is retried with backoff; the address never
//! shows.

use axum::http::StatusCode;
use axum::routing::get;
use serde_json::json;
use std::sync::{Arc, Mutex};

use super::calendar::{berliner, connect, connected_id, meetings};
use super::calendar_events::Plan;
use super::fixtures::{bind, serve};
use super::{entries, sync_and_wait};
use crate::helpers::{Backend, spawn_app, spawn_app_with};

const SECRET: &str = "private-5f1c0ffee0ddba11";

type Answer = Arc<Mutex<(StatusCode, String)>>;

async fn feed_server(answer: Answer) -> String {
    let listener = bind().await;
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = axum::Router::new().route(
        &format!("/calendar/ical/ada/{SECRET}/basic.ics"),
        get(move || {
            let answer = answer.clone();
            async move {
                let (status, body) = answer.lock().unwrap().clone();
                (status, [("content-type", "text/calendar")], body)
            }
        }),
    );
    serve(listener, app);
    base
}

#[tokio::test]
async fn an_ics_feed_syncs_and_a_bad_answer_is_a_clear_error_that_keeps_the_drafts() {
    let app = spawn_app().await;
    let me = berliner(&app).await;
    let plan = Plan::new();
    let answer: Answer = Arc::new(Mutex::new((StatusCode::OK, plan.feed(false))));
    let base = feed_server(answer.clone()).await;
    let url = format!("{base}/calendar/ical/ada/{SECRET}/basic.ics");
    let connector = connect(
        &app,
        &me.access,
        json!({ "kind": "CALENDAR", "baseUrl": url }),
    )
    .await;
    let id = connector["id"].as_str().expect("id").to_owned();
    assert_eq!(connector["baseUrl"], format!("{base}/…"));

    let first = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(first["status"], "OK", "{first}");
    assert_eq!(meetings(&app, &me.access).await, plan.drafts(false));

    let cases = [
        (
            StatusCode::OK,
            "<!doctype html><html><body>Sign in</body></html>".to_owned(),
            "this address does not serve a calendar: the answer is not iCalendar data \
             (check that it is the ICS feed or CalDAV calendar address)",
        ),
        (
            StatusCode::OK,
            plan.feed(true)[..600].to_owned(),
            "the calendar's answer was cut off before its end (no END:VCALENDAR); the next sync retries",
        ),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "oops".to_owned(),
            "the calendar server answered HTTP 500; the next sync retries",
        ),
        (
            StatusCode::NOT_FOUND,
            String::new(),
            "no calendar at this address (HTTP 404): check the address",
        ),
    ];
    for (n, (status, body, message)) in cases.into_iter().enumerate() {
        *answer.lock().unwrap() = (status, body);
        let failed = sync_and_wait(&app, &me.access, &id).await;
        assert_eq!(failed["status"], "FAILED", "{failed}");
        assert_eq!(failed["lastError"], message);
        assert_eq!(failed["consecutiveFailures"], n + 1);
        assert!(!failed.to_string().contains(SECRET), "{failed}");
        // Retried with backoff, not at once.
        let next: chrono::DateTime<chrono::Utc> = failed["nextSyncAt"]
            .as_str()
            .expect("next")
            .parse()
            .expect("time");
        assert!(
            next > chrono::Utc::now() + chrono::Duration::seconds(30),
            "{failed}"
        );
        assert_eq!(meetings(&app, &me.access).await, plan.drafts(false));
    }

    // Ada confirms yesterday's and today's stand-ups: whatever the feed
    // says later, confirmed entries stay as they are.
    let rows = entries(&app, &me.access).await;
    let n = rows.len();
    for row in &rows[n - 2..] {
        app.ok(
            "mutation($id: UUID!, $input: UpdateLogEntryInput!) { updateLogEntry(id: $id, input: $input) { id } }",
            json!({ "id": row["id"], "input": { "isDraft": false } }),
            &me.access,
        )
        .await;
    }

    // Fixed at the source: the next sync brings the changes in, except
    // to the confirmed entries (yesterday's not moved, today's kept).
    *answer.lock().unwrap() = (StatusCode::OK, plan.feed(true));
    let back = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(back["status"], "OK", "{back}");
    assert_eq!(back["consecutiveFailures"], 0);
    assert_eq!(
        back["lastResult"],
        json!({ "created": 1, "updated": 0, "removed": 0 })
    );
    let before = plan.drafts(false);
    let mut wanted: Vec<(String, String, String, bool)> = plan
        .drafts(true)
        .into_iter()
        .filter(|(title, _, _)| title != "Standup (late)")
        .map(|(t, s, e)| (t, s, e, true))
        .chain(
            before[n - 2..]
                .iter()
                .map(|(t, s, e)| (t.clone(), s.clone(), e.clone(), false)),
        )
        .collect();
    wanted.sort_by(|a, b| a.1.cmp(&b.1));
    let got: Vec<(String, String, String, bool)> = entries(&app, &me.access)
        .await
        .into_iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap_or_default().to_owned(),
                r["startTime"].as_str().unwrap_or_default().to_owned(),
                r["endTime"].as_str().unwrap_or_default().to_owned(),
                r["isDraft"] == true,
            )
        })
        .collect();
    assert_eq!(got, wanted);
}

#[tokio::test]
async fn an_unreachable_calendar_and_bad_addresses_are_clear_errors() {
    let app = spawn_app().await;
    let me = berliner(&app).await;
    let port = crate::processes::free_port();
    let url = format!("http://127.0.0.1:{port}/{SECRET}.ics");
    let id = connected_id(
        &app,
        &me.access,
        json!({ "kind": "CALENDAR", "baseUrl": url }),
    )
    .await;
    let failed = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(
        failed["lastError"],
        "cannot reach the calendar server: the connection was refused or the host is unknown"
    );
    let tested = app
        .ok(
            "mutation($id: UUID!) { testConnector(id: $id) { ok message } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(tested["testConnector"]["ok"], false);

    for (input, field) in [
        (json!({ "kind": "CALENDAR" }), "baseUrl"),
        (
            json!({ "kind": "CALENDAR", "baseUrl": "webcal://example.com/a.ics" }),
            "baseUrl",
        ),
        (
            json!({ "kind": "CALENDAR", "baseUrl": "https://ada:pw@example.com/a.ics" }),
            "baseUrl",
        ),
        (
            json!({ "kind": "GITHUB", "token": "t", "username": "ada" }),
            "username",
        ),
    ] {
        let body = app
            .graphql(
                "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { id } }",
                json!({ "i": input }),
                Some(&me.access),
            )
            .await;
        let errors = body["errors"].to_string();
        assert!(errors.contains(field), "{input}: {body}");
    }
}

#[tokio::test]
async fn a_calendar_that_does_not_answer_in_time_is_a_clear_error() {
    let app = spawn_app_with(Backend::Postgres, |s| s.connectors.request_timeout_secs = 1).await;
    let me = berliner(&app).await;
    let listener = bind().await;
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let slow = axum::Router::new().fallback(|| async {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    });
    serve(listener, slow);
    let url = format!("{base}/{SECRET}.ics");
    let id = connected_id(
        &app,
        &me.access,
        json!({ "kind": "CALENDAR", "baseUrl": url }),
    )
    .await;
    let failed = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(failed["status"], "FAILED", "{failed}");
    assert_eq!(
        failed["lastError"],
        "the calendar server did not answer in time; the next sync retries"
    );
}
