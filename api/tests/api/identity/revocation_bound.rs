//! Live sessions are remembered per instance for a few seconds
//! (`auth::session_cache`). A revoked session must still stop working: at
//! once on the instance that revoked it, and on every other instance within
//! the stated bound.

use englog_api::auth::session_cache::REVOCATION_BOUND;
use serde_json::json;
use std::time::Duration;

use super::ME;
use crate::helpers::{Backend, error_code, spawn_app_with, start};

#[tokio::test]
async fn signing_out_everywhere_on_one_instance_ends_the_session_on_another_within_the_bound() {
    let a = spawn_app_with(Backend::Postgres, |_| {}).await;
    // A second instance on the same database, as behind a load balancer.
    let b = start(a.settings.clone(), None).await;
    let me = a.register("bound@example.com").await;
    // Both instances have now seen the session live (and remember it).
    a.ok(ME, json!({}), &me.access).await;
    b.ok(ME, json!({}), &me.access).await;

    b.ok("mutation { logoutEverywhere }", json!({}), &me.access)
        .await;
    // The instance that revoked it refuses it at once.
    let here = b.graphql(ME, json!({}), Some(&me.access)).await;
    assert_eq!(error_code(&here), "UNAUTHENTICATED", "{here}");
    // The other one within the bound.
    tokio::time::sleep(REVOCATION_BOUND + Duration::from_millis(300)).await;
    let there = a.graphql(ME, json!({}), Some(&me.access)).await;
    assert_eq!(error_code(&there), "UNAUTHENTICATED", "{there}");
}

#[tokio::test]
async fn a_logged_out_session_is_refused_at_once_by_the_instance_that_saw_it_live() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("logout@example.com").await;
    app.ok(ME, json!({}), &me.access).await;
    app.ok(
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": me.refresh }),
        &me.access,
    )
    .await;
    let after = app.graphql(ME, json!({}), Some(&me.access)).await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED", "{after}");
}
