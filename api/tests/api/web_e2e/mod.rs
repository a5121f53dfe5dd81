//! The web app, end to end: the API serves the built SPA (`web/dist`, or
//! `ENGLOG_TEST_WEB_DIR`) and a real headless Chromium uses it.
//! Build the SPA first with `scripts/build-web`.
//!
//! Screenshots of every page, whole (the full document height) at 1280 and
//! 390 CSS pixels wide, are written to `target/screenshots/` (`<page>.png`
//! and `<page>-phone.png`).

mod calendar_connection;
mod connections;
mod dashboard;
mod data_and_settings;
mod import_and_suggestions;
mod journal;
mod journey;
mod lazy_pages;
mod manage;
mod not_found;
mod oauth;
mod performance;
mod refusals;
mod report_quality;
mod session;
mod sign_in;
mod timer;
mod undo;
mod zones;

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use englog_core::metrics::period::local_day_start;
use serde_json::json;

use crate::helpers::{TestApp, web_dir};
use crate::webdriver::{Browser, WAIT};

/// The WebDriver code of the Enter key.
pub const ENTER: &str = "\u{E007}";

/// A span of `minutes` that lies within today in `zone`: the last
/// `minutes` before now, or, in the first minutes after the zone's
/// midnight, the `minutes` from that midnight on (ending a little in the
/// future). A test that says "an entry of half an hour ago is today"
/// otherwise fails in the first half hour of the zone's day (Auckland's
/// starts at 11:00 UTC in December).
pub fn recent_span_today(zone: Tz, minutes: i64) -> (DateTime<Utc>, DateTime<Utc>) {
    let now = Utc::now();
    // The day's start as the app computes it (a skipped midnight included).
    let midnight = local_day_start(zone, now.with_timezone(&zone).date_naive());
    let start = (now - Duration::minutes(minutes)).max(midnight);
    (start, start + Duration::minutes(minutes))
}

/// A browser on the SPA's start page, the app running and signed out. The
/// SPA must have been built first.
pub async fn open_web_page(app: &TestApp) -> Browser {
    let index = web_dir().join("index.html");
    assert!(
        index.exists(),
        "{} is missing: build the web app first with scripts/build-web",
        index.display()
    );
    let browser = Browser::launch().await;
    browser.goto(&app.url("/")).await;
    // `goto` returns at the page's load event, before the wasm app starts.
    // Under load it started later still, after a test had stored a session
    // for the next page: it read that pair, spent its refresh token, and was
    // replaced before storing the rotated one, so the next page's refresh
    // was a replay that ended the session ("Your session has ended", one
    // run in several under load). A mounted, signed-out app reads storage
    // no more.
    browser.wait_for("#sign-in", WAIT).await;
    browser
}

/// `target/screenshots/<name>` at the workspace root.
pub fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/screenshots")
        .join(name)
}

/// Screenshots the whole current page (its full height, not only the
/// window) as `<name>.png` at 1280 px wide and `<name>-phone.png` at 390 px,
/// and checks that at neither width anything makes the page scroll sideways.
/// Both screenshots are taken before the check fails, to show the overflow.
pub async fn capture(browser: &Browser, name: &str) {
    let mut sideways = Vec::new();
    for (width, height, suffix) in [(1280, 900, ""), (390, 844, "-phone")] {
        browser.set_window_size(width, height).await;
        browser
            .screenshot(screenshot_path(&format!("{name}{suffix}.png")))
            .await;
        let (scroll, client) = page_widths(browser).await;
        if scroll > client {
            sideways.push(format!(
                "at {width} px: scrollWidth {scroll} > clientWidth {client}"
            ));
        }
    }
    browser.set_window_size(1280, 900).await;
    assert!(
        sideways.is_empty(),
        "the {name} page scrolls sideways {}",
        sideways.join("; ")
    );
}

/// The document's scroll width and the width it is shown in (CSS pixels).
async fn page_widths(browser: &Browser) -> (i64, i64) {
    let widths = browser
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            json!([]),
        )
        .await;
    let width = |i: usize| {
        widths[i]
            .as_i64()
            .unwrap_or_else(|| panic!("page widths as integers, got {widths}"))
    };
    (width(0), width(1))
}

/// Fails with the browser console's errors, if any.
pub async fn assert_no_console_errors(browser: &Browser) {
    let errors = browser.browser_errors().await;
    assert!(
        errors.is_empty(),
        "the browser console has errors: {errors:#?}"
    );
}
