//! Builds the job a worker needs: the period's entries in full, so the
//! worker never reads the database.

use chrono::NaiveDate;
use chrono_tz::Tz;
use englog_core::jobs::{CONTRACT_VERSION, EntrySignal, EntrySnapshot, ReportJob};
use englog_core::metrics::period::local_day_start;
use englog_core::{ReportType, SuggestionStatus, validation::FieldError};
use entity::{log_entry, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entries::views::load_views;
use crate::error::{AppError, AppResult};
use crate::graphql::enums::parse_stored;
use crate::profile::preferences::Preferences;

/// Entries per report at most; an annual review of a busy year is ~1,250.
pub const MAX_REPORT_ENTRIES: u64 = 10_000;

pub struct PayloadInput<'a> {
    pub job_id: Uuid,
    pub insight_id: Uuid,
    pub user: &'a user::Model,
    pub report_type: ReportType,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub project_ids: &'a [Uuid],
    pub focus_areas: &'a [String],
    /// Created by the weekly schedule (mailed when the weekly summary is on).
    pub scheduled: bool,
}

pub async fn build_job(db: &impl ConnectionTrait, input: PayloadInput<'_>) -> AppResult<ReportJob> {
    let tz: Tz = input.user.timezone.parse().unwrap_or(chrono_tz::UTC);
    let from = local_day_start(tz, input.period_start);
    let to = local_day_start(tz, input.period_end + chrono::Duration::days(1));
    let mut query = log_entry::Entity::find()
        .filter(log_entry::Column::UserId.eq(input.user.id))
        // A report tells what the person did: drafts nobody confirmed yet
        // (imports, connectors) are not that until they are reviewed.
        .filter(log_entry::Column::IsDraft.eq(false))
        .filter(log_entry::Column::StartTime.gte(from))
        .filter(log_entry::Column::StartTime.lt(to));
    if !input.project_ids.is_empty() {
        query = query.filter(log_entry::Column::ProjectId.is_in(input.project_ids.to_vec()));
    }
    let rows = query
        .order_by_asc(log_entry::Column::StartTime)
        .order_by_asc(log_entry::Column::Id)
        .all(db)
        .await?;
    if rows.len() as u64 > MAX_REPORT_ENTRIES {
        return Err(AppError::Validation(vec![FieldError::new(
            "input.periodEnd",
            format!(
                "a report can cover at most {MAX_REPORT_ENTRIES} entries; choose a shorter period"
            ),
        )]));
    }
    let views = load_views(db, input.user.id, rows).await?;
    let mut entries = Vec::with_capacity(views.len());
    for v in views {
        entries.push(EntrySnapshot {
            id: v.entry.id,
            activity_type: parse_stored(&v.entry.activity_type)?,
            value_rating: parse_stored(&v.entry.value_rating)?,
            impact_level: parse_stored(&v.entry.impact_level)?,
            title: v.entry.title,
            description: v.entry.description,
            project_id: v.entry.project_id,
            project: v.project.map(|p| p.name),
            tags: v.tags,
            start_time: v.entry.start_time,
            end_time: v.entry.end_time,
            duration_minutes: v.entry.duration_minutes,
        });
    }
    let signals = signals(db, input.user.id, entries.iter().map(|e| e.id).collect()).await?;
    let prefs = Preferences::from_json(&input.user.preferences);
    Ok(ReportJob {
        version: CONTRACT_VERSION,
        job_id: input.job_id,
        insight_id: input.insight_id,
        user_id: input.user.id,
        report_type: input.report_type,
        period_start: input.period_start,
        period_end: input.period_end,
        timezone: input.user.timezone.clone(),
        language: prefs.report_language.clone(),
        focus_areas: input.focus_areas.to_vec(),
        entries,
        notify_email: (prefs.email_report_ready || (input.scheduled && prefs.email_weekly_summary))
            .then(|| input.user.email.clone()),
        attempt: 1,
        signals,
        traceparent: englog_worker::telemetry::traceparent(&tracing::Span::current()),
        model_wait_since: None,
    })
}

/// Sentiment and skills of the entries (suggestions not dismissed), for
/// the report's "Energy and growth" section.
async fn signals(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entry_ids: Vec<Uuid>,
) -> AppResult<Vec<EntrySignal>> {
    use englog_core::enrichment::{Sentiment, SuggestionField};
    use entity::entry_suggestion;
    if entry_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = entry_suggestion::Entity::find()
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .filter(entry_suggestion::Column::EntryId.is_in(entry_ids))
        .filter(entry_suggestion::Column::Field.is_in([
            SuggestionField::Sentiment.as_str(),
            SuggestionField::Skills.as_str(),
        ]))
        .filter(entry_suggestion::Column::Status.ne(SuggestionStatus::Dismissed))
        .order_by_asc(entry_suggestion::Column::EntryId)
        .all(db)
        .await?;
    let mut out: Vec<EntrySignal> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|s| s.entry_id != row.entry_id) {
            out.push(EntrySignal {
                entry_id: row.entry_id,
                sentiment: None,
                sentiment_score: None,
                skills: Vec::new(),
            });
        }
        let Some(signal) = out.last_mut() else {
            continue;
        };
        if row.field == SuggestionField::Sentiment.as_str() {
            signal.sentiment = row.value["label"].as_str().and_then(Sentiment::parse);
            signal.sentiment_score = row.value["score"].as_f64();
        } else {
            signal.skills = serde_json::from_value(row.value).unwrap_or_default();
        }
    }
    Ok(out)
}
