//! Many writes at once: each must succeed, on PostgreSQL and on the embedded
//! SQLite file, where transactions that read before they write would
//! otherwise fail with "database is locked" when another write commits first.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

const WRITERS: usize = 24;

/// One `createLogEntry` through HTTP; answers the whole response body.
async fn create(app: &TestApp, token: &str, title: String, tags: [String; 2]) -> Value {
    app.graphql(
        "mutation($input: CreateLogEntryInput!) { createLogEntry(input: $input) { id tags } }",
        json!({ "input": {
            "title": title,
            "activityType": "CODE",
            "startTime": "2026-03-02T09:00:00Z",
            "endTime": "2026-03-02T10:00:00Z",
            "tags": tags,
        }}),
        Some(token),
    )
    .await
}

async fn concurrent_writes_all_succeed(app: TestApp) {
    let session = app.register("many@example.com").await;
    let token = session.access.as_str();
    let first = app
        .create_entry(token, json!({ "title": "First", "tags": ["shared"] }))
        .await;
    let id = first["id"].as_str().expect("id").to_owned();

    // Creations that read (tags, projects) then write, racing edits of one
    // entry, which read it and then update it.
    let creates = (0..WRITERS).map(|i| {
        create(
            &app,
            token,
            format!("Entry {i}"),
            ["shared".into(), format!("tag-{i}")],
        )
    });
    let edits = (0..WRITERS).map(|i| {
        let app = &app;
        let id = id.clone();
        async move {
            app.graphql(
                "mutation($id: UUID!, $input: UpdateLogEntryInput!) { updateLogEntry(id: $id, input: $input) { id } }",
                json!({ "id": id, "input": { "title": format!("Edit {i}"), "tags": [format!("edit-{i}")] } }),
                Some(token),
            )
            .await
        }
    });
    let (created, edited) = tokio::join!(join_all(creates), join_all(edits));
    for body in created.iter().chain(edited.iter()) {
        assert!(body.get("errors").is_none(), "a write failed: {body}");
    }

    let titles = app.entry_titles(token, json!({})).await;
    assert_eq!(titles.len(), WRITERS + 1, "{titles:?}");
}

/// Creates racing to make the same new tag: each gets it, and it exists
/// once (on PostgreSQL the losing inserts take the winner's tag).
async fn racing_creates_share_one_new_tag(app: TestApp) {
    let session = app.register("racing@example.com").await;
    let token = session.access.as_str();
    let creates = (0..WRITERS).map(|i| {
        create(
            &app,
            token,
            format!("Racer {i}"),
            ["brand-new".into(), format!("own-{i}")],
        )
    });
    for (i, body) in join_all(creates).await.into_iter().enumerate() {
        assert!(body.get("errors").is_none(), "a create failed: {body}");
        assert_eq!(
            body["data"]["createLogEntry"]["tags"],
            json!(["brand-new", format!("own-{i}")])
        );
    }
    let tags = app
        .ok("{ tags { name usageCount } }", json!({}), token)
        .await;
    let shared: Vec<&Value> = tags["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter(|t| t["name"] == "brand-new")
        .collect();
    assert_eq!(shared.len(), 1, "{tags}");
    assert_eq!(shared[0]["usageCount"], WRITERS);
}

on_both_backends!(
    concurrent_writes_all_succeed,
    racing_creates_share_one_new_tag
);
