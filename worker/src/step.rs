//! One unit of work: take a job of any kind and see it through
//! ([`crate::lifecycle`]). The runner loops over it; tests call it directly.
//! Also what a worker is given: its context and settings.

use englog_core::generation::AnswerTokens;
use std::time::Duration;
use uuid::Uuid;

use crate::broker::{Broker, BrokerResult};
use crate::llm::Llm;
use crate::metrics::JobTimer;

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Attempts before a job is dead-lettered.
    pub max_attempts: u32,
    /// Delay before the second attempt; doubles each time.
    pub backoff_base: Duration,
    /// Prompt budget in tokens (system + prompt).
    pub prompt_budget_tokens: usize,
    /// How long one read waits for a job.
    pub poll_wait: Duration,
    /// How often a busy worker tells the broker it is alive.
    pub heartbeat_every: Duration,
    /// Streamed text is sent in batches at most this far apart.
    pub delta_flush: Duration,
    /// Answer caps (`num_predict`) per kind of job.
    pub answer_tokens: AnswerTokens,
    /// Context window (`num_ctx`) of enrichment calls; reports use the
    /// model client's.
    pub enrichment_context_tokens: u32,
    /// How long a report waits for an unreachable model service (a GPU box
    /// rebooting) before it fails; no attempt is spent meanwhile.
    pub model_patience: Duration,
    /// How soon a report waiting for the model service is tried again.
    pub model_retry_every: Duration,
}

/// Defaults shared by `englog-worker` and the API's embedded worker.
pub const DEFAULT_MODEL_PATIENCE: Duration = Duration::from_secs(6 * 60 * 60);
pub const DEFAULT_MODEL_RETRY_EVERY: Duration = Duration::from_secs(30);

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            backoff_base: Duration::from_secs(5),
            prompt_budget_tokens: 6_000,
            poll_wait: Duration::from_secs(2),
            heartbeat_every: Duration::from_secs(10),
            delta_flush: Duration::from_millis(150),
            answer_tokens: AnswerTokens::default(),
            enrichment_context_tokens: englog_core::generation::ENRICHMENT_CONTEXT_TOKENS,
            model_patience: DEFAULT_MODEL_PATIENCE,
            model_retry_every: DEFAULT_MODEL_RETRY_EVERY,
        }
    }
}

#[derive(Clone)]
pub struct WorkerContext {
    pub broker: Broker,
    pub llm: Llm,
    /// Sends finished reports to owners who opted in; `None`: no mail.
    pub mailer: Option<crate::mail::Mailer>,
    /// Unique per worker process and slot; the broker tracks deliveries by it.
    pub consumer: String,
    pub settings: WorkerSettings,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// No job arrived within the poll wait.
    Idle,
    Succeeded(Uuid),
    Retrying(Uuid),
    /// The model service did not answer: the job waits for it (no attempt
    /// spent), and the runner stops taking jobs until it answers again.
    WaitingForModel(Uuid),
    Failed(Uuid),
    Cancelled(Uuid),
}

impl Outcome {
    /// The outcome's label in `englog_worker_job_duration_seconds`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Idle => "idle",
            Outcome::Succeeded(_) => "succeeded",
            Outcome::Retrying(_) => "retrying",
            Outcome::WaitingForModel(_) => "waiting_for_model",
            Outcome::Failed(_) => "failed",
            Outcome::Cancelled(_) => "cancelled",
        }
    }
}

/// Takes one job and sees it through. Broker errors are returned (the runner
/// backs off); everything about the job itself ends in an event.
pub async fn process_next(ctx: &WorkerContext) -> BrokerResult<Outcome> {
    let Some(delivery) = ctx
        .broker
        .next_job(&ctx.consumer, ctx.settings.poll_wait)
        .await?
    else {
        return Ok(Outcome::Idle);
    };
    let timer = JobTimer::start(delivery.job.kind().as_str(), &delivery.id);
    let outcome = crate::lifecycle::run(ctx, delivery).await;
    timer.finish(match &outcome {
        Ok(outcome) => outcome.as_str(),
        Err(_) => "broker_error",
    });
    outcome
}
