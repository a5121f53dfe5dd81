//! The journal an engineer opens every day (issue 13): quick add with the
//! terminal client's tokens, every field edited, days and weeks in the
//! profile's time zone (not the browser's), filters from the address bar,
//! and impossible dates and durations refused before anything is sent.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::session::{restore_session, tokens};
use super::{ENTER, assert_no_console_errors, capture, open_web_page, recent_span_today};
use crate::helpers::{Session, TestApp, spawn_app};
use crate::webdriver::{Browser, WAIT};

const ENTRIES: &str = "query { logEntries(first: 100) { edges { node {
    id title description activityType valueRating impactLevel startTime endTime
    durationMinutes tags projectId } } } }";

/// Every entry of the person, newest first, as the API returns them.
async fn entries(app: &TestApp, token: &str) -> Vec<Value> {
    let data = app.ok(ENTRIES, json!({}), token).await;
    data["logEntries"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// The profile in Auckland (the browser runs in another zone) with weeks
/// starting on `week_start`.
async fn live_in_auckland(app: &TestApp, token: &str, week_start: &str) {
    app.ok(
        "mutation { updateProfile(input: { timezone: \"Pacific/Auckland\" }) { timezone } }",
        json!({}),
        token,
    )
    .await;
    app.ok(
        &format!("mutation {{ updatePreferences(input: {{ weekStart: {week_start} }}) {{ preferences {{ weekStart }} }} }}"),
        json!({}),
        token,
    )
    .await;
}

/// A browser signed in as `me`, on the journal (the profile loaded).
async fn journal_of(app: &TestApp, me: &Session) -> Browser {
    let browser = open_web_page(app).await;
    restore_session(&browser, app, tokens(me)).await;
    browser.wait_for("#quick-title", WAIT).await;
    browser
}

fn instant(text: &Value) -> DateTime<Utc> {
    text.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_quick_add_line_sets_tags_project_value_impact_and_start() {
    let app = spawn_app().await;
    let me = app.register("tokens@example.com").await;
    let payments = app.create_project(&me.access, "Payments").await;
    let browser = journal_of(&app, &me).await;

    // A project nobody has: said before saving, and nothing is saved.
    browser
        .type_text("#quick-title", "Fixed checkout 502 +Nope")
        .await;
    let warning = browser.wait_for_text("#quick-project-unknown", WAIT).await;
    assert!(warning.contains("No project is named “Nope”"), "{warning}");
    browser.click("#quick-save").await;
    assert!(entries(&app, &me.access).await.is_empty());

    browser.set_value("#quick-title", "").await;
    browser
        .type_text(
            "#quick-title",
            "Fixed checkout 502 #incident +payments !high @company -45m",
        )
        .await;
    let chips = browser
        .wait_for_text_containing("#quick-preview", "Impact: Company", WAIT)
        .await;
    for chip in [
        "#incident",
        "Project: Payments",
        "Value: High",
        "Started 45 min ago",
    ] {
        assert!(chips.contains(chip), "the preview shows {chip}: {chips}");
    }
    assert!(browser.find_all("#quick-project-unknown").await.is_empty());
    browser.click("#quick-help summary").await;
    let help = browser.wait_for_text("#quick-help .popover", WAIT).await;
    assert!(
        help.contains("!high") && help.contains("@company"),
        "{help}"
    );
    capture(&browser, "journal-quick-add-tokens").await;
    browser.type_text("#quick-title", ENTER).await;
    browser
        .wait_for_text_containing("#entries .entry-title", "Fixed checkout 502", WAIT)
        .await;

    let saved = entries(&app, &me.access).await;
    assert_eq!(saved.len(), 1);
    let e = &saved[0];
    assert_eq!(
        e["title"], "Fixed checkout 502",
        "the tokens left the title"
    );
    assert_eq!(e["valueRating"], "HIGH");
    assert_eq!(e["impactLevel"], "COMPANY");
    assert_eq!(e["projectId"], payments.as_str());
    assert_eq!(e["tags"], json!(["incident"]));
    assert_eq!(e["durationMinutes"], 45, "-45m: started 45 minutes ago");
    let ended = instant(&e["endTime"]);
    assert!(
        (Utc::now() - ended).num_minutes().abs() <= 2,
        "-45m ends now: {ended}"
    );
    let row = browser.text("#entries .entry").await;
    assert!(
        row.contains("High value") && row.contains("Company impact"),
        "{row}"
    );
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn notes_value_and_impact_are_edited_in_the_journal() {
    let app = spawn_app().await;
    let me = app.register("editor@example.com").await;
    let entry = app
        .create_entry(&me.access, json!({ "title": "Paired on the importer" }))
        .await;
    let id = entry["id"].as_str().unwrap().to_owned();
    let browser = journal_of(&app, &me).await;
    browser.wait_for_count("#entries .entry", 1, WAIT).await;
    let row = browser.text("#entries .entry").await;
    assert!(
        row.contains("Medium value") && row.contains("Personal impact"),
        "{row}"
    );

    browser
        .click(&format!("li.entry[data-id=\"{id}\"] .entry-edit"))
        .await;
    browser
        .set_value(
            "#edit-notes",
            "Found the CSV quoting bug\nTicket 812 to follow",
        )
        .await;
    browser.set_value("#edit-value", "HIGH").await;
    browser.set_value("#edit-impact", "TEAM").await;
    browser.click("#edit-save").await;
    browser
        .wait_for_text_containing("#entries .entry-notes", "Found the CSV quoting bug", WAIT)
        .await;
    let row = browser.text("#entries .entry").await;
    assert!(
        row.contains("High value") && row.contains("Team impact"),
        "{row}"
    );
    assert!(
        !row.contains("Ticket 812"),
        "a row shows only the first line: {row}"
    );

    let saved = &entries(&app, &me.access).await[0];
    assert_eq!(
        saved["description"],
        "Found the CSV quoting bug\nTicket 812 to follow"
    );
    assert_eq!(saved["valueRating"], "HIGH");
    assert_eq!(saved["impactLevel"], "TEAM");
    assert_eq!(saved["title"], "Paired on the importer", "the rest is kept");

    // The entry page shows the notes in full and edits them too.
    browser.goto(&app.url(&format!("/#/entries/{id}"))).await;
    let notes = browser.wait_for_text("#entry-notes", WAIT).await;
    assert!(notes.contains("Ticket 812"), "{notes}");
    browser.click("#entry-edit").await;
    browser.set_value("#edit-impact", "COMPANY").await;
    browser.click("#edit-save").await;
    browser
        .wait_for_text_containing("#entry .badge-impact", "Company", WAIT)
        .await;
    assert_eq!(entries(&app, &me.access).await[0]["impactLevel"], "COMPANY");
    assert_no_console_errors(&browser).await;
}

/// Entries at fixed instants that fall on other days in Auckland than in
/// UTC (the browser's zone here): Tuesday 3 March twice, Thursday 5 March,
/// and Sunday 8 March, which starts a new week when weeks start on Sunday.
async fn seed_march(app: &TestApp, token: &str) {
    for (title, start, end) in [
        ("Standup", "2026-03-02T20:00:00Z", "2026-03-02T21:30:00Z"),
        (
            "Code review",
            "2026-03-03T01:00:00Z",
            "2026-03-03T02:00:00Z",
        ),
        (
            "Wrote the runbook",
            "2026-03-04T22:00:00Z",
            "2026-03-04T22:30:00Z",
        ),
        (
            "Weekend deploy",
            "2026-03-07T23:00:00Z",
            "2026-03-08T00:00:00Z",
        ),
    ] {
        app.create_entry(
            token,
            json!({ "title": title, "startTime": start, "endTime": end }),
        )
        .await;
    }
}

#[tokio::test]
async fn the_journal_groups_days_and_weeks_in_the_profile_zone() {
    let app = spawn_app().await;
    let me = app.register("days@example.com").await;
    live_in_auckland(&app, &me.access, "SUNDAY").await;
    seed_march(&app, &me.access).await;
    // Half an hour within today in Auckland (ten minutes ago at the latest).
    let (start, end) = recent_span_today(chrono_tz::Pacific::Auckland, 40);
    let now = end;
    app.create_entry(
        &me.access,
        json!({
            "title": "Logged half an hour ago",
            "startTime": start.to_rfc3339(),
            "endTime": (end - chrono::Duration::minutes(10)).to_rfc3339(),
        }),
    )
    .await;
    let browser = journal_of(&app, &me).await;
    browser.wait_for_count("#entries .entry", 5, WAIT).await;

    // Today (in Auckland) is marked and holds the recent entry.
    let today = now
        .with_timezone(&chrono_tz::Pacific::Auckland)
        .date_naive()
        .to_string();
    let today_group = browser.text(".day.today").await;
    assert!(today_group.contains("Today"), "{today_group}");
    assert!(
        today_group.contains("Logged half an hour ago"),
        "{today_group}"
    );
    assert_eq!(
        browser
            .execute(
                "return document.querySelector('.day.today').dataset.day;",
                json!([])
            )
            .await,
        today
    );

    let days: Vec<String> = browser
        .execute(
            "return [...document.querySelectorAll('.day')].map(d => d.dataset.day).slice(1);",
            json!([]),
        )
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(days, ["2026-03-08", "2026-03-05", "2026-03-03"]);
    let tuesday = browser
        .text(".day[data-day=\"2026-03-03\"] .day-header")
        .await;
    for part in ["Tuesday", "3 Mar 2026", "2.5 h", "2 entries"] {
        assert!(
            tuesday.contains(part),
            "the day header shows {part}: {tuesday}"
        );
    }
    let weeks = browser.texts(".week-header").await;
    assert_eq!(weeks.len(), 3, "{weeks:?}");
    assert!(
        weeks[1].contains("Week of 8 Mar 2026") && weeks[1].contains("1 h · 1 entry"),
        "{weeks:?}"
    );
    assert!(
        weeks[2].contains("Week of 1 Mar 2026") && weeks[2].contains("3 h · 3 entries"),
        "{weeks:?}"
    );
    capture(&browser, "journal-days").await;

    // The week view: this week first, then the week of a chosen date.
    browser.click("#view-week").await;
    browser
        .wait_for_text_containing(
            "#week-view .week-day.today",
            "Logged half an hour ago",
            WAIT,
        )
        .await;
    browser.set_value("#week-date", "2026-03-04").await;
    browser
        .wait_for_text_containing("#week-title", "1 Mar – 7 Mar 2026", WAIT)
        .await;
    browser
        .wait_for_text_containing("#week-total", "3 h · 3 entries", WAIT)
        .await;
    assert_eq!(browser.find_all("#week-view .week-day").await.len(), 7);
    let first = browser.text("#week-view .week-day").await;
    assert!(first.starts_with("Sun"), "weeks start on Sunday: {first}");
    let tuesday = browser
        .text("#week-view .week-day[data-day=\"2026-03-03\"]")
        .await;
    assert!(
        tuesday.contains("Standup") && tuesday.contains("Code review") && tuesday.contains("2.5 h"),
        "{tuesday}"
    );
    capture(&browser, "journal-week").await;
    browser.click("#week-next").await;
    browser
        .wait_for_text_containing("#week-title", "8 Mar – 14 Mar 2026", WAIT)
        .await;
    browser
        .wait_for_text_containing("#week-total", "1 h · 1 entry", WAIT)
        .await;
    browser.click("#week-prev").await;
    browser.click("#week-prev").await;
    browser
        .wait_for_text_containing("#week-title", "22 Feb – 28 Feb 2026", WAIT)
        .await;
    browser
        .wait_for_text_containing("#week-total", "0 h · 0 entries", WAIT)
        .await;
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn filters_come_from_the_address_bar_and_can_be_cleared() {
    let app = spawn_app().await;
    let me = app.register("filters@example.com").await;
    live_in_auckland(&app, &me.access, "MONDAY").await;
    seed_march(&app, &me.access).await;
    app.create_entry(
        &me.access,
        json!({ "title": "High company work", "valueRating": "HIGH", "impactLevel": "COMPANY",
                "startTime": "2026-03-03T03:00:00Z", "endTime": "2026-03-03T04:00:00Z" }),
    )
    .await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for_count("#entries .entry", 5, WAIT).await;

    // `to` is inclusive and both are Auckland days: 3 March only.
    browser
        .goto(&app.url("/#/?from=2026-03-03&to=2026-03-03"))
        .await;
    browser.wait_for_count("#entries .entry", 3, WAIT).await;
    browser
        .goto(&app.url("/#/?value=HIGH&impact=COMPANY"))
        .await;
    browser.wait_for_count("#entries .entry", 1, WAIT).await;
    assert_eq!(
        browser.texts("#entries .entry-title").await,
        ["High company work"]
    );
    let active = browser.text("#active-filters").await;
    assert!(
        active.contains("Value: High") && active.contains("Impact: Company"),
        "{active}"
    );

    // An impossible date is said, and ignored.
    browser.goto(&app.url("/#/?from=2026-02-30")).await;
    let problem = browser.wait_for_text(".filter-problem", WAIT).await;
    assert!(problem.contains("Feb 2026 has 28 days"), "{problem}");
    browser.wait_for_count("#entries .entry", 5, WAIT).await;

    browser.click("#clear-filters").await;
    browser.wait_for_gone("#active-filters", WAIT).await;
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn impossible_dates_and_durations_are_refused_next_to_their_field() {
    let app = spawn_app().await;
    let me = app.register("typos@example.com").await;
    let browser = journal_of(&app, &me).await;
    browser.type_text("#quick-title", "Typed in a hurry").await;

    for (field, value, error, says) in [
        (
            "#quick-start",
            "2026-02-30 09:00",
            "#quick-start-error",
            "Feb 2026 has 28 days",
        ),
        (
            "#quick-start",
            "2026-13-01 09:00",
            "#quick-start-error",
            "no month 13",
        ),
        (
            "#quick-duration",
            "1h75",
            "#quick-duration-error",
            "under 60",
        ),
        (
            "#quick-duration",
            "0m",
            "#quick-duration-error",
            "at least a minute",
        ),
        (
            "#quick-duration",
            "-30m",
            "#quick-duration-error",
            "negative",
        ),
    ] {
        browser.set_value("#quick-start", "").await;
        browser.set_value("#quick-duration", "45m").await;
        browser.set_value(field, value).await;
        browser.click("#quick-save").await;
        let message = browser.wait_for_text_containing(error, says, WAIT).await;
        assert!(!message.is_empty());
        assert!(
            entries(&app, &me.access).await.is_empty(),
            "{value} in {field}: nothing is saved"
        );
    }
    capture(&browser, "journal-refused").await;

    // The editor refuses the same way and leaves the entry as it was.
    let entry = app
        .create_entry(&me.access, json!({ "title": "Kept" }))
        .await;
    let id = entry["id"].as_str().unwrap().to_owned();
    browser.goto(&app.url("/")).await;
    browser
        .click(&format!("li.entry[data-id=\"{id}\"] .entry-edit"))
        .await;
    browser.set_value("#edit-start", "2026-02-30 09:00").await;
    browser.click("#edit-save").await;
    browser
        .wait_for_text_containing("#edit-start-error", "not a date", WAIT)
        .await;
    browser.set_value("#edit-start", "2026-03-02 09:00").await;
    browser.set_value("#edit-duration", "1h75").await;
    browser.click("#edit-save").await;
    browser
        .wait_for_text_containing("#edit-duration-error", "under 60", WAIT)
        .await;
    let kept = &entries(&app, &me.access).await[0];
    assert_eq!(kept["startTime"], entry["startTime"]);
    assert_eq!(kept["durationMinutes"], entry["durationMinutes"]);
    assert_no_console_errors(&browser).await;
}
