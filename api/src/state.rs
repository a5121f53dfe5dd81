//! What every request handler needs, cloned cheaply per request.

use sea_orm::DatabaseConnection;
use std::sync::Arc;

use crate::auth::{JwtKeys, rate_limit::RateLimiter};
use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: JwtKeys,
    pub settings: Arc<Settings>,
    pub limiter: RateLimiter,
}
