//! The dashboard's tags follow their entries: on PostgreSQL each tag link
//! carries its entry's owner and start (kept by triggers, migration
//! m20261206_000032) and the dashboard reads the links by those alone, so a
//! moved, retagged or older entry must still count under the right tags.

use migration::{Migrator, MigratorTrait};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_on};
use crate::on_both_backends;

const BY_TAG: &str = r#"
query($period: PeriodInput!) {
  analytics(period: $period) { byTag { tag minutes entryCount } }
}"#;

const UPDATE: &str = r#"
mutation($id: UUID!, $input: UpdateLogEntryInput!) {
  updateLogEntry(id: $id, input: $input) { id }
}"#;

/// `tag → minutes` of the week of 2026-03-23 (Europe/Paris by default).
async fn tag_minutes(app: &TestApp, token: &str) -> Vec<(String, u64)> {
    let vars = json!({ "period": { "from": "2026-03-23", "to": "2026-03-29" } });
    let answer = app.ok(BY_TAG, vars, token).await;
    let mut rows: Vec<(String, u64)> = answer["analytics"]["byTag"]
        .as_array()
        .expect("byTag")
        .iter()
        .map(|row: &Value| {
            (
                row["tag"].as_str().expect("tag").to_owned(),
                row["minutes"].as_u64().expect("minutes"),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn tagged(rows: &[(&str, u64)]) -> Vec<(String, u64)> {
    rows.iter().map(|(t, m)| ((*t).to_owned(), *m)).collect()
}

async fn a_moved_or_retagged_entry_counts_under_its_tags_in_its_new_week(app: TestApp) {
    let me = app.register("mover@example.com").await;
    let entry = app
        .create_entry(
            &me.access,
            json!({ "title": "Pairing", "tags": ["pairing", "rust"],
                    "startTime": "2026-04-06T09:00:00Z", "endTime": "2026-04-06T10:00:00Z" }),
        )
        .await;
    let id = entry["id"].as_str().expect("id").to_owned();
    // Someone else's entry with the same tag names in the same week.
    let other = app.register("other@example.com").await;
    app.create_entry(
        &other.access,
        json!({ "tags": ["rust"], "startTime": "2026-03-24T09:00:00Z", "endTime": "2026-03-24T17:00:00Z" }),
    )
    .await;
    assert_eq!(tag_minutes(&app, &me.access).await, tagged(&[]));

    // Moved into the week: its tags come with it.
    let moved = json!({ "id": id, "input": {
        "startTime": "2026-03-25T09:00:00Z", "endTime": "2026-03-25T10:30:00Z" } });
    app.ok(UPDATE, moved, &me.access).await;
    assert_eq!(
        tag_minutes(&app, &me.access).await,
        tagged(&[("pairing", 90), ("rust", 90)])
    );

    // Retagged in place: the new link is in the week too.
    let retagged = json!({ "id": id, "input": { "tags": ["rust", "review"] } });
    app.ok(UPDATE, retagged, &me.access).await;
    assert_eq!(
        tag_minutes(&app, &me.access).await,
        tagged(&[("review", 90), ("rust", 90)])
    );

    // Moved out again: nothing is left behind.
    let back = json!({ "id": id, "input": {
        "startTime": "2026-04-07T09:00:00Z", "endTime": "2026-04-07T10:00:00Z" } });
    app.ok(UPDATE, back, &me.access).await;
    assert_eq!(tag_minutes(&app, &me.access).await, tagged(&[]));
}

on_both_backends!(a_moved_or_retagged_entry_counts_under_its_tags_in_its_new_week);

/// Links written before the migration get their entry's owner and start
/// when it runs; it also rolls back cleanly.
#[tokio::test]
async fn links_older_than_the_migration_are_filled_in_on_postgres() {
    let app = spawn_app_on(Backend::Postgres).await;
    let me = app.register("early@example.com").await;
    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");

    Migrator::down(&db, Some(1)).await.expect("migrate down");
    // Written by the pre-migration code paths: plain (entry, tag) links.
    app.create_entry(
        &me.access,
        json!({ "tags": ["legacy"], "startTime": "2026-03-26T08:00:00Z", "endTime": "2026-03-26T08:45:00Z" }),
    )
    .await;
    Migrator::up(&db, None).await.expect("migrate up");

    assert_eq!(
        tag_minutes(&app, &me.access).await,
        tagged(&[("legacy", 45)])
    );
}
