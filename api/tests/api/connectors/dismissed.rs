//! A draft the person deleted stays deleted: the next sync (which re-reads
//! its window and lists the same items again) skips it, whether it was
//! deleted alone or in a bulk delete, while an item the person kept is
//! still updated as usual.

use serde_json::json;

use super::fake_github::{FakeGithub, GOOD_TOKEN};
use super::github::connect;
use super::{entries, sync_and_wait};
use crate::helpers::spawn_app;

fn id_titled(rows: &[serde_json::Value], prefix: &str) -> String {
    rows.iter()
        .find(|r| r["title"].as_str().unwrap_or_default().starts_with(prefix))
        .and_then(|r| r["id"].as_str())
        .unwrap_or_else(|| panic!("no entry titled {prefix}…: {rows:?}"))
        .to_owned()
}

#[tokio::test]
async fn deleted_drafts_are_not_brought_back_by_the_next_sync() {
    let app = spawn_app().await;
    let me = app.register("tidy@example.com").await;
    let github = FakeGithub::start().await;
    let id = connect(&app, &me.access, &github, GOOD_TOKEN).await;
    let first = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(first["lastResult"]["created"], 4, "{first}");

    let rows = entries(&app, &me.access).await;
    let review = id_titled(&rows, "Reviewed PR #901");
    let issue = id_titled(&rows, "Closed issue #34");
    let opened = id_titled(&rows, "Opened PR #77");
    app.ok(
        "mutation($id: UUID!) { deleteLogEntry(id: $id) }",
        json!({ "id": review }),
        &me.access,
    )
    .await;
    app.ok(
        "mutation($ids: [UUID!]!) { bulkDeleteLogEntries(ids: $ids) }",
        json!({ "ids": [issue, opened] }),
        &me.access,
    )
    .await;
    let kept = entries(&app, &me.access).await;
    assert_eq!(kept.len(), 1);

    let second = sync_and_wait(&app, &me.access, &id).await;
    assert_eq!(second["status"], "OK", "{second}");
    assert_eq!(
        second["lastResult"],
        json!({ "created": 0, "updated": 0, "removed": 0 })
    );
    assert_eq!(entries(&app, &me.access).await, kept, "nothing came back");

    // Another person's deletions are theirs alone: the same items sync
    // into a second account as usual.
    let other = app.register("other@example.com").await;
    let theirs = connect(&app, &other.access, &github, GOOD_TOKEN).await;
    let synced = sync_and_wait(&app, &other.access, &theirs).await;
    assert_eq!(synced["lastResult"]["created"], 4, "{synced}");
}
