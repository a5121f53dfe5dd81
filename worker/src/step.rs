//! One unit of work: take a job, write its report, send the outcome back,
//! acknowledge. The runner loops over it; tests call it directly.

use englog_core::generation::{AnswerTokens, answer_cap};
use englog_core::jobs::{Job, JobEvent, ReportJob, ReportOutput};
use englog_core::report::context::metrics;
use englog_core::report::quality::{self, GateInput, Thresholds, Verdict};
use englog_core::report::sections::split_sections;
use englog_core::report::{build_prompt, extract_citations};
use std::time::{Duration, Instant};
use tracing::Instrument;
use uuid::Uuid;

use crate::broker::{Broker, BrokerResult, Delivery};
use crate::llm::{Llm, LlmError, Sampling};
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

pub(crate) async fn emit(ctx: &WorkerContext, job: &Job, event: JobEvent) -> BrokerResult<()> {
    let mut envelope = job.envelope(event);
    // The API's handling of the event continues this job's trace.
    envelope.traceparent = crate::telemetry::traceparent(&tracing::Span::current());
    ctx.broker.publish_event(&envelope).await
}

/// Sampling temperature of a first attempt, and of the retry after the
/// quality gate refused an answer (steadier, less inventive).
const TEMPERATURE: f32 = 0.3;
const STRICT_TEMPERATURE: f32 = 0.1;

enum RunError {
    Llm(LlmError),
    Cancelled,
    Broker(crate::broker::BrokerError),
    /// The quality gate refused the answer, also after the stricter retry.
    Refused(String),
}

/// A finished answer and the gate's verdict on it.
struct Written {
    output: ReportOutput,
    verdict: Verdict,
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
    reminder: Option<&str>,
) -> Result<Written, RunError> {
    let job = &delivery.job;
    let mut built = build_prompt(report, ctx.settings.prompt_budget_tokens);
    if let Some(reminder) = reminder {
        built.prompt.push('\n');
        built.prompt.push_str(reminder);
    }
    let sampling = Sampling {
        num_predict: answer_cap(
            ctx.settings.answer_tokens.report(report.report_type),
            ctx.llm.context_tokens(),
            built.estimated_tokens,
        ),
        num_ctx: ctx.llm.context_tokens(),
        temperature: if reminder.is_some() {
            STRICT_TEMPERATURE
        } else {
            TEMPERATURE
        },
    };
    let mut generation = ctx
        .llm
        .stream(&built.system, &built.prompt, sampling)
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
    // Markers count as citations only outside lines copied from the
    // prompt's listing: a copied `[E3] Mon …` line names an entry but
    // cites nothing.
    let thresholds = Thresholds::default();
    let own_words = quality::without_echo(&text, &built.prompt, thresholds.echo_min_line_chars);
    let mut cited_entries: Vec<Uuid> = extract_citations(&own_words, &built.refs)
        .citations
        .iter()
        .flat_map(|c| c.entry_ids.iter().copied())
        .collect();
    cited_entries.sort_unstable();
    cited_entries.dedup();
    let verdict = quality::assess(
        &GateInput {
            text: &text,
            prompt: &built.prompt,
            report_type: report.report_type,
            period_entries: built.refs.len(),
            valid_citations: cited_entries.len(),
            invented_citations: cited.invented,
            stop: stats.stop,
        },
        &thresholds,
    );
    let mut report_metrics = metrics(report);
    if let Some(map) = report_metrics.as_object_mut() {
        use englog_core::report::diagnostics as key;
        map.insert(
            key::PROMPT_LAYER.into(),
            format!("{:?}", built.layer).into(),
        );
        map.insert(
            key::ESTIMATED_PROMPT_TOKENS.into(),
            built.estimated_tokens.into(),
        );
        map.insert(
            key::KEY_ENTRIES_OMITTED.into(),
            built.key_entries_omitted.into(),
        );
        map.insert(key::ANSWER_TOKEN_CAP.into(), sampling.num_predict.into());
        map.insert(key::DONE_REASON.into(), stats.stop.as_str().into());
        map.insert(key::QUALITY_RETRY.into(), reminder.is_some().into());
    }
    let output = ReportOutput {
        sections: split_sections(&cited.content),
        content: cited.content,
        metrics: report_metrics,
        citations: cited.citations,
        invented_citations: cited.invented,
        model: ctx.llm.model().to_owned(),
        prompt_tokens: stats.prompt_tokens,
        completion_tokens: stats.completion_tokens,
        generation_ms: generation.elapsed().as_millis() as u64,
        warnings: match &verdict {
            Verdict::PassWithWarnings(findings) => {
                findings.iter().map(|f| f.reason.clone()).collect()
            }
            _ => Vec::new(),
        },
    };
    Ok(Written { output, verdict })
}

/// Writes the report; when the gate refuses the answer, says so and writes
/// it once more with a stricter prompt (the person watching sees the text
/// start over), then gives up with the gate's reasons.
async fn write_checked(
    ctx: &WorkerContext,
    delivery: &Delivery,
    report: &ReportJob,
) -> Result<ReportOutput, RunError> {
    let first = generate(ctx, delivery, report, None).await?;
    let Verdict::Reject(findings) = &first.verdict else {
        return Ok(first.output);
    };
    let reasons = quality::reasons(findings);
    tracing::warn!(%reasons, "the quality gate refused the answer; writing it again with stricter instructions");
    emit(
        ctx,
        &delivery.job,
        JobEvent::Retrying {
            attempt: report.attempt,
            reason: format!("the answer did not pass the quality check ({reasons}); writing it again with stricter instructions"),
        },
    )
    .await?;
    emit(
        ctx,
        &delivery.job,
        JobEvent::Started {
            attempt: report.attempt,
        },
    )
    .await?;
    let reminder = quality::stricter_reminder(findings);
    let second = generate(ctx, delivery, report, Some(&reminder)).await?;
    match &second.verdict {
        Verdict::Reject(findings) => Err(RunError::Refused(format!(
            "The model's report did not pass the quality check, also after a second try with stricter instructions: {}",
            quality::reasons(findings)
        ))),
        _ => Ok(second.output),
    }
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
        Ok(Outcome::WaitingForModel(_)) => "waiting_for_model",
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
    match write_checked(ctx, &delivery, &report)
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
        Err(RunError::Refused(reason)) => {
            tracing::error!(%reason, "report refused by the quality gate");
            fail(ctx, &delivery, reason).await
        }
        Err(RunError::Llm(err @ LlmError::Unreachable { .. })) => {
            wait_for_model(ctx, &delivery, &report, err).await
        }
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
            fail(ctx, &delivery, reason).await
        }
    }
}

/// The model service is down (a GPU box rebooting, Ollama restarting):
/// the report is put back, with the same attempt, to be tried again in
/// `model_retry_every`, and the person reads why it waits; past
/// `model_patience` since the first time, it fails. Errors of the model
/// itself (a 500, a malformed answer) keep their attempts.
async fn wait_for_model(
    ctx: &WorkerContext,
    delivery: &Delivery,
    report: &ReportJob,
    err: LlmError,
) -> BrokerResult<Outcome> {
    let now = chrono::Utc::now();
    let waiting = report.waiting_for_model(now);
    let since = waiting.model_wait_since.unwrap_or(now);
    let waited = (now - since).to_std().unwrap_or_default();
    if waited >= ctx.settings.model_patience {
        let waited = match waited.as_secs() {
            s if s < 120 => format!("{s} s"),
            s if s < 2 * 3600 => format!("{} min", s / 60),
            s => format!("{} h", s / 3600),
        };
        let reason = format!("{err}; gave up after waiting {waited} for the model service");
        tracing::error!(%reason, "report failed");
        return fail(ctx, delivery, reason).await;
    }
    tracing::warn!(error = %err, waited_secs = waited.as_secs(), "the model service is unreachable; the report waits for it");
    ctx.broker
        .retry_later(&Job::Report(waiting), ctx.settings.model_retry_every)
        .await?;
    emit(
        ctx,
        &delivery.job,
        JobEvent::Retrying {
            attempt: report.attempt,
            reason: format!("{WAITING_FOR_MODEL} ({err})"),
        },
    )
    .await?;
    ctx.broker.ack(delivery).await?;
    Ok(Outcome::WaitingForModel(report.job_id))
}

/// What a report waiting for its model service says (after `retrying: `).
pub const WAITING_FOR_MODEL: &str = "waiting for the model service";

/// Ends a report as failed: the person reads `reason`, the delivery goes
/// to the dead letters for an operator.
async fn fail(ctx: &WorkerContext, delivery: &Delivery, reason: String) -> BrokerResult<Outcome> {
    emit(
        ctx,
        &delivery.job,
        JobEvent::Failed {
            reason: reason.clone(),
        },
    )
    .await?;
    ctx.broker.dead_letter(delivery, &reason).await?;
    Ok(Outcome::Failed(delivery.job.job_id()))
}
