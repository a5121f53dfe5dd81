//! Brokers for tests: each Redis one under its own key prefix, deleted when
//! dropped.

use chrono::{Duration as ChronoDuration, TimeZone, Utc};
use englog_core::jobs::{CONTRACT_VERSION, EntrySnapshot, ReportJob};
use englog_core::{ActivityType, ImpactLevel, ReportType, ValueRating};
use englog_worker::broker::{Broker, BrokerTiming, MemoryBroker, RedisBroker};
use std::time::Duration;
use uuid::Uuid;

pub fn redis_url() -> String {
    std::env::var("ENGLOG_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Deletes every key under the prefix when dropped.
pub struct PrefixGuard(pub String);

impl Drop for PrefixGuard {
    fn drop(&mut self) {
        if let Ok(client) = redis::Client::open(redis_url())
            && let Ok(mut conn) = client.get_connection()
        {
            let keys: Vec<String> = redis::cmd("KEYS")
                .arg(format!("{}:*", self.0))
                .query(&mut conn)
                .unwrap_or_default();
            if !keys.is_empty() {
                let _: Result<(), _> = redis::cmd("DEL").arg(keys).query(&mut conn);
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Memory,
    Redis,
}

pub async fn broker(kind: Kind, reclaim_after: Duration) -> (Broker, Option<PrefixGuard>) {
    let timing = BrokerTiming { reclaim_after };
    match kind {
        Kind::Memory => (Broker::Memory(MemoryBroker::new(timing)), None),
        Kind::Redis => {
            let prefix = format!("englog_test_{}", Uuid::new_v4().simple());
            let broker = RedisBroker::connect(&redis_url(), &prefix, timing)
                .await
                .expect("Redis for tests (is it running?)");
            (Broker::Redis(broker), Some(PrefixGuard(prefix)))
        }
    }
}

pub fn entry(n: u32, value: ValueRating, impact: ImpactLevel) -> EntrySnapshot {
    let start =
        Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap() + ChronoDuration::hours(i64::from(n));
    EntrySnapshot {
        project_id: None,
        id: Uuid::from_u128(u128::from(n) + 100),
        title: format!("Task {n}"),
        description: None,
        activity_type: ActivityType::Code,
        project: Some("API".into()),
        tags: vec![],
        start_time: start,
        end_time: start + ChronoDuration::minutes(45),
        duration_minutes: 45,
        value_rating: value,
        impact_level: impact,
    }
}

pub fn job(entries: Vec<EntrySnapshot>) -> ReportJob {
    ReportJob {
        version: CONTRACT_VERSION,
        job_id: Uuid::now_v7(),
        insight_id: Uuid::now_v7(),
        user_id: Uuid::now_v7(),
        report_type: ReportType::Weekly,
        period_start: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        period_end: chrono::NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(),
        timezone: "Europe/Paris".into(),
        language: "en".into(),
        focus_areas: vec![],
        entries,
        notify_email: None,
        attempt: 1,
        signals: vec![],
        traceparent: None,
        model_wait_since: None,
    }
}

/// An enrichment job for an entry titled `title`, for a person with one
/// project ("API"), two tags and a small skills vocabulary.
pub fn enrichment_job(title: &str) -> englog_core::enrichment::EnrichmentJob {
    use englog_core::enrichment::{EnrichmentEntry, EnrichmentJob, NamedProject, text_hash};
    EnrichmentJob {
        version: CONTRACT_VERSION,
        job_id: Uuid::now_v7(),
        user_id: Uuid::now_v7(),
        entry: EnrichmentEntry {
            id: Uuid::now_v7(),
            title: title.into(),
            description: None,
        },
        text_hash: text_hash(title, None),
        projects: vec![NamedProject {
            id: Uuid::from_u128(42),
            name: "API".into(),
        }],
        tags: vec!["testing".into(), "auth".into()],
        skills: vec!["debugging".into(), "testing".into()],
        batch_id: None,
        attempt: 1,
        model_wait_since: None,
    }
}

/// A model answer that follows the enrichment schema; `project` as named.
pub fn valid_answer(project: &str) -> serde_json::Value {
    serde_json::json!({
        "activity_type": { "value": "debug", "reason": "It fixes a failing test." },
        "project": { "value": project, "reason": "Login lives in the API." },
        "tags": { "value": ["testing", "not-mine"], "reason": "About tests." },
        "value_rating": { "value": "high", "reason": "Unblocks the pipeline." },
        "impact_level": { "value": "team", "reason": "Everyone runs CI." },
        "sentiment": { "value": "satisfied", "score": 0.6, "reason": "A fix landed." },
        "skills": { "value": ["debugging"], "reason": "Chasing a flaky test." }
    })
}
