//! Fixed-window counters in Redis, shared by every API instance.

use std::time::Duration;
use tokio::sync::OnceCell;

use super::WindowCount;

/// A limiter must not stall sign-in: past this, the in-process count is used.
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

pub(super) struct RedisCounters {
    client: redis::Client,
    connection: OnceCell<redis::aio::MultiplexedConnection>,
}

impl RedisCounters {
    pub(super) fn new(client: redis::Client) -> Self {
        Self {
            client,
            connection: OnceCell::new(),
        }
    }

    /// One atomic round trip (MULTI/EXEC): start the window if absent
    /// (`SET NX PX`), count (`INCR` keeps the expiry), read what is left.
    pub(super) async fn incr(&self, key: &str, window: Duration) -> anyhow::Result<WindowCount> {
        let work = async {
            let connection = self
                .connection
                .get_or_try_init(|| self.client.get_multiplexed_async_connection())
                .await?;
            let mut connection = connection.clone();
            let window_ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
            let (count, pttl): (u64, i64) = redis::pipe()
                .atomic()
                .cmd("SET")
                .arg(key)
                .arg(0)
                .arg("PX")
                .arg(window_ms)
                .arg("NX")
                .ignore()
                .cmd("INCR")
                .arg(key)
                .cmd("PTTL")
                .arg(key)
                .query_async(&mut connection)
                .await?;
            let remaining = u64::try_from(pttl).map_or(window, Duration::from_millis);
            Ok::<_, redis::RedisError>(WindowCount { count, remaining })
        };
        Ok(tokio::time::timeout(REDIS_TIMEOUT, work).await??)
    }
}
