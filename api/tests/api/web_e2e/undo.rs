//! A deletion waiting out its undo window is still done when the person
//! leaves the page within it: they asked for it and did not undo.

use std::time::{Duration, Instant};

use serde_json::json;

use super::open_web_page;
use super::session::{restore_session, tokens};
use crate::helpers::{TestApp, spawn_app};
use crate::webdriver::WAIT;

async fn titles(app: &TestApp, token: &str) -> Vec<String> {
    app.entry_titles(token, json!({})).await
}

#[tokio::test]
async fn a_pending_delete_is_done_when_the_page_is_left_within_the_undo_window() {
    let app = spawn_app().await;
    let me = app.register("leaver@example.com").await;
    app.create_entry(&me.access, json!({ "title": "Keep this one" }))
        .await;
    let gone = app
        .create_entry(&me.access, json!({ "title": "Delete this one" }))
        .await;
    let gone_id = gone["id"].as_str().unwrap().to_owned();
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for_count("#entries .entry", 2, WAIT).await;

    browser
        .click(&format!("li.entry[data-id=\"{gone_id}\"] .entry-select"))
        .await;
    browser.click("#delete-selected").await;
    browser.wait_for("#toast", WAIT).await;
    assert_eq!(
        titles(&app, &me.access).await.len(),
        2,
        "nothing is deleted while the undo is offered"
    );

    // Off the app within the 6 s window (the undo still offered, so its
    // timer has not deleted anything): the page unloads.
    assert!(
        !browser.find_all("#toast").await.is_empty(),
        "the undo is still offered when the page is left"
    );
    browser.goto("about:blank").await;
    let deadline = Instant::now() + WAIT;
    loop {
        let now = titles(&app, &me.access).await;
        if now == ["Keep this one"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the pending delete was not done on leaving: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
