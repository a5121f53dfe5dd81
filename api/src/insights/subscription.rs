//! `insightUpdates`: a report's status and text as it is written.

use async_graphql::{Context, Result, SimpleObject, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::graphql::Insight;
use super::service::find_owned;
use crate::auth::require_user;
use crate::graphql::enums::InsightStatusGql;
use crate::state::AppState;

/// One change of a report.
#[derive(SimpleObject, Clone)]
pub struct InsightUpdate {
    pub insight_id: Uuid,
    pub status: InsightStatusGql,
    /// Text added since the previous update, while RUNNING.
    pub delta: Option<String>,
    pub error: Option<String>,
    /// The whole report: on the first update and on the final one.
    pub insight: Option<Insight>,
}

fn is_terminal(status: InsightStatusGql) -> bool {
    matches!(
        status,
        InsightStatusGql::Succeeded | InsightStatusGql::Failed | InsightStatusGql::Cancelled
    )
}

fn snapshot(insight: Insight) -> InsightUpdate {
    InsightUpdate {
        insight_id: insight.id,
        status: insight.status,
        delta: None,
        error: insight.error.clone(),
        insight: Some(insight),
    }
}

enum Phase {
    Start(Box<InsightUpdate>),
    Live,
    Done,
}

/// The report as stored. A read that fails is sent to the subscriber as
/// its error (an internal one opaque, its cause logged), not swallowed
/// into a subscription that just stops.
async fn stored(state: &AppState, user_id: Uuid, id: Uuid) -> Result<Insight> {
    Ok(find_owned(&state.db, user_id, id).await?.try_into()?)
}

/// The stored state instead of missed updates (this subscriber fell
/// behind, or the updates channel was lost for a while), and the phase
/// after it: the end after a terminal state or a failed read.
async fn reread(state: &AppState, user_id: Uuid, id: Uuid) -> (Result<InsightUpdate>, Phase) {
    match stored(state, user_id, id).await {
        Ok(insight) if is_terminal(insight.status) => (Ok(snapshot(insight)), Phase::Done),
        Ok(insight) => (Ok(snapshot(insight)), Phase::Live),
        Err(error) => (Err(error), Phase::Done),
    }
}

#[derive(Default)]
pub struct InsightSubscription;

#[Subscription]
impl InsightSubscription {
    /// Changes of all the caller's reports, including new ones (QUEUED when
    /// requested), for as long as the subscription stays open.
    async fn my_insight_updates(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = InsightUpdate>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?.clone();
        let rx = state.broker.updates();
        Ok(futures_util::stream::unfold(rx, move |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(u) if u.user_id == user_id => {
                        let out = InsightUpdate {
                            insight_id: u.insight_id,
                            status: u.status.into(),
                            delta: u.delta,
                            error: u.error,
                            insight: None,
                        };
                        return Some((out, rx));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }

    /// The report's current state, then every change until it succeeds,
    /// fails or is cancelled. A report that can no longer be read ends it
    /// with an error.
    async fn insight_updates(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> Result<impl Stream<Item = Result<InsightUpdate>>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?.clone();
        // Listen before reading, so no change falls between the two.
        let rx = state.broker.updates();
        let resyncs = state.broker.resyncs();
        let current: Insight = find_owned(&state.db, user_id, id).await?.try_into()?;
        let start = Phase::Start(Box::new(snapshot(current)));
        Ok(futures_util::stream::unfold(
            (start, rx, resyncs, state),
            move |(phase, mut rx, mut resyncs, state)| async move {
                match phase {
                    Phase::Done => None,
                    Phase::Start(first) => {
                        let next = if is_terminal(first.status) {
                            Phase::Done
                        } else {
                            Phase::Live
                        };
                        Some((Ok(*first), (next, rx, resyncs, state)))
                    }
                    Phase::Live => loop {
                        let received = tokio::select! {
                            received = rx.recv() => received,
                            // The updates channel was lost and is back:
                            // what was published meanwhile never came.
                            Ok(()) = resyncs.recv() => {
                                let (update, next) = reread(&state, user_id, id).await;
                                return Some((update, (next, rx, resyncs, state)));
                            }
                        };
                        let update = match received {
                            Ok(u) if u.insight_id == id => u,
                            Ok(_) => continue,
                            // Fell behind: re-read the stored state instead.
                            Err(RecvError::Lagged(_)) => {
                                let (update, next) = reread(&state, user_id, id).await;
                                return Some((update, (next, rx, resyncs, state)));
                            }
                            Err(RecvError::Closed) => return None,
                        };
                        let status: InsightStatusGql = update.status.into();
                        if is_terminal(status) {
                            let last = stored(&state, user_id, id).await.map(snapshot);
                            return Some((last, (Phase::Done, rx, resyncs, state)));
                        }
                        let out = InsightUpdate {
                            insight_id: id,
                            status,
                            delta: update.delta,
                            error: update.error,
                            insight: None,
                        };
                        return Some((Ok(out), (Phase::Live, rx, resyncs, state)));
                    },
                }
            },
        ))
    }
}
