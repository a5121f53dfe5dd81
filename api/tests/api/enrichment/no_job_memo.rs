//! An instance remembers for `NO_JOB_BOUND` that a person's new entries
//! queue no enrichment job (auto-enrich off, or the backlog full), so
//! their creates skip the preference probe; turning auto-enrich on takes
//! effect on the next create.

use englog_api::enrichment::no_job_memo::NO_JOB_BOUND;
use englog_core::JobKind;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::statement_count::CountingSchema;

const CREATE: &str =
    "mutation($input: CreateLogEntryInput!) { createLogEntry(input: $input) { id } }";
const PROBE: &str = "EXISTS";

fn input() -> Value {
    json!({ "input": {
        "title": "Review the migration",
        "activityType": "REVIEW",
        "startTime": "2026-03-24T09:00:00Z",
        "endTime": "2026-03-24T09:45:00Z",
        "tags": ["backend"],
    }})
}

/// Creates one entry on `schema` and answers its statements.
async fn create(schema: &CountingSchema, user_id: &str) -> Vec<String> {
    let request =
        async_graphql::Request::new(CREATE).variables(async_graphql::Variables::from_json(input()));
    let (response, seen) = schema.execute(user_id, request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    seen
}

async fn enrichment_jobs(app: &TestApp) -> u64 {
    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    entity::job::Entity::find()
        .filter(entity::job::Column::Kind.eq(JobKind::Enrichment))
        .count(&db)
        .await
        .expect("count jobs")
}

#[tokio::test]
async fn a_full_backlog_is_trusted_for_the_bound_then_read_again() {
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.reports.enrichment = true;
        s.reports.enrichment_backlog_max = 1;
    })
    .await;
    let me = app.register("memo-full@example.com").await;
    let schema = CountingSchema::new(&app).await;

    let first = create(&schema, &me.user_id).await;
    assert!(
        first.iter().any(|sql| sql.contains("INSERT INTO \"jobs\"")),
        "no job written: {first:#?}"
    );
    // The one job waits unpublished (nothing relays here): full, found by
    // the probe and remembered.
    let second = create(&schema, &me.user_id).await;
    let found_full = std::time::Instant::now();
    assert_eq!(second.len(), 2, "{second:#?}");
    assert!(second[0].contains(PROBE), "{second:#?}");
    let third = create(&schema, &me.user_id).await;
    // Should the machine stall past the bound, the probe rightly runs.
    if found_full.elapsed() < NO_JOB_BOUND {
        assert_eq!(third.len(), 1, "the probe ran again: {third:#?}");
        assert!(
            third[0].contains("INSERT INTO \"log_entries\""),
            "{third:#?}"
        );
    }

    tokio::time::sleep(NO_JOB_BOUND).await;
    let after = create(&schema, &me.user_id).await;
    assert_eq!(after.len(), 2, "{after:#?}");
    assert!(after[0].contains(PROBE), "not read again: {after:#?}");
    assert_eq!(enrichment_jobs(&app).await, 1, "a full backlog got a job");
}

#[tokio::test]
async fn turning_auto_enrich_on_takes_effect_on_the_next_create() {
    let app = spawn_app_with(Backend::Postgres, |s| s.reports.enrichment = true).await;
    let me = app.register("memo-off@example.com").await;
    let set = "mutation($on: Boolean!) { updatePreferences(input: { autoEnrich: $on }) { preferences { autoEnrich } } }";
    let off = app.ok(set, json!({ "on": false }), &me.access).await;
    assert_eq!(off["updatePreferences"]["preferences"]["autoEnrich"], false);
    // Off: this instance now remembers that this person's writes queue
    // nothing.
    app.ok(CREATE, input(), &me.access).await;
    app.ok(CREATE, input(), &me.access).await;
    assert_eq!(enrichment_jobs(&app).await, 0);

    let on = app.ok(set, json!({ "on": true }), &me.access).await;
    assert_eq!(on["updatePreferences"]["preferences"]["autoEnrich"], true);
    let created = app.ok(CREATE, input(), &me.access).await;
    assert_eq!(
        enrichment_jobs(&app).await,
        1,
        "the create right after turning auto-enrich on queued no job ({created})"
    );
}
