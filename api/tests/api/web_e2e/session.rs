//! The web app keeps a session alive without asking: it refreshes the
//! access token before it expires, and once when the server refuses it,
//! storing the rotated pair; an idle page refreshes in the background.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{assert_no_console_errors, open_web_page};
use crate::helpers::{Session, TestApp, spawn_app};
use crate::identity::{ME, REFRESH};
use crate::webdriver::{Browser, WAIT};

/// The app's stored session for `access`/`refresh`, the access token
/// expiring at `expires_at_ms` (0: unknown, so refreshed before use).
pub(super) fn stored_session(access: &str, refresh: &str, expires_at_ms: Value) -> Value {
    json!({ "access_token": access, "refresh_token": refresh, "expires_at_ms": expires_at_ms })
}

/// `session` as the app would have stored it, expiry unknown.
pub(super) fn tokens(session: &Session) -> Value {
    stored_session(&session.access, &session.refresh, json!(0))
}

/// Waits for the journal of the signed-in Ada Lovelace, empty.
async fn wait_signed_in(browser: &Browser) {
    assert_eq!(
        browser.wait_for_text("#user-name", WAIT).await,
        "Ada Lovelace"
    );
    browser.wait_for("#empty", WAIT).await;
}

/// Puts `tokens` where the app keeps its session and reloads the app.
pub(super) async fn restore_session(browser: &Browser, app: &TestApp, tokens: Value) {
    browser
        .execute(
            "localStorage.setItem('englog.session', arguments[0]);",
            json!([tokens.to_string()]),
        )
        .await;
    browser.goto(&app.url("/")).await;
}

/// The pair `refresh` is traded for, as another tab would trade it.
async fn trade(app: &TestApp, refresh: &str) -> Session {
    let traded = app.graphql(REFRESH, json!({ "t": refresh }), None).await;
    assert!(traded.get("errors").is_none(), "{traded}");
    let pair = &traded["data"]["refreshToken"];
    Session {
        access: pair["accessToken"].as_str().unwrap().to_owned(),
        refresh: pair["refreshToken"].as_str().unwrap().to_owned(),
        user_id: pair["user"]["id"].as_str().unwrap().to_owned(),
    }
}

async fn stored_refresh_token(browser: &Browser) -> String {
    let raw = browser
        .execute("return localStorage.getItem('englog.session');", json!([]))
        .await;
    let stored: Value = serde_json::from_str(raw.as_str().expect("a stored session")).unwrap();
    stored["refresh_token"].as_str().unwrap().to_owned()
}

/// The old refresh token was traded: the app holds a new one, and the old
/// one no longer works.
async fn assert_rotated(browser: &Browser, app: &TestApp, old: &Session) {
    let now = stored_refresh_token(browser).await;
    assert_ne!(now, old.refresh, "the app stored the rotated refresh token");
    let reuse = app
        .graphql(REFRESH, json!({ "t": old.refresh }), None)
        .await;
    assert!(
        reuse.get("errors").is_some(),
        "the old refresh token is spent: {reuse}"
    );
}

#[tokio::test]
async fn an_access_token_about_to_expire_is_refreshed_before_the_call() {
    let app = spawn_app().await;
    let session = app.register("ada@example.com").await;
    let browser = open_web_page(&app).await;
    // Expiry unknown (0): the app must refresh before its first call.
    let tokens = tokens(&session);
    restore_session(&browser, &app, tokens).await;

    wait_signed_in(&browser).await;
    assert_rotated(&browser, &app, &session).await;
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn a_refused_access_token_is_refreshed_and_the_call_retried_once() {
    let app = spawn_app().await;
    let session = app.register("ada@example.com").await;
    let browser = open_web_page(&app).await;
    // A token the server refuses, though it looks valid for an hour.
    let far = 4_102_444_800_000_u64; // 2100-01-01
    let tokens = stored_session("revoked-or-garbage", &session.refresh, json!(far));
    restore_session(&browser, &app, tokens).await;

    wait_signed_in(&browser).await;
    assert!(
        browser.find_all("#sign-in").await.is_empty(),
        "still signed in"
    );
    assert_rotated(&browser, &app, &session).await;
}

#[tokio::test]
async fn a_spent_refresh_token_signs_the_person_out_with_a_reason() {
    let app = spawn_app().await;
    let session = app.register("ada@example.com").await;
    // Traded once already: the app's copy is spent.
    trade(&app, &session.refresh).await;
    let browser = open_web_page(&app).await;
    let tokens = stored_session("expired", &session.refresh, json!(0));
    restore_session(&browser, &app, tokens).await;

    let notice = browser.wait_for_text("#error", WAIT).await;
    assert!(notice.contains("session has ended"), "{notice}");
    browser.wait_for("#sign-in", WAIT).await;
}

#[tokio::test]
async fn an_idle_page_refreshes_the_access_token_before_it_expires() {
    let app = spawn_app().await;
    let session = app.register("ada@example.com").await;
    let browser = open_web_page(&app).await;
    // The app is told its access token expires in 70 s: too far off for the
    // page's own calls to refresh first, so only the background refresh,
    // due a minute before expiry (in ~10 s), can rotate the pair.
    let expires_at_ms = browser
        .execute("return Date.now() + 70000;", json!([]))
        .await;
    let tokens = stored_session(&session.access, &session.refresh, expires_at_ms);
    restore_session(&browser, &app, tokens).await;
    wait_signed_in(&browser).await;
    assert_eq!(
        stored_refresh_token(&browser).await,
        session.refresh,
        "loading the page did not refresh"
    );

    // No clicks, no calls: the page sits idle until the refresh is due.
    let deadline = Instant::now() + Duration::from_secs(40);
    while stored_refresh_token(&browser).await == session.refresh {
        assert!(
            Instant::now() < deadline,
            "the idle page never refreshed its access token"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_rotated(&browser, &app, &session).await;
    assert!(
        browser.find_all("#sign-in").await.is_empty(),
        "still signed in"
    );
    assert_no_console_errors(&browser).await;
}

/// Opens a second tab that starts with `start` (expiry unknown, so it
/// refreshes first) while this page holds the refresh lock; once the new
/// tab waits for the lock (it has read `start` by then), stores `then` and
/// releases the lock: the new tab's refresh finds `then` in storage.
/// Answers the new tab's handle, the browser still on the first tab.
async fn refresh_meets_another_tabs_pair(browser: &Browser, start: Value, then: Value) -> String {
    browser
        .execute(
            "navigator.locks.request('englog-refresh', () => new Promise(r => { window.releaseRefresh = r; }));\
             localStorage.setItem('englog.session', arguments[0]); window.open('/', '_blank');",
            json!([start.to_string()]),
        )
        .await;
    let this_tab = browser.window_handle().await;
    let tabs = browser.window_handles().await;
    assert_eq!(tabs.len(), 2, "two tabs are open");
    let new_tab = tabs.into_iter().find(|tab| *tab != this_tab).unwrap();
    // Twice the usual wait: the new tab loads the whole app first, which
    // once took longer than WAIT under a stressed run.
    let deadline = Instant::now() + 2 * WAIT;
    loop {
        let locks = browser
            .execute(
                "return navigator.locks.query().then(s => [s.held.length, s.pending.length]);",
                json!([]),
            )
            .await;
        if locks == json!([1, 1]) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new tab never asked to refresh (locks held, pending: {locks})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser
        .execute(
            "localStorage.setItem('englog.session', arguments[0]); window.releaseRefresh();",
            json!([then.to_string()]),
        )
        .await;
    new_tab
}

#[tokio::test]
async fn a_tab_whose_token_another_tab_spent_refreshes_the_stored_pair() {
    let app = spawn_app().await;
    let session = app.register("ada@example.com").await;
    // Another tab already traded the pair this tab will start with; the
    // newer pair it stored is about to expire as well.
    let traded = trade(&app, &session.refresh).await;
    let newer = stored_session(&traded.access, &traded.refresh, json!(0));
    let browser = open_web_page(&app).await;
    let new_tab = refresh_meets_another_tabs_pair(&browser, tokens(&session), newer).await;

    browser.switch_to_window(&new_tab).await;
    wait_signed_in(&browser).await;
    assert!(
        browser.find_all("#sign-in").await.is_empty(),
        "the tab is still signed in"
    );
    // The tab refreshed the stored pair, not its own spent one (a replay,
    // which would have revoked the session).
    let shared = stored_refresh_token(&browser).await;
    assert_ne!(shared, traded.refresh);
    let next = app.graphql(REFRESH, json!({ "t": shared }), None).await;
    assert!(
        next.get("errors").is_none(),
        "the tab's refresh token still works: {next}"
    );
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn a_tab_does_not_adopt_the_pair_of_another_account_signed_in_elsewhere() {
    let app = spawn_app().await;
    let ada = app.register("ada@example.com").await;
    // Meanwhile another tab signed in as someone else and stored that pair.
    let grace = app.register("grace@example.com").await;
    let browser = open_web_page(&app).await;
    let new_tab = refresh_meets_another_tabs_pair(&browser, tokens(&ada), tokens(&grace)).await;

    browser.switch_to_window(&new_tab).await;
    // The tab stops acting for Ada and does not become Grace behind the
    // page Ada was shown: it signs out and says why.
    browser
        .wait_for_text_containing("#error", "different account", WAIT)
        .await;
    browser.wait_for("#sign-in", WAIT).await;
    assert!(browser.find_all("#user-name").await.is_empty());
    // Grace's stored pair is left for her tab, unspent.
    assert_eq!(stored_refresh_token(&browser).await, grace.refresh);
    let graces = app
        .graphql(REFRESH, json!({ "t": grace.refresh }), None)
        .await;
    assert!(graces.get("errors").is_none(), "{graces}");
    // Ada's own pair is neither spent nor ended: another of her tabs may
    // still hold it.
    let adas = app
        .graphql(REFRESH, json!({ "t": ada.refresh }), None)
        .await;
    assert!(adas.get("errors").is_none(), "{adas}");
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn signing_out_leaves_the_pair_another_account_stored_in_another_tab() {
    let app = spawn_app().await;
    let ada = app.register("ada@example.com").await;
    let grace = app.register("grace@example.com").await;
    let browser = open_web_page(&app).await;
    // Ada's pair, valid for ten more minutes: no refresh runs meanwhile.
    let in_ten_minutes_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 600_000;
    restore_session(
        &browser,
        &app,
        stored_session(&ada.access, &ada.refresh, json!(in_ten_minutes_ms)),
    )
    .await;
    wait_signed_in(&browser).await;
    // Another tab signs in as Grace and stores her pair.
    browser
        .execute(
            "localStorage.setItem('englog.session', arguments[0]);",
            json!([tokens(&grace).to_string()]),
        )
        .await;

    browser.click("#sign-out").await;
    browser.wait_for("#sign-in", WAIT).await;
    // Grace's tab stays signed in across a reload: her pair is still there.
    assert_eq!(stored_refresh_token(&browser).await, grace.refresh);
    // Ada's session ended on the server (the logout runs in the background).
    let deadline = Instant::now() + WAIT;
    loop {
        let me = app.graphql(ME, json!({}), Some(&ada.access)).await;
        if me.get("errors").is_some() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Ada's session was not ended: {me}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let graces = app.graphql(ME, json!({}), Some(&grace.access)).await;
    assert!(graces.get("errors").is_none(), "{graces}");
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn two_tabs_refreshing_at_once_keep_the_session() {
    let app = spawn_app().await;
    let session = app.register("ada@example.com").await;
    let browser = open_web_page(&app).await;
    // Both tabs load with an access token of unknown expiry and so refresh
    // first, at the same moment. Spending the shared refresh token twice
    // would end the session (a replay); the tabs must take turns.
    let tokens = tokens(&session);
    browser
        .execute(
            "localStorage.setItem('englog.session', arguments[0]); window.open('/', '_blank');",
            json!([tokens.to_string()]),
        )
        .await;
    browser.goto(&app.url("/")).await;

    let tabs = browser.window_handles().await;
    assert_eq!(tabs.len(), 2, "two tabs are open");
    for tab in &tabs {
        browser.switch_to_window(tab).await;
        wait_signed_in(&browser).await;
        assert!(
            browser.find_all("#sign-in").await.is_empty(),
            "this tab is still signed in"
        );
        assert_no_console_errors(&browser).await;
    }
    // The session survived: the pair the tabs share still refreshes.
    let shared = stored_refresh_token(&browser).await;
    assert_ne!(shared, session.refresh, "the pair was rotated once");
    let next = app.graphql(REFRESH, json!({ "t": shared }), None).await;
    assert!(
        next.get("errors").is_none(),
        "the shared refresh token still works: {next}"
    );
}
