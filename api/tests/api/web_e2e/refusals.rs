//! Input the app refuses with a message that says what to do, changing
//! nothing: a sign-in refused for too many attempts (with when to retry),
//! an OAuth sign-in without a verified email, and an import file over the
//! server's limit (refused before it is sent).

use serde_json::json;

use super::oauth::app_with_provider;
use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, open_web_page};
use crate::helpers::{Backend, PASSWORD, spawn_app_with};
use crate::identity::oauth_server::MockUser;
use crate::webdriver::WAIT;

#[tokio::test]
async fn a_rate_limited_sign_in_says_when_to_try_again() {
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        settings.rate_limits.login_per_account = 2;
        settings.rate_limits.window_secs = 600;
    })
    .await;
    let email = "guessed@example.com";
    app.register(email).await;
    let browser = open_web_page(&app).await;
    browser.wait_for("#sign-in", WAIT).await;
    browser.type_text("#email", email).await;
    for _ in 0..2 {
        browser.set_value("#password", "not the password").await;
        browser.click("#sign-in").await;
        browser.wait_for(".error", WAIT).await;
    }
    // The third try, even with the right password, waits out the window.
    browser.set_value("#password", PASSWORD).await;
    browser.click("#sign-in").await;
    let message = browser
        .wait_for_text_containing(".error", "Try again in", WAIT)
        .await;
    assert!(message.contains("minutes"), "{message}");
    assert!(
        browser.find_all("#sign-out").await.is_empty(),
        "still signed out"
    );
}

#[tokio::test]
async fn an_oauth_sign_in_without_a_verified_email_says_what_to_do() {
    let (app, _provider) = app_with_provider(MockUser {
        subject: "web-oauth-unverified",
        email: "unverified@example.com",
        email_verified: false,
    })
    .await;
    let browser = open_web_page(&app).await;
    browser.click("#oauth-mock").await;
    let message = browser
        .wait_for_text_containing(".error", "no verified email", WAIT)
        .await;
    assert!(message.contains("Verify your email"), "{message}");
    assert!(
        browser.find_all("#sign-out").await.is_empty(),
        "not signed in"
    );
    // No account was made for the unverified address.
    let login = app.login("unverified@example.com", PASSWORD).await;
    assert!(login.get("errors").is_some(), "{login}");
}

#[tokio::test]
async fn an_import_over_the_limit_is_refused_before_it_is_sent() {
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        settings.imports.max_content_bytes = 1024 * 1024;
    })
    .await;
    let me = app.register("importer@example.com").await;
    let dir = tempfile::tempdir().expect("a directory");
    let big = dir.path().join("big.csv");
    let row = "title,activity_type,start_time,end_time\n";
    std::fs::write(&big, row.repeat(40_000)).expect("a 1.6 MB file");

    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/data")).await;
    browser.set_value("#import-format", "ENGLOG_CSV").await;
    browser.wait_for("#import-file", WAIT).await;
    browser
        .type_text("#import-file", big.to_str().expect("a path"))
        .await;
    let message = browser
        .wait_for_text_containing("#import .error", "at most 1.0 MB", WAIT)
        .await;
    assert!(message.contains("This file is 1.5 MB"), "{message}");
    browser.click("#import-check").await;
    browser
        .wait_for_text_containing("#import .error", "at most 1.0 MB", WAIT)
        .await;
    assert!(browser.find_all("#import-report").await.is_empty());
    assert!(app.entry_titles(&me.access, json!({})).await.is_empty());
    assert_no_console_errors(&browser).await;
}
