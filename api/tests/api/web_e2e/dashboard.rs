//! The dashboard in the browser: drafts said to wait and left out of the
//! numbers, a custom range, readable bars, a trend with labelled axes, and
//! matrix cells that meet WCAG AA contrast in both themes and open the
//! journal filtered to their entries.

use chrono::{Duration as Span, Utc};
use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, capture, open_web_page};
use crate::helpers::{TestApp, spawn_app};
use crate::webdriver::{Browser, WAIT};

/// The lowest text/background contrast ratio among the matrix cells
/// (WCAG 2 relative luminance; a cell's text sits on its `td`).
const LOWEST_CELL_CONTRAST: &str = r#"
const rgb = (css) => css.match(/[\d.]+/g).slice(0, 3).map(Number);
const lum = ([r, g, b]) => {
  const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
let lowest = Infinity;
for (const td of document.querySelectorAll('#chart-matrix tbody td')) {
  const a = td.querySelector('a');
  const [l1, l2] = [lum(rgb(getComputedStyle(td).backgroundColor)), lum(rgb(getComputedStyle(a).color))];
  lowest = Math.min(lowest, (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05));
}
return lowest;
"#;

async fn lowest_contrast(browser: &Browser) -> f64 {
    browser
        .execute(LOWEST_CELL_CONTRAST, json!([]))
        .await
        .as_f64()
        .expect("a contrast ratio")
}

/// An entry of `minutes` ending `hours_ago` hours before now.
async fn entry(
    app: &TestApp,
    token: &str,
    fields: serde_json::Value,
    hours_ago: i64,
    minutes: i64,
) {
    let end = Utc::now() - Span::hours(hours_ago);
    let mut input = json!({ "startTime": (end - Span::minutes(minutes)).to_rfc3339(),
        "endTime": end.to_rfc3339() });
    for (k, v) in fields.as_object().expect("fields") {
        input[k] = v.clone();
    }
    app.create_entry(token, input).await;
}

#[tokio::test]
async fn the_dashboard_counts_confirmed_work_and_its_cells_are_readable_links() {
    let app = spawn_app().await;
    let me = app.register("dashboard@example.com").await;
    let t = &me.access;
    let high_company = json!({ "valueRating": "HIGH", "impactLevel": "COMPANY" });
    entry(
        &app,
        t,
        json!({ "title": "Shipped refunds", "valueRating": "HIGH", "impactLevel": "COMPANY" }),
        1,
        90,
    )
    .await;
    entry(&app, t, json!({ "title": "Outage review", "valueRating": "HIGH", "impactLevel": "COMPANY", "activityType": "MEETING" }), 3, 30).await;
    entry(
        &app,
        t,
        json!({ "title": "Inbox", "valueRating": "LOW", "impactLevel": "PERSONAL" }),
        24 * 20,
        60,
    )
    .await;
    for n in 0..2 {
        let mut draft = high_company.clone();
        draft["title"] = json!(format!("Imported {n}"));
        draft["isDraft"] = json!(true);
        entry(&app, t, draft, 5 + n, 60).await;
    }

    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/dashboard")).await;
    // Last 30 days: three confirmed entries, 3 h; the two drafts wait.
    browser
        .wait_for_text_containing("#totals", "3.0 h in 3 entries", WAIT)
        .await;
    browser
        .wait_for_text_containing("#drafts-waiting", "2 drafts (2.0 h)", WAIT)
        .await;
    browser
        .wait_for_count("#chart-types .bar-row", 2, WAIT)
        .await;
    browser
        .wait_for_count("#chart-matrix tbody td", 12, WAIT)
        .await;
    // The weekly trend has labelled axes with units: hours on the left (the
    // busiest week, 2 h, rounded up to whole hours), focus on the right.
    let ticks = |class: &str| {
        format!(
            "return [...document.querySelectorAll('#chart-trends .{class}')].map(t => t.textContent);"
        )
    };
    assert_eq!(
        browser.execute(&ticks("hours-tick"), json!([])).await,
        json!(["0 h", "1 h", "2 h"])
    );
    assert_eq!(
        browser.execute(&ticks("focus-tick"), json!([])).await,
        json!(["0 %", "50 %", "100 %"])
    );

    let light = lowest_contrast(&browser).await;
    assert!(
        light >= 4.5,
        "a matrix cell's contrast is {light:.2}:1 in the light theme"
    );
    browser.emulate_color_scheme("dark").await;
    let dark = lowest_contrast(&browser).await;
    assert!(
        dark >= 4.5,
        "a matrix cell's contrast is {dark:.2}:1 in the dark theme"
    );
    capture(&browser, "dashboard-matrix-dark").await;
    browser.emulate_color_scheme("light").await;
    capture(&browser, "dashboard-matrix").await;

    // A custom range of the last week holds only the two recent entries.
    browser.set_value("#period", "custom").await;
    let from = (Utc::now() - Span::days(6)).date_naive().to_string();
    browser.set_value("#period-from", &from).await;
    browser
        .wait_for_text_containing("#totals", "2.0 h in 2 entries", WAIT)
        .await;

    // The high × company cell opens the journal filtered to its entries.
    let cell = "#chart-matrix tbody tr:nth-child(1) td:nth-of-type(4) a";
    assert_eq!(browser.text(cell).await, "2.0");
    browser.click(cell).await;
    let hash = browser.execute("return location.hash;", json!([])).await;
    let hash = hash.as_str().expect("a hash");
    // The journal keeps the filters in the address bar in its own order.
    assert!(hash.starts_with("#/?from="), "{hash}");
    for part in ["&to=", "value=HIGH", "impact=COMPANY", "draft=false"] {
        assert!(hash.contains(part), "{part} in {hash}");
    }
    browser.wait_for_count("#entries .entry", 2, WAIT).await;
    let titles = browser.texts("#entries .entry-title").await;
    assert!(
        titles.iter().any(|t| t.contains("Shipped refunds"))
            && titles.iter().any(|t| t.contains("Outage review")),
        "{titles:?}"
    );
    assert_no_console_errors(&browser).await;
}

/// Ten imported drafts are confirmed from the journal at once (a day's
/// "Select drafts", then "Confirm"); the dashboard counts exactly their
/// hours afterwards, and not before.
#[tokio::test]
async fn ten_drafts_confirmed_at_once_move_exactly_their_hours_into_the_dashboard() {
    let app = spawn_app().await;
    let me = app.register("drafts@example.com").await;
    let t = &me.access;
    entry(&app, t, json!({ "title": "Standup notes" }), 1, 60).await;
    for n in 0..10 {
        let draft = json!({ "title": format!("Imported meeting {n}"), "isDraft": true,
            "activityType": "MEETING" });
        // 30 minutes each, back to back over the last five hours and more.
        entry(&app, t, draft, 2 + n / 2, 30).await;
    }
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/dashboard")).await;
    browser
        .wait_for_text_containing("#totals", "1.0 h in 1 entry", WAIT)
        .await;
    browser
        .wait_for_text_containing("#drafts-waiting", "10 drafts (5.0 h)", WAIT)
        .await;

    browser.goto(&app.url("/#/")).await;
    browser.wait_for_count("#entries .entry", 11, WAIT).await;
    browser.wait_for(".day-select-drafts", WAIT).await;
    browser
        .execute(
            "document.querySelectorAll('.day-select-drafts').forEach((b) => b.click());",
            json!([]),
        )
        .await;
    browser
        .wait_for_text_containing("#confirm-selected", "Confirm 10 drafts", WAIT)
        .await;
    browser.click("#confirm-selected").await;
    browser.wait_for_gone("#confirm-selected", WAIT).await;
    let drafts = app
        .ok(
            "{ logEntries(first: 50, filter: { draft: true }) { edges { node { id } } } }",
            json!({}),
            t,
        )
        .await;
    assert_eq!(
        drafts["logEntries"]["edges"],
        json!([]),
        "every draft is confirmed"
    );

    browser.goto(&app.url("/#/dashboard")).await;
    browser
        .wait_for_text_containing("#totals", "6.0 h in 11 entries", WAIT)
        .await;
    assert!(browser.find_all("#drafts-waiting").await.is_empty());
    assert_no_console_errors(&browser).await;
}
