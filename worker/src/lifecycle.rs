//! The one lifecycle every job kind shares: skip a cancelled job, say it
//! started, let the kind do its work ([`crate::kinds`]), then settle the
//! outcome — send the result and acknowledge, retry later with backoff,
//! wait for an unreachable model service without spending an attempt, or
//! give up (dead letter or drop, as the kind says). Heartbeats keep the
//! delivery while the kind works ([`keep_alive`]).

use chrono::Utc;
use englog_core::jobs::{Job, JobEvent};
use std::time::Duration;
use tracing::Instrument;

use crate::broker::{BrokerError, BrokerResult, Delivery};
use crate::kinds;
use crate::llm::LlmError;
use crate::step::{Outcome, WorkerContext, WorkerSettings};

/// Why a kind's work produced no result.
pub(crate) enum Failure {
    /// The model service did not answer: the job waits for it.
    Unreachable(LlmError),
    /// Worth another attempt (a 500, a timeout, an answer that broke the
    /// expected form).
    Retryable(String),
    /// No further attempt would do better.
    Final(String),
    /// The person cancelled the job while it ran.
    Cancelled,
    /// The broker failed: the runner backs off, the delivery is reclaimed.
    Broker(BrokerError),
}

impl From<BrokerError> for Failure {
    fn from(e: BrokerError) -> Self {
        Failure::Broker(e)
    }
}

impl From<LlmError> for Failure {
    fn from(err: LlmError) -> Self {
        match err {
            LlmError::Unreachable { .. } => Failure::Unreachable(err),
            err if err.is_retryable() => Failure::Retryable(err.to_string()),
            err => Failure::Final(err.to_string()),
        }
    }
}

/// What a kind tells the lifecycle about itself.
pub(crate) struct KindPolicy {
    /// The span the job's work runs in.
    pub span: tracing::Span,
    /// A job given up on goes to the dead letters for an operator (else it
    /// is dropped: nobody misses it, and a later edit asks again).
    pub dead_letter: bool,
    /// How a give-up after the last attempt reads: "gave up", "dropped".
    pub gave_up: &'static str,
}

/// What a job waiting for its model service says (after `retrying: `).
pub const WAITING_FOR_MODEL: &str = "waiting for the model service";

/// Sends an event about `job`, continuing the current span's trace.
pub(crate) async fn emit(ctx: &WorkerContext, job: &Job, event: JobEvent) -> BrokerResult<()> {
    let mut envelope = job.envelope(event);
    // The API's handling of the event continues this job's trace.
    envelope.traceparent = crate::telemetry::traceparent(&tracing::Span::current());
    ctx.broker.publish_event(&envelope).await
}

/// Keeps the delivery alive while `work` runs: a model may think for
/// longer than the reclaim window before it answers anything.
async fn keep_alive<T>(
    ctx: &WorkerContext,
    delivery: &Delivery,
    work: impl std::future::Future<Output = T>,
) -> BrokerResult<T> {
    let mut beat = tokio::time::interval(ctx.settings.heartbeat_every);
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    beat.tick().await; // the first tick is immediate
    tokio::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return Ok(done),
            _ = beat.tick() => ctx.broker.heartbeat(&ctx.consumer, delivery).await?,
        }
    }
}

pub(crate) fn backoff(settings: &WorkerSettings, attempt: u32) -> Duration {
    settings.backoff_base * 2u32.saturating_pow(attempt.saturating_sub(1).min(10))
}

/// Sees one delivered job through, whatever its kind.
pub(crate) async fn run(ctx: &WorkerContext, delivery: Delivery) -> BrokerResult<Outcome> {
    let policy = kinds::policy(&delivery.job);
    crate::telemetry::continue_trace(&policy.span, delivery.job.traceparent());
    let span = policy.span.clone();
    run_in_span(ctx, delivery, policy).instrument(span).await
}

async fn run_in_span(
    ctx: &WorkerContext,
    delivery: Delivery,
    policy: KindPolicy,
) -> BrokerResult<Outcome> {
    let job = &delivery.job;
    let id = job.job_id();
    if ctx.broker.is_cancelled(id).await? {
        ctx.broker.ack(&delivery).await?;
        return Ok(Outcome::Cancelled(id));
    }
    let attempt = job.attempt();
    emit(ctx, job, JobEvent::Started { attempt }).await?;
    match keep_alive(ctx, &delivery, kinds::work(ctx, &delivery)).await? {
        Ok(result) => {
            emit(ctx, job, result).await?;
            ctx.broker.ack(&delivery).await?;
            Ok(Outcome::Succeeded(id))
        }
        Err(Failure::Cancelled) => {
            ctx.broker.ack(&delivery).await?;
            Ok(Outcome::Cancelled(id))
        }
        Err(Failure::Broker(err)) => Err(err),
        Err(Failure::Unreachable(err)) => wait_for_model(ctx, &delivery, &policy, err).await,
        Err(Failure::Retryable(reason)) if attempt < ctx.settings.max_attempts => {
            let delay = backoff(&ctx.settings, attempt);
            tracing::warn!(%reason, ?delay, "attempt failed; retrying later");
            ctx.broker.retry_later(&job.next_attempt(), delay).await?;
            emit(ctx, job, JobEvent::Retrying { attempt, reason }).await?;
            ctx.broker.ack(&delivery).await?;
            Ok(Outcome::Retrying(id))
        }
        Err(Failure::Retryable(reason)) => {
            let reason = format!("{reason} ({} after {attempt} attempts)", policy.gave_up);
            give_up(ctx, &delivery, &policy, reason).await
        }
        Err(Failure::Final(reason)) => give_up(ctx, &delivery, &policy, reason).await,
    }
}

/// The model service is down (a GPU box rebooting, Ollama restarting):
/// the job is put back, with the same attempt, to be tried again in
/// `model_retry_every`, and the person reads why it waits; past
/// `model_patience` since the first time, it is given up on. Errors of the
/// model itself (a 500, a malformed answer) keep their attempts.
async fn wait_for_model(
    ctx: &WorkerContext,
    delivery: &Delivery,
    policy: &KindPolicy,
    err: LlmError,
) -> BrokerResult<Outcome> {
    let now = Utc::now();
    let waiting = delivery.job.waiting_for_model(now);
    let since = waiting.model_wait_since().unwrap_or(now);
    let waited = (now - since).to_std().unwrap_or_default();
    if waited >= ctx.settings.model_patience {
        let waited = match waited.as_secs() {
            s if s < 120 => format!("{s} s"),
            s if s < 2 * 3600 => format!("{} min", s / 60),
            s => format!("{} h", s / 3600),
        };
        let reason = format!("{err}; gave up after waiting {waited} for the model service");
        return give_up(ctx, delivery, policy, reason).await;
    }
    tracing::warn!(error = %err, waited_secs = waited.as_secs(), "the model service is unreachable; the job waits for it");
    ctx.broker
        .retry_later(&waiting, ctx.settings.model_retry_every)
        .await?;
    emit(
        ctx,
        &delivery.job,
        JobEvent::Retrying {
            attempt: delivery.job.attempt(),
            reason: format!("{WAITING_FOR_MODEL} ({err})"),
        },
    )
    .await?;
    ctx.broker.ack(delivery).await?;
    Ok(Outcome::WaitingForModel(delivery.job.job_id()))
}

/// Ends a job as failed: the person reads `reason`; the delivery goes to
/// the dead letters or is dropped, as its kind says.
async fn give_up(
    ctx: &WorkerContext,
    delivery: &Delivery,
    policy: &KindPolicy,
    reason: String,
) -> BrokerResult<Outcome> {
    tracing::error!(%reason, "job failed");
    emit(
        ctx,
        &delivery.job,
        JobEvent::Failed {
            reason: reason.clone(),
        },
    )
    .await?;
    if policy.dead_letter {
        ctx.broker.dead_letter(delivery, &reason).await?;
    } else {
        ctx.broker.ack(delivery).await?;
    }
    Ok(Outcome::Failed(delivery.job.job_id()))
}
