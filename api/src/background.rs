//! The API's background work, above the job kinds: the outbox relay, the
//! consumer of worker events with the router that sends each event to its
//! kind's handler by the event's subject, the report scheduler, the
//! connector sync scheduler, the missed-day nudge, and (the embedded
//! default) a worker.

use englog_core::jobs::{JobEventEnvelope, JobSubject};
use futures_util::FutureExt;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::AppResult;
use crate::jobs::{consumer, embedded_worker, relay};
use crate::state::AppState;

/// Applies one worker event with the handler of what it is about. A new
/// kind of subject adds one arm here.
async fn route(state: AppState, event: JobEventEnvelope) -> AppResult<()> {
    match event.subject {
        JobSubject::Insight(id) => crate::insights::events::apply(&state, id, &event).await,
        JobSubject::Entry(id) => crate::enrichment::ingest::apply(&state, id, &event).await,
    }
}

/// Spawns the background tasks; they stop when `shutdown` turns true.
pub fn start(
    state: &AppState,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let instance = format!("api-{}", uuid::Uuid::new_v4().simple());
    let handler: consumer::Handler = Arc::new(|state, event| route(state, event).boxed());
    let mut tasks = vec![
        tokio::spawn(relay::run(state.clone(), shutdown.clone())),
        tokio::spawn(consumer::run(
            state.clone(),
            instance.clone(),
            handler,
            shutdown.clone(),
        )),
    ];
    if state.settings.reports.scheduler {
        tasks.push(tokio::spawn(crate::insights::schedule::run(
            state.clone(),
            shutdown.clone(),
        )));
    }
    if state.settings.connectors.scheduler {
        tasks.push(tokio::spawn(crate::connectors::scheduler::run(
            state.clone(),
            shutdown.clone(),
        )));
    }
    if state.settings.nudge.scheduler {
        tasks.push(tokio::spawn(crate::nudge::schedule::run(
            state.clone(),
            shutdown.clone(),
        )));
    }
    if embedded_worker::enabled(state) {
        tasks.extend(embedded_worker::start(state, &instance, shutdown)?);
    }
    Ok(tasks)
}
