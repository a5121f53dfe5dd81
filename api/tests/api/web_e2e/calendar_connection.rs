//! Settings → Connections with a real CalDAV server (Radicale): a calendar
//! added by its address, username and password is tested and synced from
//! the page, its address shown without the secret path, its times in the
//! profile's zone, and its meetings arrive in the journal as drafts to
//! review.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, capture, open_web_page};
use crate::connectors::calendar::{berliner, work_calendar};
use crate::connectors::radicale;
use crate::helpers::spawn_app;
use crate::webdriver::WAIT;

const CARD: &str = ".connector-calendar";

#[tokio::test]
async fn a_caldav_calendar_is_connected_from_the_page_and_its_meetings_become_drafts() {
    let app = spawn_app().await;
    let me = berliner(&app).await;
    let (server, plan, url) = work_calendar().await;

    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#empty", WAIT).await;
    browser.goto(&app.url("/#/settings/connections")).await;
    browser.click("#add-connector").await;
    browser.set_value("#connector-kind", "CALENDAR").await;
    // Only a calendar asks for a username.
    browser.wait_for("#connector-username", WAIT).await;
    browser.set_value("#connector-url", &url).await;
    browser
        .set_value("#connector-username", radicale::USER)
        .await;
    browser
        .set_value("#connector-token", radicale::PASSWORD)
        .await;
    browser.click("#connector-save").await;
    browser.wait_for(CARD, WAIT).await;

    // The address is a secret (a private feed's path is its key): the
    // card shows scheme and host only, and never the password.
    let card = browser.text(CARD).await;
    assert!(card.contains(&format!("{}/…", server.base)), "{card}");
    assert!(!card.contains("/ada/work"), "{card}");
    assert!(!card.contains(radicale::PASSWORD), "{card}");

    browser.click(&format!("{CARD} .test")).await;
    browser
        .wait_for_text_containing(&format!("{CARD} .test-result"), "read 6 events", WAIT)
        .await;
    browser.click(&format!("{CARD} .sync")).await;
    browser
        .wait_for_text_containing(&format!("{CARD} .last-result"), "11 drafts created", WAIT)
        .await;
    capture(&browser, "connections-calendar").await;

    // Its times are the profile's (Europe/Berlin), not the browser's (UTC).
    let listed = app
        .ok("{ connectors { lastSyncAt } }", json!({}), &me.access)
        .await;
    let synced: DateTime<Utc> = listed["connectors"][0]["lastSyncAt"]
        .as_str()
        .and_then(|at| at.parse().ok())
        .expect("lastSyncAt");
    let berlin = synced
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let card = browser.text(CARD).await;
    assert!(card.contains(&berlin), "{berlin} (Berlin) not in {card}");

    // The meetings wait in the journal as drafts.
    browser.goto(&app.url("/#/?draft=true")).await;
    let rows = browser.wait_for_count("#entries .entry", 11, WAIT).await;
    assert_eq!(rows.len(), 11);
    assert_eq!(browser.find_all("#entries .entry .draft").await.len(), 11);
    let titles = browser.page_text().await;
    for (title, _, _) in plan.drafts(false) {
        assert!(titles.contains(&title), "{title} is not in the journal");
    }
    assert_no_console_errors(&browser).await;
}
