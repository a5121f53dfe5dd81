//! An address no page has says so and leads back, rather than showing the
//! journal as if the link had worked.

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, capture, open_web_page};
use crate::helpers::spawn_app;
use crate::webdriver::WAIT;

#[tokio::test]
async fn an_unknown_address_shows_page_not_found_and_leads_to_the_journal() {
    let app = spawn_app().await;
    let me = app.register("lost@example.com").await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries, #empty", WAIT).await;

    for (address, shown) in [
        ("/#/no-such-page", "#/no-such-page"),
        ("/#/entries", "#/entries"),
        ("/#/settings/nothing/here", "#/settings/nothing/here"),
    ] {
        browser.goto(&app.url(address)).await;
        browser
            .wait_for_text_containing("#not-found", "Page not found", WAIT)
            .await;
        assert!(
            browser.text("#not-found code").await.contains(shown),
            "{address} should name {shown}"
        );
        // Not the journal behind it.
        assert!(browser.find_all("#quick-add").await.is_empty());
    }
    capture(&browser, "not-found").await;

    browser.click("#not-found-home").await;
    browser.wait_for("#entries, #empty", WAIT).await;
    assert!(browser.find_all("#not-found").await.is_empty());
    // A known page with a trailing slash still opens.
    browser.goto(&app.url("/#/dashboard/")).await;
    browser.wait_for("#totals", WAIT).await;
    assert_no_console_errors(&browser).await;
}
