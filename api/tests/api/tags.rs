//! Tags: predefined ones, custom ones, popularity and suggestions.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, error_field};
use crate::on_both_backends;

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect()
}

async fn every_new_user_starts_with_the_predefined_tags(app: TestApp) {
    let me = app.register("tags@example.com").await;
    let tags = app
        .ok(
            "{ tags { name category usageCount color } }",
            json!({}),
            &me.access,
        )
        .await;
    let list = tags["tags"].as_array().unwrap();
    assert_eq!(list.len(), 22);
    let p0 = list.iter().find(|t| t["name"] == "p0-critical").unwrap();
    assert_eq!(p0["category"], "PRIORITY");
    assert_eq!(p0["usageCount"], 0);
    let mentoring = list.iter().find(|t| t["name"] == "junior-dev").unwrap();
    assert_eq!(mentoring["category"], "COLLABORATION");
}

async fn tags_are_created_renamed_ranked_and_deleted(app: TestApp) {
    let me = app.register("tagger@example.com").await;
    let t = &me.access;
    let created = app
        .ok("mutation { createTag(input: { name: \"  Rust Async \", category: SKILLS, color: \"#abcdef\" }) { id name category } }", json!({}), t)
        .await["createTag"]
        .clone();
    assert_eq!(created["name"], "rust-async");
    let dup = app
        .graphql(
            "mutation { createTag(input: { name: \"rust-async\" }) { id } }",
            json!({}),
            Some(t),
        )
        .await;
    assert_eq!(error_code(&dup), "CONFLICT");
    assert_eq!(error_field(&dup), "name");

    for tags in [
        json!(["backend", "rust-async"]),
        json!(["backend"]),
        json!(["backend", "database"]),
    ] {
        app.create_entry(t, json!({ "tags": tags })).await;
    }
    let popular = app
        .ok(
            "{ popularTags(limit: 2) { name usageCount } }",
            json!({}),
            t,
        )
        .await;
    assert_eq!(names(&popular["popularTags"]), ["backend", "database"]);
    assert_eq!(popular["popularTags"][0]["usageCount"], 3);

    let suggestions = app
        .ok("{ tagSuggestions(prefix: \"Ba\") { name } }", json!({}), t)
        .await;
    assert_eq!(names(&suggestions["tagSuggestions"]), ["backend"]);

    let id = created["id"].as_str().unwrap();
    let renamed = app
        .ok("mutation($id: UUID!) { updateTag(id: $id, input: { name: \"tokio\" }) { name usageCount } }", json!({ "id": id }), t)
        .await;
    assert_eq!(renamed["updateTag"]["name"], "tokio");
    assert_eq!(renamed["updateTag"]["usageCount"], 1);
    assert_eq!(
        app.entry_titles(t, json!({ "tags": ["tokio"] }))
            .await
            .len(),
        1
    );

    app.ok(
        "mutation($id: UUID!) { deleteTag(id: $id) }",
        json!({ "id": id }),
        t,
    )
    .await;
    assert!(
        app.entry_titles(t, json!({ "tags": ["tokio"] }))
            .await
            .is_empty()
    );
    assert_eq!(
        app.entry_titles(t, json!({})).await.len(),
        3,
        "entries survive"
    );
}

on_both_backends!(
    every_new_user_starts_with_the_predefined_tags,
    tags_are_created_renamed_ranked_and_deleted,
);
