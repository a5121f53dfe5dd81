//! Acceptance 4: a calendar with a DST change, an all-day event, a weekly
//! meeting with an exception and a moved instance, imported twice, gives
//! the right draft meetings exactly once.

use serde_json::json;

use super::{all_entries, fixture, import, span, spans};
use crate::helpers::{TestApp, error_code, error_field};
use crate::on_both_backends;

const WINDOW: &str =
    r#"{ "windowStart": "2026-10-01T00:00:00Z", "windowEnd": "2026-12-01T00:00:00Z" }"#;

fn window() -> serde_json::Value {
    serde_json::from_str(WINDOW).expect("window")
}

async fn a_calendar_becomes_draft_meetings_once(app: TestApp) {
    let me = app.register("ics@example.com").await;
    let calendar = fixture("calendar.ics");

    let first = import(&app, &me.access, "ICS", &calendar, window()).await;
    let report = &first["data"]["importEntries"];
    assert!(first.get("errors").is_none(), "{first}");
    assert_eq!(report["errors"], json!([]), "{report}");
    assert_eq!(report["imported"], 9, "{report}");
    let reasons: Vec<&str> = report["skippedRows"]
        .as_array()
        .expect("skipped rows")
        .iter()
        .map(|r| r["message"].as_str().expect("message"))
        .collect();
    assert_eq!(
        reasons,
        ["all-day event: not work time", "cancelled event"],
        "{report}"
    );
    assert_eq!(report["skippedRows"][0]["item"], "offsite@example.com");
    assert_eq!(
        report["skippedRows"][0]["line"], 35,
        "line of its BEGIN:VEVENT"
    );

    let entries = all_entries(&app, &me.access).await;
    let mut got = spans(&entries);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        [
            // Weekly Tuesday 09:30 Berlin, summer time (UTC+2).
            span("Team sync", "2026-10-13T07:30:00Z", "2026-10-13T08:00:00Z"),
            // 20 October is an EXDATE: absent.
            span(
                "Sprint planning",
                "2026-10-23T08:00:00Z",
                "2026-10-23T09:00:00Z"
            ),
            // After the change on 25 October: UTC+1.
            span(
                "Architecture review",
                "2026-10-26T09:00:00Z",
                "2026-10-26T10:30:00Z"
            ),
            span("Team sync", "2026-10-27T08:30:00Z", "2026-10-27T09:00:00Z"),
            span(
                "Customer call",
                "2026-10-28T15:00:00Z",
                "2026-10-28T15:30:00Z"
            ),
            // Floating time: the person's zone (Europe/Paris).
            span(
                "Lunch & learn",
                "2026-10-29T11:00:00Z",
                "2026-10-29T12:00:00Z"
            ),
            // A Windows zone name.
            span(
                "1:1 with my manager",
                "2026-10-30T15:00:00Z",
                "2026-10-30T15:30:00Z"
            ),
            // The 3 November instance moved to Wednesday afternoon.
            span(
                "Team sync (moved)",
                "2026-11-04T13:00:00Z",
                "2026-11-04T13:30:00Z"
            ),
            span("Team sync", "2026-11-10T08:30:00Z", "2026-11-10T09:00:00Z"),
        ]
    );
    for entry in &entries {
        assert_eq!(entry["activityType"], "MEETING", "{entry}");
        assert_eq!(entry["isDraft"], true, "{entry}");
    }
    let sync = entries
        .iter()
        .find(|e| e["title"] == "Team sync")
        .expect("team sync");
    assert_eq!(sync["description"], "Weekly sync, all hands\nBring updates");

    // The same file again: nothing new, every event a duplicate.
    let second = import(&app, &me.access, "ICS", &calendar, window()).await;
    let report = &second["data"]["importEntries"];
    assert_eq!(report["imported"], 0, "{second}");
    assert_eq!(
        report["skipped"], 11,
        "9 duplicates and 2 left out: {second}"
    );
    assert_eq!(all_entries(&app, &me.access).await.len(), 9);

    // Rating a draft confirms it; the draft filter tells them apart.
    let id = app
        .ok(
            "{ logEntries(first: 1, filter: { draft: true }) { edges { node { id } } } }",
            json!({}),
            &me.access,
        )
        .await["logEntries"]["edges"][0]["node"]["id"]
        .clone();
    let rated = app
        .ok(
            "mutation($id: UUID!) { updateLogEntry(id: $id, input: { isDraft: false, valueRating: HIGH }) { isDraft valueRating } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(rated["updateLogEntry"]["isDraft"], false);
    let drafts = app.entry_titles(&me.access, json!({ "draft": true })).await;
    let reviewed = app
        .entry_titles(&me.access, json!({ "draft": false }))
        .await;
    assert_eq!((drafts.len(), reviewed.len()), (8, 1));
}

async fn a_dry_run_counts_and_writes_nothing(app: TestApp) {
    let me = app.register("dry@example.com").await;
    let mut extra = window();
    extra["dryRun"] = json!(true);
    let body = import(&app, &me.access, "ICS", &fixture("calendar.ics"), extra).await;
    assert_eq!(body["data"]["importEntries"]["imported"], 9, "{body}");
    assert_eq!(body["data"]["importEntries"]["dryRun"], true);
    assert!(all_entries(&app, &me.access).await.is_empty());
}

async fn a_bad_event_or_a_bad_file_changes_nothing(app: TestApp) {
    let me = app.register("badics@example.com").await;
    // The fixture plus an event without a start and one in an unknown zone.
    let broken = fixture("calendar.ics").replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:no-start@example.com\r\nSUMMARY:Nowhere\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:mars@example.com\r\nDTSTART;TZID=Mars/Olympus:20261020T100000\r\nDTEND;TZID=Mars/Olympus:20261020T110000\r\nEND:VEVENT\r\nEND:VCALENDAR",
    );
    let body = import(&app, &me.access, "ICS", &broken, window()).await;
    let report = &body["data"]["importEntries"];
    assert_eq!(report["imported"], 0, "{body}");
    let errors: Vec<(i64, String)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().expect("line"),
                e["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{report}");
    assert!(errors[0].1.contains("no DTSTART"), "{errors:?}");
    assert!(
        errors[1].1.contains("unknown time zone `Mars/Olympus`"),
        "{errors:?}"
    );
    assert!(
        all_entries(&app, &me.access).await.is_empty(),
        "all or nothing"
    );

    let not_ics = import(&app, &me.access, "ICS", "hello, world", window()).await;
    assert_eq!(error_code(&not_ics), "VALIDATION");
    assert_eq!(error_field(&not_ics), "content");
    let backwards = import(
        &app,
        &me.access,
        "ICS",
        &fixture("calendar.ics"),
        json!({ "windowStart": "2026-12-01T00:00:00Z", "windowEnd": "2026-10-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(error_field(&backwards), "windowEnd");
}

on_both_backends!(
    a_calendar_becomes_draft_meetings_once,
    a_dry_run_counts_and_writes_nothing,
    a_bad_event_or_a_bad_file_changes_nothing,
);
