//! Signing in with an OAuth provider from the web app: the sign-in page
//! offers a button for each provider the server lists, the provider (a real
//! local authorization server) approves, and the app lands signed in with
//! the tokens taken out of the address bar.

use englog_api::auth::oauth::settings::{ProviderKind, ProviderSettings};
use englog_api::config::Secret;
use serde_json::json;

use super::{assert_no_console_errors, open_web_page};
use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::identity::oauth_server::{MockProvider, MockUser};
use crate::webdriver::WAIT;

/// A server offering one OIDC provider, "mock": a real local authorization
/// server that signs `user` in.
pub(super) async fn app_with_provider(user: MockUser<'static>) -> (TestApp, MockProvider) {
    let provider = MockProvider::start(user);
    let issuer = provider.issuer.clone();
    // The redirect URI must name the port before the server binds it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let app = spawn_app_with(Backend::Postgres, move |settings| {
        settings.listen = format!("127.0.0.1:{port}").parse().expect("addr");
        settings.oauth.public_url = Some(format!("http://127.0.0.1:{port}"));
        settings.oauth.providers.insert(
            "mock".into(),
            ProviderSettings {
                kind: ProviderKind::Oidc,
                client_id: "englog-test".into(),
                client_secret: Secret::new("client-secret"),
                auth_url: Some(format!("{issuer}/authorize")),
                token_url: Some(format!("{issuer}/token")),
                userinfo_url: Some(format!("{issuer}/userinfo")),
                scopes: None,
            },
        );
    })
    .await;
    (app, provider)
}

#[tokio::test]
async fn a_person_signs_in_with_an_oauth_provider_from_the_sign_in_page() {
    let (app, _provider) = app_with_provider(MockUser {
        subject: "web-oauth-1",
        email: "oidc.person@example.com",
        email_verified: true,
    })
    .await;

    let browser = open_web_page(&app).await;
    browser.click("#oauth-mock").await;
    browser.wait_for("#sign-out", WAIT).await;
    browser.wait_for("#empty", WAIT).await;
    let hash = browser.execute("return location.hash;", json!([])).await;
    assert_eq!(hash, "#/", "the tokens left the address bar");
    // A new OAuth account is named after its email's local part.
    assert_eq!(
        browser.wait_for_text("#user-name", WAIT).await,
        "oidc.person"
    );
    // A reload stays signed in: the tokens were stored like a password
    // sign-in's.
    browser.goto(&app.url("/")).await;
    browser.wait_for("#sign-out", WAIT).await;
    assert_no_console_errors(&browser).await;
}
