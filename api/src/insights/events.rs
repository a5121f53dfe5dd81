//! Applies the worker's events to the stored insight, idempotently, and
//! fans each change out to live subscribers on every API instance.
//!
//! Every transition is a conditional update on the current status, so an
//! event delivered twice (a reclaimed job, a redelivered event) changes
//! nothing the second time, and a cancelled report ignores late results.

use chrono::Utc;
use englog_core::jobs::{JobEvent, JobEventEnvelope, ReportOutput};
use englog_core::{InsightStatus, JobStatus};
use entity::insight;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use std::collections::HashSet;
use uuid::Uuid;

use super::service::existing_entry_ids;
use crate::error::AppResult;
use crate::jobs;
use crate::state::AppState;
use englog_worker::InsightUpdate;

pub async fn broadcast_status(state: &AppState, insight: &insight::Model, delta: Option<String>) {
    let update = InsightUpdate {
        insight_id: insight.id,
        user_id: insight.user_id,
        status: insight.status,
        delta,
        error: insight.error.clone(),
    };
    if let Err(err) = state.broker.broadcast(&update).await {
        tracing::warn!(error = %err, "could not fan out an insight update");
    }
}

async fn succeeded(
    state: &AppState,
    insight_id: Uuid,
    event: &JobEventEnvelope,
    output: &ReportOutput,
) -> AppResult<bool> {
    // The worker checked markers against the job's entries; entries deleted
    // since are dropped here, so a stored citation always resolves.
    let cited: Vec<_> = output
        .citations
        .iter()
        .flat_map(|c| c.entry_ids.iter().copied())
        .collect();
    let existing: HashSet<_> = existing_entry_ids(&state.db, event.user_id, cited).await?;
    let citations: Vec<_> = output
        .citations
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.retain_entries(|id| existing.contains(id));
            c
        })
        .filter(|c| !c.entry_ids.is_empty())
        .collect();
    let mut metrics = output.metrics.clone();
    if let Some(map) = metrics.as_object_mut() {
        use englog_core::report::diagnostics as key;
        map.insert(
            key::INVENTED_CITATIONS.into(),
            output.invented_citations.into(),
        );
        map.insert(key::GENERATION_MS.into(), output.generation_ms.into());
    }
    let now = Utc::now();
    let result = insight::Entity::update_many()
        .col_expr(
            insight::Column::Status,
            Expr::value(InsightStatus::Succeeded),
        )
        .col_expr(
            insight::Column::Content,
            Expr::value(output.content.clone()),
        )
        .col_expr(
            insight::Column::Sections,
            Expr::value(serde_json::to_value(&output.sections).unwrap_or_default()),
        )
        .col_expr(insight::Column::Metrics, Expr::value(metrics))
        .col_expr(
            insight::Column::Citations,
            Expr::value(serde_json::to_value(&citations).unwrap_or_default()),
        )
        .col_expr(insight::Column::Model, Expr::value(output.model.clone()))
        .col_expr(
            insight::Column::PromptTokens,
            Expr::value(output.prompt_tokens as i32),
        )
        .col_expr(
            insight::Column::CompletionTokens,
            Expr::value(output.completion_tokens as i32),
        )
        .col_expr(insight::Column::FinishedAt, Expr::value(now))
        .col_expr(insight::Column::Error, Expr::value(Option::<String>::None))
        .col_expr(
            insight::Column::Warnings,
            Expr::value((!output.warnings.is_empty()).then(|| serde_json::json!(output.warnings))),
        )
        .col_expr(insight::Column::UpdatedAt, Expr::value(now))
        .filter(insight::Column::Id.eq(insight_id))
        .filter(insight::Column::Status.is_in(InsightStatus::ACTIVE))
        .exec(&state.db)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn transition(
    state: &AppState,
    insight_id: Uuid,
    status: InsightStatus,
    error: Option<String>,
    finished: bool,
) -> AppResult<bool> {
    let now = Utc::now();
    let mut update = insight::Entity::update_many()
        .col_expr(insight::Column::Status, Expr::value(status))
        .col_expr(insight::Column::Error, Expr::value(error))
        .col_expr(insight::Column::UpdatedAt, Expr::value(now))
        .filter(insight::Column::Id.eq(insight_id))
        .filter(insight::Column::Status.is_in(InsightStatus::ACTIVE));
    if finished {
        update = update.col_expr(insight::Column::FinishedAt, Expr::value(now));
    } else if status == InsightStatus::Running {
        // The start of the latest attempt.
        update = update.col_expr(insight::Column::StartedAt, Expr::value(now));
    }
    Ok(update.exec(&state.db).await?.rows_affected == 1)
}

/// Applies one event about report `insight_id`; returns after the change
/// is stored and fanned out.
pub async fn apply(state: &AppState, insight_id: Uuid, event: &JobEventEnvelope) -> AppResult<()> {
    let changed = match &event.event {
        JobEvent::Started { .. } => {
            jobs::status::set(&state.db, event.job_id, JobStatus::Running, None).await?;
            transition(state, insight_id, InsightStatus::Running, None, false).await?
        }
        JobEvent::Delta { text } => {
            // Text is not stored until the end: a delta only goes to those
            // watching, and only while the report is still being written.
            if let Some(insight) = insight::Entity::find_by_id(insight_id)
                .one(&state.db)
                .await?
                && insight.status == InsightStatus::Running
            {
                broadcast_status(state, &insight, Some(text.clone())).await;
            }
            false
        }
        JobEvent::Retrying { reason, .. } => {
            jobs::status::set(
                &state.db,
                event.job_id,
                JobStatus::Retrying,
                Some(reason.clone()),
            )
            .await?;
            transition(
                state,
                insight_id,
                InsightStatus::Queued,
                Some(format!("retrying: {reason}")),
                false,
            )
            .await?
        }
        JobEvent::Succeeded { output } => {
            jobs::status::set(&state.db, event.job_id, JobStatus::Done, None).await?;
            succeeded(state, insight_id, event, output).await?
        }
        JobEvent::Failed { reason } => {
            jobs::status::set(
                &state.db,
                event.job_id,
                JobStatus::Failed,
                Some(reason.clone()),
            )
            .await?;
            transition(
                state,
                insight_id,
                InsightStatus::Failed,
                Some(reason.clone()),
                true,
            )
            .await?
        }
        // Not an event of a report job.
        JobEvent::Enriched { .. } => false,
    };
    if changed
        && let Some(insight) = insight::Entity::find_by_id(insight_id)
            .one(&state.db)
            .await?
    {
        broadcast_status(state, &insight, None).await;
    }
    Ok(())
}
