//! Processing due requests: run by the scheduler with the clock passed in.
//!
//! DELETE removes the user row; every table holding a user's data has a
//! foreign key to `users` (directly, or through `log_entries`/`tags`) with
//! ON DELETE CASCADE, so the database erases the rest in the same
//! statement — including tables added later, as long as they follow that
//! rule (the canary test dumps every table to check). Redis is purged of
//! every message mentioning the user before and after the rows go: before,
//! so a failure leaves the request pending and retried on the next pass;
//! after, to catch a job the outbox relay published in between.

use chrono::{DateTime, Utc};
use englog_core::JobStatus;
use entity::{job, scheduled_deletion, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{DeletionMode, anonymise};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Erases every message about the user from the broker.
pub async fn purge_broker(state: &AppState, user_id: Uuid) -> AppResult<u64> {
    state
        .broker
        .purge_user(user_id)
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("purging the broker")))
}

/// Tells workers to drop the user's unfinished jobs, so one in the middle
/// of a generation stops instead of writing more about them.
pub(super) async fn cancel_jobs(state: &AppState, user_id: Uuid) -> AppResult<()> {
    let unfinished = job::Entity::find()
        .filter(job::Column::UserId.eq(user_id))
        .filter(job::Column::Status.is_not_in(JobStatus::FINISHED))
        .all(&state.db)
        .await?;
    for j in unfinished {
        if let Err(err) = state.broker.cancel(j.id).await {
            tracing::warn!(error = %err, job = %j.id, "could not flag a job cancelled");
        }
    }
    Ok(())
}

/// Erases the account and everything in it.
pub async fn erase(state: &AppState, user_id: Uuid) -> AppResult<()> {
    cancel_jobs(state, user_id).await?;
    purge_broker(state, user_id).await?;
    user::Entity::delete_by_id(user_id).exec(&state.db).await?;
    purge_broker(state, user_id).await?;
    Ok(())
}

/// Processes every request due at `now`; returns how many were processed.
/// A failing one is logged and stays pending for the next pass.
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let due = scheduled_deletion::Entity::find()
        .filter(scheduled_deletion::Column::CancelledAt.is_null())
        .filter(scheduled_deletion::Column::ProcessedAt.is_null())
        .filter(scheduled_deletion::Column::DueAt.lte(now))
        .all(&state.db)
        .await?;
    let mut processed = 0;
    for request in due {
        let outcome = match DeletionMode::parse(&request.mode) {
            Some(DeletionMode::Delete) => erase(state, request.user_id).await,
            Some(DeletionMode::Anonymise) => anonymise::run(state, &request, now).await,
            None => Err(AppError::Internal(anyhow::anyhow!(
                "unknown deletion mode `{}`",
                request.mode
            ))),
        };
        match outcome {
            Ok(()) => {
                tracing::info!(request = %request.id, mode = %request.mode, "account deletion processed");
                processed += 1;
            }
            Err(err) => {
                let err: async_graphql::Error = err.into();
                tracing::error!(request = %request.id, error = %err.message, "account deletion failed; retried next pass");
            }
        }
    }
    Ok(processed)
}
