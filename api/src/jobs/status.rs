//! The one way a worker's event changes a job row's status.

use chrono::Utc;
use englog_core::JobStatus;
use entity::job;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use uuid::Uuid;

use crate::error::AppResult;

/// Sets `status` (and `error`) on the job row, never out of a finished
/// status: a redelivered `Started` (a reclaimed or republished job) must
/// not make a finished job look in flight again, or the outbox would
/// publish it once more. `true` when the row changed.
pub async fn set(
    db: &impl ConnectionTrait,
    job_id: Uuid,
    status: JobStatus,
    error: Option<String>,
) -> AppResult<bool> {
    let result = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status))
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(job_id))
        .filter(job::Column::Status.is_not_in(JobStatus::FINISHED))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
