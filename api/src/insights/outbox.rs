//! The outbox relay: publishes jobs written by requests. A job is claimed
//! (`published_at` set) before it is published and released again if the
//! broker refuses it, so a broker outage only delays jobs, and two API
//! instances do not both publish the same job.

use chrono::Utc;
use englog_core::jobs::ReportJob;
use entity::job;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use std::time::Duration;
use tokio::sync::watch;

use crate::error::AppResult;
use crate::state::AppState;

/// Publishes what is pending; returns how many jobs went out.
pub async fn relay_once(state: &AppState) -> AppResult<usize> {
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
        let job: ReportJob = match serde_json::from_value(row.payload.clone()) {
            Ok(job) => job,
            Err(err) => {
                tracing::error!(job = %row.id, error = %err, "unreadable job payload; marking it failed");
                job::Entity::update_many()
                    .col_expr(job::Column::Status, Expr::value("failed"))
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
    }
    Ok(published)
}

/// Runs the relay until shutdown: on every request's nudge, and on a timer
/// for jobs left behind by an outage or a restart.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let interval = Duration::from_millis(std::cmp::Ord::max(
        state.settings.reports.relay_interval_ms,
        50,
    ));
    loop {
        if *shutdown.borrow() {
            return;
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
