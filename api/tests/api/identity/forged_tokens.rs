//! Done-when 1: every forged, stale or revoked access token is refused with
//! UNAUTHENTICATED, while a token built exactly like ours is accepted (so
//! the refusals are about the defect, not the forging).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use super::{ME, database};
use crate::helpers::{TestApp, error_code};
use crate::on_both_backends;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("JSON")
}

fn sign(claims: &Value, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(key),
    )
    .expect("sign")
}

/// `claims` with one field replaced (or removed when `value` is null).
fn with(claims: &Value, field: &str, value: Value) -> Value {
    let mut claims = claims.clone();
    let map = claims.as_object_mut().expect("object");
    if value.is_null() {
        map.remove(field);
    } else {
        map.insert(field.into(), value);
    }
    claims
}

async fn assert_refused(app: &TestApp, case: &str, token: &str) {
    let body = app.graphql(ME, json!({}), Some(token)).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{case}: {body}");
    assert!(body["data"].is_null(), "{case}: {body}");
}

async fn forged_stale_and_revoked_access_tokens_are_all_refused(app: TestApp) {
    let key = app.settings.jwt_secret.expose().as_bytes().to_vec();
    let session = app.register("forged@example.com").await;
    let genuine = claims_of(&session.access);
    assert!(
        genuine["sid"].is_string(),
        "access tokens name their session"
    );

    // Control: a token minted from the genuine claims with the real key works.
    let remade = sign(&with(&genuine, "jti", json!(uuid::Uuid::new_v4())), &key);
    app.ok(ME, json!({}), &remade).await;

    let header_none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(genuine.to_string());
    let cases: Vec<(&str, String)> = vec![
        ("alg none", format!("{header_none}.{payload}.")),
        (
            "wrong key",
            sign(&genuine, b"an-attacker-key-an-attacker-key-0123"),
        ),
        (
            "missing exp",
            sign(&with(&genuine, "exp", Value::Null), &key),
        ),
        (
            "exp as a string",
            sign(
                &with(&genuine, "exp", json!((now() + 600).to_string())),
                &key,
            ),
        ),
        (
            "wrong aud",
            sign(&with(&genuine, "aud", json!("another-api")), &key),
        ),
        (
            "wrong iss",
            sign(&with(&genuine, "iss", json!("someone")), &key),
        ),
        (
            "missing sub",
            sign(&with(&genuine, "sub", Value::Null), &key),
        ),
        (
            "refresh type",
            sign(&with(&genuine, "typ", json!("refresh")), &key),
        ),
        ("refresh token as access token", session.refresh.clone()),
        (
            "expired beyond leeway",
            sign(&with(&genuine, "exp", json!(now() - 30)), &key),
        ),
        (
            "unknown session",
            sign(&with(&genuine, "sid", json!(uuid::Uuid::new_v4())), &key),
        ),
    ];
    for (case, token) in &cases {
        assert_refused(&app, case, token).await;
    }
    // The genuine token still works: nothing above disturbed the session.
    app.ok(ME, json!({}), &session.access).await;

    // Revoked family: after logout the unexpired access token is refused.
    app.ok(
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": session.refresh }),
        &session.access,
    )
    .await;
    assert_refused(&app, "revoked family", &session.access).await;
    assert_refused(&app, "revoked family, re-signed", &remade).await;

    // Deleted user: their sessions go with them.
    let doomed = app.register("doomed@example.com").await;
    app.ok(ME, json!({}), &doomed.access).await;
    let db = database(&app).await;
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "DELETE FROM users WHERE email = 'doomed@example.com'".to_owned(),
    ))
    .await
    .expect("delete the user");
    assert_refused(&app, "deleted user", &doomed.access).await;

    // A stale token never stops someone from signing in again.
    let relogin = app
        .graphql(
            crate::helpers::LOGIN,
            json!({ "input": { "email": "forged@example.com", "password": crate::helpers::PASSWORD } }),
            Some(&session.access),
        )
        .await;
    crate::helpers::session_of(&relogin, "login");
}

on_both_backends!(forged_stale_and_revoked_access_tokens_are_all_refused);
