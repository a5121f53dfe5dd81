//! `englog-worker`: runs on the GPU box next to Ollama, reading jobs from
//! the API box's Redis. Configuration (`config::WorkerConfig`): built-in
//! defaults < a TOML file (`--config FILE` or `ENGLOG_WORKER_CONFIG`) <
//! `ENGLOG_*` variables: `ENGLOG_REDIS_URL` (required; `rediss://` for
//! TLS), `ENGLOG_REDIS_CA_FILE`, `ENGLOG_REDIS_PREFIX`, `ENGLOG_OLLAMA_URL`,
//! `ENGLOG_OLLAMA_MODEL`, `ENGLOG_WORKER_SLOTS`, … — every key with its
//! default is listed in docs/CONFIGURATION.md.

use clap::Parser;
use englog_worker::broker::{BrokerTiming, RedisBroker, redis_client};
use englog_worker::config::WorkerConfig;
use englog_worker::heartbeat::{self, Health};
use englog_worker::llm::Llm;
use englog_worker::step::WorkerContext;
use englog_worker::{Broker, listener, runner};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Debug, Parser)]
#[command(
    name = "englog-worker",
    version,
    about = "EngLog's report worker (GPU box)"
)]
struct Args {
    /// TOML configuration file (keys as the ENGLOG_* variables without the
    /// prefix, e.g. `redis_url`); default: ENGLOG_WORKER_CONFIG when set.
    #[arg(long)]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let file = args
        .config
        .or_else(|| std::env::var_os("ENGLOG_WORKER_CONFIG").map(PathBuf::from));
    let config = WorkerConfig::load(file)?;
    // Held to the end: dropping it flushes the spans not yet exported.
    let _telemetry =
        englog_worker::telemetry::init(config.log_format == "json", "info", &config.tracing());
    let redis_url = config
        .redis_url
        .clone()
        .ok_or_else(|| anyhow::anyhow!("ENGLOG_REDIS_URL is required (the API box's Redis)"))?;
    let prefix = config.redis_prefix.clone();
    let timing = config.timing();
    let llm = Llm::new(config.llm())?;
    let settings = config.settings();
    let slots = config.worker_slots;
    let mailer = match &config.smtp_url {
        Some(url) => Some(englog_worker::mail::Mailer::new(url, &config.mail_from)?),
        None => None,
    };
    let client = redis_client(&redis_url, config.redis_ca_file.as_deref())?;
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
        Duration::from_secs(config.heartbeat_secs.max(1)),
        health.clone(),
        stopped.clone(),
    )));
    // Explicitly configured, a listener that cannot bind is an error; the
    // default address is best effort, so several workers on one host (tests,
    // a laptop) still run, the later ones without a listener.
    let configured = config.worker_listen.clone();
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
