//! A worker process says it is alive, and whether it reaches its model
//! service, every few seconds: the API's `/ready` reads the latest
//! heartbeat of any worker, and the worker's own `/ready` its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::watch;

use crate::Broker;
use crate::llm::Llm;

/// What the worker's own `/ready` reports.
#[derive(Clone, Default)]
pub struct Health {
    broker_ok: Arc<AtomicBool>,
    model_ok: Arc<AtomicBool>,
}

impl Health {
    pub fn broker_ok(&self) -> bool {
        self.broker_ok.load(Ordering::Relaxed)
    }

    pub fn model_ok(&self) -> bool {
        self.model_ok.load(Ordering::Relaxed)
    }
}

/// Probes the model and writes a heartbeat every `every` until shutdown.
pub async fn run(
    broker: Broker,
    llm: Llm,
    worker: String,
    every: Duration,
    health: Health,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let model_ok = llm.reachable().await;
        health.model_ok.store(model_ok, Ordering::Relaxed);
        metrics::gauge!("englog_worker_model_reachable").set(if model_ok { 1.0 } else { 0.0 });
        let broker_ok = match broker.worker_heartbeat(&worker, model_ok).await {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, "could not write the worker heartbeat");
                false
            }
        };
        health.broker_ok.store(broker_ok, Ordering::Relaxed);
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}
