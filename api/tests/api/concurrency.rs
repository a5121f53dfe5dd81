//! Many writes at once: each must succeed, on PostgreSQL and on the embedded
//! SQLite file, where transactions that read before they write would
//! otherwise fail with "database is locked" when another write commits first.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_backends;

const WRITERS: usize = 24;

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
        let app = &app;
        async move {
            app.graphql(
                "mutation($input: CreateLogEntryInput!) { createLogEntry(input: $input) { id } }",
                json!({ "input": {
                    "title": format!("Entry {i}"),
                    "activityType": "CODE",
                    "startTime": "2026-03-02T09:00:00Z",
                    "endTime": "2026-03-02T10:00:00Z",
                    "tags": ["shared", format!("tag-{i}")],
                }}),
                Some(token),
            )
            .await
        }
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

on_both_backends!(concurrent_writes_all_succeed);
