//! The web page, end to end: the API serves the built SPA (`web/dist`, or
//! `ENGLOG_TEST_WEB_DIR`) and a real headless Chromium uses it.
//! Build the SPA first with `scripts/build-web`.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::webdriver::{Browser, WAIT};

const PASSWORD: &str = "correct horse battery staple";

const CREATE_ENTRY: &str = r#"
mutation CreateEntry($input: CreateLogEntryInput!) {
  createLogEntry(input: $input) { id title }
}"#;

#[tokio::test]
async fn a_person_signs_in_on_the_web_page_and_sees_their_entries() {
    let app = spawn_app().await;
    let email = "ada@example.com";
    let auth = app.register(email, PASSWORD).await;
    let token = auth["accessToken"].as_str().expect("an access token");
    let first_name = auth["user"]["firstName"].as_str().unwrap_or_default();
    create_entry(
        &app,
        token,
        "Fixed the flaky login test",
        "DEBUG",
        "2025-03-10T09:00:00Z",
        "2025-03-10T10:30:00Z",
    )
    .await;
    create_entry(
        &app,
        token,
        "Reviewed the payments PR",
        "REVIEW",
        "2025-03-11T14:00:00Z",
        "2025-03-11T15:00:00Z",
    )
    .await;

    let browser = Browser::launch().await;
    browser.goto(&format!("{}/", app.address)).await;
    browser.type_text("#email", email).await;
    browser.type_text("#password", PASSWORD).await;
    browser.click("#sign-in").await;

    browser.wait_for_count("#entries .entry", 2, WAIT).await;
    assert_eq!(
        browser.texts(".entry .entry-title").await,
        ["Reviewed the payments PR", "Fixed the flaky login test"],
        "the journal lists the person's entries, newest first"
    );
    let name = browser.wait_for_text("#user-name", WAIT).await;
    assert!(
        name.contains(first_name),
        "the header names the person: {name:?}"
    );

    // A reload stays signed in: the tokens live in localStorage.
    browser.goto(&format!("{}/", app.address)).await;
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
}

#[tokio::test]
async fn a_wrong_password_shows_an_error_on_the_page() {
    let app = spawn_app().await;
    let email = "grace@example.com";
    app.register(email, PASSWORD).await;

    let browser = Browser::launch().await;
    browser.goto(&format!("{}/", app.address)).await;
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

async fn create_entry(
    app: &TestApp,
    token: &str,
    title: &str,
    activity: &str,
    start: &str,
    end: &str,
) {
    let input = json!({
        "title": title,
        "activityType": activity,
        "startTime": start,
        "endTime": end,
        "tags": ["web-e2e"],
    });
    let response: Value = app
        .graphql(CREATE_ENTRY, json!({ "input": input }), Some(token))
        .await;
    assert!(
        response["errors"].is_null(),
        "createLogEntry failed: {response}"
    );
}

/// `target/screenshots/<name>` at the workspace root.
fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/screenshots")
        .join(name)
}
