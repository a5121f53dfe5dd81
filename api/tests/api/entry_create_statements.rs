//! What one `createLogEntry` costs the database (issue 18): on PostgreSQL
//! a new entry and its tags are one statement, with no transaction around
//! it unless an enrichment job is written beside them; whether one will be
//! is read with the person's preference in one more statement (skipped
//! for a second once it said none will be: `enrichment::no_job_memo`,
//! tested there). The entry answered must be the one stored, and the tag
//! links must carry the entry's owner and start (copied by the link
//! trigger).

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::statement_count::execute_counting_statements;

const CREATE: &str = r#"
mutation($input: CreateLogEntryInput!) {
  createLogEntry(input: $input) {
    id title tags startTime endTime durationMinutes createdAt updatedAt
  }
}"#;

const READ: &str = r#"
query($id: UUID!) {
  logEntry(id: $id) { id title tags startTime endTime durationMinutes createdAt updatedAt }
}"#;

async fn create_counting(app: &TestApp, user_id: &str, tags: &[&str]) -> (Value, Vec<String>) {
    let input = json!({ "input": {
        "title": "Pair on the parser",
        "activityType": "CODE",
        // Below a microsecond: PostgreSQL keeps microseconds, and the entry
        // answered must equal the one read back.
        "startTime": "2026-03-24T09:00:00.000000789Z",
        "endTime": "2026-03-24T10:30:00Z",
        "tags": tags,
    }});
    let request =
        async_graphql::Request::new(CREATE).variables(async_graphql::Variables::from_json(input));
    let (response, seen) = execute_counting_statements(app, user_id, request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("json");
    (data["createLogEntry"].clone(), seen)
}

#[tokio::test]
async fn a_create_with_new_and_known_tags_is_one_statement_on_postgres() {
    let app = spawn_app_with(Backend::Postgres, |s| s.reports.enrichment = false).await;
    let me = app.register("one-statement@example.com").await;
    // `backend` is predefined for every account; `parser-work` is new.
    let (created, seen) = create_counting(&app, &me.user_id, &["parser-work", "backend"]).await;
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!(created["tags"], json!(["backend", "parser-work"]));
    assert_eq!(created["durationMinutes"], 90);

    let read = app
        .ok(READ, json!({ "id": created["id"] }), &me.access)
        .await;
    assert_eq!(
        read["logEntry"], created,
        "the answer differs from what was stored"
    );

    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    let links = sea_orm::ConnectionTrait::query_all_raw(
        &db,
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT et.user_id::text, (et.start_time = e.start_time) FROM log_entry_tags et \
             JOIN log_entries e ON e.id = et.log_entry_id WHERE et.log_entry_id = $1::uuid",
            [created["id"].as_str().expect("id").into()],
        ),
    )
    .await
    .expect("links");
    assert_eq!(links.len(), 2);
    for link in links {
        let owner: String = link.try_get_by_index(0).expect("owner");
        let same_start: bool = link.try_get_by_index(1).expect("start");
        assert_eq!(owner, me.user_id);
        assert!(same_start, "the link's start is not its entry's");
    }
}

/// With enrichment on, the create reads the preference and the backlog in
/// one statement; with room it writes the entry and its job (in one
/// transaction, whose `BEGIN`/`COMMIT` sea-orm does not count), and with
/// the backlog full the entry alone, in one statement.
#[tokio::test]
async fn enrichment_decides_whether_a_create_takes_a_transaction_on_postgres() {
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.reports.enrichment = true;
        s.reports.enrichment_backlog_max = 1;
    })
    .await;
    let me = app.register("backlog@example.com").await;

    let (_, first) = create_counting(&app, &me.user_id, &["backend"]).await;
    assert!(
        first.iter().any(|sql| sql.contains("INSERT INTO \"jobs\"")),
        "no job written: {first:#?}"
    );

    // The one job waits unpublished (nothing relays in this schema): full.
    let (created, full) = create_counting(&app, &me.user_id, &["backend"]).await;
    assert_eq!(full.len(), 2, "{full:#?}");
    assert!(full[0].contains("EXISTS"), "{full:#?}");
    assert_eq!(created["tags"], json!(["backend"]));
}
