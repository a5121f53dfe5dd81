//! The events stream (worker → API): published by workers, read by the
//! API's consumer group so one API instance persists each result.

use englog_core::jobs::JobEventEnvelope;
use redis::AsyncCommands;
use redis::streams::{StreamAutoClaimReply, StreamReadReply};
use std::time::Duration;

use super::{API, RedisBroker, decode, is_no_group, key};
use crate::broker::{BrokerError, BrokerResult};

impl RedisBroker {
    pub async fn publish_event(&self, event: &JobEventEnvelope) -> BrokerResult<()> {
        let payload = serde_json::to_string(event).map_err(|source| BrokerError::Malformed {
            id: event.job_id.to_string(),
            source,
        })?;
        let mut conn = self.conn.clone();
        let _: String = conn
            .xadd(key(&self.prefix, "events"), "*", &[("payload", payload)])
            .await?;
        Ok(())
    }

    pub async fn next_events(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> BrokerResult<Vec<(String, JobEventEnvelope)>> {
        match self.read_events(consumer, max, wait).await {
            Err(BrokerError::Redis(err)) if is_no_group(&err) => {
                self.create_groups().await?;
                Ok(Vec::new())
            }
            other => other,
        }
    }

    async fn read_events(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> BrokerResult<Vec<(String, JobEventEnvelope)>> {
        let events = key(&self.prefix, "events");
        let mut conn = self.conn.clone();
        // Events another API instance read but never acknowledged (it died).
        let claimed: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(&events)
            .arg(API)
            .arg(consumer)
            .arg(self.timing.reclaim_after.as_millis() as u64)
            .arg("0-0")
            .arg("COUNT")
            .arg(max)
            .query_async(&mut conn)
            .await?;
        let mut entries = claimed.claimed;
        if entries.is_empty() {
            let mut blocking = self.blocking.clone();
            let reply: Option<StreamReadReply> = redis::cmd("XREADGROUP")
                .arg("GROUP")
                .arg(API)
                .arg(consumer)
                .arg("COUNT")
                .arg(max)
                .arg("BLOCK")
                .arg(wait.as_millis().max(1) as u64)
                .arg("STREAMS")
                .arg(&events)
                .arg(">")
                .query_async(&mut blocking)
                .await?;
            entries = reply
                .and_then(|r| r.keys.into_iter().next())
                .map(|k| k.ids)
                .unwrap_or_default();
        }
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            match decode::<JobEventEnvelope>(&entry) {
                Ok(event) => out.push((entry.id, event)),
                Err(err) => {
                    tracing::error!(error = %err, "dropping an undecodable event");
                    self.ack_events(std::slice::from_ref(&entry.id)).await?;
                }
            }
        }
        Ok(out)
    }

    pub async fn ack_events(&self, ids: &[String]) -> BrokerResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let events = key(&self.prefix, "events");
        let mut conn = self.conn.clone();
        let _: (usize, usize) = redis::pipe()
            .atomic()
            .xack(&events, API, ids)
            .xdel(&events, ids)
            .query_async(&mut conn)
            .await?;
        Ok(())
    }
}
