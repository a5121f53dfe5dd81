//! Settings → Connections against a local GitHub (the fake forge): a
//! connector added with a bad token shows a clear error, is fixed, tested,
//! synced now; its drafts then bring the missed-day banner, whose link
//! opens the drafts; the banner is dismissed for the day; the connector is
//! removed after a confirmation.

use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, capture, open_web_page};
use crate::connectors::fake_github::{FakeGithub, GOOD_TOKEN};
use crate::helpers::spawn_app;
use crate::webdriver::{Browser, WAIT};

/// The (only) GitHub connector's card.
const CARD: &str = ".connector-github";

async fn reload(browser: &Browser) {
    browser.execute("location.reload();", json!([])).await;
}

#[tokio::test]
async fn a_github_connection_is_added_fixed_synced_and_removed_and_its_drafts_bring_the_banner() {
    let app = spawn_app().await;
    let me = app.register("octo@example.com").await;
    let github = FakeGithub::start().await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#empty", WAIT).await;

    // Opt in to the nudge, working every day of the week (so today is a
    // workday whenever the test runs).
    browser.goto(&app.url("/#/settings")).await;
    browser.wait_for("#pref-nudge", WAIT).await;
    browser.click("#pref-nudge").await;
    browser.click("#workday-saturday").await;
    browser.click("#workday-sunday").await;
    browser.click("#preferences-save").await;
    browser
        .wait_for_text_containing("#preferences", "Preferences saved.", WAIT)
        .await;
    let prefs = app
        .ok(
            "{ me { preferences { missedDayNudge workdays } } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(prefs["me"]["preferences"]["missedDayNudge"], true);
    assert_eq!(
        prefs["me"]["preferences"]["workdays"]
            .as_array()
            .map(Vec::len),
        Some(7)
    );
    // Nothing is waiting yet: no banner.
    assert!(browser.find_all("#review-nudge").await.is_empty());

    // Settings links to Connections.
    browser.click("#open-connections").await;
    browser.wait_for("#no-connectors", WAIT).await;
    capture(&browser, "connections-empty").await;

    // Added with a revoked token: the test and the sync say why, clearly.
    browser.click("#add-connector").await;
    browser.set_value("#connector-kind", "GITHUB").await;
    browser.set_value("#connector-url", &github.base).await;
    browser
        .set_value(
            "#connector-token",
            "ghp_revoked0000000000000000000000000000",
        )
        .await;
    browser
        .set_value("#connector-rules", "acme/payments-api = Payments")
        .await;
    browser.click("#connector-save").await;
    browser.wait_for(CARD, WAIT).await;
    browser.click(&format!("{CARD} .test")).await;
    browser
        .wait_for_text_containing(&format!("{CARD} .test-result"), "401", WAIT)
        .await;
    browser.click(&format!("{CARD} .sync")).await;
    let error = browser
        .wait_for_text_containing(
            &format!("{CARD} .connector-error"),
            "token was rejected (401)",
            WAIT,
        )
        .await;
    assert!(!error.contains("ghp_"), "no token on the page: {error}");
    browser
        .wait_for_text_containing(&format!("{CARD} .status-badge"), "Failed", WAIT)
        .await;
    capture(&browser, "connections-error").await;

    // A good token (the stored one is never shown back), then a test and a
    // sync now, followed on the page until it ends.
    browser.click(&format!("{CARD} .edit")).await;
    browser.wait_for("#connector-form", WAIT).await;
    let shown = browser
        .execute(
            "return document.querySelector('#connector-token').value;",
            json!([]),
        )
        .await;
    assert_eq!(shown, json!(""), "the token field starts empty");
    browser.set_value("#connector-token", GOOD_TOKEN).await;
    browser.click("#connector-save").await;
    browser.wait_for_gone("#connector-form", WAIT).await;
    browser.click(&format!("{CARD} .test")).await;
    browser
        .wait_for_text_containing(&format!("{CARD} .test-result"), "Connected as", WAIT)
        .await;
    browser.click(&format!("{CARD} .sync")).await;
    browser
        .wait_for_text_containing(&format!("{CARD} .last-result"), "4 drafts created", WAIT)
        .await;
    browser
        .wait_for_text_containing(&format!("{CARD} .status-badge"), "Ok", WAIT)
        .await;
    browser
        .wait_for_gone(&format!("{CARD} .connector-error"), WAIT)
        .await;
    let card = browser.text(CARD).await;
    assert!(card.contains("acme/payments-api → Payments"), "{card}");
    capture(&browser, "connections").await;

    // The drafts are waiting and nothing was confirmed yesterday: the
    // banner says so, as the nudge mail would.
    let nudge = app
        .ok("{ reviewNudge { total message } }", json!({}), &me.access)
        .await;
    let total = nudge["reviewNudge"]["total"].as_i64().expect("a nudge");
    assert!(total >= 1, "{nudge}");
    reload(&browser).await;
    let banner = browser
        .wait_for_text_containing("#review-nudge", "waiting for review", WAIT)
        .await;
    assert!(
        banner.contains(&format!("{total} draft")) && banner.contains("from GitHub"),
        "{banner}"
    );
    capture(&browser, "connections-banner").await;
    browser.click("#review-drafts").await;
    let drafts = app
        .ok(
            "{ logEntries(first: 100, filter: {draft: true}) { edges { cursor } } }",
            json!({}),
            &me.access,
        )
        .await["logEntries"]["edges"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    browser.wait_for_count(".entry .draft", drafts, WAIT).await;
    let hash = browser.execute("return location.hash;", json!([])).await;
    assert_eq!(hash, json!("#/?draft=true"));
    let filtered = browser
        .execute(
            "return document.querySelector('#filter-drafts').checked;",
            json!([]),
        )
        .await;
    assert_eq!(filtered, json!(true), "the journal opens on the drafts");

    // Dismissed for the day: gone, and still gone after a reload.
    browser.click("#dismiss-nudge").await;
    browser.wait_for_gone("#review-nudge", WAIT).await;
    reload(&browser).await;
    browser.wait_for(".entry", WAIT).await;
    assert!(browser.find_all("#review-nudge").await.is_empty());

    // Removed after a confirmation; its drafts stay.
    browser.goto(&app.url("/#/settings/connections")).await;
    browser.wait_for(CARD, WAIT).await;
    browser.click(&format!("{CARD} .remove")).await;
    browser
        .wait_for(&format!("{CARD} .confirm-remove"), WAIT)
        .await;
    capture(&browser, "connections-remove").await;
    browser.click(&format!("{CARD} .confirm-remove")).await;
    browser.wait_for("#no-connectors", WAIT).await;
    let left = app.ok("{ connectors { id } }", json!({}), &me.access).await;
    assert_eq!(left["connectors"], json!([]));
    assert_no_console_errors(&browser).await;
}
