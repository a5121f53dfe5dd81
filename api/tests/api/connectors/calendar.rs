//! Done-when 3: the calendar connector against a real Radicale (CalDAV)
//! and a local ICS feed. The first sync makes the expected meeting drafts
//! (recurrence, EXDATE, a moved occurrence, another zone); after one
//! occurrence is moved, another cancelled and an event added, the next
//! sync reflects exactly that; all-day, declined and future events never
//! appear; a sync with nothing new changes nothing.

use serde_json::{Value, json};

use super::calendar_events::{ME, Plan};
use super::radicale::{self, Radicale};
use super::{entries, sync_and_wait};
use crate::helpers::{Session, TestApp, spawn_app};

const CONFIGURE: &str = "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) \
    { id kind baseUrl status } }";

pub async fn berliner(app: &TestApp) -> Session {
    let me = app.register(ME).await;
    app.ok(
        "mutation { updateProfile(input: { timezone: \"Europe/Berlin\" }) { timezone } }",
        json!({}),
        &me.access,
    )
    .await;
    me
}

pub async fn connect(app: &TestApp, token: &str, input: Value) -> Value {
    app.ok(CONFIGURE, json!({ "i": input }), token).await["configureConnector"].clone()
}

/// [`connect`], returning only the new connector's id.
pub async fn connected_id(app: &TestApp, token: &str, input: Value) -> String {
    connect(app, token, input).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// The drafts as (title, start, end), oldest first; every one a draft
/// meeting.
pub async fn meetings(app: &TestApp, token: &str) -> Vec<(String, String, String)> {
    entries(app, token)
        .await
        .into_iter()
        .map(|r| {
            assert_eq!(r["activityType"], "MEETING", "{r}");
            assert_eq!(r["isDraft"], true, "{r}");
            (
                r["title"].as_str().unwrap_or_default().to_owned(),
                r["startTime"].as_str().unwrap_or_default().to_owned(),
                r["endTime"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A Radicale with a `work` calendar holding the plan's first version;
/// the server (kept running while held), the plan and the calendar's URL.
pub async fn work_calendar() -> (Radicale, Plan, String) {
    let server = Radicale::start().await;
    server.make_calendar("work").await;
    let plan = Plan::new();
    for (uid, ics) in plan.objects(false) {
        server.put("work", uid, &ics).await;
    }
    let url = server.calendar_url("work");
    (server, plan, url)
}

fn result(connector: &Value) -> (i64, i64, i64) {
    let r = &connector["lastResult"];
    (
        r["created"].as_i64().unwrap_or(-1),
        r["updated"].as_i64().unwrap_or(-1),
        r["removed"].as_i64().unwrap_or(-1),
    )
}

#[tokio::test]
async fn a_caldav_calendar_syncs_its_meetings_and_then_exactly_their_changes() {
    let app = spawn_app().await;
    let me = berliner(&app).await;
    let (server, plan, url) = work_calendar().await;
    let connector = connect(
        &app,
        &me.access,
        json!({ "kind": "CALENDAR", "baseUrl": url, "username": radicale::USER,
                "token": radicale::PASSWORD }),
    )
    .await;
    let id = connector["id"].as_str().expect("id").to_owned();
    // The address is a secret: only scheme and host are shown.
    assert_eq!(connector["baseUrl"], format!("{}/…", server.base));

    let tested = app
        .ok(
            "mutation($id: UUID!) { testConnector(id: $id) { ok account message } }",
            json!({ "id": id }),
            &me.access,
        )
        .await["testConnector"]
        .clone();
    assert_eq!(tested["ok"], true, "{tested}");
    assert_eq!(
        tested["message"], "read 6 events; 11 meetings in the sync window",
        "{tested}"
    );

    let first = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(first["status"], "OK", "{first}");
    assert_eq!(result(&first), (11, 0, 0));
    assert_eq!(meetings(&app, &me.access).await, plan.drafts(false));

    // Nothing changed: nothing is written.
    let again = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(result(&again), (0, 0, 0), "{again}");

    // Yesterday's stand-up moves an hour later, today's is cancelled and
    // an incident review is added.
    for (uid, ics) in plan.objects(true) {
        if matches!(uid, "standup" | "incident") {
            server.put("work", uid, &ics).await;
        }
    }
    let second = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(second["status"], "OK", "{second}");
    assert_eq!(result(&second), (1, 1, 1), "{second}");
    assert_eq!(meetings(&app, &me.access).await, plan.drafts(true));

    let third = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(result(&third), (0, 0, 0), "{third}");
    assert_eq!(meetings(&app, &me.access).await, plan.drafts(true));
}

#[tokio::test]
async fn a_wrong_caldav_password_is_a_clear_error_that_keeps_the_drafts() {
    let app = spawn_app().await;
    let me = berliner(&app).await;
    let (_server, plan, url) = work_calendar().await;
    let input = json!({ "kind": "CALENDAR", "baseUrl": url, "username": radicale::USER,
                        "token": radicale::PASSWORD });
    let id = connected_id(&app, &me.access, input).await;
    sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(meetings(&app, &me.access).await.len(), 11);

    // The same address with another password changes this connector.
    let changed = connect(
        &app,
        &me.access,
        json!({ "kind": "CALENDAR", "baseUrl": url, "token": "wrong" }),
    )
    .await;
    assert_eq!(changed["id"], id.as_str());
    let failed = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(failed["status"], "FAILED", "{failed}");
    assert_eq!(
        failed["lastError"],
        "the calendar server refused access (HTTP 401): check the user name and password, \
         or copy the calendar's secret address again"
    );
    assert_eq!(failed["consecutiveFailures"], 1);
    assert_eq!(meetings(&app, &me.access).await, plan.drafts(false));
}
