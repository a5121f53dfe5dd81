//! The one way a job enters the outbox: a row written inside the caller's
//! transaction, so the change that asks for the job and the job itself are
//! stored together or not at all. The relay publishes it afterwards; no
//! request waits on the broker.

use chrono::{DateTime, Utc};
use englog_core::JobStatus;
use englog_core::jobs::{Job, JobSubject};
use entity::job;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::AppResult;

fn payload(job: &Job) -> AppResult<serde_json::Value> {
    Ok(serde_json::to_value(job).map_err(anyhow::Error::from)?)
}

/// Writes `job` as pending, to be published from `available_at` on.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    job: &Job,
    available_at: DateTime<Utc>,
) -> AppResult<()> {
    let now = Utc::now();
    let insight_id = match job.subject() {
        JobSubject::Insight(id) => Some(id),
        JobSubject::Entry(_) => None,
    };
    job::ActiveModel {
        id: Set(job.job_id()),
        user_id: Set(job.user_id()),
        kind: Set(job.kind()),
        insight_id: Set(insight_id),
        payload: Set(payload(job)?),
        status: Set(JobStatus::Pending),
        attempts: Set(0),
        available_at: Set(available_at),
        published_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Replaces the payload of a job the relay has not published yet (a
/// coalesced rewrite); `false` when it was published meanwhile, and the
/// caller then writes a new job.
pub async fn rewrite_unpublished(
    txn: &impl ConnectionTrait,
    job: &Job,
    available_at: DateTime<Utc>,
) -> AppResult<bool> {
    let updated = job::Entity::update_many()
        .col_expr(job::Column::Payload, Expr::value(payload(job)?))
        .col_expr(job::Column::AvailableAt, Expr::value(available_at))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(job.job_id()))
        .filter(job::Column::PublishedAt.is_null())
        .exec(txn)
        .await?;
    Ok(updated.rows_affected == 1)
}
