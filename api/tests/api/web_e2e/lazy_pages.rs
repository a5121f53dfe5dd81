//! The journal's first load carries only its own code: the other pages are
//! wasm modules of their own (`#[component(lazy)]`, split by
//! `scripts/build-web`), fetched the first time one is opened and only then.

use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, open_web_page};
use crate::helpers::spawn_app;
use crate::webdriver::{Browser, WAIT};

/// The paths of the page modules the browser has fetched so far.
async fn fetched_page_modules(browser: &Browser) -> Vec<String> {
    let names = browser
        .execute(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)",
            json!([]),
        )
        .await;
    names
        .as_array()
        .expect("a list of resource names")
        .iter()
        .filter_map(|name| name.as_str())
        .filter(|path| path.starts_with("/pkg/module_"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_journal_loads_without_the_other_pages_code_which_comes_when_a_page_is_opened() {
    let app = spawn_app().await;
    let me = app.register("lazy@example.com").await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries, #empty", WAIT).await;
    assert_eq!(fetched_page_modules(&browser).await, Vec::<String>::new());

    // Within the app (no reload): the settings page's module arrives and
    // the page works.
    browser
        .execute("location.hash = '#/settings'", json!([]))
        .await;
    browser.wait_for("#open-connections", WAIT).await;
    let fetched = fetched_page_modules(&browser).await;
    assert_eq!(fetched.len(), 1, "{fetched:?}");
    assert!(fetched[0].contains("LazySettings"), "{fetched:?}");

    // Back to the journal and to settings again: nothing fetched twice.
    browser.execute("location.hash = '#/'", json!([])).await;
    browser.wait_for("#entries, #empty", WAIT).await;
    browser
        .execute("location.hash = '#/settings'", json!([]))
        .await;
    browser.wait_for("#open-connections", WAIT).await;
    browser.click("#open-connections").await;
    browser.wait_for("section.connections", WAIT).await;
    let fetched = fetched_page_modules(&browser).await;
    assert_eq!(fetched.len(), 2, "{fetched:?}");
    assert!(fetched[1].contains("LazyConnections"), "{fetched:?}");
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn a_page_whose_code_cannot_be_fetched_waits_and_opens_once_it_can() {
    let app = spawn_app().await;
    let me = app.register("offline@example.com").await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries, #empty", WAIT).await;
    // Marks this page load: a reload would lose it.
    browser
        .execute("window.englogSameLoad = true", json!([]))
        .await;

    // The settings module cannot be fetched (as with the network down).
    browser.devtools("Network.enable", json!({})).await;
    browser
        .devtools(
            "Network.setBlockedURLs",
            json!({ "urls": ["*/pkg/module_*LazySettings*"] }),
        )
        .await;
    browser
        .execute("location.hash = '#/settings'", json!([]))
        .await;
    browser
        .wait_for_text_containing(".page [role=status]", "Loading", WAIT)
        .await;
    // The loader says why, and keeps trying.
    let errors = tokio::time::timeout(WAIT, async {
        loop {
            let errors = browser.browser_errors().await;
            if !errors.is_empty() {
                break errors;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the failed fetch is logged in the console");
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("could not load") && e.message.contains("LazySettings")),
        "{errors:?}"
    );
    assert!(browser.find_all("#open-connections").await.is_empty());

    // The network is back: the loader's next attempt brings the page, in the
    // same page load.
    browser
        .devtools("Network.setBlockedURLs", json!({ "urls": [] }))
        .await;
    browser.wait_for("#open-connections", WAIT).await;
    assert_eq!(
        browser
            .execute("return window.englogSameLoad === true", json!([]))
            .await,
        json!(true)
    );
}
