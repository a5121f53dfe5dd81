//! Enrichment jobs: ask the model about one entry with a JSON schema as the
//! output format, check the answer, send the suggestions back. An answer
//! that breaks the schema is retried like a failed call, a bounded number
//! of times, then the job is dropped: no suggestion, nothing else affected.

use englog_core::enrichment::{
    BRIEF_REMINDER, EnrichmentJob, EnrichmentOutput, SYSTEM, build_prompt, output_schema,
    parse_output,
};
use englog_core::generation::StopReason;
use englog_core::jobs::JobEvent;

use crate::lifecycle::Failure;
use crate::llm::{LlmError, Sampling};
use crate::step::WorkerContext;

/// An answer that broke the schema is the model's fault: worth another
/// attempt, a bounded number of times.
fn broke_schema(why: String) -> Failure {
    Failure::Retryable(format!("the model's answer broke the schema: {why}"))
}

/// The whole answer and why the model stopped. `brief` asks for short
/// reasons: the retry of an answer cut off at its cap.
async fn answer(
    ctx: &WorkerContext,
    job: &EnrichmentJob,
    brief: bool,
) -> Result<(String, StopReason), LlmError> {
    let mut prompt = build_prompt(job);
    if brief {
        prompt.push_str(BRIEF_REMINDER);
    }
    let sampling = Sampling {
        num_predict: ctx.settings.answer_tokens.enrichment,
        num_ctx: ctx.settings.enrichment_context_tokens,
        temperature: 0.2,
    };
    let mut generation = ctx
        .llm
        .stream_json(SYSTEM, &prompt, output_schema(job), sampling)
        .await?;
    let mut text = String::new();
    while let Some(piece) = generation.next_text().await? {
        text.push_str(&piece);
    }
    Ok((text, generation.stats().stop))
}

/// The answer, parsed. An answer cut off at its cap is usually JSON left
/// open: asked again at once for brief reasons, it fits.
async fn suggestions(
    ctx: &WorkerContext,
    enrichment: &EnrichmentJob,
) -> Result<Vec<englog_core::enrichment::FieldSuggestion>, Failure> {
    let (text, stop) = answer(ctx, enrichment, false).await?;
    match parse_output(enrichment, &text) {
        Err(_) if stop == StopReason::Length => {
            tracing::info!("the answer was cut off at its cap; asking for a briefer one");
            let (text, _) = answer(ctx, enrichment, true).await?;
            parse_output(enrichment, &text).map_err(broke_schema)
        }
        parsed => parsed.map_err(broke_schema),
    }
}

/// The suggestions, checked against the schema; the result is the
/// `Enriched` event.
pub(super) async fn work(
    ctx: &WorkerContext,
    enrichment: &EnrichmentJob,
) -> Result<JobEvent, Failure> {
    let suggestions = suggestions(ctx, enrichment).await?;
    tracing::info!(count = suggestions.len(), "entry enriched");
    Ok(JobEvent::Enriched {
        output: Box::new(EnrichmentOutput {
            entry_id: enrichment.entry.id,
            text_hash: enrichment.text_hash.clone(),
            batch_id: enrichment.batch_id,
            suggestions,
            model: ctx.llm.model().to_owned(),
        }),
    })
}
