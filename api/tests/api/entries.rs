//! The journal: creating, listing with filters, paginating, editing and
//! deleting entries.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, error_field};
use crate::on_both_backends;

const PAGE: &str = "query($first: Int, $after: String) { logEntries(first: $first, after: $after) { edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage endCursor } } }";

pub(crate) fn titles(page: &Value) -> Vec<String> {
    page["logEntries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["title"].as_str().expect("title").to_owned())
        .collect()
}

/// The node of the page's entry titled `title`.
pub(crate) fn node_titled<'a>(page: &'a Value, title: &str) -> &'a Value {
    page["logEntries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["title"] == title)
        .unwrap_or_else(|| panic!("no entry titled {title}: {page}"))
}

/// Five entries over three days with distinct types, projects, tags, value
/// and impact, so each filter selects a known subset.
pub(crate) async fn seed_journal(app: &TestApp, token: &str) -> (String, String) {
    let api = app.create_project(token, "API v2").await;
    let web = app.create_project(token, "Website").await;
    let entries = [
        json!({ "title": "Standup", "activityType": "MEETING", "startTime": "2026-03-02T09:00:00Z", "endTime": "2026-03-02T09:15:00Z", "valueRating": "LOW", "impactLevel": "TEAM", "tags": ["Cross Team"] }),
        json!({ "title": "Auth endpoints", "activityType": "CODE", "projectId": api, "startTime": "2026-03-02T10:00:00Z", "endTime": "2026-03-02T12:00:00Z", "valueRating": "HIGH", "impactLevel": "PRODUCT", "tags": ["backend", "security"], "description": "JWT refresh rotation" }),
        json!({ "title": "Fix login bug", "activityType": "DEBUG", "projectId": web, "startTime": "2026-03-03T14:00:00Z", "endTime": "2026-03-03T15:30:00Z", "valueRating": "HIGH", "impactLevel": "COMPANY", "tags": ["bug-fix"] }),
        json!({ "title": "Review PR 42", "activityType": "REVIEW", "projectId": api, "startTime": "2026-03-04T08:00:00Z", "endTime": "2026-03-04T08:45:00Z", "tags": ["backend"] }),
        json!({ "title": "Late deploy", "activityType": "OPS", "projectId": web, "startTime": "2026-03-04T23:30:00Z", "endTime": "2026-03-05T00:30:00Z", "impactLevel": "PRODUCT" }),
    ];
    for entry in entries {
        app.create_entry(token, entry).await;
    }
    (api, web)
}

async fn a_user_logs_work_and_finds_it_with_every_filter(app: TestApp) {
    let me = app.register("journal@example.com").await;
    let (api, web) = seed_journal(&app, &me.access).await;
    let t = &me.access;

    assert_eq!(
        app.entry_titles(t, json!({})).await,
        [
            "Late deploy",
            "Review PR 42",
            "Fix login bug",
            "Auth endpoints",
            "Standup"
        ],
        "newest first"
    );
    let range = json!({ "from": "2026-03-03T00:00:00Z", "to": "2026-03-04T12:00:00Z" });
    assert_eq!(
        app.entry_titles(t, range).await,
        ["Review PR 42", "Fix login bug"]
    );
    assert_eq!(
        app.entry_titles(t, json!({ "projectId": api })).await,
        ["Review PR 42", "Auth endpoints"]
    );
    assert_eq!(
        app.entry_titles(t, json!({ "projectId": web, "types": ["OPS"] }))
            .await,
        ["Late deploy"]
    );
    assert_eq!(
        app.entry_titles(t, json!({ "types": ["MEETING", "DEBUG"] }))
            .await,
        ["Fix login bug", "Standup"]
    );
    assert_eq!(
        app.entry_titles(t, json!({ "tags": ["backend"] })).await,
        ["Review PR 42", "Auth endpoints"]
    );
    assert_eq!(
        app.entry_titles(t, json!({ "tags": ["cross-team", "bug-fix"] }))
            .await,
        ["Fix login bug", "Standup"],
        "tags match any, and names are normalised"
    );
    assert_eq!(
        app.entry_titles(t, json!({ "valueRatings": ["HIGH"] }))
            .await,
        ["Fix login bug", "Auth endpoints"]
    );
    assert_eq!(
        app.entry_titles(t, json!({ "valueRatings": ["MEDIUM"] }))
            .await,
        ["Late deploy", "Review PR 42"],
        "value defaults to MEDIUM"
    );
    assert_eq!(
        app.entry_titles(t, json!({ "impactLevels": ["PRODUCT"] }))
            .await,
        ["Late deploy", "Auth endpoints"]
    );
    assert_eq!(
        app.entry_titles(t, json!({ "search": "jwt" })).await,
        ["Auth endpoints"],
        "search reads descriptions, case-insensitively"
    );
    assert_eq!(
        app.entry_titles(t, json!({ "search": "LOGIN" })).await,
        ["Fix login bug"]
    );
    assert!(
        app.entry_titles(t, json!({ "search": "100%" }))
            .await
            .is_empty()
    );
}

async fn the_list_pages_through_every_entry_exactly_once(app: TestApp) {
    let me = app.register("pages@example.com").await;
    seed_journal(&app, &me.access).await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = app
            .ok(PAGE, json!({ "first": 2, "after": after }), &me.access)
            .await;
        pages += 1;
        seen.extend(titles(&page));
        let info = &page["logEntries"]["pageInfo"];
        assert_eq!(info["hasPreviousPage"], after.is_some());
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
        assert!(pages < 10, "pagination does not terminate");
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen,
        [
            "Late deploy",
            "Review PR 42",
            "Fix login bug",
            "Auth endpoints",
            "Standup"
        ]
    );
}

async fn an_entry_is_edited_then_deleted(app: TestApp) {
    let me = app.register("edit@example.com").await;
    let project = app.create_project(&me.access, "Infra").await;
    let entry = app
        .create_entry(
            &me.access,
            json!({ "title": "Draft", "description": "to clear", "projectId": project, "tags": ["devops"] }),
        )
        .await;
    let id = entry["id"].as_str().unwrap();
    assert_eq!(entry["durationMinutes"], 90);
    assert_eq!(entry["project"]["name"], "Infra");

    let updated = app
        .ok(
            "mutation($id: UUID!, $input: UpdateLogEntryInput!) { updateLogEntry(id: $id, input: $input) { title description projectId tags durationMinutes valueRating activityType } }",
            json!({ "id": id, "input": {
                "title": "Terraform the cluster", "description": null, "projectId": null,
                "tags": ["devops", "Infra As Code"], "endTime": "2026-03-02T11:00:00Z", "valueRating": "HIGH"
            }}),
            &me.access,
        )
        .await["updateLogEntry"]
        .clone();
    assert_eq!(updated["title"], "Terraform the cluster");
    assert!(updated["description"].is_null());
    assert!(updated["projectId"].is_null());
    assert_eq!(updated["tags"], json!(["devops", "infra-as-code"]));
    assert_eq!(updated["durationMinutes"], 120);
    assert_eq!(updated["valueRating"], "HIGH");
    assert_eq!(updated["activityType"], "CODE", "fields not sent are kept");

    let fetched = app
        .ok(
            "query($id: UUID!) { logEntry(id: $id) { title tags } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(fetched["logEntry"]["title"], "Terraform the cluster");

    let deleted = app
        .ok(
            "mutation($id: UUID!) { deleteLogEntry(id: $id) }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(deleted["deleteLogEntry"], id);
    let gone = app
        .graphql(
            "query($id: UUID!) { logEntry(id: $id) { title } }",
            json!({ "id": id }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&gone), "NOT_FOUND");
    let again = app
        .graphql(
            "mutation($id: UUID!) { deleteLogEntry(id: $id) }",
            json!({ "id": id }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&again), "NOT_FOUND");
}

const BULK_CREATE: &str = "mutation($inputs: [CreateLogEntryInput!]!) { bulkCreateLogEntries(inputs: $inputs) { id title tags } }";

async fn bulk_create_is_all_or_nothing_and_bulk_delete_removes_many(app: TestApp) {
    let me = app.register("bulk@example.com").await;
    let entry = |title: &str, hour: u32| {
        json!({ "title": title, "activityType": "DOCS", "tags": ["docs-sprint"],
                "startTime": format!("2026-04-01T{hour:02}:00:00Z"), "endTime": format!("2026-04-01T{hour:02}:30:00Z") })
    };
    let rejected = app
        .graphql(
            BULK_CREATE,
            json!({ "inputs": [entry("ok", 9), entry(&"x".repeat(201), 10)] }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&rejected), "VALIDATION");
    assert_eq!(error_field(&rejected), "inputs[1].title");
    assert!(
        app.entry_titles(&me.access, json!({})).await.is_empty(),
        "nothing written"
    );

    let created = app
        .ok(
            BULK_CREATE,
            json!({ "inputs": [entry("one", 9), entry("two", 10), entry("three", 11)] }),
            &me.access,
        )
        .await;
    let ids: Vec<Value> = created["bulkCreateLogEntries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(
        created["bulkCreateLogEntries"][0]["tags"],
        json!(["docs-sprint"])
    );

    let deleted = app
        .ok(
            "mutation($ids: [UUID!]!) { bulkDeleteLogEntries(ids: $ids) }",
            json!({ "ids": [ids[0], ids[2]] }),
            &me.access,
        )
        .await;
    assert_eq!(deleted["bulkDeleteLogEntries"].as_array().unwrap().len(), 2);
    assert_eq!(app.entry_titles(&me.access, json!({})).await, ["two"]);
}

async fn an_entry_may_cross_midnight(app: TestApp) {
    let me = app.register("night@example.com").await;
    let entry = app
        .create_entry(
            &me.access,
            json!({ "title": "Incident", "activityType": "DEBUG",
                    "startTime": "2026-03-28T23:40:00Z", "endTime": "2026-03-29T01:10:00Z" }),
        )
        .await;
    assert_eq!(entry["durationMinutes"], 90);
    assert_eq!(
        entry["impactLevel"], "PERSONAL",
        "impact defaults to PERSONAL"
    );
}

on_both_backends!(
    a_user_logs_work_and_finds_it_with_every_filter,
    the_list_pages_through_every_entry_exactly_once,
    an_entry_is_edited_then_deleted,
    bulk_create_is_all_or_nothing_and_bulk_delete_removes_many,
    an_entry_may_cross_midnight,
);
