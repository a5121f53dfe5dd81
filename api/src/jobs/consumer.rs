//! Reads the workers' events and hands each to the handler it is given
//! (the router in [`crate::background`]), acknowledging each batch once
//! handled. Several API instances share the work through the consumer
//! group; an event whose handling fails stays pending and is redelivered
//! after the reclaim window.

use englog_core::jobs::JobEventEnvelope;
use futures_util::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tracing::Instrument;

use crate::error::AppResult;
use crate::state::AppState;

/// What applies one event: stores its change and fans it out.
pub type Handler =
    Arc<dyn Fn(AppState, JobEventEnvelope) -> BoxFuture<'static, AppResult<()>> + Send + Sync>;

/// Runs until `shutdown` turns true.
pub async fn run(
    state: AppState,
    consumer: String,
    handle: Handler,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        let batch = tokio::select! {
            batch = state.broker.next_events(&consumer, 64, Duration::from_millis(500)) => batch,
            _ = shutdown.changed() => return,
        };
        let batch = match batch {
            Ok(batch) => batch,
            Err(err) => {
                tracing::warn!(error = %err, "broker unavailable for events; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = shutdown.changed() => return,
                }
                continue;
            }
        };
        let mut done = Vec::with_capacity(batch.len());
        for (id, event) in batch {
            // Continues the trace of the job the event is about.
            let span = tracing::info_span!("jobEvent", job = %event.job_id);
            englog_worker::telemetry::continue_trace(&span, event.traceparent.as_deref());
            let counted = event
                .event
                .metric_name()
                .map(|name| (event.kind.as_str(), name));
            match handle(state.clone(), event).instrument(span).await {
                Ok(()) => {
                    if let Some((kind, name)) = counted {
                        metrics::counter!("englog_job_events_total", "kind" => kind, "event" => name)
                            .increment(1);
                    }
                    done.push(id);
                }
                Err(err) => {
                    let err: async_graphql::Error = err.into();
                    tracing::warn!(error = %err.message, "could not apply a worker event");
                }
            }
        }
        if let Err(err) = state.broker.ack_events(&done).await {
            tracing::warn!(error = %err, "could not acknowledge events");
        }
    }
}
