//! Republishing what the broker lost. The database says which jobs are in
//! flight (pending, retrying, running); the broker says which it holds
//! (`Broker::held_jobs`: queued, delivered and not acknowledged, delayed).
//! A job published a while ago that the broker does not hold on two passes
//! in a row is gone — Redis restarted from an older snapshot, or without
//! its data — and is released for the relay to publish again.
//!
//! Two passes, because a job can be briefly in neither place (a due retry
//! between `ZREM` and `XADD`), and because a finished job leaves the broker
//! just before the API applies its last event. If the API lags more than a
//! pass behind its events, a finished job may be published once more: the
//! extra run's result changes nothing (a finished job's status never
//! moves), it only costs a generation.

use chrono::Utc;
use englog_core::JobStatus;
use entity::job;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};
use std::collections::HashSet;
use std::time::Duration;
use uuid::Uuid;

use crate::error::AppResult;
use crate::state::AppState;

/// How often the broker's holdings are compared with the database. A lost
/// job is republished within two passes after [`SETTLE`]: under 60 s.
pub const EVERY: Duration = Duration::from_secs(15);

/// A job published or changed more recently than this is not judged yet.
pub const SETTLE: chrono::Duration = chrono::Duration::seconds(20);

/// What one pass found missing; confirmed on the next.
#[derive(Default)]
pub struct Reconciler {
    suspects: HashSet<Uuid>,
}

impl Reconciler {
    /// One pass; returns how many jobs were released for republishing.
    pub async fn pass(&mut self, state: &AppState) -> AppResult<u64> {
        let settled = Utc::now() - SETTLE;
        let in_flight: Vec<Uuid> = job::Entity::find()
            .select_only()
            .column(job::Column::Id)
            .filter(job::Column::Status.is_in(JobStatus::IN_FLIGHT))
            .filter(job::Column::PublishedAt.lt(settled))
            .filter(job::Column::UpdatedAt.lt(settled))
            .into_tuple()
            .all(&state.db)
            .await?;
        if in_flight.is_empty() {
            self.suspects.clear();
            return Ok(0);
        }
        let held = match state.broker.held_jobs().await {
            Ok(held) => held,
            // Unreachable broker: nothing can be judged (nor published).
            Err(err) => {
                tracing::debug!(error = %err, "could not list the broker's jobs");
                return Ok(0);
            }
        };
        let missing: HashSet<Uuid> = in_flight
            .into_iter()
            .filter(|id| !held.contains(id))
            .collect();
        let lost: Vec<Uuid> = missing.intersection(&self.suspects).copied().collect();
        self.suspects = &missing - &lost.iter().copied().collect();
        if lost.is_empty() {
            return Ok(0);
        }
        let released = job::Entity::update_many()
            .col_expr(
                job::Column::PublishedAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .col_expr(job::Column::Status, Expr::value(JobStatus::Pending))
            .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(job::Column::Id.is_in(lost))
            .filter(job::Column::Status.is_in(JobStatus::IN_FLIGHT))
            .exec(&state.db)
            .await?
            .rows_affected;
        if released > 0 {
            tracing::warn!(
                jobs = released,
                "jobs the broker no longer holds (Redis restarted from an older snapshot?); republishing them"
            );
        }
        Ok(released)
    }
}
