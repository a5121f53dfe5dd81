//! Enrichment jobs: ask the model about one entry with a JSON schema as the
//! output format, check the answer, send the suggestions back. An answer
//! that breaks the schema is retried like a failed call, a bounded number
//! of times, then the job is dropped: no suggestion, nothing else affected.

use englog_core::enrichment::{
    EnrichmentJob, EnrichmentOutput, SYSTEM, build_prompt, output_schema, parse_output,
};
use englog_core::jobs::{Job, JobEvent};

use crate::broker::{BrokerResult, Delivery};
use crate::llm::LlmError;
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

/// The whole answer, keeping the delivery alive while the model thinks.
async fn answer(
    ctx: &WorkerContext,
    delivery: &Delivery,
    job: &EnrichmentJob,
) -> BrokerResult<Result<String, LlmError>> {
    let prompt = build_prompt(job);
    let mut generation = match ctx
        .llm
        .stream_json(SYSTEM, &prompt, output_schema(job))
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
            Ok(None) => return Ok(Ok(text)),
            Err(e) => return Ok(Err(e)),
        }
    }
}

pub async fn run(
    ctx: &WorkerContext,
    delivery: &Delivery,
    enrichment: &EnrichmentJob,
) -> BrokerResult<Outcome> {
    let job = Job::Enrichment(enrichment.clone());
    let span = tracing::info_span!("enrichment", job = %enrichment.job_id, entry = %enrichment.entry.id, attempt = enrichment.attempt);
    let _enter = span.enter();
    emit(
        ctx,
        &job,
        JobEvent::Started {
            attempt: enrichment.attempt,
        },
    )
    .await?;
    let result = match answer(ctx, delivery, enrichment).await? {
        Ok(text) => parse_output(enrichment, &text).map_err(Attempt::Invalid),
        Err(e) => Err(Attempt::Llm(e)),
    };
    match result {
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
