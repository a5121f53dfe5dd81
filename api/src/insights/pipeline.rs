//! Starts the report pipeline's background work for this API process: the
//! outbox relay, the consumer of worker events, and (embedded default) a
//! worker.

use englog_worker::llm::{Llm, LlmConfig};
use englog_worker::runner;
use englog_worker::step::{WorkerContext, WorkerSettings};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use super::{events, outbox};
use crate::state::AppState;

/// Reads worker events and applies them, acknowledging each batch once
/// stored. Several API instances share the work through the consumer group.
async fn consume_events(state: AppState, consumer: String, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        let batch = tokio::select! {
            batch = state.broker.next_events(&consumer, 64, Duration::from_millis(500)) => batch,
            _ = shutdown.changed() => return,
        };
        match batch {
            Ok(batch) => {
                let mut done = Vec::with_capacity(batch.len());
                for (id, event) in batch {
                    // Continues the trace of the job the event is about.
                    let span = tracing::info_span!("jobEvent", job = %event.job_id);
                    englog_worker::telemetry::continue_trace(&span, event.traceparent.as_deref());
                    match events::apply(&state, &event).instrument(span).await {
                        Ok(()) => {
                            count_event(&event);
                            done.push(id);
                        }
                        // Left pending: redelivered after the reclaim window.
                        Err(err) => {
                            let err: async_graphql::Error = err.into();
                            tracing::warn!(error = %err.message, "could not apply a worker event");
                        }
                    }
                }
                if let Err(err) = state.broker.ack_events(&done).await {
                    tracing::warn!(error = %err, "could not acknowledge events");
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "broker unavailable for events; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = shutdown.changed() => return,
                }
            }
        }
    }
}

/// `englog_job_events_total`: what happened to jobs, by kind.
fn count_event(event: &englog_core::jobs::JobEventEnvelope) {
    use englog_core::jobs::JobEvent;
    let kind = if event.entry_id.is_some() {
        "enrichment"
    } else {
        "report"
    };
    let name = match &event.event {
        JobEvent::Started { .. } => "started",
        JobEvent::Retrying { .. } => "retrying",
        JobEvent::Succeeded { .. } | JobEvent::Enriched { .. } => "succeeded",
        JobEvent::Failed { .. } => "failed",
        JobEvent::Delta { .. } => return,
    };
    metrics::counter!("englog_job_events_total", "kind" => kind, "event" => name).increment(1);
}

pub fn embedded_worker_enabled(state: &AppState) -> bool {
    state
        .settings
        .reports
        .embedded_worker
        .unwrap_or(state.settings.redis_url.is_none())
}

/// Spawns the pipeline's tasks; they stop when `shutdown` turns true.
pub fn start(
    state: &AppState,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let instance = format!("api-{}", uuid::Uuid::new_v4().simple());
    let mut tasks = vec![
        tokio::spawn(outbox::run(state.clone(), shutdown.clone())),
        tokio::spawn(consume_events(
            state.clone(),
            instance.clone(),
            shutdown.clone(),
        )),
    ];
    if state.settings.reports.scheduler {
        tasks.push(tokio::spawn(super::schedule::run(
            state.clone(),
            shutdown.clone(),
        )));
    }
    if embedded_worker_enabled(state) {
        let r = &state.settings.reports;
        let llm = Llm::new(LlmConfig {
            url: r.ollama_url.clone(),
            model: r.ollama_model.clone(),
            context_tokens: r.context_tokens,
            ..LlmConfig::default()
        })?;
        let reclaim_after = Duration::from_secs(r.reclaim_after_secs.max(1));
        let mailer = match &r.smtp_url {
            Some(url) => Some(englog_worker::mail::Mailer::new(url, &r.mail_from)?),
            None => None,
        };
        let ctx = WorkerContext {
            broker: state.broker.clone(),
            llm,
            mailer,
            consumer: format!("{instance}-worker"),
            settings: WorkerSettings {
                max_attempts: r.max_attempts.max(1),
                backoff_base: Duration::from_millis(r.backoff_base_ms),
                prompt_budget_tokens: r.prompt_budget_tokens,
                answer_tokens: r.answer_tokens,
                enrichment_context_tokens: r.enrichment_context_tokens,
                heartbeat_every: reclaim_after / 4,
                model_patience: Duration::from_secs(r.model_patience_secs),
                model_retry_every: Duration::from_secs(r.model_retry_secs.max(1)),
                ..WorkerSettings::default()
            },
        };
        tasks.push(tokio::spawn(englog_worker::heartbeat::run(
            state.broker.clone(),
            ctx.llm.clone(),
            ctx.consumer.clone(),
            Duration::from_secs(state.settings.readiness.worker_heartbeat_secs.max(1)),
            englog_worker::heartbeat::Health::default(),
            shutdown.clone(),
        )));
        tasks.push(tokio::spawn(runner::run(ctx, shutdown)));
    }
    Ok(tasks)
}
