//! The contracts between the API and the worker. Everything a report needs
//! travels in the job, everything produced travels back as events: the
//! worker never reads the database (brief §3).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{ActivityType, ImpactLevel, ReportType, ValueRating};

/// Version of the job/event wire format; bumped on incompatible changes.
pub const CONTRACT_VERSION: u32 = 1;

/// One entry as the report sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntrySnapshot {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityType,
    /// The project's id, so report totals group like the dashboard's.
    #[serde(default)]
    pub project_id: Option<Uuid>,
    pub project: Option<String>,
    pub tags: Vec<String>,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub duration_minutes: i32,
    pub value_rating: ValueRating,
    pub impact_level: ImpactLevel,
}

/// A report to write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportJob {
    pub version: u32,
    pub job_id: Uuid,
    pub insight_id: Uuid,
    pub user_id: Uuid,
    pub report_type: ReportType,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// IANA name; times in the prompt are local to it.
    pub timezone: String,
    /// BCP 47 language of the report.
    pub language: String,
    pub focus_areas: Vec<String>,
    pub entries: Vec<EntrySnapshot>,
    /// Where to mail the finished report, when the person opted in.
    pub notify_email: Option<String>,
    /// 1 for the first delivery; the broker increments it on retry.
    pub attempt: u32,
}

/// A statement of the report and the entries it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    pub statement: String,
    pub entry_ids: Vec<Uuid>,
}

/// What a finished report carries back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportOutput {
    pub content: String,
    /// Markdown sections by heading, in order.
    pub sections: Vec<ReportSection>,
    pub metrics: serde_json::Value,
    pub citations: Vec<Citation>,
    /// Citation markers naming no entry of the period, removed from the text.
    pub invented_citations: u32,
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub generation_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSection {
    pub heading: String,
    pub body: String,
}

/// Progress and outcome of a job, sent by the worker to the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobEvent {
    Started {
        attempt: u32,
    },
    /// New text of the report (only the part not sent before).
    Delta {
        text: String,
    },
    /// The attempt failed and the job will be tried again.
    Retrying {
        attempt: u32,
        reason: String,
    },
    Succeeded {
        output: Box<ReportOutput>,
    },
    Failed {
        reason: String,
    },
}

impl JobEvent {
    /// Whether nothing can follow this event for the job.
    pub fn is_terminal(&self) -> bool {
        matches!(self, JobEvent::Succeeded { .. } | JobEvent::Failed { .. })
    }
}

/// An event with the job and insight it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobEventEnvelope {
    pub job_id: Uuid,
    pub insight_id: Uuid,
    pub user_id: Uuid,
    pub at: DateTime<Utc>,
    pub event: JobEvent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_travel_as_tagged_json() {
        let event = JobEvent::Delta { text: "hi".into() };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json, serde_json::json!({ "kind": "delta", "text": "hi" }));
        let back: JobEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
        assert!(!back.is_terminal());
        assert!(JobEvent::Failed { reason: "x".into() }.is_terminal());
    }
}
