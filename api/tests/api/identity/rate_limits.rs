//! Done-when 5: repeated failed logins get RATE_LIMITED with a retry-after,
//! in one process and spread over two API processes sharing Redis; a
//! stranger guessing from one address does not lock the owner out.

use englog_api::config::{Secret, Settings};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, LOGIN, PASSWORD, REGISTER, TestApp, error_code, spawn_app_with, start,
};

fn redis_url() -> String {
    std::env::var("ENGLOG_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn small_limits(settings: &mut Settings) {
    settings.rate_limits.login_per_account = 3;
    settings.rate_limits.login_per_ip = 5;
    settings.rate_limits.register_per_ip = 5;
    settings.rate_limits.window_secs = 600;
}

fn assert_rate_limited(body: &Value) {
    assert_eq!(error_code(body), "RATE_LIMITED", "{body}");
    let retry = body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .unwrap_or_else(|| panic!("retryAfter in {body}"));
    assert!((1..=600).contains(&retry), "{retry}");
}

/// Deletes this test's Redis keys when dropped, even if the test fails.
struct RedisKeys {
    prefix: String,
}

impl Drop for RedisKeys {
    fn drop(&mut self) {
        let pattern = format!("{}*", self.prefix);
        let cleaned = redis::Client::open(redis_url()).and_then(|client| {
            let mut conn = client.get_connection()?;
            let keys: Vec<String> = redis::cmd("KEYS").arg(&pattern).query(&mut conn)?;
            if !keys.is_empty() {
                redis::cmd("DEL").arg(keys).query::<()>(&mut conn)?;
            }
            Ok(())
        });
        if let Err(err) = cleaned {
            eprintln!("warning: could not delete Redis keys {pattern}: {err}");
        }
    }
}

async fn failed_logins(app: &TestApp, email: &str, times: usize) {
    for _ in 0..times {
        let body = app.login(email, "wrong password").await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
}

#[tokio::test]
async fn repeated_failed_logins_are_rate_limited_in_process() {
    let app = spawn_app_with(Backend::Sqlite, small_limits).await;
    app.register("guessed@example.com").await;
    failed_logins(&app, "guessed@example.com", 3).await;
    assert_rate_limited(&app.login("guessed@example.com", "wrong password").await);
    // Even the right password waits for the window: guessing must not pay.
    assert_rate_limited(&app.login("guessed@example.com", PASSWORD).await);
    // The per-IP limit (5) now catches other accounts from the same client.
    assert_rate_limited(&app.login("other@example.com", PASSWORD).await);
}

#[tokio::test]
async fn registrations_from_one_address_are_rate_limited() {
    let app = spawn_app_with(Backend::Sqlite, small_limits).await;
    for n in 0..5 {
        app.register(&format!("signup{n}@example.com")).await;
    }
    let body = app
        .graphql(
            REGISTER,
            json!({ "input": { "email": "signup5@example.com", "password": PASSWORD, "firstName": "A", "lastName": "B" } }),
            None,
        )
        .await;
    assert_rate_limited(&body);
}

#[tokio::test]
async fn failed_logins_spread_over_two_api_processes_are_counted_together() {
    let keys = RedisKeys {
        prefix: format!("englog-test:{}:", uuid::Uuid::new_v4().simple()),
    };
    let prefix = keys.prefix.clone();
    let first = spawn_app_with(Backend::Postgres, |settings| {
        small_limits(settings);
        settings.redis_url = Some(Secret::new(redis_url()));
        settings.rate_limits.key_prefix = prefix;
    })
    .await;
    // A second server on the same database and the same Redis counters.
    let second = start(first.settings.clone(), None).await;
    first.register("spread@example.com").await;

    failed_logins(&first, "spread@example.com", 2).await;
    failed_logins(&second, "spread@example.com", 1).await;
    assert_rate_limited(&second.login("spread@example.com", "wrong password").await);
    assert_rate_limited(&first.login("spread@example.com", PASSWORD).await);
    drop(second);
    drop(first);
    drop(keys);
}

/// OAuth starts (each stores a login state) and callbacks (each calls the
/// provider) are limited per client address.
#[tokio::test]
async fn oauth_sign_in_attempts_are_rate_limited() {
    use englog_api::auth::oauth::settings::{ProviderKind, ProviderSettings};
    use reqwest::{StatusCode, header};

    let app = spawn_app_with(Backend::Sqlite, |settings| {
        settings.rate_limits.oauth_per_ip = 2;
        settings.oauth.public_url = Some("http://127.0.0.1:9".into());
        settings.oauth.providers.insert(
            "corp".into(),
            ProviderSettings {
                kind: ProviderKind::Oidc,
                client_id: "englog-test".into(),
                client_secret: Secret::new("client-secret"),
                auth_url: Some("http://127.0.0.1:9/authorize".into()),
                token_url: Some("http://127.0.0.1:9/token".into()),
                userinfo_url: Some("http://127.0.0.1:9/userinfo".into()),
                scopes: None,
            },
        );
    })
    .await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for _ in 0..2 {
        let started = browser
            .get(app.url("/auth/oauth/corp/start"))
            .send()
            .await
            .expect("start");
        assert!(started.status().is_redirection(), "{}", started.status());
    }
    let refused = browser
        .get(app.url("/auth/oauth/corp/start"))
        .send()
        .await
        .expect("start");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused.headers()[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry >= 1, "{retry}");

    // A callback over the limit lands in the app with an error, before any
    // call to the provider.
    let callback = browser
        .get(app.url("/auth/oauth/corp/callback?code=c&state=s"))
        .send()
        .await
        .expect("callback");
    let location = callback.headers()[header::LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(location.ends_with("#error=rate_limited"), "{location}");
}

/// Signs in as if from `address` (the proxy header the settings trust).
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Value {
    reqwest::Client::new()
        .post(app.url("/graphql"))
        .header("X-Real-IP", address)
        .json(&json!({ "query": LOGIN, "variables": { "input": { "email": email, "password": password } } }))
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("a JSON answer")
}

#[tokio::test]
async fn a_strangers_failed_logins_do_not_lock_the_owner_out() {
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        small_limits(settings);
        settings.rate_limits.login_per_ip = 50;
        settings.rate_limits.login_per_account_all_addresses = 6;
        settings.rate_limits.client_ip_header = Some("X-Real-IP".into());
    })
    .await;
    let email = "owner@example.com";
    app.register(email).await;

    // A stranger guesses from one address until stopped (3 per address).
    for _ in 0..3 {
        let body = login_from(&app, "203.0.113.7", email, "guess").await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    assert_rate_limited(&login_from(&app, "203.0.113.7", email, "guess").await);

    // The owner, elsewhere, still signs in.
    let owner = login_from(&app, "198.51.100.2", email, PASSWORD).await;
    assert!(
        owner["data"]["login"]["accessToken"].is_string(),
        "the owner signs in: {owner}"
    );

    // Guesses spread over new addresses meet the all-addresses limit (6):
    // 3 counted from the stranger, 1 from the owner, 2 more allowed.
    for n in 1..=2 {
        let body = login_from(&app, &format!("192.0.2.{n}"), email, "guess").await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    assert_rate_limited(&login_from(&app, "192.0.2.3", email, "guess").await);
}

#[tokio::test]
async fn guesses_of_the_current_password_are_limited_per_user_over_all_addresses() {
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        small_limits(settings);
        settings.rate_limits.login_per_ip = 50;
        settings.rate_limits.client_ip_header = Some("X-Real-IP".into());
    })
    .await;
    let me = app.register("rechecked@example.com").await;
    let change = |address: String| {
        let token = me.access.clone();
        let url = app.url("/graphql");
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .header("X-Real-IP", address)
                .json(&json!({
                    "query": "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken } }",
                    "variables": { "c": "not my password", "n": "a brand new passphrase" },
                }))
                .send()
                .await
                .expect("request sent")
                .json::<Value>()
                .await
                .expect("a JSON answer")
        }
    };
    // Only the session's holder gets here, so moving between addresses
    // buys nothing: 3 guesses per user in all.
    for n in 1..=3 {
        let body = change(format!("192.0.2.{n}")).await;
        assert_eq!(error_code(&body), "VALIDATION", "{body}");
    }
    assert_rate_limited(&change("192.0.2.4".into()).await);
}
