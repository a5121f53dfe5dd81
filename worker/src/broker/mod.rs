//! The broker seam between the API and workers.
//!
//! Jobs: two streams read by a consumer group, at-least-once: reports on
//! the high-priority one, enrichment on the low one, read only when no
//! report waits; a delivery stays
//! pending until acknowledged, and one left idle longer than the reclaim
//! window (its worker died) is claimed by another worker. Retries go through
//! a delay queue; jobs that keep failing land in a dead-letter stream.
//! Events (worker → API): a second stream read by the API's consumer group,
//! so a result is persisted exactly by one API instance even when several run.
//! Updates (API → every API instance): fan-out to live subscriptions.
//!
//! Two implementations with one contract (tests/worker/broker_contract.rs):
//! Redis Streams for deployments, in-process for the embedded default.

mod memory;
mod redis_client;
mod redis_streams;

pub use memory::MemoryBroker;
pub use redis_client::redis_client;
pub use redis_streams::RedisBroker;

use englog_core::jobs::{Job, JobEventEnvelope, Priority};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// A job handed to one consumer, pending until acknowledged.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Broker-specific id of this delivery (a stream entry id).
    pub id: String,
    pub job: Job,
    /// The stream it came from.
    pub priority: Priority,
}

/// A change of an entry's enrichment, fanned out like [`InsightUpdate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EnrichmentUpdate {
    /// New suggestions were stored for the entry.
    Suggestions { user_id: Uuid, entry_id: Uuid },
    /// A bulk run advanced.
    Progress {
        user_id: Uuid,
        batch_id: Uuid,
        done: u32,
        total: u32,
    },
}

impl EnrichmentUpdate {
    pub fn user_id(&self) -> Uuid {
        match self {
            EnrichmentUpdate::Suggestions { user_id, .. }
            | EnrichmentUpdate::Progress { user_id, .. } => *user_id,
        }
    }
}

/// A worker's latest sign of life, for readiness.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerSeen {
    pub at: chrono::DateTime<chrono::Utc>,
    /// Whether that worker could reach its model service.
    pub model_reachable: bool,
}

/// How much waits in one stream, for metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamStats {
    /// `jobs`, `jobs:low`, `events` or `jobs:dead`.
    pub stream: &'static str,
    pub length: u64,
    /// Delivered to a consumer, not yet acknowledged.
    pub pending: u64,
}

/// A change of an insight, fanned out to every API instance's subscribers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InsightUpdate {
    pub insight_id: Uuid,
    pub user_id: Uuid,
    /// The report's status after the change.
    pub status: englog_core::InsightStatus,
    /// Text added to the report since the last update.
    pub delta: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("reading the Redis CA certificate {path}: {source}")]
    CaFile {
        path: String,
        source: std::io::Error,
    },
    #[error("malformed message {id}: {source}")]
    Malformed {
        id: String,
        source: serde_json::Error,
    },
}

pub type BrokerResult<T> = Result<T, BrokerError>;

/// Timing knobs of the job stream.
#[derive(Debug, Clone, Copy)]
pub struct BrokerTiming {
    /// A delivery idle this long belongs to a dead worker and is reclaimed.
    pub reclaim_after: Duration,
}

/// The default reclaim window, shared by the API's embedded worker and
/// `englog-worker`. Live workers heartbeat every quarter of it (their
/// deliveries' idle time is reset), so a long generation is never taken
/// over, while a killed worker's job moves on within about 20 s.
pub const DEFAULT_RECLAIM_AFTER: Duration = Duration::from_secs(20);

impl Default for BrokerTiming {
    fn default() -> Self {
        Self {
            reclaim_after: DEFAULT_RECLAIM_AFTER,
        }
    }
}

/// The broker in use. An enum rather than a trait object: two
/// implementations, known at compile time, with async methods.
#[derive(Clone)]
pub enum Broker {
    Redis(RedisBroker),
    Memory(MemoryBroker),
}

macro_rules! dispatch {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            Broker::Redis($b) => $call,
            Broker::Memory($b) => $call,
        }
    };
}

impl Broker {
    pub async fn publish_job(&self, job: &Job) -> BrokerResult<()> {
        dispatch!(self, b => b.publish_job(job).await)
    }

    /// Publishes `job` again after `delay` (a retry with backoff).
    pub async fn retry_later(&self, job: &Job, delay: Duration) -> BrokerResult<()> {
        dispatch!(self, b => b.retry_later(job, delay).await)
    }

    /// The next job for `consumer`: a reclaimed abandoned one first, else a
    /// new report, else (only when no report waits) a new low-priority job,
    /// waiting up to `wait`.
    pub async fn next_job(&self, consumer: &str, wait: Duration) -> BrokerResult<Option<Delivery>> {
        dispatch!(self, b => b.next_job(consumer, wait).await)
    }

    /// Tells the broker `consumer` is still working on `delivery`, so it is
    /// not reclaimed while a long generation runs.
    pub async fn heartbeat(&self, consumer: &str, delivery: &Delivery) -> BrokerResult<()> {
        dispatch!(self, b => b.heartbeat(consumer, delivery).await)
    }

    pub async fn ack(&self, delivery: &Delivery) -> BrokerResult<()> {
        dispatch!(self, b => b.ack(delivery).await)
    }

    /// Moves a delivery to the dead-letter stream with its reason.
    pub async fn dead_letter(&self, delivery: &Delivery, reason: &str) -> BrokerResult<()> {
        dispatch!(self, b => b.dead_letter(delivery, reason).await)
    }

    /// Number of entries in the dead-letter stream.
    pub async fn dead_letter_count(&self) -> BrokerResult<u64> {
        dispatch!(self, b => b.dead_letter_count().await)
    }

    /// Records that `worker` is alive (and whether it reaches its model).
    pub async fn worker_heartbeat(&self, worker: &str, model_reachable: bool) -> BrokerResult<()> {
        dispatch!(self, b => b.worker_heartbeat(worker, model_reachable).await)
    }

    /// The most recent heartbeat of any worker.
    pub async fn latest_worker(&self) -> BrokerResult<Option<WorkerSeen>> {
        dispatch!(self, b => b.latest_worker().await)
    }

    /// Length and pending count of every stream.
    pub async fn stream_stats(&self) -> BrokerResult<Vec<StreamStats>> {
        dispatch!(self, b => b.stream_stats().await)
    }

    pub async fn publish_event(&self, event: &JobEventEnvelope) -> BrokerResult<()> {
        dispatch!(self, b => b.publish_event(event).await)
    }

    /// Events for the API's consumer group, up to `max`, waiting up to `wait`.
    pub async fn next_events(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> BrokerResult<Vec<(String, JobEventEnvelope)>> {
        dispatch!(self, b => b.next_events(consumer, max, wait).await)
    }

    pub async fn ack_events(&self, ids: &[String]) -> BrokerResult<()> {
        dispatch!(self, b => b.ack_events(ids).await)
    }

    /// Marks a job cancelled; workers check before and during generation.
    pub async fn cancel(&self, job_id: Uuid) -> BrokerResult<()> {
        dispatch!(self, b => b.cancel(job_id).await)
    }

    pub async fn is_cancelled(&self, job_id: Uuid) -> BrokerResult<bool> {
        dispatch!(self, b => b.is_cancelled(job_id).await)
    }

    /// Sends an update to the subscribers of every API instance.
    pub async fn broadcast(&self, update: &InsightUpdate) -> BrokerResult<()> {
        dispatch!(self, b => b.broadcast(update).await)
    }

    /// Sends an enrichment change to the subscribers of every API instance.
    pub async fn broadcast_enrichment(&self, update: &EnrichmentUpdate) -> BrokerResult<()> {
        dispatch!(self, b => b.broadcast_enrichment(update).await)
    }

    /// This instance's feed of enrichment changes from every instance.
    pub fn enrichment_updates(&self) -> broadcast::Receiver<EnrichmentUpdate> {
        dispatch!(self, b => b.enrichment_updates())
    }

    /// This instance's feed of updates from every instance.
    pub fn updates(&self) -> broadcast::Receiver<InsightUpdate> {
        dispatch!(self, b => b.updates())
    }

    /// Fires when [`Broker::updates`] lost its connection and got it back:
    /// updates published in between were missed, so a watcher re-reads the
    /// stored state.
    pub fn resyncs(&self) -> broadcast::Receiver<()> {
        dispatch!(self, b => b.resyncs())
    }

    /// Erases every stored message that mentions `user_id`: queued,
    /// pending, delayed and dead-lettered jobs and unconsumed events (GDPR
    /// erasure). Returns how many were removed.
    pub async fn purge_user(&self, user_id: Uuid) -> BrokerResult<u64> {
        dispatch!(self, b => b.purge_user(user_id).await)
    }

    /// Whether the broker answers (for `/ready`).
    pub async fn ping(&self) -> BrokerResult<()> {
        dispatch!(self, b => b.ping().await)
    }

    /// Every job the broker holds: queued, delivered and not acknowledged,
    /// or waiting as a delayed retry (for the API's reconciler).
    pub async fn held_jobs(&self) -> BrokerResult<std::collections::HashSet<Uuid>> {
        dispatch!(self, b => b.held_jobs().await)
    }

    /// `true` when the broker's data marker was missing and this call set
    /// it: what was published before is gone (see `redis_streams::epoch`).
    pub async fn claim_epoch(&self) -> BrokerResult<bool> {
        dispatch!(self, b => b.claim_epoch().await)
    }
}
