//! Configuration of the connectors (docs/CONFIGURATION.md, "Connectors").

use serde::{Deserialize, Serialize};

use crate::config::Secret;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectorSettings {
    /// 32 random bytes, base64 (`openssl rand -base64 32`), that seal the
    /// connectors' credentials in the database. The embedded default
    /// generates one in `data_dir`; a server database without it cannot
    /// store connector credentials (configuring one says so).
    pub credentials_key: Secret,
    /// Run the connector scheduler in this process.
    pub scheduler: bool,
    /// How often the scheduler looks for connectors due to sync.
    pub tick_secs: u64,
    /// Seconds between two syncs of a connector, unless the person picks
    /// another interval (never below `min_interval_secs`).
    pub default_interval_secs: u32,
    pub min_interval_secs: u32,
    /// After a failed sync the next try waits `backoff_base_secs`, doubled
    /// after each further failure, at most `backoff_max_secs`.
    pub backoff_base_secs: u32,
    pub backoff_max_secs: u32,
    /// How far back the first sync of a connector looks.
    pub first_sync_days: u32,
    /// Time limit on one request to a forge.
    pub request_timeout_secs: u64,
    /// A rate-limited answer whose reset is at most this far away is
    /// waited for within the sync; a later reset ends the sync and
    /// schedules the next one after the reset.
    pub max_rate_limit_wait_secs: u64,
    /// A sync holding a connector longer than this is presumed dead and
    /// its connector can be claimed again.
    pub lease_secs: u32,
}

impl Default for ConnectorSettings {
    fn default() -> Self {
        Self {
            credentials_key: Secret::default(),
            scheduler: true,
            tick_secs: 30,
            default_interval_secs: 30 * 60,
            min_interval_secs: 5 * 60,
            backoff_base_secs: 60,
            backoff_max_secs: 6 * 3600,
            first_sync_days: 14,
            request_timeout_secs: 30,
            max_rate_limit_wait_secs: 90,
            lease_secs: 15 * 60,
        }
    }
}
