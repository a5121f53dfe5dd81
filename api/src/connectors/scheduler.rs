//! The connector scheduler: every `connectors.tick_secs`, syncs the
//! connectors that are due. Syncs of different people run side by side
//! (a few at a time); the claim in [`super::sync::run`] keeps one person's
//! syncs one at a time, across API instances too.

use chrono::{DateTime, Utc};
use entity::connector;
use futures_util::StreamExt;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

use super::sync::{self, SyncOutcome};
use crate::error::AppResult;
use crate::state::AppState;

/// Connectors synced at once by one instance.
const PARALLEL: usize = 4;
/// Connectors looked at per pass; the rest wait for the next one.
const BATCH: u64 = 100;

/// The connectors due at `now` and not held by a live sync.
pub async fn due(state: &AppState, now: DateTime<Utc>) -> AppResult<Vec<Uuid>> {
    Ok(connector::Entity::find()
        .select_only()
        .column(connector::Column::Id)
        .filter(connector::Column::NextSyncAt.lte(now))
        .filter(
            Condition::any()
                .add(connector::Column::LeaseUntil.is_null())
                .add(connector::Column::LeaseUntil.lte(now)),
        )
        .order_by_asc(connector::Column::NextSyncAt)
        .limit(BATCH)
        .into_tuple()
        .all(&state.db)
        .await?)
}

/// One pass: syncs what is due; returns how many syncs ran (succeeded or
/// failed; a busy connector is not counted).
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let ids = due(state, now).await?;
    let ran = futures_util::stream::iter(ids)
        .map(|id| async move {
            match sync::run(state, id).await {
                Ok(SyncOutcome::Busy) => 0,
                Ok(_) => 1,
                Err(err) => {
                    let err: async_graphql::Error = err.into();
                    tracing::warn!(connector = %id, error = %err.message, "connector sync not run");
                    0
                }
            }
        })
        .buffer_unordered(PARALLEL)
        .fold(0, |total, n| async move { total + n })
        .await;
    Ok(ran)
}

/// Runs passes until shutdown.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let tick = Duration::from_secs(state.settings.connectors.tick_secs.max(1));
    loop {
        if let Err(err) = run_due(&state, Utc::now()).await {
            let err: async_graphql::Error = err.into();
            tracing::warn!(error = %err.message, "connector scheduler pass failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
