//! The shape of a `logEntries` page: however its fields are selected
//! (plainly, through fragments, aliased, `nodes` or `edges`) it answers
//! alike, and it reads only the columns those fields need (issue 18).

use serde_json::{Value, json};

use crate::entries::{node_titled, seed_journal, titles};
use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::statement_count::execute_counting_statements;

/// The statement that read the page `request` asks for, run as `user_id`.
async fn statement_reading_page(
    app: &TestApp,
    user_id: &str,
    request: async_graphql::Request,
) -> String {
    let (response, seen) = execute_counting_statements(app, user_id, request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    seen.into_iter()
        .find(|statement| statement.contains("log_entries"))
        .expect("the page's statement")
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
    let page_statement = statement_reading_page(&app, &me.user_id, narrow).await;
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
    let page_statement = statement_reading_page(&app, &me.user_id, named).await;
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

/// Over HTTP a plainly selected page is written straight to JSON
/// (`api/src/entries/listed_json.rs`); executed on the schema it is a
/// `Value` tree serialised by serde. Both bodies are the same bytes, for
/// every entry and project field, text that needs escaping, missing
/// values, aliases, `edges` and `nodes`.
async fn a_page_written_as_json_is_the_same_bytes_as_the_value_tree(app: TestApp) {
    let me = app.register("bytes@example.com").await;
    seed_journal(&app, &me.access).await;
    app.create_entry(
        &me.access,
        json!({
            "title": "Quote \" back\\slash </script> tab\t é ✓ 🚀",
            "description": "line\nbreak\r\nend",
            "activityType": "DOCS",
            "startTime": "2026-03-06T07:08:09.123Z",
            "endTime": "2026-03-06T08:00:00Z",
        }),
    )
    .await;
    const ENTRY: &str = "__typename id title description activityType projectId tags \
        startTime endTime durationMinutes valueRating impactLevel isDraft createdAt updatedAt";
    const PROJECT: &str = "__typename id name description status startDate endDate color \
        createdAt updatedAt";
    let queries = [
        format!(
            "{{ logEntries(first: 10) {{ __typename edges {{ __typename cursor \
             node {{ {ENTRY} project {{ {PROJECT} }} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
        ),
        format!("{{ logEntries(first: 10) {{ nodes {{ {ENTRY} project {{ {PROJECT} }} }} }} }}"),
        "{ mine: logEntries(first: 4) { list: edges { at: cursor entry: node { \
           name: title kind: __typename p: project { n: name } q: project { id } } } } }"
            .to_owned(),
        // An empty page.
        "{ logEntries(first: 5, filter: { from: \"2030-01-01T00:00:00Z\" }) { \
           edges { node { id } } nodes { id } } }"
            .to_owned(),
    ];
    for query in queries {
        let over_http = body_over_http(&app, &me.access, json!({ "query": query })).await;
        let tree = value_tree(&app, &me.user_id, &query).await;
        assert_eq!(over_http, tree, "{query}");
        assert!(
            over_http.contains(r#"Quote \" back\\slash"#) || query.contains("2030"),
            "{over_http}"
        );
    }
}

/// A created entry is written straight to JSON over HTTP as well
/// (`ListedEntry`): the same bytes as the `Value` tree of the same
/// selection read back on the schema, including a fallback selection.
async fn a_created_entry_written_as_json_is_the_same_bytes_as_the_value_tree(app: TestApp) {
    let me = app.register("created-bytes@example.com").await;
    let project = app.create_project(&me.access, "Bytes \"quoted\"").await;
    let selections = [
        "__typename id title description activityType projectId tags startTime endTime \
         durationMinutes valueRating impactLevel isDraft createdAt updatedAt \
         project { __typename id name status color createdAt }",
        // Aliases, and a field (`suggestions`) only the generic path answers.
        "n: title t: tags p: project { n: name } suggestions { field }",
    ];
    for selection in selections {
        let input = json!({
            "title": "Created \" back\\slash </script> é ✓ 🚀",
            "description": "line\nbreak",
            "activityType": "REVIEW",
            "projectId": project,
            "tags": ["zeta", "alpha"],
            "startTime": "2026-03-07T07:08:09.123456Z",
            "endTime": "2026-03-07T08:00:00Z",
        });
        let query = format!(
            "mutation($input: CreateLogEntryInput!) {{ e: createLogEntry(input: $input) {{ id {selection} }} }}"
        );
        let over_http = body_over_http(
            &app,
            &me.access,
            json!({ "query": query, "variables": { "input": input } }),
        )
        .await;
        let parsed: Value = serde_json::from_str(&over_http).expect("JSON");
        let id = parsed["data"]["e"]["id"]
            .as_str()
            .expect("created")
            .to_owned();
        let read = format!("{{ e: logEntry(id: \"{id}\") {{ id {selection} }} }}");
        let tree = value_tree(&app, &me.user_id, &read).await;
        assert_eq!(over_http, tree, "{selection}");
    }
}

/// The body of a GraphQL request over HTTP, as sent: with its length in
/// `Content-Length`, not chunked, though a page's list is sent as a chunk
/// of its own (`http::graphql::chunked_body`).
async fn body_over_http(app: &TestApp, token: &str, request: Value) -> String {
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&request)
        .send()
        .await
        .expect("request sent");
    let headers = response.headers().clone();
    let body = response.text().await.expect("body");
    assert_eq!(
        headers
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|length| length.to_str().ok()),
        Some(body.len().to_string().as_str()),
        "{headers:?}"
    );
    assert!(
        headers.get(reqwest::header::TRANSFER_ENCODING).is_none(),
        "{headers:?}"
    );
    body
}

/// `query` executed on the schema as `user_id`: async-graphql's `Value`
/// tree, serialised by serde.
async fn value_tree(app: &TestApp, user_id: &str, query: &str) -> String {
    let (response, _) =
        execute_counting_statements(app, user_id, async_graphql::Request::new(query)).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    serde_json::to_string(&response).expect("serialised")
}

on_both_backends!(
    a_page_answers_alike_however_its_fields_are_selected,
    a_page_reads_only_the_columns_its_fields_need,
    a_page_written_as_json_is_the_same_bytes_as_the_value_tree,
    a_created_entry_written_as_json_is_the_same_bytes_as_the_value_tree,
);
