//! The web app, end to end: the API serves the built SPA (`web/dist`, or
//! `ENGLOG_TEST_WEB_DIR`) and a real headless Chromium uses it.
//! Build the SPA first with `scripts/build-web`.
//!
//! Screenshots of every page, at 1280 and 390 CSS pixels wide, are written to
//! `target/screenshots/` (`<page>.png` and `<page>-phone.png`).

mod calendar_connection;
mod connections;
mod dashboard;
mod data_and_settings;
mod import_and_suggestions;
mod journal;
mod journey;
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

use serde_json::json;

use crate::helpers::{TestApp, web_dir};
use crate::webdriver::Browser;

/// The WebDriver code of the Enter key.
pub const ENTER: &str = "\u{E007}";

/// A browser on the SPA's start page. The SPA must have been built first.
pub async fn open_web_page(app: &TestApp) -> Browser {
    let index = web_dir().join("index.html");
    assert!(
        index.exists(),
        "{} is missing: build the web app first with scripts/build-web",
        index.display()
    );
    let browser = Browser::launch().await;
    browser.goto(&app.url("/")).await;
    browser
}

/// `target/screenshots/<name>` at the workspace root.
pub fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/screenshots")
        .join(name)
}

/// Screenshots the current page as `<name>.png` (1280 px wide) and
/// `<name>-phone.png` (390 px), and checks that at phone width nothing
/// makes the page scroll sideways.
pub async fn capture(browser: &Browser, name: &str) {
    browser
        .screenshot(screenshot_path(&format!("{name}.png")))
        .await;
    browser.set_window_size(390, 844).await;
    let widths = browser
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            json!([]),
        )
        .await;
    let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    browser
        .screenshot(screenshot_path(&format!("{name}-phone.png")))
        .await;
    assert!(
        scroll <= client,
        "the {name} page scrolls sideways at 390 px: scrollWidth {scroll} > clientWidth {client}"
    );
    browser.set_window_size(1280, 900).await;
}

/// Fails with the browser console's errors, if any.
pub async fn assert_no_console_errors(browser: &Browser) {
    let errors = browser.browser_errors().await;
    assert!(
        errors.is_empty(),
        "the browser console has errors: {errors:#?}"
    );
}
