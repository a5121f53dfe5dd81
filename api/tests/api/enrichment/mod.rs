//! Entry enrichment end to end: entries written through GraphQL, jobs
//! through the outbox and the broker (in-process on SQLite, Redis beside
//! PostgreSQL), a worker asking the fake Ollama for structured output,
//! suggestions stored, pushed over `/graphql/ws`, accepted and dismissed;
//! trends and the report's "Energy and growth" section.

use englog_api::config::{Secret, Settings};
use englog_core::JobKind;
use englog_core::enrichment::{EnrichmentOutput, FieldSuggestion, SuggestionField, text_hash};
use englog_core::jobs::{JobEvent, JobEventEnvelope, JobSubject};
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

mod backlog;
mod bulk;
mod coalescing;
mod no_job_memo;
mod skills;
mod suggestions;
mod trends;
mod worker_process;
