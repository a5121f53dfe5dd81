//! Report queries and mutations.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use englog_core::jobs::{Citation, ReportSection};
use tracing::Instrument;
use uuid::Uuid;

use super::service::{self, ReportRequest};
use crate::auth::require_user;
use crate::error::AppError;
use crate::graphql::enums::{InsightStatusGql, ReportTypeGql, parse_stored};
use crate::state::AppState;

#[derive(SimpleObject, Clone)]
#[graphql(name = "ReportSection")]
pub struct ReportSectionGql {
    pub heading: String,
    /// Markdown.
    pub body: String,
}

/// A statement of the report and the entries it rests on.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Citation")]
pub struct CitationGql {
    pub statement: String,
    pub entry_ids: Vec<Uuid>,
    /// The `[En]` number of each of `entryIds` in the report's text (empty
    /// for reports written before markers were kept).
    pub markers: Vec<i32>,
}

/// A generated report.
#[derive(SimpleObject, Clone)]
pub struct Insight {
    pub id: Uuid,
    pub report_type: ReportTypeGql,
    /// First day covered, in the user's time zone.
    pub period_start: NaiveDate,
    /// Last day covered (inclusive).
    pub period_end: NaiveDate,
    pub focus_areas: Vec<String>,
    pub project_ids: Vec<Uuid>,
    pub status: InsightStatusGql,
    /// The report as Markdown; `[E12]` markers refer to `citations`.
    pub content: Option<String>,
    pub sections: Vec<ReportSectionGql>,
    pub citations: Vec<CitationGql>,
    /// Totals the report was computed from.
    pub metrics: Option<Json<serde_json::Value>>,
    pub model: Option<String>,
    pub prompt_tokens: Option<i32>,
    pub completion_tokens: Option<i32>,
    /// Why the report failed (or why it is being retried).
    pub error: Option<String>,
    /// Reservations of the quality gate about a report it let through
    /// (e.g. cut at the length limit), as sentences to show beside it.
    pub warnings: Vec<String>,
    /// How the report was made; `null` until it is written.
    pub diagnostics: Option<super::diagnostics::ReportDiagnostics>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<entity::insight::Model> for Insight {
    type Error = AppError;
    fn try_from(m: entity::insight::Model) -> Result<Self, AppError> {
        let report_type: englog_core::ReportType = parse_stored(&m.report_type)?;
        let sections: Vec<ReportSection> = m
            .sections
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let citations: Vec<Citation> = m
            .citations
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        Ok(Self {
            id: m.id,
            report_type: report_type.into(),
            period_start: m.period_start,
            period_end: m.period_end,
            focus_areas: serde_json::from_value(m.focus_areas).unwrap_or_default(),
            project_ids: serde_json::from_value(m.project_ids).unwrap_or_default(),
            status: m.status.into(),
            content: m.content,
            sections: sections
                .into_iter()
                .map(|s| ReportSectionGql {
                    heading: s.heading,
                    body: s.body,
                })
                .collect(),
            citations: citations
                .into_iter()
                .map(|c| CitationGql {
                    statement: c.statement,
                    entry_ids: c.entry_ids,
                    markers: c
                        .markers
                        .into_iter()
                        .map(|m| i32::try_from(m).unwrap_or(i32::MAX))
                        .collect(),
                })
                .collect(),
            diagnostics: m
                .metrics
                .as_ref()
                .and_then(super::diagnostics::ReportDiagnostics::from_metrics),
            metrics: m.metrics.map(Json),
            model: m.model,
            prompt_tokens: m.prompt_tokens,
            completion_tokens: m.completion_tokens,
            error: m.error,
            warnings: m
                .warnings
                .and_then(|w| serde_json::from_value(w).ok())
                .unwrap_or_default(),
            started_at: m.started_at,
            finished_at: m.finished_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

#[derive(InputObject)]
pub struct RequestInsightInput {
    pub report_type: ReportTypeGql,
    /// First day, in the user's time zone.
    pub period_start: NaiveDate,
    /// Last day (inclusive); at most 366 days after `periodStart`.
    pub period_end: NaiveDate,
    /// Limit the report to these projects (default: all).
    #[graphql(default)]
    pub project_ids: Vec<Uuid>,
    /// Themes the report should centre on.
    #[graphql(default)]
    pub focus_areas: Vec<String>,
    /// Your name for this request (1 to 100 characters, e.g. a UUID): send
    /// it again after a timeout and you get the same report, not a second.
    pub client_request_id: Option<String>,
}

#[derive(Default)]
pub struct InsightsQuery;

#[Object]
impl InsightsQuery {
    async fn insight(&self, ctx: &Context<'_>, id: Uuid) -> Result<Insight> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::find_owned(&state.db, user_id, id)
            .await?
            .try_into()?)
    }

    /// The caller's reports, newest first.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 50) as usize * child_complexity")]
    async fn insights(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Insight>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let first = first.unwrap_or(20);
        if !(1..=50).contains(&first) {
            return Err(AppError::field("first", "must be between 1 and 50").into());
        }
        let after_id = match after.as_deref() {
            None => None,
            Some(text) => Some(
                text.parse::<Uuid>()
                    .map_err(|_| AppError::field("after", "is not a cursor from this list"))?,
            ),
        };
        let (rows, more) = service::list(&state.db, user_id, first as u64, after_id).await?;
        let mut connection = Connection::new(after.is_some(), more);
        for row in rows {
            let cursor = row.id.to_string();
            connection
                .edges
                .push(Edge::new(cursor, Insight::try_from(row)?));
        }
        Ok(connection)
    }
}

#[derive(Default)]
pub struct InsightsMutation;

#[Object]
impl InsightsMutation {
    /// Queues a report; follow it with the `insightUpdates` subscription.
    async fn request_insight(
        &self,
        ctx: &Context<'_>,
        input: RequestInsightInput,
    ) -> Result<Insight> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let request = ReportRequest {
            report_type: input.report_type.into(),
            period_start: input.period_start,
            period_end: input.period_end,
            project_ids: input.project_ids,
            focus_areas: input.focus_areas,
            scheduled: false,
            client_request_id: input.client_request_id,
        };
        // Named for traces: the report's trace starts here and continues
        // in the worker (the job carries this span's context).
        let span = tracing::info_span!("requestInsight", user = %user_id);
        Ok(service::request(state, user_id, request)
            .instrument(span)
            .await?
            .try_into()?)
    }

    /// Stops a queued or running report.
    async fn cancel_insight(&self, ctx: &Context<'_>, id: Uuid) -> Result<Insight> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::cancel(state, user_id, id).await?.try_into()?)
    }

    /// Queues a failed or cancelled report again, with the period's current
    /// entries.
    async fn retry_insight(&self, ctx: &Context<'_>, id: Uuid) -> Result<Insight> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::retry(state, user_id, id).await?.try_into()?)
    }

    /// Deletes a report. Returns its id.
    async fn delete_insight(&self, ctx: &Context<'_>, id: Uuid) -> Result<Uuid> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::delete(state, user_id, id).await?;
        Ok(id)
    }
}
