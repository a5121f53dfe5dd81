//! Requesting, cancelling, retrying, deleting and reading reports.
//!
//! A request writes the insight and its job in one transaction (the
//! transactional outbox): if the broker is down the job waits in the table
//! and the relay publishes it later; nothing is lost.

use chrono::{NaiveDate, Utc};
use englog_core::{InsightStatus, ReportType};
use entity::{insight, job, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashSet;
use uuid::Uuid;

use super::payload::{PayloadInput, build_job};
use crate::error::{AppError, AppResult};
use crate::projects::service::find_many as find_projects;
use crate::state::AppState;

/// Longest period one report may cover.
pub const MAX_PERIOD_DAYS: i64 = 366;

pub struct ReportRequest {
    pub report_type: ReportType,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub project_ids: Vec<Uuid>,
    pub focus_areas: Vec<String>,
    /// Requested by the weekly schedule rather than a person.
    pub scheduled: bool,
    /// The client's name for this request: the same name again from the
    /// same person returns the first report (a resend after a timeout).
    pub client_request_id: Option<String>,
}

fn validate(req: &ReportRequest) -> AppResult<()> {
    if req.period_end < req.period_start {
        return Err(AppError::field(
            "input.periodEnd",
            "must not be before periodStart",
        ));
    }
    if (req.period_end - req.period_start).num_days() >= MAX_PERIOD_DAYS {
        return Err(AppError::field(
            "input.periodEnd",
            format!("a report covers at most {MAX_PERIOD_DAYS} days"),
        ));
    }
    if req.focus_areas.len() > 10
        || req
            .focus_areas
            .iter()
            .any(|f| f.trim().is_empty() || f.chars().count() > 100)
    {
        return Err(AppError::field(
            "input.focusAreas",
            "at most 10 focus areas of 1 to 100 characters",
        ));
    }
    if req.project_ids.len() > 50 {
        return Err(AppError::field("input.projectIds", "at most 50 projects"));
    }
    if let Some(id) = &req.client_request_id
        && (id.trim().is_empty() || id.chars().count() > 100 || id.trim() != id)
    {
        return Err(AppError::field(
            "input.clientRequestId",
            "1 to 100 characters, without surrounding spaces",
        ));
    }
    Ok(())
}

async fn find_user(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<user::Model> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)
}

pub async fn find_owned(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<insight::Model> {
    insight::Entity::find_by_id(id)
        .filter(insight::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("report"))
}

/// Writes a job for `insight` into the outbox (same transaction as the
/// caller's insight change).
async fn enqueue(
    txn: &impl ConnectionTrait,
    user: &user::Model,
    insight: &insight::Model,
    scheduled: bool,
) -> AppResult<Uuid> {
    let project_ids: Vec<Uuid> =
        serde_json::from_value(insight.project_ids.clone()).unwrap_or_default();
    let focus_areas: Vec<String> =
        serde_json::from_value(insight.focus_areas.clone()).unwrap_or_default();
    let report_type: ReportType = crate::graphql::enums::parse_stored(&insight.report_type)?;
    let job_id = Uuid::now_v7();
    let payload = build_job(
        txn,
        PayloadInput {
            job_id,
            insight_id: insight.id,
            user,
            report_type,
            period_start: insight.period_start,
            period_end: insight.period_end,
            project_ids: &project_ids,
            focus_areas: &focus_areas,
            scheduled,
        },
    )
    .await?;
    crate::jobs::enqueue(txn, &englog_core::jobs::Job::Report(payload), Utc::now()).await?;
    Ok(job_id)
}

/// The report a named request already made, if any.
async fn requested_before(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    client_request_id: Option<&str>,
) -> AppResult<Option<insight::Model>> {
    let Some(name) = client_request_id else {
        return Ok(None);
    };
    Ok(insight::Entity::find()
        .filter(insight::Column::UserId.eq(user_id))
        .filter(insight::Column::ClientRequestId.eq(name))
        .one(db)
        .await?)
}

pub async fn request(
    state: &AppState,
    user_id: Uuid,
    req: ReportRequest,
) -> AppResult<insight::Model> {
    validate(&req)?;
    if let Some(first) =
        requested_before(&state.db, user_id, req.client_request_id.as_deref()).await?
    {
        return Ok(first);
    }
    match write_request(state, user_id, &req).await {
        // Two resends raced past the check: the unique index let one in.
        Err(AppError::Internal(err))
            if req.client_request_id.is_some() && is_unique_violation(&err) =>
        {
            requested_before(&state.db, user_id, req.client_request_id.as_deref())
                .await?
                .ok_or(AppError::Internal(err))
        }
        written => written,
    }
}

fn is_unique_violation(err: &anyhow::Error) -> bool {
    err.downcast_ref::<sea_orm::DbErr>()
        .and_then(sea_orm::DbErr::sql_err)
        .is_some_and(|e| matches!(e, sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

async fn write_request(
    state: &AppState,
    user_id: Uuid,
    req: &ReportRequest,
) -> AppResult<insight::Model> {
    let txn = crate::db::begin_write(&state.db).await?;
    let user = find_user(&txn, user_id).await?;
    let mut project_ids = req.project_ids.clone();
    project_ids.sort_unstable();
    project_ids.dedup();
    let owned = find_projects(&txn, user_id, project_ids.clone()).await?;
    if owned.len() != project_ids.len() {
        return Err(AppError::NotFound("project"));
    }
    let now = Utc::now();
    let insight = insight::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        report_type: Set(req.report_type.as_str().into()),
        period_start: Set(req.period_start),
        period_end: Set(req.period_end),
        focus_areas: Set(serde_json::json!(
            req.focus_areas.iter().map(|f| f.trim()).collect::<Vec<_>>()
        )),
        project_ids: Set(serde_json::json!(project_ids)),
        status: Set(InsightStatus::Queued),
        content: Set(None),
        sections: Set(None),
        metrics: Set(None),
        citations: Set(None),
        model: Set(None),
        prompt_tokens: Set(None),
        completion_tokens: Set(None),
        started_at: Set(None),
        finished_at: Set(None),
        error: Set(None),
        warnings: Set(None),
        client_request_id: Set(req.client_request_id.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    enqueue(&txn, &user, &insight, req.scheduled).await?;
    txn.commit().await?;
    state.relay_wakeup.notify_one();
    announce(state, &insight);
    Ok(insight)
}

/// Tells subscribers about `insight` without making the request wait for
/// the broker: the change is committed, and a broker that is down (Redis
/// restarting) must not hold the answer for its timeouts.
fn announce(state: &AppState, insight: &insight::Model) {
    let (state, insight) = (state.clone(), insight.clone());
    tokio::spawn(async move { super::events::broadcast_status(&state, &insight, None).await });
}

/// Raises a job's cancel flag in the background, for the same reason.
/// Best effort: a worker that misses it finishes the report and the result
/// is ignored, because the insight is no longer running.
fn signal_cancel(state: &AppState, job_id: Uuid) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(err) = state.broker.cancel(job_id).await {
            tracing::warn!(error = %err, "could not signal the cancellation to workers");
        }
    });
}

/// The latest job of an insight.
async fn latest_job(db: &impl ConnectionTrait, insight_id: Uuid) -> AppResult<Option<job::Model>> {
    Ok(job::Entity::find()
        .filter(job::Column::InsightId.eq(insight_id))
        .order_by_desc(job::Column::CreatedAt)
        .one(db)
        .await?)
}

pub async fn cancel(state: &AppState, user_id: Uuid, id: Uuid) -> AppResult<insight::Model> {
    let current = find_owned(&state.db, user_id, id).await?;
    if !current.status.is_active() {
        return Err(AppError::Conflict(englog_core::FieldError::new(
            "id",
            format!("a {} report cannot be cancelled", current.status),
        )));
    }
    let now = Utc::now();
    let updated = insight::Entity::update_many()
        .col_expr(
            insight::Column::Status,
            sea_orm::sea_query::Expr::value(InsightStatus::Cancelled),
        )
        .col_expr(
            insight::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            insight::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(insight::Column::Id.eq(id))
        .filter(insight::Column::Status.is_in(InsightStatus::ACTIVE))
        .exec(&state.db)
        .await?;
    if let Some(job) = latest_job(&state.db, id).await? {
        signal_cancel(state, job.id);
    }
    let insight = find_owned(&state.db, user_id, id).await?;
    if updated.rows_affected == 1 {
        announce(state, &insight);
    }
    Ok(insight)
}

pub async fn retry(state: &AppState, user_id: Uuid, id: Uuid) -> AppResult<insight::Model> {
    let txn = crate::db::begin_write(&state.db).await?;
    let current = find_owned(&txn, user_id, id).await?;
    if !matches!(
        current.status,
        InsightStatus::Failed | InsightStatus::Cancelled
    ) {
        return Err(AppError::Conflict(englog_core::FieldError::new(
            "id",
            "only a failed or cancelled report can be retried",
        )));
    }
    let user = find_user(&txn, user_id).await?;
    let mut active = current.into_active_model();
    active.status = Set(InsightStatus::Queued);
    active.error = Set(None);
    active.started_at = Set(None);
    active.finished_at = Set(None);
    active.updated_at = Set(Utc::now());
    let insight = active.update(&txn).await?;
    enqueue(&txn, &user, &insight, false).await?;
    txn.commit().await?;
    state.relay_wakeup.notify_one();
    announce(state, &insight);
    Ok(insight)
}

pub async fn delete(state: &AppState, user_id: Uuid, id: Uuid) -> AppResult<()> {
    let current = find_owned(&state.db, user_id, id).await?;
    if let Some(job) = latest_job(&state.db, id).await?
        && current.status.is_active()
    {
        signal_cancel(state, job.id);
    }
    let txn = crate::db::begin_write(&state.db).await?;
    job::Entity::delete_many()
        .filter(job::Column::InsightId.eq(id))
        .exec(&txn)
        .await?;
    insight::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The caller's reports, newest first, `first` at a time after `after` (an
/// insight id).
pub async fn list(
    db: &DatabaseConnection,
    user_id: Uuid,
    first: u64,
    after: Option<Uuid>,
) -> AppResult<(Vec<insight::Model>, bool)> {
    let mut query = insight::Entity::find().filter(insight::Column::UserId.eq(user_id));
    if let Some(after) = after {
        // Ids are UUIDv7: time-ordered, so they double as the sort key.
        query = query.filter(insight::Column::Id.lt(after));
    }
    let mut rows = query
        .order_by_desc(insight::Column::Id)
        .limit(first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > first;
    rows.truncate(first as usize);
    Ok((rows, more))
}

/// Keeps only citations of entries that still exist for the user.
pub async fn existing_entry_ids(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    ids: Vec<Uuid>,
) -> AppResult<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(entity::log_entry::Entity::find()
        .select_only()
        .column(entity::log_entry::Column::Id)
        .filter(entity::log_entry::Column::UserId.eq(user_id))
        .filter(entity::log_entry::Column::Id.is_in(ids))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
