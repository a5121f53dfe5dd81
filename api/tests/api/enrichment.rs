//! Entry enrichment end to end: entries written through GraphQL, jobs
//! through the outbox and the broker (in-process on SQLite, Redis beside
//! PostgreSQL), a worker asking the fake Ollama for structured output,
//! suggestions stored, pushed over `/graphql/ws`, accepted and dismissed;
//! trends and the report's "Energy and growth" section.

use englog_api::config::{Secret, Settings};
use englog_core::enrichment::{EnrichmentOutput, FieldSuggestion, SuggestionField, text_hash};
use englog_core::jobs::{JobEvent, JobEventEnvelope};
use englog_worker::broker::{BrokerTiming, RedisBroker};
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use uuid::Uuid;

use crate::helpers::{Backend, Session, TestApp, error_code, redis_url, spawn_app_with};
use crate::ws;

pub(crate) const ENRICH: &str = "Enrich this work journal entry";
pub(crate) const REPORT: &str = "Analyze the following work log";
const SUGGESTIONS: &str = "query($id: UUID!) { logEntry(id: $id) { id title description activityType projectId tags valueRating impactLevel suggestions { field status reason activityType projectId projectName tags valueRating impactLevel sentiment sentimentScore skills } } }";
const ACCEPT: &str = "mutation($id: UUID!, $f: SuggestionField!) { acceptSuggestion(entryId: $id, field: $f) { id title activityType projectId project { name } tags valueRating impactLevel suggestions { field status } } }";
const UPDATE: &str =
    "mutation($id: UUID!, $i: UpdateLogEntryInput!) { updateLogEntry(id: $id, input: $i) { id } }";

/// What the fake model answers for an entry: the "API" project, the
/// predefined `testing` tag plus one nobody has, and a reading.
pub(crate) fn answer(project: &str) -> Value {
    json!({
        "activity_type": { "value": "debug", "reason": "It chases a failure." },
        "project": { "value": project, "reason": "Login lives in the API." },
        "tags": { "value": ["testing", "nobodys-tag"], "reason": "About tests." },
        "value_rating": { "value": "high", "reason": "Unblocks the pipeline." },
        "impact_level": { "value": "team", "reason": "Everyone runs CI." },
        "sentiment": { "value": "satisfied", "score": 0.6, "reason": "A fix landed." },
        "skills": { "value": ["debugging", "juggling"], "reason": "Flaky tests." }
    })
}

pub(crate) fn report_reply() -> Reply {
    Reply::Stream {
        chunks: vec![
            "## Key accomplishments\n- Fixed login [E1]\n".into(),
            "## Energy and growth\n- Mostly satisfied, debugging grew [E1]\n".into(),
        ],
        gap: Duration::from_millis(5),
    }
}

/// Enrichment on, a short debounce, the fake model; with Redis beside
/// PostgreSQL (and a worker in the API process, so one test runs it all).
pub(crate) async fn app(
    backend: Backend,
    ollama: &FakeOllama,
    tune: impl FnOnce(&mut Settings),
) -> TestApp {
    let url = ollama.url.clone();
    spawn_app_with(backend, move |s| {
        s.reports.ollama_url = url;
        s.reports.enrichment = true;
        s.reports.enrichment_debounce_ms = 300;
        if matches!(backend, Backend::Postgres) {
            s.redis_url = Some(Secret::new(redis_url()));
            s.reports.embedded_worker = Some(true);
            // Rate-limit counters of their own (cleaned with the prefix):
            // the shared ones also count every other test's sign-ups.
            s.rate_limits.key_prefix = format!("{}:rl", s.reports.redis_prefix);
        }
        tune(s);
    })
    .await
}

fn port(app: &TestApp) -> u16 {
    app.address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port")
}

async fn suggestions_of(app: &TestApp, token: &str, id: &str) -> Value {
    app.ok(SUGGESTIONS, json!({ "id": id }), token).await["logEntry"].clone()
}

/// Polls until the entry has suggestions (the subscription test does not
/// poll; the others only need the end state).
pub(crate) async fn wait_for_suggestions(app: &TestApp, token: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let entry = suggestions_of(app, token, id).await;
        if entry["suggestions"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
        {
            return entry;
        }
        assert!(Instant::now() < deadline, "no suggestions came: {entry}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn field<'a>(entry: &'a Value, name: &str) -> Option<&'a Value> {
    entry["suggestions"]
        .as_array()?
        .iter()
        .find(|s| s["field"] == name)
}

/// Acceptance 1: an entry with only a title gets suggestions from one job,
/// pushed over the subscription; accepting one changes that field only.
async fn an_entry_with_only_a_title_gets_suggestions_and_accepting_one_changes_only_it(
    backend: Backend,
) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("enrich@example.com").await;
    let api = app.create_project(&me.access, "API").await;
    let mut sub = ws::connect(
        port(&app),
        json!({ "Authorization": format!("Bearer {}", me.access) }),
    )
    .await
    .expect("subscription connects");
    sub.subscribe(
        "1",
        "subscription { entrySuggestions { entryId suggestions { field status projectName } } }",
        json!({}),
    )
    .await;
    // Let the subscription reach the server before anything happens.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let entry = app
        .create_entry(&me.access, json!({ "title": "Fixed the flaky login test" }))
        .await;
    let id = entry["id"].as_str().unwrap().to_owned();

    let pushed = sub.next(Duration::from_secs(30)).await.expect("pushed");
    let update = &pushed["data"]["entrySuggestions"];
    assert_eq!(update["entryId"], id.as_str(), "{pushed}");
    let fields: Vec<&str> = update["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"PROJECT") && fields.contains(&"SENTIMENT"),
        "{fields:?}"
    );
    assert_eq!(ollama.count(ENRICH), 1, "one job, one run");
    // Structured output was asked for with a schema naming the projects.
    let format = ollama.formats()[0].clone().expect("format sent");
    assert_eq!(
        format["properties"]["project"]["properties"]["value"]["enum"][0],
        "API"
    );

    let stored = suggestions_of(&app, &me.access, &id).await;
    // Nothing of the entry changed by itself.
    assert_eq!(stored["projectId"], Value::Null);
    assert_eq!(stored["activityType"], "CODE");
    assert_eq!(stored["valueRating"], "MEDIUM");
    let project = field(&stored, "PROJECT").expect("project suggested");
    assert_eq!(project["projectId"], api.as_str());
    assert_eq!(project["status"], "PENDING");
    assert!(!project["reason"].as_str().unwrap().is_empty());
    // The foreign tag and unknown skill were left out.
    assert_eq!(field(&stored, "TAGS").unwrap()["tags"], json!(["testing"]));
    assert_eq!(
        field(&stored, "SKILLS").unwrap()["skills"],
        json!(["debugging"])
    );
    let sentiment = field(&stored, "SENTIMENT").unwrap();
    assert_eq!(sentiment["sentiment"], "SATISFIED");
    assert_eq!(sentiment["sentimentScore"], 0.6);

    let accepted = app
        .ok(ACCEPT, json!({ "id": id, "f": "PROJECT" }), &me.access)
        .await["acceptSuggestion"]
        .clone();
    assert_eq!(accepted["project"]["name"], "API");
    assert_eq!(accepted["title"], "Fixed the flaky login test");
    assert_eq!(accepted["activityType"], "CODE", "other fields untouched");
    assert_eq!(accepted["valueRating"], "MEDIUM");
    assert_eq!(accepted["tags"], json!([]));
    let statuses: Vec<(String, String)> = accepted["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["field"].as_str().unwrap().into(),
                s["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(statuses.contains(&("PROJECT".into(), "ACCEPTED".into())));
    assert!(statuses.contains(&("TAGS".into(), "PENDING".into())));

    // Dismiss one, accept the rest: the dismissed field stays as it was.
    app.ok(
        "mutation($id: UUID!) { dismissSuggestion(entryId: $id, field: VALUE_RATING) { id } }",
        json!({ "id": id }),
        &me.access,
    )
    .await;
    let all = app
        .ok(
            "mutation($id: UUID!) { acceptAllSuggestions(entryId: $id) { activityType tags valueRating impactLevel } }",
            json!({ "id": id }),
            &me.access,
        )
        .await["acceptAllSuggestions"]
        .clone();
    assert_eq!(all["activityType"], "DEBUG");
    assert_eq!(all["tags"], json!(["testing"]));
    assert_eq!(all["impactLevel"], "TEAM");
    assert_eq!(all["valueRating"], "MEDIUM", "dismissed, so unchanged");

    // Another person can neither see nor act on these suggestions.
    let other = app.register("other@example.com").await;
    let body = app
        .graphql(
            ACCEPT,
            json!({ "id": id, "f": "TAGS" }),
            Some(&other.access),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
}

/// Acceptance 2: malformed and schema-breaking answers are retried, then
/// dropped; other entries are enriched meanwhile; a project or tag that is
/// not the person's never gets stored.
async fn bad_model_output_is_retried_then_dropped_and_foreign_values_never_stored(
    backend: Backend,
) {
    let breaking = answer("API")
        .to_string()
        .replace("\"satisfied\"", "\"ecstatic\"");
    let ollama = FakeOllama::start(vec![Reply::route(
        "Title: Malformed",
        Reply::Malformed,
        Reply::route(
            "Title: Breaks the schema",
            Reply::Answer(breaking),
            Reply::route(ENRICH, Reply::json(answer("Their project")), report_reply()),
        ),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("bad@example.com").await;
    app.create_project(&me.access, "API").await;
    let malformed = app
        .create_entry(&me.access, json!({ "title": "Malformed" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let breaks = app
        .create_entry(&me.access, json!({ "title": "Breaks the schema" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let fine = app
        .create_entry(&me.access, json!({ "title": "Fine entry" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let enriched = wait_for_suggestions(&app, &me.access, &fine).await;
    // The model named a project the person does not have: left out.
    assert!(field(&enriched, "PROJECT").is_none(), "{enriched}");
    assert_eq!(
        field(&enriched, "TAGS").unwrap()["tags"],
        json!(["testing"])
    );

    // test settings: two attempts per job, then dropped.
    let deadline = Instant::now() + Duration::from_secs(30);
    while ollama.count("Title: Malformed") < 2 || ollama.count("Title: Breaks the schema") < 2 {
        assert!(Instant::now() < deadline, "bad answers were not retried");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A report requested now still runs: nothing was blocked.
    let insight = app
        .ok(
            "mutation { requestInsight(input: { reportType: WEEKLY, periodStart: \"2026-03-02\", periodEnd: \"2026-03-08\" }) { id } }",
            json!({}),
            &me.access,
        )
        .await["requestInsight"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_for_report(&app, &me.access, &insight).await;
    assert_eq!(
        ollama.count("Title: Malformed"),
        2,
        "dropped, not retried forever"
    );
    assert_eq!(ollama.count("Title: Breaks the schema"), 2);
    for id in [&malformed, &breaks] {
        let entry = suggestions_of(&app, &me.access, id).await;
        assert_eq!(entry["suggestions"], json!([]), "{entry}");
    }

    if matches!(backend, Backend::Postgres) {
        forged_results_are_filtered_by_the_api(&app, &me, &fine).await;
    }
}

/// A result that skipped the worker's checks (forged straight onto the
/// event stream) naming another person's project and tag: the API stores
/// neither.
async fn forged_results_are_filtered_by_the_api(app: &TestApp, me: &Session, entry_id: &str) {
    let token = me.access.as_str();
    let stranger = app.register("stranger@example.com").await;
    let their_project = app.create_project(&stranger.access, "Secret").await;
    app.create_entry(
        &stranger.access,
        json!({ "title": "x", "tags": ["their-private-tag"] }),
    )
    .await;
    let broker = RedisBroker::connect(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        BrokerTiming::default(),
    )
    .await
    .expect("redis");
    let entry_uuid: Uuid = entry_id.parse().unwrap();
    let me: Uuid = me.user_id.parse().unwrap();
    let output = EnrichmentOutput {
        entry_id: entry_uuid,
        text_hash: text_hash("Fine entry", None),
        batch_id: None,
        model: "forged".into(),
        suggestions: vec![
            FieldSuggestion {
                field: SuggestionField::Project,
                value: json!({ "id": their_project, "name": "Secret" }),
                reason: "forged".into(),
            },
            FieldSuggestion {
                field: SuggestionField::Tags,
                value: json!(["their-private-tag"]),
                reason: "forged".into(),
            },
            FieldSuggestion {
                field: SuggestionField::ActivityType,
                value: json!("review"),
                reason: "forged but harmless".into(),
            },
        ],
    };
    broker
        .publish_event(&JobEventEnvelope {
            job_id: Uuid::now_v7(),
            insight_id: Uuid::nil(),
            entry_id: Some(entry_uuid),
            user_id: me,
            at: chrono::Utc::now(),
            event: JobEvent::Enriched {
                output: Box::new(output),
            },
        })
        .await
        .unwrap();
    // The harmless part arriving shows the event was applied.
    let deadline = Instant::now() + Duration::from_secs(30);
    let entry = loop {
        let entry = suggestions_of(app, token, entry_id).await;
        if field(&entry, "ACTIVITY_TYPE").is_some_and(|s| s["activityType"] == "REVIEW") {
            break entry;
        }
        assert!(
            Instant::now() < deadline,
            "forged event never applied: {entry}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(field(&entry, "PROJECT").is_none(), "{entry}");
    assert!(field(&entry, "TAGS").is_none(), "{entry}");
}

pub async fn wait_for_report(app: &TestApp, token: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let data = app
            .ok(
                "query($id: UUID!) { insight(id: $id) { status error sections { heading body } } }",
                json!({ "id": id }),
                token,
            )
            .await;
        let status = data["insight"]["status"].as_str().unwrap_or_default();
        if status == "SUCCEEDED" {
            return data["insight"].clone();
        }
        assert!(status != "FAILED", "report failed: {data}");
        assert!(Instant::now() < deadline, "report never finished: {data}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Acceptance 3: ten rapid edits of one entry cost at most two model runs,
/// and the suggestions kept are for the final text.
async fn ten_rapid_edits_cause_at_most_two_enrichment_runs(backend: Backend) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    // Edits arrive well within the debounce, however slow the machine.
    let app = app(backend, &ollama, |s| {
        s.reports.enrichment_debounce_ms = 1_500
    })
    .await;
    let me = app.register("edits@example.com").await;
    let id = app
        .create_entry(&me.access, json!({ "title": "Draft 0" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for n in 1..=10 {
        app.ok(
            UPDATE,
            json!({ "id": id, "i": { "title": format!("Draft {n}") } }),
            &me.access,
        )
        .await;
    }
    // An edit that leaves the text alone asks for nothing.
    app.ok(
        UPDATE,
        json!({ "id": id, "i": { "valueRating": "HIGH" } }),
        &me.access,
    )
    .await;
    // Suggestions are stored only for the entry's current text, so once
    // they exist the run for "Draft 10" has happened.
    let entry = wait_for_suggestions(&app, &me.access, &id).await;
    assert_eq!(entry["title"], "Draft 10");
    let runs: Vec<String> = ollama
        .prompts()
        .into_iter()
        .filter(|p| p.contains(ENRICH))
        .collect();
    assert!(
        (1..=2).contains(&runs.len()),
        "{} runs for ten edits",
        runs.len()
    );
    assert!(runs.last().unwrap().contains("Title: Draft 10"));
}

/// Acceptance 4: sentiment and skills trends for a period, and the weekly
/// report's "Energy and growth" section when (and only when) data exists.
async fn trends_answer_for_a_period_and_the_report_covers_energy_and_growth(backend: Backend) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("trends@example.com").await;
    let mut ids = Vec::new();
    // Europe/Paris: 23:30 UTC on the 2nd is the 3rd locally.
    for (title, start, end) in [
        (
            "Fixed login",
            "2026-03-02T09:00:00Z",
            "2026-03-02T10:00:00Z",
        ),
        ("Late fix", "2026-03-02T23:30:00Z", "2026-03-03T00:15:00Z"),
        (
            "Outside the week",
            "2026-03-20T09:00:00Z",
            "2026-03-20T10:00:00Z",
        ),
    ] {
        let e = app
            .create_entry(
                &me.access,
                json!({ "title": title, "startTime": start, "endTime": end }),
            )
            .await;
        ids.push(e["id"].as_str().unwrap().to_owned());
    }
    for id in &ids {
        wait_for_suggestions(&app, &me.access, id).await;
    }
    let period = json!({ "p": { "from": "2026-03-02", "to": "2026-03-08" } });
    let trend = app
        .ok(
            "query($p: PeriodInput!) { sentimentTrend(period: $p) { date entries averageScore counts { sentiment entries } } skillsTrend(period: $p) { skill entries days { date entries } } }",
            period.clone(),
            &me.access,
        )
        .await;
    assert_eq!(
        trend["sentimentTrend"],
        json!([
            { "date": "2026-03-02", "entries": 1, "averageScore": 0.6,
              "counts": [{ "sentiment": "SATISFIED", "entries": 1 }] },
            { "date": "2026-03-03", "entries": 1, "averageScore": 0.6,
              "counts": [{ "sentiment": "SATISFIED", "entries": 1 }] },
        ])
    );
    assert_eq!(
        trend["skillsTrend"],
        json!([{ "skill": "debugging", "entries": 2, "days": [
            { "date": "2026-03-02", "entries": 1 }, { "date": "2026-03-03", "entries": 1 }
        ] }])
    );
    // Dismissed readings leave the trend.
    app.ok(
        "mutation($id: UUID!) { dismissAllSuggestions(entryId: $id) { id } }",
        json!({ "id": ids[1] }),
        &me.access,
    )
    .await;
    let after = app
        .ok(
            "query($p: PeriodInput!) { sentimentTrend(period: $p) { date } }",
            period,
            &me.access,
        )
        .await;
    assert_eq!(after["sentimentTrend"], json!([{ "date": "2026-03-02" }]));

    let insight = app
        .ok(
            "mutation { requestInsight(input: { reportType: WEEKLY, periodStart: \"2026-03-02\", periodEnd: \"2026-03-08\" }) { id } }",
            json!({}),
            &me.access,
        )
        .await["requestInsight"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let report = wait_for_report(&app, &me.access, &insight).await;
    let prompt = ollama
        .prompts()
        .into_iter()
        .find(|p| p.contains(REPORT))
        .expect("report prompt");
    assert!(prompt.contains("## Energy and growth data"), "{prompt}");
    assert!(prompt.contains("Felt satisfied: 1 activities"), "{prompt}");
    assert!(
        prompt.contains("Skill debugging: exercised in 1 activities [E1]"),
        "{prompt}"
    );
    assert!(prompt.contains("9. Energy and growth"));
    let headings: Vec<&str> = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["heading"].as_str().unwrap())
        .collect();
    assert_eq!(headings, vec!["Key accomplishments", "Energy and growth"]);

    // Without readings (enrichment turned off by preference), no section.
    let quiet = app.register("quiet@example.com").await;
    app.ok(
        "mutation { updatePreferences(input: { autoEnrich: false }) { preferences { autoEnrich } } }",
        json!({}),
        &quiet.access,
    )
    .await;
    app.create_entry(&quiet.access, json!({ "title": "Quiet work" }))
        .await;
    let quiet_report = app
        .ok(
            "mutation { requestInsight(input: { reportType: WEEKLY, periodStart: \"2026-03-02\", periodEnd: \"2026-03-08\" }) { id } }",
            json!({}),
            &quiet.access,
        )
        .await["requestInsight"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_for_report(&app, &quiet.access, &quiet_report).await;
    let quiet_prompt = ollama
        .prompts()
        .into_iter()
        .find(|p| p.contains(REPORT) && p.contains("Quiet work"))
        .expect("second report prompt");
    assert!(
        !quiet_prompt.contains("Energy and growth"),
        "{quiet_prompt}"
    );
    assert!(
        !ollama
            .prompts()
            .iter()
            .any(|p| p.contains(ENRICH) && p.contains("Quiet work")),
        "autoEnrich off: no enrichment"
    );
}

/// Bulk: `enrichEntries` for imported history, with progress pushed until
/// every entry is done.
async fn a_period_is_enriched_in_bulk_with_live_progress(backend: Backend) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("bulk@example.com").await;
    app.ok(
        "mutation { updatePreferences(input: { autoEnrich: false }) { preferences { autoEnrich } } }",
        json!({}),
        &me.access,
    )
    .await;
    let mut ids = Vec::new();
    for day in 2..=4 {
        let e = app
            .create_entry(
                &me.access,
                json!({ "title": format!("Imported {day}"),
                        "startTime": format!("2026-03-0{day}T09:00:00Z"),
                        "endTime": format!("2026-03-0{day}T10:00:00Z") }),
            )
            .await;
        ids.push(e["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ollama.count(ENRICH), 0);
    let batch = app
        .ok(
            "mutation { enrichEntries(period: { from: \"2026-03-01\", to: \"2026-03-31\" }) { id total done } }",
            json!({}),
            &me.access,
        )
        .await["enrichEntries"]
        .clone();
    assert_eq!(batch["total"], 3);
    let mut sub = ws::connect(
        port(&app),
        json!({ "Authorization": format!("Bearer {}", me.access) }),
    )
    .await
    .expect("connects");
    sub.subscribe(
        "p",
        "subscription($b: UUID!) { enrichmentProgress(batchId: $b) { done total } }",
        json!({ "b": batch["id"] }),
    )
    .await;
    let mut seen = Vec::new();
    while let Some(payload) = sub.next(Duration::from_secs(30)).await {
        let p = payload["data"]["enrichmentProgress"].clone();
        assert!(!p.is_null(), "{payload}");
        seen.push(p["done"].as_i64().unwrap());
        if p["done"] == p["total"] {
            break;
        }
    }
    assert_eq!(seen.last(), Some(&3), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    for id in &ids {
        let entry = suggestions_of(&app, &me.access, id).await;
        assert!(field(&entry, "SENTIMENT").is_some(), "{entry}");
    }
    // A second run finds nothing left to do.
    let again = app
        .ok(
            "mutation { enrichEntries(period: { from: \"2026-03-01\", to: \"2026-03-31\" }) { total } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(again["enrichEntries"]["total"], 0);
}

/// The skills vocabulary: defaults, added and removed per person, bad
/// names refused.
#[tokio::test]
async fn each_person_keeps_their_own_skills_vocabulary() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("skills@example.com").await;
    let other = app.register("skills2@example.com").await;
    let skills = app.ok("{ skills }", json!({}), &me.access).await["skills"].clone();
    assert!(skills.as_array().unwrap().contains(&json!("debugging")));
    let added = app
        .ok(
            "mutation { addSkill(name: \"  Incident Command \") }",
            json!({}),
            &me.access,
        )
        .await["addSkill"]
        .clone();
    assert!(
        added
            .as_array()
            .unwrap()
            .contains(&json!("incident command"))
    );
    let removed = app
        .ok(
            "mutation { removeSkill(name: \"debugging\") }",
            json!({}),
            &me.access,
        )
        .await["removeSkill"]
        .clone();
    assert!(!removed.as_array().unwrap().contains(&json!("debugging")));
    let theirs = app.ok("{ skills }", json!({}), &other.access).await["skills"].clone();
    assert!(theirs.as_array().unwrap().contains(&json!("debugging")));
    assert!(
        !theirs
            .as_array()
            .unwrap()
            .contains(&json!("incident command"))
    );
    refused(
        &app,
        "mutation { addSkill(name: \"   \") }",
        &me.access,
        "VALIDATION",
    )
    .await;
    refused(
        &app,
        "mutation { removeSkill(name: \"never-had-it\") }",
        &me.access,
        "NOT_FOUND",
    )
    .await;
    refused(
        &app,
        "query { sentimentTrend(period: { from: \"2026-03-08\", to: \"2026-03-01\" }) { date } }",
        &me.access,
        "VALIDATION",
    )
    .await;
}

/// Sends an operation that must fail with `code`.
async fn refused(app: &TestApp, query: &str, token: &str, code: &str) {
    let body = app.graphql(query, json!({}), Some(token)).await;
    assert_eq!(error_code(&body), code, "{query}");
}

macro_rules! on_both_shapes {
    ($($name:ident),+ $(,)?) => { $(
        mod $name {
            use crate::helpers::Backend;
            /// The embedded shape: SQLite and the in-process broker.
            #[tokio::test]
            async fn sqlite_in_process() { super::$name(Backend::Sqlite).await }
            /// PostgreSQL and Redis Streams.
            #[tokio::test]
            async fn postgres_redis() { super::$name(Backend::Postgres).await }
        }
    )+ };
}

on_both_shapes!(
    an_entry_with_only_a_title_gets_suggestions_and_accepting_one_changes_only_it,
    bad_model_output_is_retried_then_dropped_and_foreign_values_never_stored,
    ten_rapid_edits_cause_at_most_two_enrichment_runs,
    trends_answer_for_a_period_and_the_report_covers_energy_and_growth,
    a_period_is_enriched_in_bulk_with_live_progress,
);

/// The two-box shape: the separate `englog-worker` process takes
/// enrichment jobs from the low-priority Redis stream.
#[tokio::test]
async fn a_separate_worker_process_enriches_entries() {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(Backend::Postgres, &ollama, |s| {
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let _worker = crate::processes::spawn_worker(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
    );
    let me = app.register("two-box@example.com").await;
    app.create_project(&me.access, "API").await;
    let id = app
        .create_entry(&me.access, json!({ "title": "Paired on the login bug" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let entry = wait_for_suggestions(&app, &me.access, &id).await;
    assert_eq!(field(&entry, "PROJECT").unwrap()["projectName"], "API");
    assert_eq!(ollama.count(ENRICH), 1);
}
