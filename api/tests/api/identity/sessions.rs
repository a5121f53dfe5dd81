//! Sessions: listing devices, revoking one, signing out everywhere and
//! changing the password.

use serde_json::{Value, json};

use super::{ME, REFRESH, graphql_as};
use crate::helpers::{LOGIN, PASSWORD, Session, TestApp, error_code, error_field, session_of};
use crate::on_both_backends;

const SESSIONS: &str = "{ sessions { id userAgent createdAt lastUsedAt current } }";
const CHANGE_PASSWORD: &str = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken refreshToken user { id } } }";
const NEW_PASSWORD: &str = "a brand new passphrase";

async fn login_on(app: &TestApp, device: &str, email: &str, password: &str) -> Session {
    let body = graphql_as(
        app,
        device,
        LOGIN,
        json!({ "input": { "email": email, "password": password } }),
        None,
    )
    .await;
    session_of(&body, "login")
}

async fn assert_signed_out(app: &TestApp, who: &str, session: &Session) {
    let me = app.graphql(ME, json!({}), Some(&session.access)).await;
    assert_eq!(error_code(&me), "UNAUTHENTICATED", "{who}: {me}");
    let refresh = app
        .graphql(REFRESH, json!({ "t": session.refresh }), None)
        .await;
    assert_eq!(error_code(&refresh), "UNAUTHENTICATED", "{who}: {refresh}");
}

fn sessions_of(data: &Value) -> Vec<Value> {
    data["sessions"].as_array().expect("sessions").clone()
}

async fn a_user_sees_their_devices_and_signs_one_out(app: TestApp) {
    app.register("devices@example.com").await;
    let laptop = login_on(
        &app,
        "Firefox on the laptop",
        "devices@example.com",
        PASSWORD,
    )
    .await;
    let phone = login_on(&app, "Safari on the phone", "devices@example.com", PASSWORD).await;

    let listed = sessions_of(&app.ok(SESSIONS, json!({}), &laptop.access).await);
    assert_eq!(
        listed.len(),
        3,
        "registration, laptop and phone: {listed:?}"
    );
    let current: Vec<_> = listed.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["userAgent"], "Firefox on the laptop");
    let phone_row = listed
        .iter()
        .find(|s| s["userAgent"] == "Safari on the phone")
        .expect("the phone is listed");

    // Refreshing keeps the session (same id) and its start time.
    let refreshed = session_of(
        &graphql_as(
            &app,
            "Safari on the phone",
            REFRESH,
            json!({ "t": phone.refresh }),
            None,
        )
        .await,
        "refreshToken",
    );
    let after = sessions_of(&app.ok(SESSIONS, json!({}), &refreshed.access).await);
    let phone_after = after
        .iter()
        .find(|s| s["id"] == phone_row["id"])
        .expect("same session after a refresh");
    assert_eq!(phone_after["createdAt"], phone_row["createdAt"]);
    assert_eq!(phone_after["current"], true);

    // The laptop signs the phone out: both its tokens stop working.
    let revoked = app
        .ok(
            "mutation($id: UUID!) { revokeSession(id: $id) }",
            json!({ "id": phone_row["id"] }),
            &laptop.access,
        )
        .await;
    assert_eq!(revoked["revokeSession"], true);
    assert_signed_out(&app, "revoked phone", &refreshed).await;
    app.ok(ME, json!({}), &laptop.access).await;
    assert_eq!(
        sessions_of(&app.ok(SESSIONS, json!({}), &laptop.access).await).len(),
        2
    );

    // Someone else's session cannot be revoked (nor its existence learned).
    let stranger = app.register("stranger@example.com").await;
    let denied = app
        .graphql(
            "mutation($id: UUID!) { revokeSession(id: $id) }",
            json!({ "id": phone_row["id"] }),
            Some(&stranger.access),
        )
        .await;
    assert_eq!(error_code(&denied), "NOT_FOUND");
}

async fn signing_out_everywhere_ends_every_session(app: TestApp) {
    let first = app.register("everywhere@example.com").await;
    let second = login_on(&app, "other", "everywhere@example.com", PASSWORD).await;
    let other_user = app.register("bystander@example.com").await;
    let out = app
        .ok("mutation { logoutEverywhere }", json!({}), &second.access)
        .await;
    assert_eq!(out["logoutEverywhere"], true);
    assert_signed_out(&app, "first", &first).await;
    assert_signed_out(&app, "second", &second).await;
    app.ok(ME, json!({}), &other_user.access).await;
}

async fn changing_the_password_ends_other_sessions_and_keeps_this_one(app: TestApp) {
    let elsewhere = app.register("rotate@example.com").await;
    let here = login_on(&app, "here", "rotate@example.com", PASSWORD).await;

    let wrong = app
        .graphql(
            CHANGE_PASSWORD,
            json!({ "c": "not my password", "n": NEW_PASSWORD }),
            Some(&here.access),
        )
        .await;
    assert_eq!(error_code(&wrong), "VALIDATION");
    assert_eq!(error_field(&wrong), "currentPassword");
    let weak = app
        .graphql(
            CHANGE_PASSWORD,
            json!({ "c": PASSWORD, "n": "short" }),
            Some(&here.access),
        )
        .await;
    assert_eq!(error_field(&weak), "newPassword");
    app.ok(ME, json!({}), &elsewhere.access).await;

    let changed = session_of(
        &app.graphql(
            CHANGE_PASSWORD,
            json!({ "c": PASSWORD, "n": NEW_PASSWORD }),
            Some(&here.access),
        )
        .await,
        "changePassword",
    );
    assert_signed_out(&app, "elsewhere", &elsewhere).await;
    assert_signed_out(&app, "here, before the change", &here).await;
    app.ok(ME, json!({}), &changed.access).await;

    let old = app.login("rotate@example.com", PASSWORD).await;
    assert_eq!(error_code(&old), "UNAUTHENTICATED");
    session_of(
        &app.login("rotate@example.com", NEW_PASSWORD).await,
        "login",
    );
}

on_both_backends!(
    a_user_sees_their_devices_and_signs_one_out,
    signing_out_everywhere_ends_every_session,
    changing_the_password_ends_other_sessions_and_keeps_this_one,
);
