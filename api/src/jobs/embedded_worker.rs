//! The worker the API runs in-process for the embedded default (no Redis
//! configured), with the same settings a standalone `englog-worker` reads.

use englog_worker::llm::{Llm, LlmConfig};
use englog_worker::step::{WorkerContext, WorkerSettings};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::state::AppState;

/// On unless configured: by default exactly when there is no Redis (the
/// in-process broker has no other consumer).
pub fn enabled(state: &AppState) -> bool {
    state
        .settings
        .reports
        .embedded_worker
        .unwrap_or(state.settings.redis_url.is_none())
}

/// Spawns the worker loop and its heartbeat.
pub fn start(
    state: &AppState,
    instance: &str,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
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
    Ok(vec![
        tokio::spawn(englog_worker::heartbeat::run(
            state.broker.clone(),
            ctx.llm.clone(),
            ctx.consumer.clone(),
            Duration::from_secs(state.settings.readiness.worker_heartbeat_secs.max(1)),
            englog_worker::heartbeat::Health::default(),
            shutdown.clone(),
        )),
        tokio::spawn(englog_worker::runner::run(ctx, shutdown)),
    ])
}
