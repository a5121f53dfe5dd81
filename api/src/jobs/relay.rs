//! The outbox relay: publishes jobs written by requests
//! ([`super::enqueue`]). A job is claimed (`published_at` set) before it is
//! published and released again if the broker refuses it, so a broker
//! outage only delays jobs, and two API instances do not both publish the
//! same job. Every [`reconcile::EVERY`] it also compares the broker's
//! holdings with the database ([`super::reconcile`]).

use chrono::Utc;
use englog_core::JobStatus;
use englog_core::jobs::Job;
use entity::job;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use std::time::Duration;
use tokio::sync::watch;

use super::reconcile::{self, Reconciler};
use crate::error::AppResult;
use crate::state::AppState;

/// Publishes every unfinished job again: at start with the in-process
/// broker (whatever was in flight died with the previous process), and when
/// Redis lost its data ([`republish_if_broker_lost`]).
pub async fn release_in_flight(state: &AppState) -> AppResult<u64> {
    let result = job::Entity::update_many()
        .col_expr(
            job::Column::PublishedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(job::Column::Status, Expr::value(JobStatus::Pending))
        .filter(job::Column::PublishedAt.is_not_null())
        .filter(job::Column::Status.is_in(JobStatus::IN_FLIGHT))
        .exec(&state.db)
        .await?;
    Ok(result.rows_affected)
}

/// When the broker's data marker is gone (Redis restarted empty), the
/// jobs it held are lost whatever the database says about them (pending,
/// retrying, running): they are published again on this pass. A job
/// published between the loss and this check may then be delivered twice;
/// results are applied idempotently and a finished job's status never
/// moves, so that costs at most a second generation.
pub async fn republish_if_broker_lost(state: &AppState) -> AppResult<u64> {
    match state.broker.claim_epoch().await {
        Ok(true) => {
            let released = release_in_flight(state).await?;
            if released > 0 {
                tracing::warn!(
                    jobs = released,
                    "the broker lost its data (Redis restarted empty?); republishing the jobs it held"
                );
            }
            Ok(released)
        }
        Ok(false) => Ok(0),
        // Unreachable broker: this pass's publishing fails and retries too.
        Err(err) => {
            tracing::debug!(error = %err, "could not check the broker's data marker");
            Ok(0)
        }
    }
}

/// Publishes what is pending; returns how many jobs went out.
pub async fn relay_once(state: &AppState) -> AppResult<usize> {
    republish_if_broker_lost(state).await?;
    let pending = job::Entity::find()
        .filter(job::Column::PublishedAt.is_null())
        .filter(job::Column::AvailableAt.lte(Utc::now()))
        .order_by_asc(job::Column::CreatedAt)
        .limit(100)
        .all(&state.db)
        .await?;
    let mut published = 0;
    for row in pending {
        let claimed = job::Entity::update_many()
            .col_expr(job::Column::PublishedAt, Expr::value(Utc::now()))
            .filter(job::Column::Id.eq(row.id))
            .filter(job::Column::PublishedAt.is_null())
            .exec(&state.db)
            .await?;
        if claimed.rows_affected != 1 {
            continue; // another instance took it
        }
        let job: Job = match serde_json::from_value(row.payload.clone()) {
            Ok(job) => job,
            Err(err) => {
                tracing::error!(job = %row.id, error = %err, "unreadable job payload; marking it failed");
                job::Entity::update_many()
                    .col_expr(job::Column::Status, Expr::value(JobStatus::Failed))
                    .col_expr(
                        job::Column::LastError,
                        Expr::value(format!("unreadable payload: {err}")),
                    )
                    .filter(job::Column::Id.eq(row.id))
                    .exec(&state.db)
                    .await?;
                continue;
            }
        };
        if let Err(err) = state.broker.publish_job(&job).await {
            tracing::warn!(job = %row.id, error = %err, "broker unavailable; the job stays in the outbox");
            job::Entity::update_many()
                .col_expr(
                    job::Column::PublishedAt,
                    Expr::value(Option::<chrono::DateTime<Utc>>::None),
                )
                .col_expr(
                    job::Column::Attempts,
                    Expr::col(job::Column::Attempts).add(1),
                )
                .filter(job::Column::Id.eq(row.id))
                .exec(&state.db)
                .await?;
            break;
        }
        published += 1;
        metrics::counter!("englog_jobs_enqueued_total", "kind" => job.kind().as_str()).increment(1);
    }
    Ok(published)
}

/// Runs the relay until shutdown: on every request's nudge, and on a timer
/// for jobs left behind by an outage or a restart.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    if matches!(state.broker, englog_worker::Broker::Memory(_)) {
        match release_in_flight(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                jobs = n,
                "republishing reports interrupted by the last stop"
            ),
            Err(err) => {
                let err: async_graphql::Error = err.into();
                tracing::warn!(error = %err.message, "could not release unfinished jobs");
            }
        }
    }
    let interval = Duration::from_millis(std::cmp::Ord::max(
        state.settings.reports.relay_interval_ms,
        50,
    ));
    let mut reconciler = Reconciler::default();
    let mut next_reconcile = tokio::time::Instant::now() + reconcile::EVERY;
    loop {
        if *shutdown.borrow() {
            return;
        }
        if tokio::time::Instant::now() >= next_reconcile {
            next_reconcile += reconcile::EVERY;
            if let Err(err) = reconciler.pass(&state).await {
                let err: async_graphql::Error = err.into();
                tracing::warn!(error = %err.message, "reconciling the outbox with the broker failed");
            }
        }
        if let Err(err) = relay_once(&state).await {
            let err: async_graphql::Error = err.into();
            tracing::warn!(error = %err.message, "outbox relay pass failed");
        }
        tokio::select! {
            _ = state.relay_wakeup.notified() => {}
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => {}
        }
    }
}
