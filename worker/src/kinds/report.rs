//! Report jobs: stream the report from the model, forwarding its text as
//! it comes, check it with the quality gate (one stricter second try when
//! refused), mail it to an owner who asked, and hand back the result.

use englog_core::generation::answer_cap;
use englog_core::jobs::{JobEvent, ReportJob, ReportOutput};
use englog_core::report::context::metrics;
use englog_core::report::quality::{self, GateInput, Thresholds, Verdict};
use englog_core::report::sections::split_sections;
use englog_core::report::{build_prompt, extract_citations};
use std::time::Instant;
use tracing::Instrument;
use uuid::Uuid;

use crate::broker::Delivery;
use crate::lifecycle::{Failure, emit};
use crate::llm::Sampling;
use crate::step::WorkerContext;

/// Sampling temperature of a first attempt, and of the retry after the
/// quality gate refused an answer (steadier, less inventive).
const TEMPERATURE: f32 = 0.3;
const STRICT_TEMPERATURE: f32 = 0.1;

/// A finished answer and the gate's verdict on it.
struct Written {
    output: ReportOutput,
    verdict: Verdict,
}

/// Streams the report, forwarding text in batches and keeping the delivery
/// alive; stops early when the job is cancelled.
async fn generate(
    ctx: &WorkerContext,
    delivery: &Delivery,
    report: &ReportJob,
    reminder: Option<&str>,
) -> Result<Written, Failure> {
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
        .await?;
    let mut text = String::new();
    let mut pending = String::new();
    let mut last_flush = Instant::now();
    // The lifecycle keeps the delivery alive meanwhile (`keep_alive`).
    while let Some(piece) = generation.next_text().await? {
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
                return Err(Failure::Cancelled);
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
) -> Result<ReportOutput, Failure> {
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
        Verdict::Reject(findings) => Err(Failure::Final(format!(
            "The model's report did not pass the quality check, also after a second try with stricter instructions: {}",
            quality::reasons(findings)
        ))),
        _ => Ok(second.output),
    }
}

/// Writes the report and mails it when its owner asked; the result is
/// the `Succeeded` event.
pub(super) async fn work(
    ctx: &WorkerContext,
    delivery: &Delivery,
    report: &ReportJob,
) -> Result<JobEvent, Failure> {
    let generation = tracing::info_span!("generation", model = ctx.llm.model());
    let output = write_checked(ctx, delivery, report)
        .instrument(generation)
        .await?;
    tracing::info!(
        prompt_tokens = output.prompt_tokens,
        completion_tokens = output.completion_tokens,
        invented_citations = output.invented_citations,
        "report written"
    );
    if let (Some(mailer), Some(to)) = (&ctx.mailer, &report.notify_email) {
        // A mail problem never fails a finished report.
        match mailer.report_ready(to, report, &output).await {
            Ok(()) => tracing::info!("report mailed"),
            Err(err) => tracing::warn!(error = %err, "could not mail the finished report"),
        }
    }
    Ok(JobEvent::Succeeded {
        output: Box::new(output),
    })
}
