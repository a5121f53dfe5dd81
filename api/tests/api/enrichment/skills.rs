//! The skills vocabulary, per person.

use super::*;

/// The skills vocabulary: defaults, added and removed per person, bad
/// names refused.
#[tokio::test]
async fn each_person_keeps_their_own_skills_vocabulary() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("skills@example.com").await;
    let other = app.register("skills2@example.com").await;
    let skills = app.ok("{ skills }", json!({}), &me.access).await["skills"].clone();
    assert!(skills.as_array().unwrap().contains(&json!("debugging")));
    let added = app
        .ok(
            "mutation { addSkill(name: \"  Incident Command \") }",
            json!({}),
            &me.access,
        )
        .await["addSkill"]
        .clone();
    assert!(
        added
            .as_array()
            .unwrap()
            .contains(&json!("incident command"))
    );
    let removed = app
        .ok(
            "mutation { removeSkill(name: \"debugging\") }",
            json!({}),
            &me.access,
        )
        .await["removeSkill"]
        .clone();
    assert!(!removed.as_array().unwrap().contains(&json!("debugging")));
    let theirs = app.ok("{ skills }", json!({}), &other.access).await["skills"].clone();
    assert!(theirs.as_array().unwrap().contains(&json!("debugging")));
    assert!(
        !theirs
            .as_array()
            .unwrap()
            .contains(&json!("incident command"))
    );
    refused(
        &app,
        "mutation { addSkill(name: \"   \") }",
        &me.access,
        "VALIDATION",
    )
    .await;
    refused(
        &app,
        "mutation { removeSkill(name: \"never-had-it\") }",
        &me.access,
        "NOT_FOUND",
    )
    .await;
    refused(
        &app,
        "query { sentimentTrend(period: { from: \"2026-03-08\", to: \"2026-03-01\" }) { date } }",
        &me.access,
        "VALIDATION",
    )
    .await;
}

/// Sends an operation that must fail with `code`.
async fn refused(app: &TestApp, query: &str, token: &str, code: &str) {
    let body = app.graphql(query, json!({}), Some(token)).await;
    assert_eq!(error_code(&body), code, "{query}");
}
