//! One time zone: the profile's. With the browser in Europe/Berlin and the
//! profile in Pacific/Auckland (weeks from Sunday), an entry logged 30
//! minutes ago shows at its Auckland time, in Auckland's today, and in the
//! dashboard's "today" and "this week"; the app says the zones differ.

use chrono::{Datelike, Duration};
use chrono_tz::Pacific::Auckland;
use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, capture, open_web_page, recent_span_today};
use crate::helpers::spawn_app;
use crate::webdriver::WAIT;

#[tokio::test]
async fn the_profiles_zone_rules_the_journal_and_the_dashboard_whatever_the_browsers() {
    let app = spawn_app().await;
    let me = app.register("traveller@example.com").await;
    app.ok(
        "mutation { updateProfile(input: { timezone: \"Pacific/Auckland\" }) { timezone } }",
        json!({}),
        &me.access,
    )
    .await;
    app.ok(
        "mutation { updatePreferences(input: { weekStart: SUNDAY }) { id } }",
        json!({}),
        &me.access,
    )
    .await;
    let (start, end) = recent_span_today(Auckland, 30);
    app.create_entry(
        &me.access,
        json!({ "title": "Late call with Wellington", "activityType": "MEETING",
                "startTime": start.to_rfc3339(), "endTime": end.to_rfc3339() }),
    )
    .await;
    let local = start.with_timezone(&Auckland);
    let today = end.with_timezone(&Auckland).date_naive();
    let sunday = today - Duration::days(i64::from(today.weekday().num_days_from_sunday()));

    let browser = open_web_page(&app).await;
    browser
        .devtools(
            "Emulation.setTimezoneOverride",
            json!({ "timezoneId": "Europe/Berlin" }),
        )
        .await;
    restore_session(&browser, &app, tokens(&me)).await;
    let row = browser
        .wait_for_text_containing(
            &format!("section.day.today[data-day=\"{today}\"] .entry"),
            "Late call with Wellington",
            WAIT,
        )
        .await;
    let hh_mm = local.format("%H:%M").to_string();
    assert!(
        row.contains(&hh_mm),
        "the row shows Auckland's {hh_mm}: {row}"
    );
    let notice = browser.wait_for_text("#zone-notice", WAIT).await;
    assert!(
        notice.contains("Pacific/Auckland") && notice.contains("Europe/Berlin"),
        "{notice}"
    );
    capture(&browser, "journal-zones").await;

    browser.goto(&app.url("/#/dashboard")).await;
    browser.wait_for("#totals", WAIT).await;
    browser.set_value("#period", "today").await;
    browser
        .wait_for_text_containing(
            "#totals",
            &format!("0.5 h in 1 entry over 1 active day ({today} – {today})"),
            WAIT,
        )
        .await;
    browser.set_value("#period", "week").await;
    browser
        .wait_for_text_containing(
            "#totals",
            &format!("0.5 h in 1 entry over 1 active day ({sunday} – {today})"),
            WAIT,
        )
        .await;
    assert_no_console_errors(&browser).await;
}
