//! With the model service unreachable, writing 10,000 entries leaves a
//! bounded outbox: a person's unfinished enrichment jobs stop growing at
//! `reports.enrichment_backlog_max` (plus one write's entries), whatever
//! the time taken, and every entry is still stored.

use englog_core::{JobKind, JobStatus, Limits};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Backend, spawn_app_with};

const ENTRIES: usize = 10_000;
const BACKLOG_MAX: u64 = 200;

#[tokio::test]
async fn ten_thousand_entries_with_the_model_away_leave_a_bounded_outbox() {
    // The test settings point at a model service nobody answers (port 9).
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.reports.enrichment = true;
        s.reports.enrichment_debounce_ms = 0;
        s.reports.enrichment_backlog_max = BACKLOG_MAX;
    })
    .await;
    let me = app.register("backlog@example.com").await;
    for batch in 0..ENTRIES / Limits::BULK_MAX {
        let inputs: Vec<Value> = (0..Limits::BULK_MAX)
            .map(|i| {
                let n = batch * Limits::BULK_MAX + i;
                json!({
                    "title": format!("Fixed issue #{n}"),
                    "activityType": "CODE",
                    "startTime": "2026-03-02T09:00:00Z",
                    "endTime": "2026-03-02T09:30:00Z",
                })
            })
            .collect();
        app.ok(
            "mutation($inputs: [CreateLogEntryInput!]!) { bulkCreateLogEntries(inputs: $inputs) { id } }",
            json!({ "inputs": inputs }),
            &me.access,
        )
        .await;
    }

    let db = sea_orm::Database::connect(app.settings.effective_database_url())
        .await
        .expect("database");
    let entries = entity::log_entry::Entity::find()
        .count(&db)
        .await
        .expect("count entries");
    assert_eq!(entries as usize, ENTRIES, "every entry is stored");
    let enrichment =
        || entity::job::Entity::find().filter(entity::job::Column::Kind.eq(JobKind::Enrichment));
    let unfinished = enrichment()
        .filter(entity::job::Column::Status.is_in(JobStatus::IN_FLIGHT))
        .count(&db)
        .await
        .expect("count jobs");
    let all = enrichment().count(&db).await.expect("count jobs");
    let bound = BACKLOG_MAX + Limits::BULK_MAX as u64;
    assert!(
        unfinished > 0 && all <= bound,
        "{all} enrichment jobs ({unfinished} unfinished) for {ENTRIES} entries; the bound is {bound}"
    );
    println!(
        "{ENTRIES} entries with the model away: {all} enrichment jobs in the outbox (bound {bound})"
    );
}
