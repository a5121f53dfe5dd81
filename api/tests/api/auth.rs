//! Registering, signing in, refreshing and signing out.

use serde_json::json;

use crate::helpers::{LOGIN, PASSWORD, REGISTER, TestApp, error_code, error_field, session_of};
use crate::on_both_backends;

const ME: &str =
    "{ me { id email firstName lastName timezone preferences { weekStart reportLanguage } } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id } } }";

async fn a_new_user_registers_logs_in_and_reads_their_profile(app: TestApp) {
    let registered = app.register("Ada@Example.com").await;
    let me = app.ok(ME, json!({}), &registered.access).await;
    assert_eq!(
        me["me"]["email"], "ada@example.com",
        "emails are stored lowercased"
    );
    assert_eq!(me["me"]["timezone"], "Europe/Paris");
    assert_eq!(me["me"]["preferences"]["weekStart"], "MONDAY");

    let login = app.login("ADA@example.com", PASSWORD).await;
    let session = session_of(&login, "login");
    assert_eq!(session.user_id, registered.user_id);
    let me = app.ok(ME, json!({}), &session.access).await;
    assert_eq!(me["me"]["id"], registered.user_id.as_str());
}

async fn an_email_registers_once_whatever_its_case(app: TestApp) {
    app.register("grace@example.com").await;
    let again = app
        .graphql(
            REGISTER,
            json!({ "input": { "email": "GRACE@example.com", "password": PASSWORD, "firstName": "G", "lastName": "H" } }),
            None,
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(error_field(&again), "email");
}

async fn a_wrong_password_and_an_unknown_email_answer_alike(app: TestApp) {
    app.register("alan@example.com").await;
    let wrong_password = app.login("alan@example.com", "not the password").await;
    let unknown_email = app.login("nobody@example.com", PASSWORD).await;
    assert_eq!(error_code(&wrong_password), "UNAUTHENTICATED");
    assert_eq!(wrong_password["errors"], unknown_email["errors"]);
    assert!(wrong_password["data"].is_null());
}

async fn registration_rejects_weak_or_malformed_credentials(app: TestApp) {
    for (input, field) in [
        (
            json!({ "email": "not-an-email", "password": PASSWORD, "firstName": "A", "lastName": "B" }),
            "email",
        ),
        (
            json!({ "email": "a@example.com", "password": "short", "firstName": "A", "lastName": "B" }),
            "password",
        ),
        (
            json!({ "email": "a@example.com", "password": PASSWORD, "firstName": " ", "lastName": "B" }),
            "firstName",
        ),
        (
            json!({ "email": "a@example.com", "password": PASSWORD, "firstName": "A", "lastName": "B", "timezone": "Moon/Base" }),
            "timezone",
        ),
    ] {
        let body = app.graphql(REGISTER, json!({ "input": input }), None).await;
        assert_eq!(error_code(&body), "VALIDATION", "{body}");
        assert_eq!(error_field(&body), field, "{body}");
    }
    // Nothing was created by the rejected attempts.
    let login = app.login("a@example.com", PASSWORD).await;
    assert_eq!(error_code(&login), "UNAUTHENTICATED");
}

async fn a_refresh_token_works_once_and_its_replay_ends_the_session(app: TestApp) {
    let first = app.register("rotation@example.com").await;
    let refreshed = app
        .graphql(REFRESH, json!({ "t": first.refresh }), None)
        .await;
    let second = session_of(&refreshed, "refreshToken");
    assert_ne!(second.refresh, first.refresh);
    app.ok(ME, json!({}), &second.access).await;

    // Replaying the rotated token is refused and revokes the whole family,
    // so the thief and the legitimate holder both have to sign in again.
    let replay = app
        .graphql(REFRESH, json!({ "t": first.refresh }), None)
        .await;
    assert_eq!(error_code(&replay), "UNAUTHENTICATED");
    let after_replay = app
        .graphql(REFRESH, json!({ "t": second.refresh }), None)
        .await;
    assert_eq!(error_code(&after_replay), "UNAUTHENTICATED");

    // Another sign-in of the same user is a different family and unaffected.
    let other = session_of(&app.login("rotation@example.com", PASSWORD).await, "login");
    let still_fine = app
        .graphql(REFRESH, json!({ "t": other.refresh }), None)
        .await;
    session_of(&still_fine, "refreshToken");
}

async fn logging_out_ends_the_session(app: TestApp) {
    let session = app.register("bye@example.com").await;
    let out = app
        .ok(
            "mutation($t: String!) { logout(refreshToken: $t) }",
            json!({ "t": session.refresh }),
            &session.access,
        )
        .await;
    assert_eq!(out["logout"], true);
    let refresh = app
        .graphql(REFRESH, json!({ "t": session.refresh }), None)
        .await;
    assert_eq!(error_code(&refresh), "UNAUTHENTICATED");
}

async fn private_queries_need_a_valid_access_token(app: TestApp) {
    let session = app.register("guard@example.com").await;
    let anonymous = app.graphql(ME, json!({}), None).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let garbage = app.graphql(ME, json!({}), Some("not-a-jwt")).await;
    assert_eq!(error_code(&garbage), "UNAUTHENTICATED");
    // A refresh token is not an access token.
    let wrong_kind = app.graphql(ME, json!({}), Some(&session.refresh)).await;
    assert_eq!(error_code(&wrong_kind), "UNAUTHENTICATED");
    // A stale token does not stop someone from signing in again.
    let relogin = app
        .graphql(
            LOGIN,
            json!({ "input": { "email": "guard@example.com", "password": PASSWORD } }),
            Some("stale-token"),
        )
        .await;
    session_of(&relogin, "login");
}

on_both_backends!(
    a_new_user_registers_logs_in_and_reads_their_profile,
    an_email_registers_once_whatever_its_case,
    a_wrong_password_and_an_unknown_email_answer_alike,
    registration_rejects_weak_or_malformed_credentials,
    a_refresh_token_works_once_and_its_replay_ends_the_session,
    logging_out_ends_the_session,
    private_queries_need_a_valid_access_token,
);
