//! The web page, end to end: the API serves the built SPA (`web/dist`, or
//! `ENGLOG_TEST_WEB_DIR`) and a real headless Chromium uses it.
//! Build the SPA first with `scripts/build-web`.

use std::path::PathBuf;

use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};
use crate::webdriver::{Browser, WAIT};

#[tokio::test]
async fn a_person_signs_in_on_the_web_page_and_sees_their_entries() {
    let app = spawn_app().await;
    let email = "ada@example.com";
    let session = app.register(email).await;
    let token = session.access.as_str();
    app.create_entry(
        token,
        json!({
            "title": "Fixed the flaky login test",
            "activityType": "DEBUG",
            "startTime": "2026-03-02T09:00:00Z",
            "endTime": "2026-03-02T10:30:00Z",
        }),
    )
    .await;
    app.create_entry(
        token,
        json!({
            "title": "Reviewed the payments PR",
            "activityType": "REVIEW",
            "startTime": "2026-03-03T14:00:00Z",
            "endTime": "2026-03-03T15:00:00Z",
            "tags": ["payments"],
        }),
    )
    .await;

    let browser = Browser::launch().await;
    browser.goto(&app.url("/")).await;
    browser.type_text("#email", email).await;
    browser.type_text("#password", PASSWORD).await;
    browser.click("#sign-in").await;

    browser.wait_for_count("#entries .entry", 2, WAIT).await;
    assert_eq!(
        browser.texts("#entries .entry .entry-title").await,
        ["Reviewed the payments PR", "Fixed the flaky login test"],
        "the journal lists the person's entries, newest first"
    );
    let name = browser.wait_for_text("#user-name", WAIT).await;
    assert_eq!(name, "Ada Lovelace", "the header names the person");

    // A reload stays signed in: the tokens live in localStorage.
    browser.goto(&app.url("/")).await;
    browser.wait_for_count("#entries .entry", 2, WAIT).await;

    browser.screenshot(screenshot_path("journal.png")).await;
    let errors = browser.browser_errors().await;
    assert!(
        errors.is_empty(),
        "the browser console has errors: {errors:#?}"
    );

    browser.click("#sign-out").await;
    browser.wait_for("#sign-in", WAIT).await;
    browser.wait_for("#email", WAIT).await;
    assert!(browser.find_all("#entries").await.is_empty());
}

#[tokio::test]
async fn a_wrong_password_shows_an_error_on_the_page() {
    let app = spawn_app().await;
    let email = "grace@example.com";
    app.register(email).await;

    let browser = Browser::launch().await;
    browser.goto(&app.url("/")).await;
    browser.type_text("#email", email).await;
    browser.type_text("#password", "not the password").await;
    browser.click("#sign-in").await;

    let message = browser.wait_for_text("#error", WAIT).await;
    assert!(!message.trim().is_empty());
    // Still signed out: the form is there and no journal appeared.
    browser.wait_for("#sign-in", WAIT).await;
    assert!(browser.find_all("#entries").await.is_empty());
    assert!(browser.find_all("#sign-out").await.is_empty());
}

/// `target/screenshots/<name>` at the workspace root.
fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/screenshots")
        .join(name)
}
