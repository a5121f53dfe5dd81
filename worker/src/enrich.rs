//! Enrichment jobs: ask the model about one entry with a JSON schema as the
//! output format, check the answer, send the suggestions back. An answer
//! that breaks the schema is retried like a failed call, a bounded number
//! of times, then the job is dropped: no suggestion, nothing else affected.

use englog_core::enrichment::{
    BRIEF_REMINDER, EnrichmentJob, EnrichmentOutput, SYSTEM, build_prompt, output_schema,
    parse_output,
};
use englog_core::generation::StopReason;
use englog_core::jobs::{Job, JobEvent};
use tracing::Instrument;

use crate::broker::{BrokerResult, Delivery};
use crate::llm::{LlmError, Sampling};
use crate::step::{Outcome, WorkerContext, backoff, emit};

/// Why an attempt produced no suggestions.
enum Attempt {
    Llm(LlmError),
    /// The answer broke the schema.
    Invalid(String),
}

impl Attempt {
    fn retryable(&self) -> bool {
        match self {
            Attempt::Llm(e) => e.is_retryable(),
            Attempt::Invalid(_) => true,
        }
    }

    fn reason(&self) -> String {
        match self {
            Attempt::Llm(e) => e.to_string(),
            Attempt::Invalid(why) => format!("the model's answer broke the schema: {why}"),
        }
    }
}

/// The whole answer and why the model stopped, keeping the delivery alive
/// while the model thinks. `brief` asks for short reasons: the retry of an
/// answer cut off at its cap.
async fn answer(
    ctx: &WorkerContext,
    delivery: &Delivery,
    job: &EnrichmentJob,
    brief: bool,
) -> BrokerResult<Result<(String, StopReason), LlmError>> {
    let mut prompt = build_prompt(job);
    if brief {
        prompt.push_str(BRIEF_REMINDER);
    }
    let sampling = Sampling {
        num_predict: ctx.settings.answer_tokens.enrichment,
        num_ctx: ctx.settings.enrichment_context_tokens,
        temperature: 0.2,
    };
    let mut generation = match ctx
        .llm
        .stream_json(SYSTEM, &prompt, output_schema(job), sampling)
        .await
    {
        Ok(g) => g,
        Err(e) => return Ok(Err(e)),
    };
    let mut text = String::new();
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
        match next {
            Ok(Some(piece)) => text.push_str(&piece),
            Ok(None) => return Ok(Ok((text, generation.stats().stop))),
            Err(e) => return Ok(Err(e)),
        }
    }
}

pub async fn run(
    ctx: &WorkerContext,
    delivery: &Delivery,
    enrichment: &EnrichmentJob,
) -> BrokerResult<Outcome> {
    let span = tracing::info_span!("enrichment", job = %enrichment.job_id, entry = %enrichment.entry.id, attempt = enrichment.attempt);
    run_in_span(ctx, delivery, enrichment)
        .instrument(span)
        .await
}

/// The answer, parsed. An answer cut off at its cap is usually JSON left
/// open: asked again at once for brief reasons, it fits.
async fn suggestions(
    ctx: &WorkerContext,
    delivery: &Delivery,
    enrichment: &EnrichmentJob,
) -> BrokerResult<Result<Vec<englog_core::enrichment::FieldSuggestion>, Attempt>> {
    let (text, stop) = match answer(ctx, delivery, enrichment, false).await? {
        Ok(answered) => answered,
        Err(e) => return Ok(Err(Attempt::Llm(e))),
    };
    match parse_output(enrichment, &text) {
        Err(_) if stop == StopReason::Length => {
            tracing::info!("the answer was cut off at its cap; asking for a briefer one");
            Ok(match answer(ctx, delivery, enrichment, true).await? {
                Ok((text, _)) => parse_output(enrichment, &text).map_err(Attempt::Invalid),
                Err(e) => Err(Attempt::Llm(e)),
            })
        }
        parsed => Ok(parsed.map_err(Attempt::Invalid)),
    }
}

async fn run_in_span(
    ctx: &WorkerContext,
    delivery: &Delivery,
    enrichment: &EnrichmentJob,
) -> BrokerResult<Outcome> {
    let job = Job::Enrichment(enrichment.clone());
    emit(
        ctx,
        &job,
        JobEvent::Started {
            attempt: enrichment.attempt,
        },
    )
    .await?;
    match suggestions(ctx, delivery, enrichment).await? {
        Ok(suggestions) => {
            tracing::info!(count = suggestions.len(), "entry enriched");
            let output = EnrichmentOutput {
                entry_id: enrichment.entry.id,
                text_hash: enrichment.text_hash.clone(),
                batch_id: enrichment.batch_id,
                suggestions,
                model: ctx.llm.model().to_owned(),
            };
            emit(
                ctx,
                &job,
                JobEvent::Enriched {
                    output: Box::new(output),
                },
            )
            .await?;
            ctx.broker.ack(delivery).await?;
            Ok(Outcome::Succeeded(enrichment.job_id))
        }
        Err(failure) if failure.retryable() && enrichment.attempt < ctx.settings.max_attempts => {
            let delay = backoff(&ctx.settings, enrichment.attempt);
            let reason = failure.reason();
            tracing::warn!(%reason, ?delay, "enrichment attempt failed; retrying later");
            ctx.broker.retry_later(&job.next_attempt(), delay).await?;
            emit(
                ctx,
                &job,
                JobEvent::Retrying {
                    attempt: enrichment.attempt,
                    reason,
                },
            )
            .await?;
            ctx.broker.ack(delivery).await?;
            Ok(Outcome::Retrying(enrichment.job_id))
        }
        Err(failure) => {
            // Dropped, not dead-lettered: a missing suggestion harms nobody,
            // and the next edit of the entry asks again.
            let reason = format!(
                "{} (dropped after {} attempts)",
                failure.reason(),
                enrichment.attempt
            );
            tracing::warn!(%reason, "enrichment dropped");
            emit(ctx, &job, JobEvent::Failed { reason }).await?;
            ctx.broker.ack(delivery).await?;
            Ok(Outcome::Failed(enrichment.job_id))
        }
    }
}
