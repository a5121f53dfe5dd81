//! Projects and their totals.

use serde_json::json;

use crate::helpers::{TestApp, error_code, error_field};
use crate::on_both_backends;
use crate::statement_count::execute_counting_statements;

const PROJECTS: &str = "query($s: ProjectStatus) { projects(status: $s) { id name status entryCount totalMinutes color startDate endDate } }";

async fn projects_are_managed_and_report_their_totals(app: TestApp) {
    let me = app.register("pm@example.com").await;
    let created = app
        .ok(
            "mutation($i: CreateProjectInput!) { createProject(input: $i) { id name status color startDate entryCount } }",
            json!({ "i": { "name": "Billing", "color": "#112233", "startDate": "2026-01-05" } }),
            &me.access,
        )
        .await["createProject"]
        .clone();
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["entryCount"], 0);
    let id = created["id"].as_str().unwrap();
    app.create_entry(&me.access, json!({ "projectId": id }))
        .await; // 90 min
    app.create_entry(
        &me.access,
        json!({ "projectId": id, "startTime": "2026-03-03T09:00:00Z", "endTime": "2026-03-03T09:20:00Z" }),
    )
    .await;
    app.create_entry(&me.access, json!({})).await; // no project

    let list = app.ok(PROJECTS, json!({}), &me.access).await;
    assert_eq!(list["projects"][0]["entryCount"], 2);
    assert_eq!(list["projects"][0]["totalMinutes"], 110);

    let updated = app
        .ok(
            "mutation($id: UUID!, $i: UpdateProjectInput!) { updateProject(id: $id, input: $i) { name status color endDate totalMinutes } }",
            json!({ "id": id, "i": { "status": "COMPLETED", "color": null, "endDate": "2026-06-30" } }),
            &me.access,
        )
        .await["updateProject"]
        .clone();
    assert_eq!(updated["status"], "COMPLETED");
    assert!(updated["color"].is_null());
    assert_eq!(updated["name"], "Billing");
    assert_eq!(updated["totalMinutes"], 110);
    assert_eq!(
        app.ok(PROJECTS, json!({ "s": "ACTIVE" }), &me.access).await["projects"],
        json!([])
    );

    let bad_dates = app
        .graphql(
            "mutation($id: UUID!) { updateProject(id: $id, input: { endDate: \"2025-12-31\" }) { name } }",
            json!({ "id": id }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_field(&bad_dates), "endDate");

    // Deleting a project keeps its entries, now without a project.
    app.ok(
        "mutation($id: UUID!) { deleteProject(id: $id) }",
        json!({ "id": id }),
        &me.access,
    )
    .await;
    assert_eq!(app.entry_titles(&me.access, json!({})).await.len(), 3);
    let orphan_count = app
        .ok(
            "{ logEntries(first: 10) { edges { node { projectId } } } }",
            json!({}),
            &me.access,
        )
        .await["logEntries"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["projectId"].is_null())
        .count();
    assert_eq!(orphan_count, 3);
}

async fn project_names_are_unique_per_user(app: TestApp) {
    let me = app.register("dup@example.com").await;
    let other = app.register("other@example.com").await;
    app.create_project(&me.access, "Platform").await;
    app.create_project(&other.access, "Platform").await;
    let body = app
        .graphql(
            "mutation { createProject(input: { name: \"Platform\" }) { id } }",
            json!({}),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(error_field(&body), "name");
    // Whatever the case: on creating, and on renaming another project.
    let shouting = app
        .graphql(
            "mutation { createProject(input: { name: \"PLATFORM\" }) { id } }",
            json!({}),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&shouting), "CONFLICT");
    let infra = app.create_project(&me.access, "Infra").await;
    let renamed = app
        .graphql(
            "mutation($id: UUID!) { updateProject(id: $id, input: { name: \"platform\" }) { id } }",
            json!({ "id": infra }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&renamed), "CONFLICT");
    assert_eq!(error_field(&renamed), "name");
    // Its own name in another case is a rename, not a duplicate.
    let recased = app
        .ok(
            "mutation($id: UUID!) { updateProject(id: $id, input: { name: \"INFRA\" }) { name } }",
            json!({ "id": infra }),
            &me.access,
        )
        .await;
    assert_eq!(recased["updateProject"]["name"], "INFRA");
    let bad_colour = app
        .graphql(
            "mutation { createProject(input: { name: \"Colourful\", color: \"red\" }) { id } }",
            json!({}),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_field(&bad_colour), "color");
}

/// A project embedded in an entry answers its real totals, wherever the
/// entry comes from: a page (plainly and through a fragment, which take
/// different resolver paths), one entry, a created entry.
async fn a_project_inside_an_entry_reports_its_totals(app: TestApp) {
    let me = app.register("embedded@example.com").await;
    let project = app
        .ok(
            "mutation { createProject(input: { name: \"Payments\" }) { id } }",
            json!({}),
            &me.access,
        )
        .await["createProject"]["id"]
        .clone();
    app.create_entry(&me.access, json!({ "projectId": project }))
        .await; // 90 min
    let second = app
        .create_entry(
            &me.access,
            json!({ "projectId": project, "startTime": "2026-03-03T09:00:00Z", "endTime": "2026-03-03T09:20:00Z" }),
        )
        .await;
    let totals = json!({ "entryCount": 2, "totalMinutes": 110 });

    for query in [
        "{ logEntries(first: 10) { edges { node { project { entryCount totalMinutes } } } } }",
        "{ logEntries(first: 10) { edges { node { ...E } } } } fragment E on LogEntry { project { entryCount totalMinutes } }",
    ] {
        let page = app.ok(query, json!({}), &me.access).await;
        for edge in page["logEntries"]["edges"].as_array().unwrap() {
            assert_eq!(edge["node"]["project"], totals, "{query}");
        }
    }
    // A page reads its projects' totals in one statement beside the list's
    // own, however many entries it has.
    let other = app
        .ok(
            "mutation { createProject(input: { name: \"Infra\" }) { id } }",
            json!({}),
            &me.access,
        )
        .await["createProject"]["id"]
        .clone();
    app.create_entry(&me.access, json!({ "projectId": other }))
        .await;
    let request = async_graphql::Request::new(
        "{ logEntries(first: 10) { nodes { project { name entryCount totalMinutes } } } }",
    );
    let (response, seen) = execute_counting_statements(&app, &me.user_id, request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let nodes = response.data.into_json().unwrap()["logEntries"]["nodes"].clone();
    let mut projects: Vec<_> = nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["project"].clone())
        .collect();
    projects.sort_by_key(|p| p["name"].as_str().unwrap().to_owned());
    assert_eq!(
        projects,
        [
            json!({ "name": "Infra", "entryCount": 1, "totalMinutes": 90 }),
            json!({ "name": "Payments", "entryCount": 2, "totalMinutes": 110 }),
            json!({ "name": "Payments", "entryCount": 2, "totalMinutes": 110 }),
        ]
    );
    assert_eq!(seen.len(), 2, "{seen:#?}");

    let one = app
        .ok(
            "query($id: UUID!) { logEntry(id: $id) { project { entryCount totalMinutes } } }",
            json!({ "id": second["id"] }),
            &me.access,
        )
        .await;
    assert_eq!(one["logEntry"]["project"], totals);
    let created = app
        .ok(
            "mutation($p: UUID!) { createLogEntry(input: { title: \"Third\", activityType: CODE, startTime: \"2026-03-04T09:00:00Z\", endTime: \"2026-03-04T09:30:00Z\", projectId: $p }) { project { entryCount totalMinutes } } }",
            json!({ "p": project }),
            &me.access,
        )
        .await;
    assert_eq!(
        created["createLogEntry"]["project"],
        json!({ "entryCount": 3, "totalMinutes": 140 })
    );
}

on_both_backends!(
    projects_are_managed_and_report_their_totals,
    project_names_are_unique_per_user,
    a_project_inside_an_entry_reports_its_totals,
);
