//! The parts of the web app the day-in-the-life journey does not reach:
//! the export buttons (files really saved by the browser), the dashboard's
//! period picker, and signing out another device from settings.

use chrono::{DateTime, Duration as Days, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use serde_json::{Value, json};

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, open_web_page};
use crate::helpers::{PASSWORD, TestApp, spawn_app};
use crate::identity::REFRESH;
use crate::webdriver::{WAIT, wait_for_download};

/// An entry of `minutes` that started `days_ago` days before now, within
/// one day of the profile's zone (Europe/Paris): one that would cross
/// midnight there starts just after it instead (and may then end a little
/// after now), so the dashboard's active days do not depend on the hour
/// the test runs.
async fn entry_days_ago(app: &TestApp, token: &str, title: &str, days_ago: i64, minutes: i64) {
    let mut start = Utc::now() - Days::days(days_ago) - Days::minutes(minutes + 5);
    let day = |at: DateTime<Utc>| at.with_timezone(&Paris).date_naive();
    let end_day = day(start + Days::minutes(minutes));
    if day(start) != end_day {
        let midnight = end_day.and_hms_opt(0, 1, 0).expect("00:01");
        start = Paris
            .from_local_datetime(&midnight)
            .single()
            .expect("00:01 in Paris is unambiguous")
            .with_timezone(&Utc);
    }
    let end = start + Days::minutes(minutes);
    app.create_entry(
        token,
        json!({ "title": title, "startTime": start.to_rfc3339(), "endTime": end.to_rfc3339() }),
    )
    .await;
}

#[tokio::test]
async fn the_export_buttons_save_the_entries_csv_and_the_account_json() {
    let app = spawn_app().await;
    let me = app.register("exporter@example.com").await;
    entry_days_ago(&app, &me.access, "Reviewed the =SUM(A1) migration", 1, 60).await;
    entry_days_ago(&app, &me.access, "Paired on the importer", 2, 30).await;
    let browser = open_web_page(&app).await;
    let downloads = tempfile::tempdir().expect("a download directory");
    browser.allow_downloads(downloads.path()).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/data")).await;

    browser.click("#export-csv").await;
    let csv = wait_for_download(downloads.path(), "englog-entries.csv", WAIT).await;
    let csv = String::from_utf8(csv).expect("a UTF-8 CSV");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two entries: {csv}");
    assert!(lines[0].contains("title"), "a header row: {}", lines[0]);
    assert!(
        csv.contains("Reviewed the =SUM(A1) migration"),
        "the entry is in the file: {csv}"
    );
    assert!(csv.contains("Paired on the importer"), "{csv}");

    browser.click("#export-account").await;
    let account = wait_for_download(downloads.path(), "englog-account.json", WAIT).await;
    let account: Value = serde_json::from_slice(&account).expect("a JSON account export");
    assert_eq!(account["profile"]["email"], "exporter@example.com");
    let titles: Vec<&str> = account["entries"]
        .as_array()
        .expect("entries in the export")
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.contains(&"Paired on the importer"), "{titles:?}");
    assert!(
        browser.find_all("#error").await.is_empty(),
        "no error shown"
    );
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn the_dashboard_follows_the_period_picker() {
    let app = spawn_app().await;
    let me = app.register("periods@example.com").await;
    entry_days_ago(&app, &me.access, "Planned the quarter", 20, 90).await;
    entry_days_ago(&app, &me.access, "Fixed the login bug", 0, 60).await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/dashboard")).await;

    // The default period, the last 30 days, holds both entries.
    browser
        .wait_for_text_containing("#totals", "2.5 h in 2 entries over 2 active days", WAIT)
        .await;
    browser.set_value("#period", "7d").await;
    browser
        .wait_for_text_containing("#totals", "1.0 h in 1 entry over 1 active day", WAIT)
        .await;
    browser
        .wait_for_count("#chart-types .bar-row", 1, WAIT)
        .await;
    browser.set_value("#period", "year").await;
    let year = browser.wait_for_text("#totals", WAIT).await;
    assert!(year.contains(" h in "), "{year}");
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn another_device_is_signed_out_from_settings() {
    let app = spawn_app().await;
    let me = app.register("devices@example.com").await;
    // A second device: a sign-in from elsewhere.
    let other = app.login("devices@example.com", PASSWORD).await;
    let other_refresh = other["data"]["login"]["refreshToken"]
        .as_str()
        .unwrap_or_else(|| panic!("a second session: {other}"))
        .to_owned();
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/settings")).await;

    browser.wait_for_count("#sessions li", 2, WAIT).await;
    assert_eq!(
        browser.find_all("#sessions .session-revoke").await.len(),
        1,
        "only the other device can be signed out from here"
    );
    browser.click("#sessions .session-revoke").await;
    browser.wait_for_count("#sessions li", 1, WAIT).await;
    browser
        .wait_for_text_containing("#sessions", "This device", WAIT)
        .await;

    let reuse = app
        .graphql(REFRESH, json!({ "t": other_refresh }), None)
        .await;
    assert!(
        reuse.get("errors").is_some(),
        "the other device's session has ended: {reuse}"
    );
    assert!(
        browser.find_all("#sign-in").await.is_empty(),
        "this device is still signed in"
    );
    assert_no_console_errors(&browser).await;
}
