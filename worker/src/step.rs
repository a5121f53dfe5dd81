//! One unit of work: take a job, write its report, send the outcome back,
//! acknowledge. The runner loops over it; tests call it directly.

use englog_core::jobs::{Job, JobEvent, ReportJob, ReportOutput};
use englog_core::report::context::metrics;
use englog_core::report::sections::split_sections;
use englog_core::report::{build_prompt, extract_citations};
use std::time::{Duration, Instant};
use tracing::Instrument;
use uuid::Uuid;

use crate::broker::{Broker, BrokerResult, Delivery};
use crate::llm::{Llm, LlmError};
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
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            backoff_base: Duration::from_secs(5),
            prompt_budget_tokens: 6_000,
            poll_wait: Duration::from_secs(2),
            heartbeat_every: Duration::from_secs(10),
            delta_flush: Duration::from_millis(150),
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
    Failed(Uuid),
    Cancelled(Uuid),
}

pub(crate) async fn emit(ctx: &WorkerContext, job: &Job, event: JobEvent) -> BrokerResult<()> {
    let mut envelope = job.envelope(event);
    // The API's handling of the event continues this job's trace.
    envelope.traceparent = crate::telemetry::traceparent(&tracing::Span::current());
    ctx.broker.publish_event(&envelope).await
}

enum RunError {
    Llm(LlmError),
    Cancelled,
    Broker(crate::broker::BrokerError),
}

impl From<crate::broker::BrokerError> for RunError {
    fn from(e: crate::broker::BrokerError) -> Self {
        RunError::Broker(e)
    }
}

/// Streams the report, forwarding text in batches and keeping the delivery
/// alive; stops early when the job is cancelled.
async fn generate(
    ctx: &WorkerContext,
    delivery: &Delivery,
    report: &ReportJob,
) -> Result<ReportOutput, RunError> {
    let job = &delivery.job;
    let built = build_prompt(report, ctx.settings.prompt_budget_tokens);
    let mut generation = ctx
        .llm
        .stream(&built.system, &built.prompt)
        .await
        .map_err(RunError::Llm)?;
    let mut text = String::new();
    let mut pending = String::new();
    let mut last_flush = Instant::now();
    // Beat on a timer, not per chunk: a model may think for longer than the
    // reclaim window before its first token.
    let mut beat = tokio::time::interval(ctx.settings.heartbeat_every);
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let next = tokio::select! {
            next = generation.next_text() => next,
            _ = beat.tick() => {
                ctx.broker.heartbeat(&ctx.consumer, delivery).await?;
                continue;
            }
        };
        let Some(piece) = next.map_err(RunError::Llm)? else {
            break;
        };
        text.push_str(&piece);
        pending.push_str(&piece);
        if last_flush.elapsed() >= ctx.settings.delta_flush {
            emit(
                ctx,
                job,
                JobEvent::Delta {
                    text: std::mem::take(&mut pending),
                },
            )
            .await?;
            last_flush = Instant::now();
            if ctx.broker.is_cancelled(report.job_id).await? {
                return Err(RunError::Cancelled);
            }
        }
    }
    if !pending.is_empty() {
        emit(ctx, job, JobEvent::Delta { text: pending }).await?;
    }
    let cited = extract_citations(&text, &built.refs);
    let stats = generation.stats().clone();
    let mut report_metrics = metrics(report);
    if let Some(map) = report_metrics.as_object_mut() {
        map.insert("promptLayer".into(), format!("{:?}", built.layer).into());
        map.insert(
            "estimatedPromptTokens".into(),
            built.estimated_tokens.into(),
        );
        map.insert("keyEntriesOmitted".into(), built.key_entries_omitted.into());
    }
    Ok(ReportOutput {
        sections: split_sections(&cited.content),
        content: cited.content,
        metrics: report_metrics,
        citations: cited.citations,
        invented_citations: cited.invented,
        model: ctx.llm.model().to_owned(),
        prompt_tokens: stats.prompt_tokens,
        completion_tokens: stats.completion_tokens,
        generation_ms: generation.elapsed().as_millis() as u64,
    })
}

pub(crate) fn backoff(settings: &WorkerSettings, attempt: u32) -> Duration {
    settings.backoff_base * 2u32.saturating_pow(attempt.saturating_sub(1).min(10))
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
    let kind = match &delivery.job {
        Job::Report(_) => "report",
        Job::Enrichment(_) => "enrichment",
    };
    let timer = JobTimer::start(kind, &delivery.id);
    let outcome = process_delivery(ctx, delivery).await;
    timer.finish(match &outcome {
        Ok(Outcome::Succeeded(_)) => "succeeded",
        Ok(Outcome::Retrying(_)) => "retrying",
        Ok(Outcome::Failed(_)) => "failed",
        Ok(Outcome::Cancelled(_)) => "cancelled",
        Ok(Outcome::Idle) => "idle",
        Err(_) => "broker_error",
    });
    outcome
}

async fn process_delivery(ctx: &WorkerContext, delivery: Delivery) -> BrokerResult<Outcome> {
    let report = match &delivery.job {
        Job::Report(report) => report.clone(),
        Job::Enrichment(enrichment) => {
            let enrichment = enrichment.clone();
            return crate::enrich::run(ctx, &delivery, &enrichment).await;
        }
    };
    let job = delivery.job.clone();
    let span = tracing::info_span!("job", job = %report.job_id, insight = %report.insight_id, attempt = report.attempt);
    crate::telemetry::continue_trace(&span, report.traceparent.as_deref());
    run_report(ctx, delivery, report, job)
        .instrument(span)
        .await
}

/// A report job, inside its span (which continues the request's trace).
async fn run_report(
    ctx: &WorkerContext,
    delivery: Delivery,
    report: ReportJob,
    job: Job,
) -> BrokerResult<Outcome> {
    if ctx.broker.is_cancelled(report.job_id).await? {
        ctx.broker.ack(&delivery).await?;
        return Ok(Outcome::Cancelled(report.job_id));
    }
    emit(
        ctx,
        &job,
        JobEvent::Started {
            attempt: report.attempt,
        },
    )
    .await?;
    let generation = tracing::info_span!("generation", model = ctx.llm.model());
    match generate(ctx, &delivery, &report)
        .instrument(generation)
        .await
    {
        Ok(output) => {
            tracing::info!(
                prompt_tokens = output.prompt_tokens,
                completion_tokens = output.completion_tokens,
                invented_citations = output.invented_citations,
                "report written"
            );
            if let (Some(mailer), Some(to)) = (&ctx.mailer, &report.notify_email) {
                // A mail problem never fails a finished report.
                match mailer.report_ready(to, &report, &output).await {
                    Ok(()) => tracing::info!("report mailed"),
                    Err(err) => tracing::warn!(error = %err, "could not mail the finished report"),
                }
            }
            emit(
                ctx,
                &job,
                JobEvent::Succeeded {
                    output: Box::new(output),
                },
            )
            .await?;
            ctx.broker.ack(&delivery).await?;
            Ok(Outcome::Succeeded(report.job_id))
        }
        Err(RunError::Cancelled) => {
            ctx.broker.ack(&delivery).await?;
            Ok(Outcome::Cancelled(report.job_id))
        }
        Err(RunError::Broker(err)) => Err(err),
        Err(RunError::Llm(err))
            if err.is_retryable() && report.attempt < ctx.settings.max_attempts =>
        {
            let delay = backoff(&ctx.settings, report.attempt);
            tracing::warn!(error = %err, ?delay, "attempt failed; retrying later");
            ctx.broker.retry_later(&job.next_attempt(), delay).await?;
            emit(
                ctx,
                &job,
                JobEvent::Retrying {
                    attempt: report.attempt,
                    reason: err.to_string(),
                },
            )
            .await?;
            ctx.broker.ack(&delivery).await?;
            Ok(Outcome::Retrying(report.job_id))
        }
        Err(RunError::Llm(err)) => {
            let reason = if err.is_retryable() {
                format!("{err} (gave up after {} attempts)", report.attempt)
            } else {
                err.to_string()
            };
            tracing::error!(%reason, "report failed");
            emit(
                ctx,
                &job,
                JobEvent::Failed {
                    reason: reason.clone(),
                },
            )
            .await?;
            ctx.broker.dead_letter(&delivery, &reason).await?;
            Ok(Outcome::Failed(report.job_id))
        }
    }
}
