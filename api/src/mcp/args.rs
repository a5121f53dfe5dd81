//! The tools' arguments. Their JSON schemas (schemars) are what an
//! assistant reads to call a tool, so every field says what it means;
//! enums list their values so a model cannot guess a spelling.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::Deserialize;
use uuid::Uuid;

/// What kind of work an entry was.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActivityType {
    Admin,
    Code,
    Debug,
    Docs,
    Learning,
    Meeting,
    Mentoring,
    Ops,
    Planning,
    Review,
}

/// How valuable the work was.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ValueRating {
    Low,
    Medium,
    High,
}

/// Whom the work helped.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImpactLevel {
    Personal,
    Team,
    Product,
    Company,
}

/// The GraphQL spelling of an enum value (`code` → `CODE`).
pub fn graphql_enum<T: std::fmt::Debug>(value: T) -> String {
    format!("{value:?}").to_uppercase()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchEntries {
    /// Words to find in the title or notes (case-insensitive).
    pub text: Option<String>,
    /// First local day (YYYY-MM-DD), in the person's time zone.
    pub from: Option<NaiveDate>,
    /// Last local day (YYYY-MM-DD), included. With `from`, at most 731 days.
    pub to: Option<NaiveDate>,
    /// A project name (case-insensitive) or id.
    pub project: Option<String>,
    /// Only these kinds of work.
    #[serde(default)]
    pub types: Vec<ActivityType>,
    /// Entries carrying any of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub value_ratings: Vec<ValueRating>,
    #[serde(default)]
    pub impact_levels: Vec<ImpactLevel>,
    /// `true`: only drafts waiting for review; `false`: only confirmed.
    pub drafts: Option<bool>,
    /// Entries per page, 1 to 50 (default 20).
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryId {
    /// The entry's id (from `search_entries`).
    pub id: Uuid,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodSummary {
    /// First local day (YYYY-MM-DD), in the person's time zone.
    pub from: NaiveDate,
    /// Last local day (YYYY-MM-DD), included; at most 731 days after `from`.
    pub to: NaiveDate,
    /// Only this project (name, case-insensitive, or id).
    pub project: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListReports {
    /// Reports per page, 1 to 50 (default 20).
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportId {
    /// The report's id (from `list_reports`).
    pub id: Uuid,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// What was done, at most 200 characters, e.g. "Paired with Sam on refunds".
    pub title: String,
    /// Longer notes, at most 2,000 characters.
    pub notes: Option<String>,
    /// Kind of work (default `code`).
    #[serde(rename = "type")]
    pub activity_type: Option<ActivityType>,
    /// A project name (case-insensitive) or id; it must exist.
    pub project: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// When it started (RFC 3339, e.g. 2026-12-04T09:30:00+01:00).
    pub start: Option<DateTime<Utc>>,
    /// When it ended (RFC 3339); default: `start` + `duration_minutes`, or now.
    pub end: Option<DateTime<Utc>>,
    /// Length in minutes when `start` or `end` is missing (default 30).
    pub duration_minutes: Option<u32>,
    pub value: Option<ValueRating>,
    pub impact: Option<ImpactLevel>,
    /// Keep it as a draft for the person to confirm (default `true`).
    pub draft: Option<bool>,
}
