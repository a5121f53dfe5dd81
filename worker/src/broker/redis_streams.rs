//! Redis Streams implementation of the broker.
//!
//! Keys (all under a configurable prefix, so tests and tenants never mix):
//! `<p>:jobs` (stream, group `workers`), `<p>:jobs:low` (the same for
//! low-priority work, read when `<p>:jobs` is empty), `<p>:jobs:delayed` (sorted set of
//! retries by due time), `<p>:jobs:dead` (dead letters), `<p>:events`
//! (stream, group `api`), `<p>:cancel:<job>` (flag with a TTL) and the
//! pub/sub channels `<p>:updates` and `<p>:enrichment`.
//!
//! Acknowledged entries are deleted at once (XACK then XDEL): Redis 7 has no
//! `ACKED` trim mode and MAXLEN trimming could drop entries still pending.

use englog_core::jobs::{Job, Priority};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};
use redis::{AsyncCommands, Client, RedisError, Value};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

use super::{
    BrokerError, BrokerResult, BrokerTiming, Delivery, EnrichmentUpdate, InsightUpdate,
    redis_client,
};

mod epoch;
mod events;
mod health;
mod holdings;
mod purge;

const WORKERS: &str = "workers";
const API: &str = "api";
const CANCEL_TTL_SECS: u64 = 7 * 24 * 3600;

#[derive(Clone)]
pub struct RedisBroker {
    conn: ConnectionManager,
    /// Blocking reads get their own connection: Redis answers a connection's
    /// commands in order, so a BLOCK would stall every other command.
    blocking: ConnectionManager,
    prefix: String,
    timing: BrokerTiming,
    updates: broadcast::Sender<InsightUpdate>,
    enrichment: broadcast::Sender<EnrichmentUpdate>,
    /// Fires when the updates channel was lost and subscribed again: what
    /// was published meanwhile never arrived, so watchers re-read.
    resyncs: broadcast::Sender<()>,
}

fn stream_name(priority: Priority) -> &'static str {
    match priority {
        Priority::High => "jobs",
        Priority::Low => "jobs:low",
    }
}

fn key(prefix: &str, name: &str) -> String {
    format!("{prefix}:{name}")
}

fn is_busy_group(err: &RedisError) -> bool {
    err.code() == Some("BUSYGROUP")
}

fn is_no_group(err: &RedisError) -> bool {
    err.code() == Some("NOGROUP")
}

fn decode<T: serde::de::DeserializeOwned>(entry: &StreamId) -> BrokerResult<T> {
    let payload: String = entry.get("payload").unwrap_or_default();
    serde_json::from_str(&payload).map_err(|source| BrokerError::Malformed {
        id: entry.id.clone(),
        source,
    })
}

impl RedisBroker {
    /// Connects, creates the consumer groups, and starts relaying the
    /// updates channel into [`RedisBroker::updates`].
    pub async fn connect(url: &str, prefix: &str, timing: BrokerTiming) -> BrokerResult<Self> {
        Self::connect_client(redis_client(url, None)?, prefix, timing).await
    }

    /// Like [`RedisBroker::connect`], for a client built by
    /// [`redis_client`] (e.g. TLS with a private CA).
    pub async fn connect_client(
        client: Client,
        prefix: &str,
        timing: BrokerTiming,
    ) -> BrokerResult<Self> {
        let normal = ConnectionManagerConfig::new()
            .set_response_timeout(Some(Duration::from_secs(5)))
            .set_connection_timeout(Some(Duration::from_secs(5)));
        let blocking = ConnectionManagerConfig::new()
            .set_response_timeout(Some(Duration::from_secs(60)))
            .set_connection_timeout(Some(Duration::from_secs(5)));
        let conn = client.get_connection_manager_with_config(normal).await?;
        let blocking = client.get_connection_manager_with_config(blocking).await?;
        let (updates, _) = broadcast::channel(1024);
        let (enrichment, _) = broadcast::channel(1024);
        let (resyncs, _) = broadcast::channel(16);
        let broker = Self {
            conn,
            blocking,
            prefix: prefix.to_owned(),
            timing,
            updates,
            enrichment,
            resyncs,
        };
        broker.create_groups().await?;
        tokio::spawn(relay_updates(
            client.clone(),
            key(prefix, "updates"),
            broker.updates.clone(),
            Some(broker.resyncs.clone()),
        ));
        tokio::spawn(relay_updates(
            client,
            key(prefix, "enrichment"),
            broker.enrichment.clone(),
            None,
        ));
        Ok(broker)
    }

    async fn create_groups(&self) -> BrokerResult<()> {
        let mut conn = self.conn.clone();
        for (stream, group) in [("jobs", WORKERS), ("jobs:low", WORKERS), ("events", API)] {
            let result: Result<(), RedisError> = conn
                .xgroup_create_mkstream(key(&self.prefix, stream), group, "0")
                .await;
            match result {
                Err(err) if !is_busy_group(&err) => return Err(err.into()),
                _ => {}
            }
        }
        Ok(())
    }

    pub async fn publish_job(&self, job: &Job) -> BrokerResult<()> {
        let payload = serde_json::to_string(job).map_err(|source| BrokerError::Malformed {
            id: job.job_id().to_string(),
            source,
        })?;
        let mut conn = self.conn.clone();
        let _: String = conn
            .xadd(
                key(&self.prefix, stream_name(job.priority())),
                "*",
                &[("payload", payload)],
            )
            .await?;
        Ok(())
    }

    pub async fn retry_later(&self, job: &Job, delay: Duration) -> BrokerResult<()> {
        let payload = serde_json::to_string(job).map_err(|source| BrokerError::Malformed {
            id: job.job_id().to_string(),
            source,
        })?;
        let due = chrono::Utc::now().timestamp_millis() + delay.as_millis() as i64;
        let mut conn = self.conn.clone();
        let _: usize = conn
            .zadd(key(&self.prefix, "jobs:delayed"), payload, due)
            .await?;
        Ok(())
    }

    /// Moves due retries to the job stream. ZREM decides the race between
    /// workers: only the one that removed an entry publishes it.
    async fn promote_due(&self) -> BrokerResult<()> {
        let mut conn = self.conn.clone();
        let delayed = key(&self.prefix, "jobs:delayed");
        let now = chrono::Utc::now().timestamp_millis();
        let due: Vec<String> = conn
            .zrangebyscore_limit(&delayed, "-inf", now, 0, 16)
            .await?;
        for payload in due {
            let removed: usize = conn.zrem(&delayed, &payload).await?;
            if removed == 1 {
                // An undecodable payload goes to the report stream, whose
                // reader dead-letters it.
                let priority = serde_json::from_str::<Job>(&payload)
                    .map(|j| j.priority())
                    .unwrap_or(Priority::High);
                let _: String = conn
                    .xadd(
                        key(&self.prefix, stream_name(priority)),
                        "*",
                        &[("payload", payload)],
                    )
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn next_job(&self, consumer: &str, wait: Duration) -> BrokerResult<Option<Delivery>> {
        match self.read_job(consumer, wait).await {
            Err(BrokerError::Redis(err)) if is_no_group(&err) => {
                // Redis restarted without persistence: the groups are gone.
                self.create_groups().await?;
                Ok(None)
            }
            other => other,
        }
    }

    async fn reclaim(&self, consumer: &str, priority: Priority) -> BrokerResult<Option<StreamId>> {
        let mut conn = self.conn.clone();
        let claimed: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(key(&self.prefix, stream_name(priority)))
            .arg(WORKERS)
            .arg(consumer)
            .arg(self.timing.reclaim_after.as_millis() as u64)
            .arg("0-0")
            .arg("COUNT")
            .arg(1)
            .query_async(&mut conn)
            .await?;
        Ok(claimed.claimed.into_iter().next())
    }

    /// One new entry of a stream; blocks up to `block` when given.
    async fn read_new(
        &self,
        consumer: &str,
        priority: Priority,
        block: Option<Duration>,
    ) -> BrokerResult<Option<StreamId>> {
        let mut cmd = redis::cmd("XREADGROUP");
        cmd.arg("GROUP")
            .arg(WORKERS)
            .arg(consumer)
            .arg("COUNT")
            .arg(1);
        if let Some(wait) = block {
            cmd.arg("BLOCK").arg(wait.as_millis().max(1) as u64);
        }
        cmd.arg("STREAMS")
            .arg(key(&self.prefix, stream_name(priority)))
            .arg(">");
        let reply: Option<StreamReadReply> = if block.is_some() {
            let mut blocking = self.blocking.clone();
            cmd.query_async(&mut blocking).await?
        } else {
            let mut conn = self.conn.clone();
            cmd.query_async(&mut conn).await?
        };
        Ok(reply
            .and_then(|r| r.keys.into_iter().next())
            .and_then(|k| k.ids.into_iter().next()))
    }

    async fn read_job(&self, consumer: &str, wait: Duration) -> BrokerResult<Option<Delivery>> {
        self.promote_due().await?;
        for priority in [Priority::High, Priority::Low] {
            if let Some(entry) = self.reclaim(consumer, priority).await? {
                tracing::warn!(entry = %entry.id, consumer, "reclaimed a job abandoned by another worker");
                return self.delivery(entry, priority).await.map(Some);
            }
        }
        // Reports first; low-priority work only when no report waits. The
        // blocking read watches the report stream alone (one read must not
        // take an entry of each), so low-priority work waits at most `wait`.
        for (priority, block) in [
            (Priority::High, None),
            (Priority::Low, None),
            (Priority::High, Some(wait)),
            (Priority::Low, None),
        ] {
            if let Some(entry) = self.read_new(consumer, priority, block).await? {
                return self.delivery(entry, priority).await.map(Some);
            }
        }
        Ok(None)
    }

    /// Decodes an entry; an undecodable one goes straight to dead letters so
    /// it cannot block the queue.
    async fn delivery(&self, entry: StreamId, priority: Priority) -> BrokerResult<Delivery> {
        match decode::<Job>(&entry) {
            Ok(job) => Ok(Delivery {
                id: entry.id,
                job,
                priority,
            }),
            Err(err) => {
                let mut conn = self.conn.clone();
                let raw: String = entry.get("payload").unwrap_or_default();
                let _: String = conn
                    .xadd(
                        key(&self.prefix, "jobs:dead"),
                        "*",
                        &[("payload", raw), ("reason", err.to_string())],
                    )
                    .await?;
                self.ack_id(priority, &entry.id).await?;
                Err(err)
            }
        }
    }

    pub async fn heartbeat(&self, consumer: &str, delivery: &Delivery) -> BrokerResult<()> {
        let mut conn = self.conn.clone();
        // XCLAIM with min-idle 0 by the owner resets the idle time.
        let _: Value = redis::cmd("XCLAIM")
            .arg(key(&self.prefix, stream_name(delivery.priority)))
            .arg(WORKERS)
            .arg(consumer)
            .arg(0)
            .arg(&delivery.id)
            .arg("JUSTID")
            .query_async(&mut conn)
            .await?;
        Ok(())
    }

    async fn ack_id(&self, priority: Priority, id: &str) -> BrokerResult<()> {
        let jobs = key(&self.prefix, stream_name(priority));
        let mut conn = self.conn.clone();
        let _: (usize, usize) = redis::pipe()
            .atomic()
            .xack(&jobs, WORKERS, &[id])
            .xdel(&jobs, &[id])
            .query_async(&mut conn)
            .await?;
        Ok(())
    }

    pub async fn ack(&self, delivery: &Delivery) -> BrokerResult<()> {
        self.ack_id(delivery.priority, &delivery.id).await
    }

    pub async fn dead_letter(&self, delivery: &Delivery, reason: &str) -> BrokerResult<()> {
        let payload = serde_json::to_string(&delivery.job).unwrap_or_default();
        let mut conn = self.conn.clone();
        let _: String = conn
            .xadd(
                key(&self.prefix, "jobs:dead"),
                "*",
                &[("payload", payload), ("reason", reason.to_owned())],
            )
            .await?;
        self.ack(delivery).await
    }

    pub async fn dead_letter_count(&self) -> BrokerResult<u64> {
        let mut conn = self.conn.clone();
        Ok(conn.xlen(key(&self.prefix, "jobs:dead")).await?)
    }

    pub async fn cancel(&self, job_id: Uuid) -> BrokerResult<()> {
        let mut conn = self.conn.clone();
        let _: () = conn
            .set_ex(
                key(&self.prefix, &format!("cancel:{job_id}")),
                1,
                CANCEL_TTL_SECS,
            )
            .await?;
        Ok(())
    }

    pub async fn is_cancelled(&self, job_id: Uuid) -> BrokerResult<bool> {
        let mut conn = self.conn.clone();
        Ok(conn
            .exists(key(&self.prefix, &format!("cancel:{job_id}")))
            .await?)
    }

    pub async fn broadcast(&self, update: &InsightUpdate) -> BrokerResult<()> {
        let payload = serde_json::to_string(update).map_err(|source| BrokerError::Malformed {
            id: update.insight_id.to_string(),
            source,
        })?;
        let mut conn = self.conn.clone();
        let _: usize = conn.publish(key(&self.prefix, "updates"), payload).await?;
        Ok(())
    }

    pub fn updates(&self) -> broadcast::Receiver<InsightUpdate> {
        self.updates.subscribe()
    }

    pub fn resyncs(&self) -> broadcast::Receiver<()> {
        self.resyncs.subscribe()
    }

    pub async fn broadcast_enrichment(&self, update: &EnrichmentUpdate) -> BrokerResult<()> {
        let payload = serde_json::to_string(update).map_err(|source| BrokerError::Malformed {
            id: update.user_id().to_string(),
            source,
        })?;
        let mut conn = self.conn.clone();
        let _: usize = conn
            .publish(key(&self.prefix, "enrichment"), payload)
            .await?;
        Ok(())
    }

    pub fn enrichment_updates(&self) -> broadcast::Receiver<EnrichmentUpdate> {
        self.enrichment.subscribe()
    }
}

/// Forwards the updates channel to local subscribers, resubscribing after a
/// lost connection. Runs for the life of the process.
async fn relay_updates<T>(
    client: Client,
    channel: String,
    tx: broadcast::Sender<T>,
    resync: Option<broadcast::Sender<()>>,
) where
    T: serde::de::DeserializeOwned + Clone + Send + 'static,
{
    use futures_util::StreamExt;
    let mut subscribed_before = false;
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => {
                if let Err(err) = pubsub.subscribe(&channel).await {
                    tracing::warn!(error = %err, "subscribing to updates failed");
                } else {
                    if subscribed_before && let Some(resync) = &resync {
                        tracing::info!(%channel, "updates channel back; watchers re-read");
                        // No receivers is normal: nobody is watching.
                        drop(resync.send(()));
                    }
                    subscribed_before = true;
                    let mut messages = pubsub.on_message();
                    while let Some(msg) = messages.next().await {
                        let payload: String = msg.get_payload().unwrap_or_default();
                        match serde_json::from_str::<T>(&payload) {
                            // No receivers is normal: nobody is watching.
                            Ok(update) => drop(tx.send(update)),
                            Err(err) => tracing::warn!(error = %err, "undecodable update"),
                        }
                    }
                }
            }
            Err(err) => tracing::warn!(error = %err, "updates channel unavailable; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
