//! GDPR erasure: requesting ends every credential at once and mails a
//! notice; signing in again shows the request and can cancel it; the
//! scheduler (clock injected) processes it after the grace period. The
//! canary tests then search a dump of every table and every Redis key
//! under the test prefix for strings only the erased user ever wrote.

use chrono::{DateTime, Duration as Days, Utc};
use englog_api::account_deletion::process::run_due;
use englog_api::config::Secret;
use englog_api::state::AppState;
use englog_worker::broker::{Broker, BrokerTiming, MemoryBroker, RedisBroker};
use englog_worker::fake_ollama::{FakeOllama, Reply};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::helpers::{
    Backend, PASSWORD, TestApp, error_code, error_field, redis_url, session_of, spawn_app_with,
};
use crate::schedule::{SmtpServer, wait_for_mail};

const REQUEST: &str = "mutation($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { mode requestedAt scheduledFor } }";
const CANCEL: &str = "mutation { cancelAccountDeletion }";
const PENDING: &str = "{ me { email pendingDeletion { mode requestedAt scheduledFor } } }";
const REFRESH: &str =
    "mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken } }";

/// The app's database with a broker of the caller's choice, for running
/// the scheduler's deletion pass at a chosen "now".
async fn scheduler_state(app: &TestApp, broker: Broker) -> AppState {
    crate::helpers::background_state(app, Some(broker)).await
}

fn instant(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .expect("date-time")
        .parse()
        .expect("RFC 3339")
}

async fn create_token(app: &TestApp, access: &str) -> String {
    let data = app
        .ok(
            "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }",
            json!({ "input": { "name": "cli", "scope": "READ_WRITE" } }),
            access,
        )
        .await;
    data["createApiToken"]["token"].as_str().unwrap().to_owned()
}

mod canary;
mod dumps;
mod request;
