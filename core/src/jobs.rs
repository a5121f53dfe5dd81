//! The contracts between the API and the worker. Everything a report needs
//! travels in the job, everything produced travels back as events: the
//! worker never reads the database (brief §3).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{ActivityType, ImpactLevel, JobKind, ReportType, ValueRating};

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
    /// Sentiment and skills read from the period's entries (enrichment);
    /// empty when none: the report then has no "Energy and growth" section.
    #[serde(default)]
    pub signals: Vec<EntrySignal>,
    /// W3C trace context of the request that asked for the report, so its
    /// trace continues in the worker (absent when traces are off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
    /// When a worker first found the model service unreachable for this
    /// job; while it is, the job waits without spending attempts, up to
    /// the worker's patience (absent: never waited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_wait_since: Option<DateTime<Utc>>,
}

/// The energy and growth signals of one entry, for the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntrySignal {
    pub entry_id: Uuid,
    pub sentiment: Option<crate::enrichment::Sentiment>,
    pub sentiment_score: Option<f64>,
    pub skills: Vec<String>,
}

/// Whether a job may wait for others: reports are read first, enrichment
/// only when no report is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    High,
    Low,
}

/// One unit of work for a worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    Report(ReportJob),
    Enrichment(crate::enrichment::EnrichmentJob),
}

impl<'de> Deserialize<'de> for Job {
    /// Payloads written before job kinds existed carry no `kind`: they are
    /// reports.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut value = serde_json::Value::deserialize(d)?;
        let kind = value
            .as_object_mut()
            .and_then(|m| m.remove("kind"))
            .and_then(|k| k.as_str().map(str::to_owned));
        match kind.as_deref() {
            None | Some("report") => serde_json::from_value(value)
                .map(Job::Report)
                .map_err(D::Error::custom),
            Some("enrichment") => serde_json::from_value(value)
                .map(Job::Enrichment)
                .map_err(D::Error::custom),
            Some(other) => Err(D::Error::custom(format!("unknown job kind `{other}`"))),
        }
    }
}

/// What a job is about: the API routes each of its events by it. A new
/// job kind whose results land somewhere new adds a variant here and one
/// routing arm in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum JobSubject {
    /// A report (`insights` row).
    Insight(Uuid),
    /// One journal entry.
    Entry(Uuid),
}

impl Job {
    pub fn kind(&self) -> JobKind {
        match self {
            Job::Report(_) => JobKind::Report,
            Job::Enrichment(_) => JobKind::Enrichment,
        }
    }

    pub fn subject(&self) -> JobSubject {
        match self {
            Job::Report(j) => JobSubject::Insight(j.insight_id),
            Job::Enrichment(j) => JobSubject::Entry(j.entry.id),
        }
    }

    /// When a worker first found the model service unreachable for this
    /// job, if it did.
    pub fn model_wait_since(&self) -> Option<DateTime<Utc>> {
        match self {
            Job::Report(j) => j.model_wait_since,
            Job::Enrichment(j) => j.model_wait_since,
        }
    }

    /// The same attempt again, marked as waiting for the model service
    /// (since the first wait, or `now`).
    pub fn waiting_for_model(&self, now: DateTime<Utc>) -> Job {
        let since = Some(self.model_wait_since().unwrap_or(now));
        match self {
            Job::Report(j) => Job::Report(ReportJob {
                model_wait_since: since,
                ..j.clone()
            }),
            Job::Enrichment(j) => Job::Enrichment(crate::enrichment::EnrichmentJob {
                model_wait_since: since,
                ..j.clone()
            }),
        }
    }

    /// W3C trace context of the request that wrote the job, if any.
    pub fn traceparent(&self) -> Option<&str> {
        match self {
            Job::Report(j) => j.traceparent.as_deref(),
            Job::Enrichment(_) => None,
        }
    }

    pub fn job_id(&self) -> Uuid {
        match self {
            Job::Report(j) => j.job_id,
            Job::Enrichment(j) => j.job_id,
        }
    }

    pub fn user_id(&self) -> Uuid {
        match self {
            Job::Report(j) => j.user_id,
            Job::Enrichment(j) => j.user_id,
        }
    }

    pub fn attempt(&self) -> u32 {
        match self {
            Job::Report(j) => j.attempt,
            Job::Enrichment(j) => j.attempt,
        }
    }

    /// The same job, for its next attempt.
    pub fn next_attempt(&self) -> Job {
        match self {
            Job::Report(j) => Job::Report(ReportJob {
                attempt: j.attempt + 1,
                ..j.clone()
            }),
            Job::Enrichment(j) => Job::Enrichment(crate::enrichment::EnrichmentJob {
                attempt: j.attempt + 1,
                ..j.clone()
            }),
        }
    }

    pub fn priority(&self) -> Priority {
        match self {
            Job::Report(_) => Priority::High,
            Job::Enrichment(_) => Priority::Low,
        }
    }

    /// The envelope of an event about this job.
    pub fn envelope(&self, event: JobEvent) -> JobEventEnvelope {
        JobEventEnvelope {
            job_id: self.job_id(),
            kind: self.kind(),
            subject: self.subject(),
            user_id: self.user_id(),
            at: Utc::now(),
            event,
            traceparent: None,
        }
    }
}

/// A statement of the report and the entries it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    pub statement: String,
    pub entry_ids: Vec<Uuid>,
    /// The `[En]` number of each of `entry_ids`, in the same order, so an
    /// export can list its sources by marker (empty in reports written
    /// before markers were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<u32>,
}

impl Citation {
    /// Keeps the entries `keep` accepts, with their markers.
    pub fn retain_entries(&mut self, keep: impl Fn(&Uuid) -> bool) {
        let paired = self.markers.len() == self.entry_ids.len();
        let mut markers = std::mem::take(&mut self.markers).into_iter();
        let mut kept_markers = Vec::new();
        self.entry_ids.retain(|id| {
            let marker = if paired { markers.next() } else { None };
            let kept = keep(id);
            if let (true, Some(m)) = (kept, marker) {
                kept_markers.push(m);
            }
            kept
        });
        self.markers = kept_markers;
    }
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
    /// The quality gate's reservations about a report it let through, as
    /// sentences the person reads beside the report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
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
    /// Suggestions for an entry, already checked against the schema.
    Enriched {
        output: Box<crate::enrichment::EnrichmentOutput>,
    },
    Failed {
        reason: String,
    },
}

impl JobEvent {
    /// The event's name in metrics (`englog_job_events_total{event}`): a
    /// result of any kind is `succeeded`; streamed text has none.
    pub fn metric_name(&self) -> Option<&'static str> {
        Some(match self {
            JobEvent::Started { .. } => "started",
            JobEvent::Retrying { .. } => "retrying",
            JobEvent::Succeeded { .. } | JobEvent::Enriched { .. } => "succeeded",
            JobEvent::Failed { .. } => "failed",
            JobEvent::Delta { .. } => return None,
        })
    }

    /// Whether nothing can follow this event for the job.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            JobEvent::Succeeded { .. } | JobEvent::Enriched { .. } | JobEvent::Failed { .. }
        )
    }
}

/// An event with the job and the subject it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "WireEnvelope")]
pub struct JobEventEnvelope {
    pub job_id: Uuid,
    pub kind: JobKind,
    pub subject: JobSubject,
    pub user_id: Uuid,
    pub at: DateTime<Utc>,
    pub event: JobEvent,
    /// W3C trace context of the worker's span that sent the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
}

/// An envelope as read from the wire, also in the form workers wrote
/// before subjects (`insight_id`, nil for enrichment, plus `entry_id`), so
/// events in flight during an upgrade are still applied.
#[derive(Deserialize)]
struct WireEnvelope {
    job_id: Uuid,
    #[serde(default)]
    kind: Option<JobKind>,
    #[serde(default)]
    subject: Option<JobSubject>,
    #[serde(default)]
    insight_id: Option<Uuid>,
    #[serde(default)]
    entry_id: Option<Uuid>,
    user_id: Uuid,
    at: DateTime<Utc>,
    event: JobEvent,
    #[serde(default)]
    traceparent: Option<String>,
}

impl TryFrom<WireEnvelope> for JobEventEnvelope {
    type Error = String;

    fn try_from(w: WireEnvelope) -> Result<Self, Self::Error> {
        let subject = match (w.subject, w.entry_id, w.insight_id) {
            (Some(subject), _, _) => subject,
            (None, Some(entry), _) => JobSubject::Entry(entry),
            (None, None, Some(insight)) => JobSubject::Insight(insight),
            (None, None, None) => return Err("a job event without a subject".into()),
        };
        let kind = w.kind.unwrap_or(match subject {
            JobSubject::Insight(_) => JobKind::Report,
            JobSubject::Entry(_) => JobKind::Enrichment,
        });
        Ok(JobEventEnvelope {
            job_id: w.job_id,
            kind,
            subject,
            user_id: w.user_id,
            at: w.at,
            event: w.event,
            traceparent: w.traceparent,
        })
    }
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

    #[test]
    fn a_report_payload_without_a_kind_still_decodes() {
        let job = ReportJob {
            version: CONTRACT_VERSION,
            job_id: Uuid::nil(),
            insight_id: Uuid::nil(),
            user_id: Uuid::nil(),
            report_type: ReportType::Weekly,
            period_start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            period_end: NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(),
            timezone: "UTC".into(),
            language: "en".into(),
            focus_areas: vec![],
            entries: vec![],
            notify_email: None,
            attempt: 1,
            signals: vec![],
            traceparent: None,
            model_wait_since: None,
        };
        let mut old = serde_json::to_value(&job).unwrap();
        old.as_object_mut().unwrap().remove("signals");
        let back: Job = serde_json::from_value(old).unwrap();
        assert_eq!(back, Job::Report(job.clone()));
        let tagged = serde_json::to_value(Job::Report(job.clone())).unwrap();
        assert_eq!(tagged["kind"], "report");
        assert_eq!(
            serde_json::from_value::<Job>(tagged).unwrap(),
            Job::Report(job)
        );
        assert!(serde_json::from_value::<Job>(serde_json::json!({"kind": "x"})).is_err());
    }

    #[test]
    fn an_envelope_names_its_subject_and_older_envelopes_still_decode() {
        let entry = Uuid::now_v7();
        let envelope = JobEventEnvelope {
            job_id: Uuid::now_v7(),
            kind: JobKind::Enrichment,
            subject: JobSubject::Entry(entry),
            user_id: Uuid::now_v7(),
            at: Utc::now(),
            event: JobEvent::Failed { reason: "x".into() },
            traceparent: None,
        };
        let json = serde_json::to_value(&envelope).unwrap();
        assert_eq!(
            json["subject"],
            serde_json::json!({ "type": "entry", "id": entry })
        );
        assert_eq!(json["kind"], "enrichment");
        let back: JobEventEnvelope = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, envelope);

        // Before subjects: a nil insight id and an entry id for enrichment,
        // an insight id alone for a report.
        let mut old = json.clone();
        let map = old.as_object_mut().unwrap();
        map.remove("subject");
        map.remove("kind");
        map.insert("insight_id".into(), serde_json::json!(Uuid::nil()));
        map.insert("entry_id".into(), serde_json::json!(entry));
        let back: JobEventEnvelope = serde_json::from_value(old).unwrap();
        assert_eq!(back.subject, JobSubject::Entry(entry));
        assert_eq!(back.kind, JobKind::Enrichment);

        let insight = Uuid::now_v7();
        let mut old = json;
        let map = old.as_object_mut().unwrap();
        map.remove("subject");
        map.remove("kind");
        map.insert("insight_id".into(), serde_json::json!(insight));
        let back: JobEventEnvelope = serde_json::from_value(old.clone()).unwrap();
        assert_eq!(back.subject, JobSubject::Insight(insight));
        assert_eq!(back.kind, JobKind::Report);

        old.as_object_mut().unwrap().remove("insight_id");
        assert!(serde_json::from_value::<JobEventEnvelope>(old).is_err());
    }
}
