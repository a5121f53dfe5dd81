//! Gauges read when Prometheus scrapes: the database pool, the outbox, the
//! broker's streams and the workers' heartbeats. Each read is small (one
//! aggregate query, a few Redis commands) and scrapes come every 15 s or so.

use chrono::Utc;
use englog_core::JobStatus;
use entity::job;
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::state::AppState;

#[derive(FromQueryResult)]
struct Backlog {
    jobs: i64,
    oldest: Option<chrono::DateTime<Utc>>,
}

pub async fn gauges(state: &AppState) {
    pool(state);
    outbox(state).await;
    streams(state).await;
    workers(state).await;
}

fn pool(state: &AppState) {
    use sea_orm::DatabaseConnectionType as Kind;
    let (size, idle, max) = match &state.db.inner {
        Kind::SqlxPostgresPoolConnection(_) => {
            let pool = state.db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle() as u32,
                pool.options().get_max_connections(),
            )
        }
        Kind::SqlxSqlitePoolConnection(_) => {
            let pool = state.db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle() as u32,
                pool.options().get_max_connections(),
            )
        }
        _ => return,
    };
    metrics::gauge!("englog_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("englog_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("englog_db_pool_max_connections").set(f64::from(max));
}

async fn outbox(state: &AppState) {
    let backlog = job::Entity::find()
        .select_only()
        .column_as(Expr::col(job::Column::Id).count(), "jobs")
        .column_as(Expr::col(job::Column::CreatedAt).min(), "oldest")
        .filter(job::Column::PublishedAt.is_null())
        .filter(job::Column::Status.is_in([JobStatus::Pending, JobStatus::Retrying]))
        .into_model::<Backlog>()
        .one(&state.db)
        .await;
    match backlog {
        Ok(Some(backlog)) => {
            metrics::gauge!("englog_outbox_backlog_jobs").set(backlog.jobs as f64);
            let age = backlog.oldest.map_or(0.0, seconds_since);
            metrics::gauge!("englog_outbox_oldest_age_seconds").set(age);
        }
        Ok(None) => {}
        Err(err) => tracing::warn!(error = %err, "metrics: reading the outbox backlog failed"),
    }
}

async fn streams(state: &AppState) {
    match state.broker.stream_stats().await {
        Ok(stats) => {
            for stream in stats {
                metrics::gauge!("englog_stream_length", "stream" => stream.stream)
                    .set(stream.length as f64);
                metrics::gauge!("englog_stream_pending", "stream" => stream.stream)
                    .set(stream.pending as f64);
                if stream.stream == "jobs:dead" {
                    metrics::gauge!("englog_dead_letters").set(stream.length as f64);
                }
            }
        }
        Err(err) => tracing::warn!(error = %err, "metrics: reading the broker's streams failed"),
    }
}

async fn workers(state: &AppState) {
    match state.broker.latest_worker().await {
        Ok(Some(seen)) => {
            let age = seconds_since(seen.at);
            metrics::gauge!("englog_worker_heartbeat_age_seconds").set(age);
            metrics::gauge!("englog_worker_model_reachable_reported")
                .set(if seen.model_reachable { 1.0 } else { 0.0 });
        }
        Ok(None) => metrics::gauge!("englog_worker_heartbeat_age_seconds").set(-1.0),
        Err(err) => tracing::warn!(error = %err, "metrics: reading worker heartbeats failed"),
    }
}

fn seconds_since(at: chrono::DateTime<Utc>) -> f64 {
    std::cmp::max((Utc::now() - at).num_milliseconds(), 0) as f64 / 1000.0
}
