//! The worker as a library: the broker seam (Redis Streams or in-process),
//! the Ollama client, one module per job kind (`kinds`) and the lifecycle
//! they share (`lifecycle`), and the step function that turns one job into
//! events. The `englog-worker` binary runs it on the GPU box; the API
//! runs it in-process for the embedded default. No database anywhere here.

pub mod broker;
pub mod config;
#[cfg(feature = "test-support")]
pub mod fake_ollama;
pub mod heartbeat;
mod kinds;
mod lifecycle;
pub mod listener;
pub mod llm;
pub mod mail;
pub mod metrics;
pub mod runner;
pub mod step;
pub mod telemetry;

pub use broker::{Broker, Delivery, EnrichmentUpdate, InsightUpdate};
pub use step::{Outcome, WorkerContext, process_next};
