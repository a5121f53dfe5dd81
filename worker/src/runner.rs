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
            Ok(Outcome::WaitingForModel(_)) => {
                failures = 0;
                wait_until_model_answers(&ctx, &mut shutdown).await;
            }
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

/// Longest pause between two probes of an unreachable model service.
const MAX_PROBE_GAP: Duration = Duration::from_secs(30);

/// Takes no job while the model service is unreachable (each one would
/// only be put back): probes it with a doubling gap, from 1 s up to
/// [`MAX_PROBE_GAP`], until it answers, the worker stops, or
/// `model_retry_every` has passed — then one job is taken again, so a job
/// that waited past its patience is failed rather than held for ever.
async fn wait_until_model_answers(ctx: &WorkerContext, shutdown: &mut watch::Receiver<bool>) {
    let started = tokio::time::Instant::now();
    let mut gap = Duration::from_secs(1);
    while !ctx.llm.reachable().await {
        let left = ctx
            .settings
            .model_retry_every
            .saturating_sub(started.elapsed());
        if left.is_zero() {
            return;
        }
        tracing::info!(?gap, "waiting for the model service before taking jobs");
        tokio::select! {
            _ = tokio::time::sleep(gap.min(left)) => {}
            _ = shutdown.changed() => return,
        }
        gap = (gap * 2).min(MAX_PROBE_GAP);
    }
}
