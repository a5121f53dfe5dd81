//! A second user can neither see nor touch anything of the first: every id
//! that is not theirs answers NOT_FOUND.

use serde_json::json;

use crate::helpers::{TestApp, error_code};
use crate::on_both_backends;

async fn a_second_user_cannot_see_or_touch_anything_of_the_first(app: TestApp) {
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let project = app.create_project(&alice.access, "Secret project").await;
    let entry = app
        .create_entry(
            &alice.access,
            json!({ "title": "Private work", "projectId": project, "tags": ["secret-tag"] }),
        )
        .await;
    let entry_id = entry["id"].as_str().unwrap();
    let alice_tag = app
        .ok("{ tags { id name } }", json!({}), &alice.access)
        .await["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "secret-tag")
        .expect("tag created with the entry")["id"]
        .clone();
    let b = Some(bob.access.as_str());

    let not_found = [
        (
            "query($id: UUID!) { logEntry(id: $id) { title } }",
            json!({ "id": entry_id }),
        ),
        (
            "mutation($id: UUID!) { updateLogEntry(id: $id, input: { title: \"mine now\" }) { title } }",
            json!({ "id": entry_id }),
        ),
        (
            "mutation($id: UUID!) { deleteLogEntry(id: $id) }",
            json!({ "id": entry_id }),
        ),
        (
            "query($id: UUID!) { project(id: $id) { name } }",
            json!({ "id": project }),
        ),
        (
            "mutation($id: UUID!) { updateProject(id: $id, input: { name: \"x\" }) { name } }",
            json!({ "id": project }),
        ),
        (
            "mutation($id: UUID!) { deleteProject(id: $id) }",
            json!({ "id": project }),
        ),
        (
            "mutation($id: UUID!) { updateTag(id: $id, input: { name: \"x\" }) { name } }",
            json!({ "id": alice_tag }),
        ),
        (
            "mutation($id: UUID!) { deleteTag(id: $id) }",
            json!({ "id": alice_tag }),
        ),
        (
            "mutation($p: UUID!) { createLogEntry(input: { title: \"t\", activityType: CODE, projectId: $p, startTime: \"2026-01-01T10:00:00Z\", endTime: \"2026-01-01T11:00:00Z\" }) { id } }",
            json!({ "p": project }),
        ),
    ];
    for (query, vars) in not_found {
        let body = app.graphql(query, vars, b).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{query}: {body}");
    }

    let bulk = app
        .ok(
            "mutation($ids: [UUID!]!) { bulkDeleteLogEntries(ids: $ids) }",
            json!({ "ids": [entry_id] }),
            &bob.access,
        )
        .await;
    assert_eq!(bulk["bulkDeleteLogEntries"], json!([]));
    assert!(app.entry_titles(&bob.access, json!({})).await.is_empty());
    assert!(
        app.entry_titles(&bob.access, json!({ "projectId": project }))
            .await
            .is_empty()
    );
    let bob_projects = app.ok("{ projects { id } }", json!({}), &bob.access).await;
    assert_eq!(bob_projects["projects"], json!([]));
    let bob_tags = app.ok("{ tags { name } }", json!({}), &bob.access).await;
    assert!(!bob_tags.to_string().contains("secret-tag"));

    // Alice's data is intact.
    let alice_view = app
        .ok(
            "query($id: UUID!) { logEntry(id: $id) { title project { name } tags } }",
            json!({ "id": entry_id }),
            &alice.access,
        )
        .await;
    assert_eq!(alice_view["logEntry"]["title"], "Private work");
    assert_eq!(alice_view["logEntry"]["project"]["name"], "Secret project");
    assert_eq!(alice_view["logEntry"]["tags"], json!(["secret-tag"]));
}

on_both_backends!(a_second_user_cannot_see_or_touch_anything_of_the_first);
