//! Acceptance 1: a populated account exported to JSON over HTTP and
//! imported into a fresh account exports the same again (ids aside), with
//! the report's citations pointing at the new account's entries.

use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::{IMPORT_ACCOUNT, fixture, import};
use crate::helpers::{Backend, TestApp, spawn_app_with};

const REPORT: &str = "## Key accomplishments\n- Shipped the login flow [E1]\n- Kept the team in sync [E2]\n## Next\n- Keep going\n";

async fn export(app: &TestApp, token: &str) -> Value {
    let response = app
        .client
        .get(app.url("/export/account.json"))
        .bearer_auth(token)
        .send()
        .await
        .expect("export request");
    assert_eq!(response.status(), 200);
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"englog-account-"),
        "{disposition}"
    );
    response.json().await.expect("JSON export")
}

/// Builds an account with a bit of everything.
async fn populate(app: &TestApp, token: &str) {
    app.ok(
        "mutation { updateProfile(input: { firstName: \"Grace\", lastName: \"Hopper\", timezone: \"Europe/Berlin\" }) { id } updatePreferences(input: { weekStart: SUNDAY, reportLanguage: \"pt-BR\", defaultActivityType: REVIEW }) { id } }",
        json!({}),
        token,
    )
    .await;
    let project = app
        .ok(
            "mutation { createProject(input: { name: \"Apollo\", description: \"Moon shot\", color: \"#336699\", startDate: \"2026-01-01\" }) { id } }",
            json!({}),
            token,
        )
        .await["createProject"]["id"]
        .clone();
    app.create_project(token, "Idle project").await;
    app.ok(
        "mutation { createTag(input: { name: \"rust-async\", category: TECHNOLOGY, color: \"#112233\" }) { id } }",
        json!({}),
        token,
    )
    .await;
    for (day, title, value) in [
        (2, "Shipped login", "HIGH"),
        (3, "Standup", "LOW"),
        (4, "Docs pass", "MEDIUM"),
    ] {
        app.create_entry(
            token,
            json!({ "title": title, "valueRating": value, "projectId": project,
                    "description": format!("About {title}"), "impactLevel": "TEAM",
                    "tags": ["rust-async", "Backend Work"],
                    "startTime": format!("2026-03-0{day}T09:00:00Z"),
                    "endTime": format!("2026-03-0{day}T10:00:00Z") }),
        )
        .await;
    }
    // Imported drafts carry their source and external ids.
    let body = import(
        app,
        token,
        "ICS",
        &fixture("calendar.ics"),
        json!({ "windowStart": "2026-10-01T00:00:00Z", "windowEnd": "2026-12-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(body["data"]["importEntries"]["imported"], 9, "{body}");
}

async fn write_report(app: &TestApp, token: &str) {
    let id = app
        .ok(
            "mutation { requestInsight(input: { reportType: WEEKLY, periodStart: \"2026-03-02\", periodEnd: \"2026-03-08\" }) { id } }",
            json!({}),
            token,
        )
        .await["requestInsight"]["id"]
        .clone();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let data = app
            .ok(
                "query($id: UUID!) { insight(id: $id) { status error } }",
                json!({ "id": id }),
                token,
            )
            .await;
        if data["insight"]["status"] == "SUCCEEDED" {
            return;
        }
        assert!(Instant::now() < deadline, "report never finished: {data}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn strip(object: &Value, drop: &[&str]) -> Map<String, Value> {
    let mut map = object.as_object().cloned().expect("object");
    for key in drop {
        map.remove(*key);
    }
    map
}

/// The document with ids replaced by what they name (entries by title and
/// start, projects by name) and the account's own identity left out.
fn comparable(doc: &Value) -> Value {
    let project_names: HashMap<&str, &str> = doc["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let entry_keys: HashMap<&str, String> = doc["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let key = format!(
                "{} @ {}",
                e["title"].as_str().unwrap(),
                e["startTime"].as_str().unwrap()
            );
            (e["id"].as_str().unwrap(), key)
        })
        .collect();
    let project = |id: &Value| {
        id.as_str()
            .map(|id| json!(project_names[id]))
            .unwrap_or(Value::Null)
    };
    let mut entries: Vec<Value> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut m = strip(e, &["id"]);
            m.insert("projectId".into(), project(&e["projectId"]));
            Value::Object(m)
        })
        .collect();
    entries.sort_by_key(|e| format!("{} {}", e["startTime"], e["title"]));
    let reports: Vec<Value> = doc["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut m = strip(r, &["id"]);
            let projects: Vec<Value> = r["projectIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(project)
                .collect();
            m.insert("projectIds".into(), json!(projects));
            let citations: Vec<Value> = r["citations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let keys: Vec<&String> = c["entryIds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|id| &entry_keys[id.as_str().unwrap()])
                        .collect();
                    json!({ "statement": c["statement"], "entries": keys })
                })
                .collect();
            m.insert("citations".into(), json!(citations));
            Value::Object(m)
        })
        .collect();
    let without_ids = |list: &Value| -> Vec<Value> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|v| Value::Object(strip(v, &["id"])))
            .collect()
    };
    json!({
        "format": doc["format"],
        "version": doc["version"],
        "profile": Value::Object(strip(&doc["profile"], &["email", "createdAt", "emailVerified"])),
        "preferences": doc["preferences"],
        "projects": without_ids(&doc["projects"]),
        "tags": without_ids(&doc["tags"]),
        "entries": entries,
        "reports": reports,
    })
}

async fn round_trip(backend: Backend) {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: REPORT.split_inclusive(' ').map(str::to_owned).collect(),
        gap: Duration::ZERO,
    }])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(backend, move |s| s.reports.ollama_url = url).await;
    let old = app.register("old-account@example.com").await;
    populate(&app, &old.access).await;
    write_report(&app, &old.access).await;

    let unauthenticated = app
        .client
        .get(app.url("/export/account.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(unauthenticated.status(), 401);

    let original = export(&app, &old.access).await;
    assert_eq!(original["format"], "englog-account");
    assert_eq!(original["version"], 1);
    assert_eq!(original["entries"].as_array().map(Vec::len), Some(12));
    let citations = &original["reports"][0]["citations"];
    assert_eq!(citations.as_array().map(Vec::len), Some(2), "{citations}");

    let new = app.register("new-account@example.com").await;
    let content = original.to_string();
    let body = app
        .graphql(IMPORT_ACCOUNT, json!({ "c": content }), Some(&new.access))
        .await;
    let report = &body["data"]["importAccount"];
    assert_eq!(report["errors"], json!([]), "{body}");
    // 2 projects, 1 custom tag ("backend-work" and "rust-async" are new;
    // the predefined ones exist already), 12 entries, 1 report.
    assert_eq!(report["imported"], 2 + 2 + 12 + 1, "{body}");

    let copy = export(&app, &new.access).await;
    assert_eq!(copy["profile"]["email"], "new-account@example.com");
    assert_eq!(comparable(&copy), comparable(&original));
    // Citations name the new account's entries, never the old ones.
    let new_ids: Vec<&Value> = copy["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["id"])
        .collect();
    for cited in copy["reports"][0]["citations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["entryIds"].as_array().unwrap())
    {
        assert!(
            new_ids.contains(&cited),
            "{cited} is not an entry of the new account"
        );
    }

    // Importing the same file again adds nothing.
    let again = app
        .graphql(
            IMPORT_ACCOUNT,
            json!({ "c": original.to_string() }),
            Some(&new.access),
        )
        .await;
    assert_eq!(again["data"]["importAccount"]["imported"], 0, "{again}");
    // The old account is untouched by all this.
    assert_eq!(
        comparable(&export(&app, &old.access).await),
        comparable(&original)
    );
}

#[tokio::test]
async fn an_exported_account_imports_into_a_fresh_one_identically_on_postgres() {
    round_trip(Backend::Postgres).await;
}

#[tokio::test]
async fn an_exported_account_imports_into_a_fresh_one_identically_on_sqlite() {
    round_trip(Backend::Sqlite).await;
}

/// A read-only API token may download its account, and only its account.
#[tokio::test]
async fn an_api_token_downloads_only_its_own_account() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let alice = app.register("alice-export@example.com").await;
    let bob = app.register("bob-export@example.com").await;
    app.create_entry(&alice.access, json!({ "title": "Alice's entry" }))
        .await;
    app.create_entry(&bob.access, json!({ "title": "Bob's entry" }))
        .await;
    let token = app
        .ok(
            "mutation { createApiToken(input: { name: \"backup\", scope: READ }) { token } }",
            json!({}),
            &alice.access,
        )
        .await["createApiToken"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let doc = export(&app, &token).await;
    assert_eq!(doc["profile"]["email"], "alice-export@example.com");
    let titles: Vec<&Value> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["title"])
        .collect();
    assert_eq!(titles, [&json!("Alice's entry")]);
    assert!(!doc.to_string().contains("Bob"), "nothing of Bob's");

    let forged = app
        .client
        .get(app.url("/export/account.json"))
        .bearer_auth("elg_not-a-real-token")
        .send()
        .await
        .expect("request");
    assert_eq!(forged.status(), 401);
    // A read-only token may not import.
    let body = app
        .graphql(
            IMPORT_ACCOUNT,
            json!({ "c": doc.to_string() }),
            Some(&token),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&body), "FORBIDDEN");
}

/// Every bad record is reported and nothing, not even the profile, changes.
async fn a_bad_account_file_changes_nothing(app: TestApp) {
    let me = app.register("bad-account@example.com").await;
    let p = "0190aaaa-0000-7000-8000-00000000000a";
    let doc = json!({
        "format": "englog-account", "version": 1, "exportedAt": "2026-11-22T00:00:00Z",
        "profile": { "email": "x@example.com", "firstName": "Mallory", "lastName": "M",
                     "timezone": "Europe/Berlin", "createdAt": "2026-01-01T00:00:00Z" },
        "preferences": {},
        "projects": [{ "id": p, "name": "Apollo", "status": "paused", "description": null,
                       "startDate": null, "endDate": null, "color": null,
                       "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z" }],
        "tags": [],
        "entries": [{ "id": "0190aaaa-0000-7000-8000-000000000001", "title": "Good enough",
                      "description": null, "activityType": "coding",
                      "projectId": "0190aaaa-0000-7000-8000-0000000000ff", "tags": [],
                      "startTime": "2026-03-02T09:00:00Z", "endTime": "2026-03-02T10:00:00Z",
                      "durationMinutes": 60, "valueRating": "high", "impactLevel": "team",
                      "createdAt": "2026-03-02T10:00:00Z", "updatedAt": "2026-03-02T10:00:00Z" }],
        "reports": [{ "id": "0190aaaa-0000-7000-8000-0000000000bb", "reportType": "weekly",
                      "periodStart": "2026-03-02", "periodEnd": "2026-03-08", "status": "succeeded",
                      "content": "x", "sections": null, "metrics": null, "model": null,
                      "promptTokens": null, "completionTokens": null, "error": null,
                      "startedAt": null, "finishedAt": null, "createdAt": "2026-03-09T00:00:00Z",
                      "citations": [{ "statement": "s", "entryIds": ["0190aaaa-0000-7000-8000-0000000000cc"] }] }]
    });
    let body = app
        .graphql(
            IMPORT_ACCOUNT,
            json!({ "c": doc.to_string() }),
            Some(&me.access),
        )
        .await;
    let report = &body["data"]["importAccount"];
    assert_eq!(report["imported"], 0, "{body}");
    let errors: Vec<String> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["item"].as_str().unwrap(),
                e["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            format!("project {p}: status: unknown value `paused`"),
            "entry 0190aaaa-0000-7000-8000-000000000001: activityType: unknown value `coding`".to_owned(),
            "entry 0190aaaa-0000-7000-8000-000000000001: projectId: 0190aaaa-0000-7000-8000-0000000000ff is not among the projects".to_owned(),
            "report 0190aaaa-0000-7000-8000-0000000000bb: citations: entry 0190aaaa-0000-7000-8000-0000000000cc is not among the entries".to_owned(),
        ]
    );
    let after = export(&app, &me.access).await;
    assert_eq!(after["profile"]["firstName"], "Ada", "profile untouched");
    assert_eq!(after["entries"], json!([]));
    assert_eq!(after["projects"], json!([]));

    let mut newer = doc.clone();
    newer["version"] = json!(2);
    let body = app
        .graphql(
            IMPORT_ACCOUNT,
            json!({ "c": newer.to_string() }),
            Some(&me.access),
        )
        .await;
    assert_eq!(crate::helpers::error_field(&body), "content");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("version 2 is not supported")
    );
}

crate::on_both_backends!(a_bad_account_file_changes_nothing);

/// GDPR article 15: the export holds the enrichment data too — here the
/// person's changes to the skills vocabulary.
#[tokio::test]
async fn the_account_export_includes_the_skills_vocabulary() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("skills@example.com").await;
    app.ok(
        "mutation($n: String!) { addSkill(name: $n) }",
        json!({ "n": "Kubernetes" }),
        &me.access,
    )
    .await;
    let document = export(&app, &me.access).await;
    let skills = document["skills"].as_array().expect("skills");
    assert!(
        skills
            .iter()
            .any(|s| s["name"] == "kubernetes" && s["removed"] == false),
        "{document}"
    );
    assert_eq!(document["suggestions"], json!([]));
}
