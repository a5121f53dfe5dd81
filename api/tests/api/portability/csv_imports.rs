//! CSV imports in EngLog's, Toggl Track's and Clockify's formats: bad rows
//! are all reported and nothing is written; limits and malformed files are
//! refused as a whole; an import touches only the caller's data.

use serde_json::json;

use super::{all_entries, fixture, import, span, spans};
use crate::helpers::{Backend, TestApp, error_code, error_field, spawn_app_with};
use crate::on_both_backends;

const ENGLOG_HEADER: &str = "id,title,description,activity_type,project,tags,start_time,end_time,duration_minutes,value_rating,impact_level";

fn englog_csv(rows: &[&str]) -> String {
    let mut text = format!("{ENGLOG_HEADER}\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text
}

const GOOD_1: &str = "0190aaaa-0000-7000-8000-000000000001,Wrote the parser,\"Multi-line\nnotes, with a comma\",code,Apollo,rust;parsing,2026-03-02T09:00:00Z,2026-03-02T10:30:00Z,90,high,team";
const GOOD_2: &str = ",'=SUM(A1),,docs,,,2026-03-03T09:00:00+01:00,2026-03-03T09:45:00+01:00,45,,";

async fn englog_csv_goes_in_all_or_nothing(app: TestApp) {
    let me = app.register("csv@example.com").await;
    let bad = englog_csv(&[
        GOOD_1,
        "x,Bad date,,code,,,yesterday,2026-03-02T10:30:00Z,,,",
        GOOD_2,
        "y,Bad type,,coding,,,2026-03-04T09:00:00Z,2026-03-04T10:00:00Z,,,",
        "z,Backwards,,code,,,2026-03-05T10:00:00Z,2026-03-05T09:00:00Z,,,",
    ]);
    let body = import(&app, &me.access, "ENGLOG_CSV", &bad, json!({})).await;
    let report = &body["data"]["importEntries"];
    assert_eq!(report["imported"], 0, "{body}");
    let errors: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().expect("line"),
                e["message"].as_str().expect("message"),
            )
        })
        .collect();
    // GOOD_1 spans lines 2–3 (a quoted newline), so the bad rows start at
    // lines 4, 6 and 7.
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[0].0, 4);
    assert!(
        errors[0]
            .1
            .contains("start_time: `yesterday` is not an RFC 3339 time"),
        "{errors:?}"
    );
    assert_eq!(errors[1], (6, "activity_type: unknown value `coding`"));
    assert_eq!(errors[2].0, 7);
    assert!(
        errors[2].1.contains("endTime: must be after startTime"),
        "{errors:?}"
    );
    assert!(
        all_entries(&app, &me.access).await.is_empty(),
        "nothing written"
    );

    let good = englog_csv(&[GOOD_1, GOOD_2]);
    let body = import(&app, &me.access, "ENGLOG_CSV", &good, json!({})).await;
    assert_eq!(body["data"]["importEntries"]["imported"], 2, "{body}");
    let entries = all_entries(&app, &me.access).await;
    assert_eq!(entries[0]["title"], "Wrote the parser");
    assert_eq!(entries[0]["description"], "Multi-line\nnotes, with a comma");
    assert_eq!(entries[0]["project"]["name"], "Apollo");
    assert_eq!(entries[0]["tags"], json!(["parsing", "rust"]));
    assert_eq!(entries[0]["valueRating"], "HIGH");
    assert_eq!(entries[0]["isDraft"], false);
    // The export's formula guard comes off; offsets become UTC.
    assert_eq!(
        spans(&entries)[1],
        span("=SUM(A1)", "2026-03-03T08:00:00Z", "2026-03-03T08:45:00Z")
    );
    // Importing the same rows again adds nothing.
    let again = import(&app, &me.access, "ENGLOG_CSV", &good, json!({})).await;
    assert_eq!(again["data"]["importEntries"]["imported"], 0, "{again}");
    assert_eq!(again["data"]["importEntries"]["skipped"], 2);
}

async fn toggl_and_clockify_reports_become_drafts(app: TestApp) {
    let me = app.register("trackers@example.com").await;
    let toggl = import(
        &app,
        &me.access,
        "TOGGL_CSV",
        &fixture("toggl.csv"),
        json!({}),
    )
    .await;
    assert_eq!(toggl["data"]["importEntries"]["imported"], 2, "{toggl}");
    let clockify = import(
        &app,
        &me.access,
        "CLOCKIFY_CSV",
        &fixture("clockify.csv"),
        json!({}),
    )
    .await;
    assert_eq!(
        clockify["data"]["importEntries"]["imported"], 2,
        "{clockify}"
    );

    let entries = all_entries(&app, &me.access).await;
    // Local times of the person's zone (Europe/Paris, UTC+1 in March).
    assert_eq!(
        spans(&entries),
        [
            span(
                "Fix login bug",
                "2026-03-02T08:00:00Z",
                "2026-03-02T09:30:00Z"
            ),
            span(
                "Interview loop",
                "2026-03-03T13:00:00Z",
                "2026-03-03T14:00:00Z"
            ),
            span(
                "Deploy pipeline",
                "2026-03-04T07:00:00Z",
                "2026-03-04T08:15:00Z"
            ),
            span(
                "Code review",
                "2026-03-04T12:00:00Z",
                "2026-03-04T13:00:00Z"
            ),
        ]
    );
    let types: Vec<&str> = entries
        .iter()
        .map(|e| e["activityType"].as_str().unwrap())
        .collect();
    // A tag naming a type sets it; otherwise the default type (CODE).
    assert_eq!(types, ["MEETING", "CODE", "OPS", "CODE"]);
    assert_eq!(entries[0]["tags"], json!(["bug-fix", "meeting"]));
    assert_eq!(entries[0]["project"]["name"], "Website");
    assert_eq!(entries[1]["description"], "Task: Hiring");
    assert_eq!(entries[2]["project"]["name"], "Website", "matched by name");
    assert!(entries.iter().all(|e| e["isDraft"] == true));
    let projects = app.ok("{ projects { name } }", json!({}), &me.access).await;
    assert_eq!(projects["projects"].as_array().map(Vec::len), Some(2));

    // A bad row in either format: all rows reported, nothing written.
    let bad_toggl = fixture("toggl.csv")
        + "Ada,ada@example.com,,X,,Broken,No,2026-13-01,09:00:00,2026-03-05,10:00:00,01:00:00,,\n";
    let body = import(&app, &me.access, "TOGGL_CSV", &bad_toggl, json!({})).await;
    let report = &body["data"]["importEntries"];
    assert_eq!(report["imported"], 0, "{body}");
    assert_eq!(report["errors"][0]["line"], 4);
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`2026-13-01` is not a date")
    );
    let bad_clockify = fixture("clockify.csv")
        + "\"X\",\"\",\"Broken\",\"\",\"Ada\",\"\",\"a@x\",\"\",\"No\",\"03/05/2026\",\"25:00\",\"03/05/2026\",\"10:00\",\"\",\"\",\"\",\"\"\n";
    let body = import(&app, &me.access, "CLOCKIFY_CSV", &bad_clockify, json!({})).await;
    assert_eq!(
        body["data"]["importEntries"]["errors"][0]["line"], 4,
        "{body}"
    );
    assert_eq!(all_entries(&app, &me.access).await.len(), 4, "unchanged");
}

async fn malformed_files_are_refused_whole(app: TestApp) {
    let me = app.register("malformed@example.com").await;
    let wrong_header = import(
        &app,
        &me.access,
        "TOGGL_CSV",
        &fixture("clockify.csv").replace("Start Date", "Day"),
        json!({}),
    )
    .await;
    assert_eq!(error_code(&wrong_header), "VALIDATION");
    assert_eq!(error_field(&wrong_header), "content");
    let message = wrong_header["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("missing column(s) Start date"),
        "{message}"
    );

    let toggl_as_englog = import(
        &app,
        &me.access,
        "ENGLOG_CSV",
        &fixture("toggl.csv"),
        json!({}),
    )
    .await;
    assert_eq!(error_field(&toggl_as_englog), "content");
    let empty = import(&app, &me.access, "ENGLOG_CSV", "", json!({})).await;
    assert_eq!(error_field(&empty), "content");
    let header_only = import(&app, &me.access, "ENGLOG_CSV", ENGLOG_HEADER, json!({})).await;
    assert_eq!(error_field(&header_only), "content");
    let ragged = englog_csv(&["a,b,c"]);
    let body = import(&app, &me.access, "ENGLOG_CSV", &ragged, json!({})).await;
    assert_eq!(
        body["data"]["importEntries"]["errors"][0]["message"], "expected 11 fields, found 3",
        "{body}"
    );
    let not_json = app
        .graphql(
            super::IMPORT_ACCOUNT,
            json!({ "c": "{\"format\": \"other\"}" }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_field(&not_json), "content");
    assert!(all_entries(&app, &me.access).await.is_empty());
}

async fn imports_touch_only_the_callers_data(app: TestApp) {
    let alice = app.register("alice-import@example.com").await;
    let bob = app.register("bob-import@example.com").await;
    app.create_entry(&bob.access, json!({ "title": "Bob's own" }))
        .await;
    app.create_project(&bob.access, "Website").await;
    let body = import(
        &app,
        &alice.access,
        "TOGGL_CSV",
        &fixture("toggl.csv"),
        json!({}),
    )
    .await;
    assert_eq!(body["data"]["importEntries"]["imported"], 2, "{body}");
    // Alice got her own "Website" project; Bob's is untouched and unused.
    let bob_entries = all_entries(&app, &bob.access).await;
    assert_eq!(spans(&bob_entries).len(), 1);
    assert_eq!(bob_entries[0]["title"], "Bob's own");
    let alice_entries = all_entries(&app, &alice.access).await;
    assert_eq!(alice_entries.len(), 2);
    // The same rows for Bob are not duplicates of Alice's.
    let body = import(
        &app,
        &bob.access,
        "TOGGL_CSV",
        &fixture("toggl.csv"),
        json!({}),
    )
    .await;
    assert_eq!(body["data"]["importEntries"]["imported"], 2, "{body}");
    let anonymous = app
        .graphql(
            super::IMPORT_ENTRIES,
            json!({ "i": { "format": "TOGGL_CSV", "content": fixture("toggl.csv") } }),
            None,
        )
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

/// As many rows as the default limit allows go in at once.
async fn ten_thousand_rows_import_in_one_transaction(app: TestApp) {
    let me = app.register("bulk-import@example.com").await;
    let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").expect("start");
    let rows: Vec<String> = (0..10_000)
        .map(|i| {
            let from = start + chrono::Duration::minutes(30 * i);
            let to = from + chrono::Duration::minutes(25);
            format!(
                ",Task {i},,code,Project {},tag-{},{},{},,,",
                i % 7,
                i % 5,
                from.to_rfc3339(),
                to.to_rfc3339()
            )
        })
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let body = import(
        &app,
        &me.access,
        "ENGLOG_CSV",
        &englog_csv(&refs),
        json!({}),
    )
    .await;
    assert_eq!(
        body["data"]["importEntries"]["imported"], 10_000,
        "{}",
        body["errors"]
    );
    let projects = app
        .ok("{ projects { name entryCount } }", json!({}), &me.access)
        .await;
    let counts: Vec<i64> = projects["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["entryCount"].as_i64().expect("count"))
        .collect();
    assert_eq!(counts.len(), 7);
    assert_eq!(counts.iter().sum::<i64>(), 10_000);
}

on_both_backends!(
    ten_thousand_rows_import_in_one_transaction,
    englog_csv_goes_in_all_or_nothing,
    toggl_and_clockify_reports_become_drafts,
    malformed_files_are_refused_whole,
    imports_touch_only_the_callers_data,
);

#[tokio::test]
async fn size_and_row_limits_are_enforced() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.imports.max_content_bytes = 2_000;
        s.imports.max_rows = 2;
    })
    .await;
    let me = app.register("limits@example.com").await;
    let big = englog_csv(&[GOOD_1]) + &"#".repeat(2_000);
    let body = import(&app, &me.access, "ENGLOG_CSV", &big, json!({})).await;
    assert_eq!(error_field(&body), "content", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("larger than 2000 bytes")
    );
    let three = englog_csv(&[GOOD_1, GOOD_2, GOOD_2]);
    let body = import(&app, &me.access, "ENGLOG_CSV", &three, json!({})).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("more than 2 rows"),
        "{body}"
    );
    assert!(all_entries(&app, &me.access).await.is_empty());
}

/// The default limit (5 MB) fits through `/graphql`, whose own body limit
/// is 1 MB for ordinary requests.
#[tokio::test]
async fn a_file_of_several_megabytes_reaches_the_import() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("big@example.com").await;
    let padding = "x".repeat(3 * 1024 * 1024);
    let content = format!("{ENGLOG_HEADER},notes\r\n{GOOD_1},{padding}\r\n");
    let body = import(&app, &me.access, "ENGLOG_CSV", &content, json!({})).await;
    assert_eq!(
        body["data"]["importEntries"]["imported"],
        1,
        "{}",
        &body.to_string()[..500.min(body.to_string().len())]
    );
}

/// The import limit raises `/graphql`'s body limit, never removes it.
#[tokio::test]
async fn a_body_beyond_the_raised_limit_is_refused() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.graphql.max_body_bytes = 1_000;
        s.imports.max_content_bytes = 1_000;
    })
    .await;
    let me = app.register("body@example.com").await;
    // 2 × 1,000 + 64 KiB is the limit: 100 KiB is over it.
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&me.access)
        .json(&json!({ "query": super::IMPORT_ENTRIES, "variables": { "i": { "format": "ENGLOG_CSV", "content": "x".repeat(100 * 1024) } } }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 413);
}
