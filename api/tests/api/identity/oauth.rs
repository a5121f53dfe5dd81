//! Done-when 3: OAuth sign-in end to end against a real authorization
//! server (oauth2-mock-server): code + PKCE S256, state bound to the
//! browser, exact redirect URI; a tampered state, a callback from another
//! browser and a replayed code are refused; an identity links to an existing
//! account only through a verified email.

use englog_api::auth::oauth::settings::{ProviderKind, ProviderSettings};
use englog_api::config::Secret;
use reqwest::{StatusCode, Url, header};
use serde_json::json;
use std::collections::HashMap;

use super::oauth_server::{MockProvider, MockUser};
use super::{ME, database};
use crate::helpers::{Backend, TestApp, spawn_app_with};

fn provider(issuer: &str) -> ProviderSettings {
    ProviderSettings {
        kind: ProviderKind::Oidc,
        client_id: "englog-test".into(),
        client_secret: Secret::new("client-secret"),
        auth_url: Some(format!("{issuer}/authorize")),
        token_url: Some(format!("{issuer}/token")),
        userinfo_url: Some(format!("{issuer}/userinfo")),
        scopes: None,
    }
}

/// An app whose public URL is its own address, with providers `mock` (a
/// verified email) and `unverified`.
async fn app_with(backend: Backend, verified: &MockProvider, unverified: &MockProvider) -> TestApp {
    // The redirect URI must name the port before the server binds it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    spawn_app_with(backend, |settings| {
        settings.listen = format!("127.0.0.1:{port}").parse().expect("addr");
        settings.oauth.public_url = Some(format!("http://127.0.0.1:{port}"));
        settings
            .oauth
            .providers
            .insert("mock".into(), provider(&verified.issuer));
        settings
            .oauth
            .providers
            .insert("unverified".into(), provider(&unverified.issuer));
    })
    .await
}

/// A browser that does not follow redirects, so each hop is checked.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("a redirect, got {}", response.status()))
        .to_owned()
}

/// Starts a sign-in and lets the provider approve it: returns the binding
/// cookie and the callback URL the provider sent the browser to.
async fn authorize(app: &TestApp, name: &str) -> (String, String) {
    let browser = browser();
    let start = browser
        .get(app.url(&format!("/auth/oauth/{name}/start")))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let set_cookie = start
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a binding cookie")
        .to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let cookie = set_cookie.split(';').next().expect("name=value").to_owned();

    let authorize = Url::parse(&location(&start)).expect("authorize URL");
    let query: HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["response_type"], "code");
    assert_eq!(
        query["redirect_uri"],
        app.url(&format!("/auth/oauth/{name}/callback"))
    );
    assert!(query["state"].len() >= 16);

    let approved = browser.get(authorize).send().await.expect("provider");
    assert!(approved.status().is_redirection(), "{}", approved.status());
    (cookie, location(&approved))
}

/// Follows the provider's redirect back to EngLog; returns the fragment of
/// where EngLog sends the browser.
async fn come_back(callback: &str, cookie: Option<&str>) -> HashMap<String, String> {
    let mut request = browser().get(callback);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = request.send().await.expect("callback");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let landing = Url::parse(&location(&response)).expect("landing URL");
    assert_eq!(landing.path(), "/");
    url_fragment(&landing)
}

fn url_fragment(url: &Url) -> HashMap<String, String> {
    oauth2::url::form_urlencoded::parse(url.fragment().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn with_state(callback: &str, state: &str) -> String {
    let mut url = Url::parse(callback).expect("callback URL");
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == "state" {
                (k, state.to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

fn param(url: &str, name: &str) -> String {
    Url::parse(url)
        .expect("URL")
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("{name} in {url}"))
}

async fn oauth_sign_in_end_to_end(backend: Backend) {
    let verified = MockProvider::start(MockUser {
        subject: "subject-ada",
        email: "Ada@Example.com",
        email_verified: true,
    });
    let unverified = MockProvider::start(MockUser {
        subject: "subject-mallory",
        email: "ada@example.com",
        email_verified: false,
    });
    let app = app_with(backend, &verified, &unverified).await;

    // An account exists with a password; the provider vouches for its email.
    let existing = app.register("ada@example.com").await;

    // An unverified email neither links nor creates an account.
    let (cookie, callback) = authorize(&app, "unverified").await;
    let refused = come_back(&callback, Some(&cookie)).await;
    assert_eq!(
        refused.get("error").map(String::as_str),
        Some("email_unverified")
    );

    // A tampered state is refused, and so is the right state from another
    // browser (no binding cookie, or another sign-in's cookie).
    let (cookie, callback) = authorize(&app, "mock").await;
    let tampered = come_back(&with_state(&callback, "forged-state-value"), Some(&cookie)).await;
    assert_eq!(
        tampered.get("error").map(String::as_str),
        Some("invalid_state")
    );
    let (other_cookie, _) = authorize(&app, "mock").await;
    let elsewhere = come_back(&callback, Some(&other_cookie)).await;
    assert_eq!(
        elsewhere.get("error").map(String::as_str),
        Some("invalid_state")
    );
    let cookieless = come_back(&callback, None).await;
    assert_eq!(
        cookieless.get("error").map(String::as_str),
        Some("invalid_state")
    );

    // The genuine callback signs in the existing account (linked by its
    // verified email) with a working session.
    let signed_in = come_back(&callback, Some(&cookie)).await;
    let access = signed_in
        .get("access_token")
        .unwrap_or_else(|| panic!("tokens in {signed_in:?}"));
    assert!(signed_in.contains_key("refresh_token"));
    let me = app.ok(ME, json!({}), access).await;
    assert_eq!(me["me"]["id"], existing.user_id.as_str());

    // Replaying the callback (same code, state and cookie) is refused.
    let replay = come_back(&callback, Some(&cookie)).await;
    assert_eq!(replay.get("error").map(String::as_str), Some("expired"));
    // So is the used code inside a fresh, valid sign-in: the provider no
    // longer honours it.
    let (fresh_cookie, fresh_callback) = authorize(&app, "mock").await;
    let old_code = param(&callback, "code");
    let smuggled = come_back(
        &{
            let mut url = Url::parse(&fresh_callback).expect("URL");
            let state = param(&fresh_callback, "state");
            url.query_pairs_mut()
                .clear()
                .append_pair("code", &old_code)
                .append_pair("state", &state);
            url.to_string()
        },
        Some(&fresh_cookie),
    )
    .await;
    assert_eq!(
        smuggled.get("error").map(String::as_str),
        Some("exchange_failed")
    );

    // Signing in again through the provider finds the same link.
    let (cookie, callback) = authorize(&app, "mock").await;
    let again = come_back(&callback, Some(&cookie)).await;
    let me = app.ok(ME, json!({}), &again["access_token"]).await;
    assert_eq!(me["me"]["id"], existing.user_id.as_str());

    // One link, and no account was created along the way.
    let db = database(&app).await;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        entity::oauth_identity::Entity::find()
            .count(&db)
            .await
            .expect("count"),
        1
    );
    assert_eq!(
        entity::user::Entity::find()
            .count(&db)
            .await
            .expect("count"),
        1
    );

    // An unknown provider is a 404, not an error page.
    let unknown = browser()
        .get(app.url("/auth/oauth/nope/start"))
        .send()
        .await
        .expect("request");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

async fn a_newcomer_gets_an_account_from_a_verified_identity(backend: Backend) {
    let verified = MockProvider::start(MockUser {
        subject: "subject-new",
        email: "newcomer@example.com",
        email_verified: true,
    });
    let unverified = MockProvider::start(MockUser {
        subject: "x",
        email: "x@example.com",
        email_verified: false,
    });
    let app = app_with(backend, &verified, &unverified).await;
    let (cookie, callback) = authorize(&app, "mock").await;
    let signed_in = come_back(&callback, Some(&cookie)).await;
    let me = app.ok(ME, json!({}), &signed_in["access_token"]).await;
    assert_eq!(me["me"]["email"], "newcomer@example.com");
    // No password was set: password sign-in does not work for it.
    let login = app
        .login("newcomer@example.com", crate::helpers::PASSWORD)
        .await;
    assert_eq!(crate::helpers::error_code(&login), "UNAUTHENTICATED");
}

#[tokio::test]
async fn oauth_sign_in_end_to_end_postgres() {
    oauth_sign_in_end_to_end(Backend::Postgres).await;
}

#[tokio::test]
async fn oauth_sign_in_end_to_end_sqlite() {
    oauth_sign_in_end_to_end(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_newcomer_gets_an_account_from_a_verified_identity_postgres() {
    a_newcomer_gets_an_account_from_a_verified_identity(Backend::Postgres).await;
}

#[tokio::test]
async fn a_newcomer_gets_an_account_from_a_verified_identity_sqlite() {
    a_newcomer_gets_an_account_from_a_verified_identity(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_web_app_lists_only_the_providers_sign_in_works_with() {
    let issuer = "http://127.0.0.1:9";
    let configured = spawn_app_with(Backend::Sqlite, |settings| {
        settings.oauth.public_url = Some("http://englog.example".into());
        settings
            .oauth
            .providers
            .insert("mock".into(), provider(issuer));
        // An OIDC provider without endpoints cannot sign anyone in.
        let mut broken = provider(issuer);
        broken.auth_url = None;
        broken.token_url = None;
        settings.oauth.providers.insert("broken".into(), broken);
    })
    .await;
    let listed: Vec<String> = reqwest::get(configured.url("/auth/oauth/providers"))
        .await
        .expect("providers")
        .json()
        .await
        .expect("a JSON list");
    assert_eq!(listed, ["mock"]);

    // Without a public URL no redirect URI can be built: no buttons.
    let unconfigured = spawn_app_with(Backend::Sqlite, |settings| {
        settings
            .oauth
            .providers
            .insert("mock".into(), provider(issuer));
    })
    .await;
    let listed: Vec<String> = reqwest::get(unconfigured.url("/auth/oauth/providers"))
        .await
        .expect("providers")
        .json()
        .await
        .expect("a JSON list");
    assert!(listed.is_empty(), "{listed:?}");
}
