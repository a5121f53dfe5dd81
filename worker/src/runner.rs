//! The worker loop: `process_next` until shutdown, finishing the job in hand
//! (a job interrupted by a kill is reclaimed by another worker).

use std::time::Duration;
use tokio::sync::watch;

use crate::step::{Outcome, WorkerContext, process_next};

/// Runs until `shutdown` turns true; checks it between jobs only, so a job
/// in progress is finished, not abandoned.
pub async fn run(ctx: WorkerContext, mut shutdown: watch::Receiver<bool>) {
    let mut failures = 0u32;
    tracing::info!(consumer = %ctx.consumer, model = ctx.llm.model(), "worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        match process_next(&ctx).await {
            Ok(outcome) => {
                failures = 0;
                if outcome != Outcome::Idle {
                    tracing::debug!(?outcome, "job done");
                }
            }
            Err(err) => {
                failures = failures.saturating_add(1);
                let delay = Duration::from_millis(250 * u64::from(failures.min(20)));
                tracing::warn!(error = %err, ?delay, "broker unavailable; backing off");
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }
    tracing::info!(consumer = %ctx.consumer, "worker stopped");
}
