//! The running timer in the browser: started from the bar on every page,
//! still running after a reload (the server keeps it), stopped into an
//! entry that the journal shows at once.

use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, open_web_page};
use crate::helpers::spawn_app;
use crate::webdriver::WAIT;

#[tokio::test]
async fn a_timer_survives_a_reload_and_stops_into_an_entry() {
    let app = spawn_app().await;
    let me = app.register("timer@example.com").await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#empty", WAIT).await;

    // An empty title is refused in the page: nothing is started.
    browser.click("#timer-start").await;
    browser
        .wait_for_text_containing("#timer .error", "title", WAIT)
        .await;
    let none = app
        .ok("{ runningTimer { title } }", json!({}), &me.access)
        .await;
    assert_eq!(none["runningTimer"], serde_json::Value::Null);

    browser
        .type_text("#timer-new-title", "Pairing on the flaky test")
        .await;
    browser.set_value("#timer-type", "DEBUG").await;
    browser.click("#timer-start").await;
    assert_eq!(
        browser.wait_for_text("#timer-title", WAIT).await,
        "Pairing on the flaky test"
    );
    let running = app
        .ok(
            "{ runningTimer { title activityType } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(
        running["runningTimer"],
        json!({ "title": "Pairing on the flaky test", "activityType": "DEBUG" })
    );

    // A reload (or another device) shows the same timer, still counting.
    browser.goto(&app.url("/#/dashboard")).await;
    assert_eq!(
        browser.wait_for_text("#timer-title", WAIT).await,
        "Pairing on the flaky test"
    );
    browser.wait_for_text("#timer-elapsed", WAIT).await;

    browser.goto(&app.url("/#/")).await;
    browser.wait_for("#timer-stop", WAIT).await;
    browser.click("#timer-stop").await;
    browser.wait_for("#timer-new-title", WAIT).await;
    browser.wait_for_count("#entries .entry", 1, WAIT).await;
    browser
        .wait_for_text_containing("#entries", "Pairing on the flaky test", WAIT)
        .await;
    assert_eq!(
        app.entry_titles(&me.access, json!({})).await,
        vec!["Pairing on the flaky test".to_owned()]
    );
    let stopped = app
        .ok("{ runningTimer { title } }", json!({}), &me.access)
        .await;
    assert_eq!(stopped["runningTimer"], serde_json::Value::Null);
    assert_no_console_errors(&browser).await;
}
