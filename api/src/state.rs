//! What every request handler needs, cloned cheaply per request.

use englog_worker::Broker;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use tokio::sync::Notify;

use crate::auth::session_cache::SessionCache;
use crate::auth::{JwtKeys, rate_limit::RateLimiter};
use crate::config::Settings;
use crate::db_warm::{WarmConnections, WarmDb};
use crate::enrichment::no_job_memo::NoJobMemo;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: JwtKeys,
    pub settings: Arc<Settings>,
    /// Report jobs and events: Redis Streams, or in-process.
    pub broker: Broker,
    /// Nudges the outbox relay right after a job is written.
    pub relay_wakeup: Arc<Notify>,
    pub limiter: RateLimiter,
    /// Sessions found live a moment ago (revoked ones stop within
    /// `session_cache::REVOCATION_BOUND`).
    pub sessions: SessionCache,
    /// PostgreSQL connections kept warm for the hottest statements.
    pub warm: WarmConnections,
    /// People whose writes queued no enrichment job a moment ago
    /// (trusted for `no_job_memo::NO_JOB_BOUND`).
    pub no_job: NoJobMemo,
}

impl AppState {
    /// The database with its hottest statements on warm connections.
    pub fn warm_db(&self) -> WarmDb<'_> {
        WarmDb {
            db: &self.db,
            warm: &self.warm,
        }
    }
}
