//! `entrySuggestions` and `enrichmentProgress`: live enrichment results.

use async_graphql::{Context, Result, SimpleObject, Subscription};
use englog_worker::EnrichmentUpdate;
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::graphql::{EnrichmentBatch, EntrySuggestion, to_gql};
use super::service;
use crate::auth::require_user;
use crate::state::AppState;

/// New suggestions for an entry.
#[derive(SimpleObject, Clone)]
pub struct EntrySuggestionsUpdate {
    pub entry_id: Uuid,
    pub suggestions: Vec<EntrySuggestion>,
}

#[derive(Default)]
pub struct EnrichmentSubscription;

#[Subscription]
impl EnrichmentSubscription {
    /// Each time suggestions arrive for one of the caller's entries (or for
    /// `entryId` only), the entry's suggestions.
    async fn entry_suggestions(
        &self,
        ctx: &Context<'_>,
        entry_id: Option<Uuid>,
    ) -> Result<impl Stream<Item = Result<EntrySuggestionsUpdate>>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?.clone();
        let rx = state.broker.enrichment_updates();
        Ok(futures_util::stream::unfold(
            (rx, state),
            move |(mut rx, state)| async move {
                loop {
                    match rx.recv().await {
                        Ok(EnrichmentUpdate::Suggestions {
                            user_id: owner,
                            entry_id: id,
                        }) if owner == user_id && entry_id.is_none_or(|e| e == id) => {
                            // A failed read is sent as this update's error
                            // (logged, opaque); later updates still come.
                            let update = read_suggestions(&state, user_id, id).await;
                            return Some((update, (rx, state)));
                        }
                        Ok(_) | Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }

    /// A bulk run's progress: its current state, then each step, ending
    /// when every entry is done.
    async fn enrichment_progress(
        &self,
        ctx: &Context<'_>,
        batch_id: Uuid,
    ) -> Result<impl Stream<Item = Result<EnrichmentBatch>>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?.clone();
        // Listen before reading, so no step falls between the two.
        let rx = state.broker.enrichment_updates();
        let first: EnrichmentBatch = service::find_batch(&state.db, user_id, batch_id)
            .await?
            .into();
        Ok(futures_util::stream::unfold(
            (Some(first), false, rx, state),
            move |(first, finished, mut rx, state)| async move {
                if let Some(batch) = first {
                    let done = batch.done >= batch.total;
                    return Some((Ok(batch), (None, done, rx, state)));
                }
                if finished {
                    return None;
                }
                loop {
                    match rx.recv().await {
                        Ok(EnrichmentUpdate::Progress {
                            user_id: owner,
                            batch_id: id,
                            ..
                        }) if owner == user_id && id == batch_id => {}
                        // Fell behind: the stored state is the truth anyway.
                        Err(RecvError::Lagged(_)) => {}
                        Ok(_) => continue,
                        Err(RecvError::Closed) => return None,
                    }
                    // A batch that can no longer be read ends the
                    // subscription with the error (logged, opaque).
                    return match service::find_batch(&state.db, user_id, batch_id).await {
                        Ok(batch) => {
                            let batch = EnrichmentBatch::from(batch);
                            let done = batch.done >= batch.total;
                            Some((Ok(batch), (None, done, rx, state)))
                        }
                        Err(error) => Some((Err(error.into()), (None, true, rx, state))),
                    };
                }
            },
        ))
    }
}

/// An entry's suggestions as its subscriber is sent them.
async fn read_suggestions(
    state: &AppState,
    user_id: Uuid,
    entry_id: Uuid,
) -> Result<EntrySuggestionsUpdate> {
    let rows = service::for_entry(&state.db, user_id, entry_id).await?;
    Ok(EntrySuggestionsUpdate {
        entry_id,
        suggestions: to_gql(rows)?,
    })
}
