//! The account export document, version 1 (`docs/EXPORT_FORMAT.md`).
//! Field names are camelCase; enum values are EngLog's stored forms
//! (`code`, `on_hold`, `succeeded`); times are RFC 3339 UTC, dates ISO.
//! Readers must ignore fields they do not know, so versions can add some.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const FORMAT: &str = "englog-account";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDocument {
    /// Always `englog-account`.
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub profile: ProfileRecord,
    /// The preferences object as the API stores it.
    pub preferences: serde_json::Value,
    #[serde(default)]
    pub projects: Vec<ProjectRecord>,
    #[serde(default)]
    pub tags: Vec<TagRecord>,
    #[serde(default)]
    pub entries: Vec<EntryRecord>,
    #[serde(default)]
    pub reports: Vec<ReportRecord>,
    /// The model's suggestions for entries (accepted, dismissed or
    /// pending). Exported for completeness (GDPR article 15); an import
    /// leaves them out, since they are derived from the entries.
    #[serde(default)]
    pub suggestions: Vec<SuggestionRecord>,
    /// Changes to the skills vocabulary (added, or removed defaults).
    /// Exported, not imported.
    #[serde(default)]
    pub skills: Vec<SkillRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionRecord {
    /// Refers to `entries[].id`.
    pub entry_id: Uuid,
    pub field: String,
    pub value: serde_json::Value,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillRecord {
    pub name: String,
    pub removed: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileRecord {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// IANA time zone.
    pub timezone: String,
    #[serde(default)]
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectRecord {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub status: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub color: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagRecord {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub color: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryRecord {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: String,
    /// Refers to `projects[].id`.
    pub project_id: Option<Uuid>,
    /// Tag names (`tags[].name`), alphabetical.
    #[serde(default)]
    pub tags: Vec<String>,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    /// Derived from the times; informative.
    pub duration_minutes: i32,
    pub value_rating: String,
    pub impact_level: String,
    #[serde(default)]
    pub is_draft: bool,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub external_uid: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CitationRecord {
    pub statement: String,
    /// Refer to `entries[].id`.
    pub entry_ids: Vec<Uuid>,
    /// The `[En]` marker number of each of `entryIds` in `content`
    /// (absent in files from before markers were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRecord {
    pub id: Uuid,
    pub report_type: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    #[serde(default)]
    pub focus_areas: Vec<String>,
    /// Refer to `projects[].id`.
    #[serde(default)]
    pub project_ids: Vec<Uuid>,
    pub status: String,
    /// The report as Markdown.
    pub content: Option<String>,
    /// `[{heading, body}]`, in order.
    pub sections: Option<serde_json::Value>,
    pub metrics: Option<serde_json::Value>,
    #[serde(default)]
    pub citations: Vec<CitationRecord>,
    pub model: Option<String>,
    pub prompt_tokens: Option<i32>,
    pub completion_tokens: Option<i32>,
    pub error: Option<String>,
    /// The quality gate's reservations about a succeeded report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}
