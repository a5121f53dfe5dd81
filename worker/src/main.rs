//! `englog-worker`: runs on the GPU box next to Ollama, reading jobs from
//! the API box's Redis. Configuration from the environment:
//! `ENGLOG_REDIS_URL` (required; `rediss://` for TLS), `ENGLOG_REDIS_CA_FILE`
//! (PEM of a private CA that signed Redis' certificate), `ENGLOG_REDIS_PREFIX` (default `englog`),
//! `ENGLOG_OLLAMA_URL` (default `http://localhost:11434`),
//! `ENGLOG_OLLAMA_MODEL`, `ENGLOG_WORKER_SLOTS` (jobs at once, default 1),
//! `ENGLOG_PROMPT_BUDGET_TOKENS`, `ENGLOG_RECLAIM_AFTER_SECS`,
//! `ENGLOG_MAX_ATTEMPTS`, `ENGLOG_BACKOFF_BASE_MS`, `ENGLOG_SMTP_URL` (e.g. `smtp://relay:25`; unset:
//! no mail), `ENGLOG_MAIL_FROM`, `ENGLOG_LOG_FORMAT` (`json` or pretty),
//! `ENGLOG_WORKER_LISTEN` (the `/metrics`, `/live`, `/ready` listener,
//! default `127.0.0.1:9187`; empty: none), `ENGLOG_HEARTBEAT_SECS` (default
//! 10), `ENGLOG_OTLP_ENDPOINT` (OTLP/HTTP traces URL, e.g.
//! `http://collector:4318/v1/traces`; unset: no traces),
//! `ENGLOG_OTLP_SERVICE_NAME` (default `englog-worker`),
//! `ENGLOG_OTLP_SAMPLE_RATIO` (default 1.0), `ENGLOG_CONTEXT_TOKENS` (report
//! calls' `num_ctx`, default 8192), `ENGLOG_ANSWER_TOKENS_<KIND>` (the
//! `num_predict` cap of `DAILY`, `WEEKLY`, `SPRINT`, `MONTHLY`, `QUARTERLY`,
//! `ANNUAL`, `CUSTOM` reports and of `ENRICHMENT`; defaults in
//! `englog_core::generation::AnswerTokens`), `ENGLOG_ENRICHMENT_CONTEXT_TOKENS`
//! (enrichment calls' `num_ctx`, default 2048), `ENGLOG_MODEL_PATIENCE_SECS`
//! (how long a report waits for an unreachable model service, default 6 h)
//! and `ENGLOG_MODEL_RETRY_SECS` (how soon a waiting report is tried again,
//! default 30).

use englog_core::generation::AnswerTokens;
use englog_worker::broker::{BrokerTiming, RedisBroker, redis_client};
use englog_worker::heartbeat::{self, Health};
use englog_worker::llm::{Llm, LlmConfig};
use englog_worker::step::{WorkerContext, WorkerSettings};
use englog_worker::telemetry::TracingConfig;
use englog_worker::{Broker, listener, runner};
use std::time::Duration;
use tokio::sync::watch;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| anyhow::anyhow!("{name}: cannot parse `{v}`")),
        Err(_) => Ok(default),
    }
}

/// The answer caps, each overridable by `ENGLOG_ANSWER_TOKENS_<KIND>`.
fn answer_tokens() -> anyhow::Result<AnswerTokens> {
    let d = AnswerTokens::default();
    Ok(AnswerTokens {
        daily: env_or("ENGLOG_ANSWER_TOKENS_DAILY", d.daily)?,
        weekly: env_or("ENGLOG_ANSWER_TOKENS_WEEKLY", d.weekly)?,
        sprint: env_or("ENGLOG_ANSWER_TOKENS_SPRINT", d.sprint)?,
        monthly: env_or("ENGLOG_ANSWER_TOKENS_MONTHLY", d.monthly)?,
        quarterly: env_or("ENGLOG_ANSWER_TOKENS_QUARTERLY", d.quarterly)?,
        annual: env_or("ENGLOG_ANSWER_TOKENS_ANNUAL", d.annual)?,
        custom: env_or("ENGLOG_ANSWER_TOKENS_CUSTOM", d.custom)?,
        enrichment: env_or("ENGLOG_ANSWER_TOKENS_ENRICHMENT", d.enrichment)?,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let json = std::env::var("ENGLOG_LOG_FORMAT").is_ok_and(|v| v == "json");
    // Held to the end: dropping it flushes the spans not yet exported.
    let _telemetry = englog_worker::telemetry::init(
        json,
        "info",
        &TracingConfig {
            endpoint: std::env::var("ENGLOG_OTLP_ENDPOINT").ok(),
            service_name: env_or("ENGLOG_OTLP_SERVICE_NAME", "englog-worker".to_owned())?,
            sample_ratio: env_or("ENGLOG_OTLP_SAMPLE_RATIO", 1.0)?,
        },
    );
    let redis_url = std::env::var("ENGLOG_REDIS_URL")
        .map_err(|_| anyhow::anyhow!("ENGLOG_REDIS_URL is required (the API box's Redis)"))?;
    let prefix = env_or("ENGLOG_REDIS_PREFIX", "englog".to_owned())?;
    let timing = BrokerTiming {
        reclaim_after: Duration::from_secs(env_or(
            "ENGLOG_RECLAIM_AFTER_SECS",
            englog_worker::broker::DEFAULT_RECLAIM_AFTER.as_secs(),
        )?),
    };
    let defaults = LlmConfig::default();
    let llm = Llm::new(LlmConfig {
        url: env_or("ENGLOG_OLLAMA_URL", defaults.url.clone())?,
        model: env_or("ENGLOG_OLLAMA_MODEL", defaults.model.clone())?,
        context_tokens: env_or("ENGLOG_CONTEXT_TOKENS", defaults.context_tokens)?,
        ..defaults
    })?;
    let settings = WorkerSettings {
        prompt_budget_tokens: env_or("ENGLOG_PROMPT_BUDGET_TOKENS", 6_000)?,
        max_attempts: env_or("ENGLOG_MAX_ATTEMPTS", 4)?,
        backoff_base: Duration::from_millis(env_or("ENGLOG_BACKOFF_BASE_MS", 5_000)?),
        heartbeat_every: timing.reclaim_after / 4,
        model_patience: Duration::from_secs(env_or(
            "ENGLOG_MODEL_PATIENCE_SECS",
            englog_worker::step::DEFAULT_MODEL_PATIENCE.as_secs(),
        )?),
        model_retry_every: Duration::from_secs(
            env_or(
                "ENGLOG_MODEL_RETRY_SECS",
                englog_worker::step::DEFAULT_MODEL_RETRY_EVERY.as_secs(),
            )?
            .max(1),
        ),
        answer_tokens: answer_tokens()?,
        enrichment_context_tokens: env_or(
            "ENGLOG_ENRICHMENT_CONTEXT_TOKENS",
            englog_core::generation::ENRICHMENT_CONTEXT_TOKENS,
        )?,
        ..WorkerSettings::default()
    };
    let slots: usize = env_or("ENGLOG_WORKER_SLOTS", 1)?;
    let mailer = match std::env::var("ENGLOG_SMTP_URL") {
        Ok(url) => Some(englog_worker::mail::Mailer::new(
            &url,
            &env_or("ENGLOG_MAIL_FROM", "EngLog <englog@localhost>".to_owned())?,
        )?),
        Err(_) => None,
    };
    let ca_file = std::env::var_os("ENGLOG_REDIS_CA_FILE").map(std::path::PathBuf::from);
    let client = redis_client(&redis_url, ca_file.as_deref())?;
    let Some(broker) = connect_with_backoff(client, &prefix, timing).await else {
        return Ok(()); // stopped before Redis answered
    };
    let (stop, stopped) = watch::channel(false);
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into());
    let mut tasks = Vec::new();
    englog_worker::metrics::handle();
    metrics::gauge!("englog_worker_slots").set(slots.max(1) as f64);
    let health = Health::default();
    tasks.push(tokio::spawn(heartbeat::run(
        broker.clone(),
        llm.clone(),
        format!("{host}-{}", std::process::id()),
        Duration::from_secs(env_or("ENGLOG_HEARTBEAT_SECS", 10)?.max(1)),
        health.clone(),
        stopped.clone(),
    )));
    // Explicitly configured, a listener that cannot bind is an error; the
    // default address is best effort, so several workers on one host (tests,
    // a laptop) still run, the later ones without a listener.
    let configured = std::env::var("ENGLOG_WORKER_LISTEN").ok();
    let listen = configured
        .clone()
        .unwrap_or_else(|| "127.0.0.1:9187".to_owned());
    if !listen.is_empty() {
        match tokio::net::TcpListener::bind(&listen).await {
            Ok(listener) => {
                tracing::info!(address = %listen, "serving /metrics, /live and /ready");
                let mut stopping = stopped.clone();
                tasks.push(tokio::spawn(async move {
                    let serve = axum::serve(listener, listener::router(health))
                        .with_graceful_shutdown(async move {
                            let _ = stopping.changed().await;
                        });
                    if let Err(err) = serve.await {
                        tracing::warn!(error = %err, "the worker's HTTP listener stopped");
                    }
                }));
            }
            Err(err) if configured.is_some() => {
                anyhow::bail!("ENGLOG_WORKER_LISTEN {listen}: {err}");
            }
            Err(err) => {
                tracing::warn!(address = %listen, error = %err, "no /metrics listener (set ENGLOG_WORKER_LISTEN)");
            }
        }
    }
    for slot in 0..slots.max(1) {
        let ctx = WorkerContext {
            broker: broker.clone(),
            llm: llm.clone(),
            mailer: mailer.clone(),
            consumer: format!("{host}-{}-{slot}", std::process::id()),
            settings: settings.clone(),
        };
        tasks.push(tokio::spawn(runner::run(ctx, stopped.clone())));
    }
    shutdown_signal().await;
    tracing::info!("finishing jobs in hand, then stopping");
    let _ = stop.send(true);
    for task in tasks {
        let _ = task.await;
    }
    Ok(())
}

/// Connects to Redis, waiting for it with a growing delay (0.5 s to 30 s)
/// and saying why each time: a worker started before Redis (or while it
/// loads its data, or while the network comes up) just waits. `None` when
/// told to stop first.
async fn connect_with_backoff(
    client: redis::Client,
    prefix: &str,
    timing: BrokerTiming,
) -> Option<Broker> {
    let mut delay = Duration::from_millis(500);
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        match RedisBroker::connect_client(client.clone(), prefix, timing).await {
            Ok(broker) => return Some(Broker::Redis(broker)),
            Err(err) => {
                tracing::warn!(error = %err, retry_in = ?delay, "Redis is not available yet; waiting for it");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = &mut stop => return None,
        }
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
