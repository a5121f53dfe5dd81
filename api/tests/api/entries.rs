//! The journal: creating, listing with filters, paginating, editing and
//! deleting entries.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, error_field};
use crate::on_both_backends;
use crate::statement_count::execute_counting_statements;

const PAGE: &str = "query($first: Int, $after: String) { logEntries(first: $first, after: $after) { edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage endCursor } } }";

fn titles(page: &Value) -> Vec<String> {
    page["logEntries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["title"].as_str().expect("title").to_owned())
        .collect()
}

/// The node of the page's entry titled `title`.
fn node_titled<'a>(page: &'a Value, title: &str) -> &'a Value {
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
async fn seed_journal(app: &TestApp, token: &str) -> (String, String) {
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

/// A listed entry's fields resolve in one pass when plainly selected
/// (`api/src/entries/listed.rs`) and through async-graphql's own resolver
/// otherwise: both answer alike, with aliases, `__typename`, a field
/// selected twice and `suggestions` too.
async fn a_page_answers_alike_however_its_fields_are_selected(app: TestApp) {
    let me = app.register("shapes@example.com").await;
    seed_journal(&app, &me.access).await;
    const FIELDS: &str = "__typename id title description activityType projectId \
        project { id name } tags startTime endTime durationMinutes valueRating impactLevel \
        isDraft createdAt updatedAt";
    let page = |selection: String| {
        format!("{{ logEntries(first: 10) {{ edges {{ cursor node {{ {selection} }} }} }} }}")
    };
    let plain = app
        .ok(&page(FIELDS.to_owned()), json!({}), &me.access)
        .await;
    let through_fragment = app
        .ok(
            &format!(
                "{} fragment All on LogEntry {{ {FIELDS} }}",
                page("...All".to_owned())
            ),
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(plain, through_fragment);
    // `nodes` answers the edges' nodes, plainly and through a fragment.
    let edge_nodes: Vec<Value> = plain["logEntries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"].clone())
        .collect();
    let nodes = |selection: &str, fragment: &str| {
        format!("{{ logEntries(first: 10) {{ nodes {{ {selection} }} }} }} {fragment}")
    };
    for query in [
        nodes(FIELDS, ""),
        nodes(
            "...All",
            &format!("fragment All on LogEntry {{ {FIELDS} }}"),
        ),
    ] {
        let answer = app.ok(&query, json!({}), &me.access).await;
        assert_eq!(answer["logEntries"]["nodes"], json!(edge_nodes), "{query}");
    }
    // The page's own fields, plainly and through a fragment on the page.
    let whole = format!(
        "__typename pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} \
         nodes {{ id title }} edges {{ __typename cursor node {{ {FIELDS} }} }}"
    );
    let first_three = app
        .ok(
            &format!("{{ logEntries(first: 3) {{ {whole} }} }}"),
            json!({}),
            &me.access,
        )
        .await;
    let page_fragment = app
        .ok(
            &format!(
                "{{ logEntries(first: 3) {{ ...Page }} }} fragment Page on LogEntryConnection {{ {whole} }}"
            ),
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(first_three, page_fragment);
    let three = &first_three["logEntries"];
    assert_eq!(three["__typename"], "LogEntryConnection");
    assert_eq!(three["edges"][0]["__typename"], "LogEntryEdge");
    assert_eq!(three["pageInfo"]["hasNextPage"], true);
    assert_eq!(three["pageInfo"]["endCursor"], three["edges"][2]["cursor"]);
    assert_eq!(three["nodes"][1]["id"], three["edges"][1]["node"]["id"]);
    assert_eq!(titles(&plain).len(), 5);
    let auth = node_titled(&plain, "Auth endpoints");
    assert_eq!(auth["__typename"], "LogEntry");
    assert_eq!(auth["project"]["name"], "API v2");
    assert_eq!(auth["project"]["id"], auth["projectId"]);
    assert_eq!(auth["tags"], json!(["backend", "security"]));
    assert_eq!(auth["description"], "JWT refresh rotation");
    assert_eq!(auth["durationMinutes"], 120);
    assert_eq!(auth["valueRating"], "HIGH");
    assert_eq!(auth["impactLevel"], "PRODUCT");
    assert_eq!(auth["startTime"], "2026-03-02T10:00:00+00:00");
    assert_eq!(auth["isDraft"], false);

    let aliased = app
        .ok(
            &page("name: title kind: __typename".to_owned()),
            json!({}),
            &me.access,
        )
        .await;
    let node = &aliased["logEntries"]["edges"][0]["node"];
    assert_eq!(node["kind"], "LogEntry");
    assert!(
        node["name"].is_string() && node.get("title").is_none(),
        "{node}"
    );

    let twice = app
        .ok(
            &page("title title project { id } project { name } suggestions { field }".to_owned()),
            json!({}),
            &me.access,
        )
        .await;
    let auth = node_titled(&twice, "Auth endpoints");
    assert_eq!(auth["project"]["name"], "API v2", "{auth}");
    assert!(auth["project"]["id"].is_string(), "{auth}");
    assert_eq!(auth["suggestions"], json!([]));
}

/// A page selects and decodes only the columns its fields need
/// (`EntryParts`): each field asked alone answers what the whole page
/// answers for it, and a page without `description`, project or tags reads
/// none of them.
async fn a_page_reads_only_the_columns_its_fields_need(app: TestApp) {
    let me = app.register("columns@example.com").await;
    seed_journal(&app, &me.access).await;
    let fields = [
        ("title", "title"),
        ("description", "description"),
        ("activityType", "activityType"),
        ("projectId", "projectId"),
        (
            "project",
            "project { id name status entryCount totalMinutes }",
        ),
        ("tags", "tags"),
        ("startTime", "startTime"),
        ("endTime", "endTime"),
        ("durationMinutes", "durationMinutes"),
        ("valueRating", "valueRating"),
        ("impactLevel", "impactLevel"),
        ("isDraft", "isDraft"),
        ("createdAt", "createdAt"),
        ("updatedAt", "updatedAt"),
    ];
    let page =
        |selection: &str| format!("{{ logEntries(first: 10) {{ nodes {{ id {selection} }} }} }}");
    let every: Vec<&str> = fields.iter().map(|(_, selection)| *selection).collect();
    let whole = app.ok(&page(&every.join(" ")), json!({}), &me.access).await;
    let whole = whole["logEntries"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    assert_eq!(whole.len(), 5);
    for (key, selection) in fields {
        let alone = app.ok(&page(selection), json!({}), &me.access).await;
        let alone = alone["logEntries"]["nodes"]
            .as_array()
            .expect("nodes")
            .clone();
        assert_eq!(alone.len(), whole.len(), "{selection}");
        for (one, all) in alone.iter().zip(&whole) {
            assert_eq!(one["id"], all["id"], "{selection}");
            assert_eq!(one[key], all[key], "{selection} of {}", all["id"]);
            assert!(
                !one[key].is_null()
                    || key == "description"
                    || key == "projectId"
                    || key == "project"
            );
        }
    }

    // An entry's project in one pass, and through async-graphql's resolver
    // (a fragment), alike.
    const PROJECT: &str = "__typename id name description status startDate endDate color \
        createdAt updatedAt";
    let plain = app
        .ok(
            &page(&format!("project {{ {PROJECT} }}")),
            json!({}),
            &me.access,
        )
        .await;
    let through_fragment = app
        .ok(
            &format!(
                "{} fragment P on Project {{ {PROJECT} }}",
                page("project { ...P }")
            ),
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(plain, through_fragment);
    let project = &plain["logEntries"]["nodes"][0]["project"];
    assert_eq!(project["__typename"], "Project");
    assert_eq!(project["status"], "ACTIVE");
    // Each of the project's fields alone, as with all of them.
    let with_project = |nodes: &Value| -> Vec<Value> {
        nodes["logEntries"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|node| node["project"].clone())
            .filter(|project| !project.is_null())
            .collect()
    };
    let projects = with_project(&plain);
    assert!(!projects.is_empty());
    for key in PROJECT.split_whitespace() {
        let alone = app
            .ok(
                &page(&format!("project {{ {key} }}")),
                json!({}),
                &me.access,
            )
            .await;
        let alone = with_project(&alone);
        assert_eq!(alone.len(), projects.len(), "{key}");
        for (one, all) in alone.iter().zip(&projects) {
            assert_eq!(one[key], all[key], "project {key}");
        }
    }

    let narrow = async_graphql::Request::new(
        "{ logEntries(first: 10) { edges { cursor node { id title } } } }",
    );
    let (response, seen) = execute_counting_statements(&app, &me.user_id, narrow).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let page_statement = seen
        .iter()
        .find(|statement| statement.contains("log_entries"))
        .expect("the page's statement");
    for absent in [
        "description",
        "projects",
        "tag_names",
        "value_rating",
        "created_at",
    ] {
        assert!(
            !page_statement.contains(absent),
            "{absent} in {page_statement}"
        );
    }
    assert!(page_statement.contains("title"), "{page_statement}");

    // The project's columns too: its id (the join's match) and what is
    // asked for.
    let named =
        async_graphql::Request::new("{ logEntries(first: 10) { nodes { project { name } } } }");
    let (response, seen) = execute_counting_statements(&app, &me.user_id, named).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let page_statement = seen
        .iter()
        .find(|statement| statement.contains("log_entries"))
        .expect("the page's statement");
    for present in ["p_id", "p_name"] {
        assert!(
            page_statement.contains(present),
            "{present} in {page_statement}"
        );
    }
    for absent in ["p_description", "p_color", "p_created_at", "p_user_id"] {
        assert!(
            !page_statement.contains(absent),
            "{absent} in {page_statement}"
        );
    }
}

on_both_backends!(
    a_user_logs_work_and_finds_it_with_every_filter,
    the_list_pages_through_every_entry_exactly_once,
    an_entry_is_edited_then_deleted,
    bulk_create_is_all_or_nothing_and_bulk_delete_removes_many,
    an_entry_may_cross_midnight,
    a_page_answers_alike_however_its_fields_are_selected,
    a_page_reads_only_the_columns_its_fields_need,
);
