//! Signing in, registering and the journal's first page.

use serde_json::json;

use super::{open_web_page, screenshot_path};
use crate::helpers::{PASSWORD, spawn_app};
use crate::webdriver::WAIT;

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

    let browser = open_web_page(&app).await;
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

    browser
        .screenshot(screenshot_path("journal-seeded.png"))
        .await;
    browser.set_window_size(390, 844).await;
    browser
        .screenshot(screenshot_path("journal-seeded-phone.png"))
        .await;
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

    let browser = open_web_page(&app).await;
    browser.type_text("#email", email).await;
    browser.type_text("#password", "not the password").await;
    browser.click("#sign-in").await;

    let message = browser.wait_for_text("#error", WAIT).await;
    assert!(!message.trim().is_empty());
    // Still signed out: the form is there and no journal appeared.
    browser.wait_for("#sign-in", WAIT).await;
    assert!(browser.find_all("#entries").await.is_empty());
    assert!(browser.find_all("#sign-out").await.is_empty());
    browser
        .screenshot(screenshot_path("sign-in-error.png"))
        .await;
    let errors = browser.browser_errors().await;
    assert!(
        errors.is_empty(),
        "the browser console has errors: {errors:#?}"
    );
}

#[tokio::test]
async fn registering_on_the_web_page_opens_an_empty_journal() {
    let app = spawn_app().await;

    let browser = open_web_page(&app).await;
    browser.click("#show-register").await;
    browser.type_text("#first-name", "Grace").await;
    browser.type_text("#last-name", "Hopper").await;
    browser.type_text("#email", "grace@example.com").await;
    browser.type_text("#password", PASSWORD).await;
    browser.click("#register").await;

    browser.wait_for("#empty", WAIT).await;
    assert_eq!(
        browser.wait_for_text("#user-name", WAIT).await,
        "Grace Hopper"
    );
    assert!(browser.find_all("#entries .entry").await.is_empty());
    // The account is real: the same credentials work over GraphQL.
    let login = app.login("grace@example.com", PASSWORD).await;
    assert!(login.get("errors").is_none(), "login failed: {login}");
}

#[tokio::test]
async fn a_long_journal_loads_the_next_page_on_scrolling() {
    let app = spawn_app().await;
    let email = "linus@example.com";
    let session = app.register(email).await;
    // 25 short entries, half an hour apart: one page of 20, then 5.
    let inputs: Vec<_> = (1..=25)
        .map(|i| {
            let (hour, minute) = (8 + (i - 1) / 2, (i - 1) % 2 * 30);
            json!({
                "title": format!("Entry {i:02}"),
                "activityType": "CODE",
                "startTime": format!("2026-03-02T{hour:02}:{minute:02}:00Z"),
                "endTime": format!("2026-03-02T{hour:02}:{:02}:00Z", minute + 20),
            })
        })
        .collect();
    app.ok(
        "mutation($inputs: [CreateLogEntryInput!]!) { bulkCreateLogEntries(inputs: $inputs) { id } }",
        json!({ "inputs": inputs }),
        &session.access,
    )
    .await;

    let browser = open_web_page(&app).await;
    browser.type_text("#email", email).await;
    browser.type_text("#password", PASSWORD).await;
    browser.click("#sign-in").await;

    browser.wait_for_count("#entries .entry", 20, WAIT).await;
    // Infinite scroll: reaching the end of the list loads the next page.
    browser
        .execute("window.scrollTo(0, document.body.scrollHeight);", json!([]))
        .await;
    browser.wait_for_count("#entries .entry", 25, WAIT).await;

    let expected: Vec<String> = (1..=25).rev().map(|i| format!("Entry {i:02}")).collect();
    assert_eq!(browser.texts("#entries .entry-title").await, expected);
    assert!(
        browser.find_all("#load-more").await.is_empty(),
        "no more pages after the last one"
    );
}
