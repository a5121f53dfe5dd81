//! Noticing that Redis lost its data. Jobs live in the database's outbox
//! and in Redis' streams; a Redis restarted without persistence (or with a
//! lost volume) forgets every published job, whatever its state, while the
//! database still says pending, retrying or running. A marker key, set once
//! and never expiring, tells the two cases apart: when it is missing, the
//! data went with it, and whoever sets it again republishes the jobs in
//! flight.

use super::{RedisBroker, key};
use crate::broker::BrokerResult;

impl RedisBroker {
    /// Sets the marker if it is missing; `true` when this call set it (the
    /// first start against this Redis, or its data was lost since). With
    /// several API instances exactly one of them gets `true`.
    pub async fn claim_epoch(&self) -> BrokerResult<bool> {
        let mut conn = self.conn.clone();
        let set: Option<String> = redis::cmd("SET")
            .arg(key(&self.prefix, "epoch"))
            .arg(chrono::Utc::now().to_rfc3339())
            .arg("NX")
            .query_async(&mut conn)
            .await?;
        Ok(set.is_some())
    }
}
