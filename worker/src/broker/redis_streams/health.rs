//! What operators and `/ready` read: which workers beat recently (and
//! whether they reach the model), the streams' lengths and pending counts,
//! and a plain PING.

use redis::{AsyncCommands, Value};

use super::{API, RedisBroker, WORKERS, key};
use crate::broker::{BrokerResult, StreamStats, WorkerSeen};

impl RedisBroker {
    pub async fn worker_heartbeat(&self, worker: &str, model_reachable: bool) -> BrokerResult<()> {
        let mut conn = self.conn.clone();
        let now_ms = chrono::Utc::now().timestamp_millis();
        let _: () = redis::pipe()
            .zadd(key(&self.prefix, "workers"), worker, now_ms)
            .ignore()
            .hset(
                key(&self.prefix, "workers:model"),
                worker,
                i32::from(model_reachable),
            )
            .ignore()
            // Workers gone for a day are forgotten.
            .zrembyscore(key(&self.prefix, "workers"), "-inf", now_ms - 86_400_000)
            .ignore()
            .query_async(&mut conn)
            .await?;
        Ok(())
    }

    pub async fn latest_worker(&self) -> BrokerResult<Option<WorkerSeen>> {
        let mut conn = self.conn.clone();
        let latest: Vec<(String, i64)> = conn
            .zrevrange_withscores(key(&self.prefix, "workers"), 0, 0)
            .await?;
        let Some((worker, at_ms)) = latest.into_iter().next() else {
            return Ok(None);
        };
        let reachable: Option<i32> = conn
            .hget(key(&self.prefix, "workers:model"), &worker)
            .await?;
        Ok(
            chrono::DateTime::from_timestamp_millis(at_ms).map(|at| WorkerSeen {
                at,
                model_reachable: reachable == Some(1),
            }),
        )
    }

    pub async fn stream_stats(&self) -> BrokerResult<Vec<StreamStats>> {
        let mut conn = self.conn.clone();
        let mut stats = Vec::new();
        for (stream, group) in [
            ("jobs", Some(WORKERS)),
            ("jobs:low", Some(WORKERS)),
            ("events", Some(API)),
            ("jobs:dead", None),
        ] {
            let name = key(&self.prefix, stream);
            let length: u64 = conn.xlen(&name).await?;
            let pending = match group {
                Some(group) => {
                    // XPENDING's summary: [count, first id, last id, consumers].
                    let summary: Value = redis::cmd("XPENDING")
                        .arg(&name)
                        .arg(group)
                        .query_async(&mut conn)
                        .await?;
                    match summary {
                        Value::Array(items) => match items.first() {
                            Some(Value::Int(count)) => u64::try_from(*count).unwrap_or(0),
                            _ => 0,
                        },
                        _ => 0,
                    }
                }
                None => 0,
            };
            stats.push(StreamStats {
                stream,
                length,
                pending,
            });
        }
        Ok(stats)
    }

    pub async fn ping(&self) -> BrokerResult<()> {
        let mut conn = self.conn.clone();
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(())
    }
}
