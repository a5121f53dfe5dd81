//! `/metrics` on the API (Prometheus text format), and the API's metrics.
//!
//! The recorder is the worker crate's (one per process, shared with an
//! embedded worker). Counters and histograms are recorded where things
//! happen (HTTP, GraphQL, jobs, rate limits); gauges that describe state
//! (database pool, outbox, streams, workers) are read when scraped. What
//! each metric means: docs/OPERATIONS.md.

pub mod collect;
pub mod graphql;
mod handles;
pub mod http;

use axum::{Router, extract::State, http::header, response::IntoResponse, routing::get};
use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
use std::sync::Once;

use crate::state::AppState;

/// The `/metrics` route.
pub fn router(state: AppState) -> Router {
    install();
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

/// Installs the recorder and describes the API's metrics (once).
pub fn install() {
    static DESCRIBED: Once = Once::new();
    if englog_worker::metrics::handle().is_some() {
        DESCRIBED.call_once(describe);
    }
}

async fn scrape(State(state): State<AppState>) -> impl IntoResponse {
    collect::gauges(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        englog_worker::metrics::render(),
    )
}

fn describe() {
    describe_counter!(
        "englog_http_requests_total",
        "HTTP requests answered, by method, route template and status."
    );
    describe_histogram!(
        "englog_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request, by method and route template."
    );
    describe_counter!(
        "englog_graphql_operations_total",
        "GraphQL operations over HTTP, by operation name (bounded: anonymous and unknown names share one value), type and outcome (ok or the first error code)."
    );
    describe_histogram!(
        "englog_graphql_operation_duration_seconds",
        Unit::Seconds,
        "Time to answer a GraphQL operation over HTTP, by operation name and type."
    );
    describe_gauge!(
        "englog_websocket_connections",
        "Open GraphQL WebSocket connections (subscriptions)."
    );
    describe_gauge!(
        "englog_db_pool_connections",
        "Database pool connections by state (in_use, idle)."
    );
    describe_gauge!(
        "englog_db_pool_max_connections",
        "Size limit of the database pool."
    );
    describe_gauge!(
        "englog_outbox_backlog_jobs",
        "Jobs written by requests and not yet published to the broker."
    );
    describe_gauge!(
        "englog_outbox_oldest_age_seconds",
        "Age of the oldest unpublished job (0 when none)."
    );
    describe_gauge!(
        "englog_stream_length",
        "Entries in each broker stream (jobs, jobs:low, events, jobs:dead)."
    );
    describe_gauge!(
        "englog_stream_pending",
        "Entries delivered to a consumer and not yet acknowledged, per stream."
    );
    describe_gauge!(
        "englog_dead_letters",
        "Jobs that failed every attempt (the dead-letter stream's length)."
    );
    describe_counter!(
        "englog_jobs_enqueued_total",
        "Jobs published to the broker by the outbox relay, by kind."
    );
    describe_counter!(
        "englog_enrichment_deferred_total",
        "Entries written while their owner's enrichment backlog was full (reports.enrichment_backlog_max): they got no suggestions job."
    );
    describe_counter!(
        "englog_job_events_total",
        "Job events applied by the API, by kind (report, enrichment) and event (started, retrying, succeeded, failed)."
    );
    describe_gauge!(
        "englog_worker_heartbeat_age_seconds",
        "Seconds since any worker last said it was alive (-1 when none ever did)."
    );
    describe_gauge!(
        "englog_worker_model_reachable_reported",
        "1 when the most recent worker heartbeat says the model service answers."
    );
    describe_counter!(
        "englog_rate_limit_refusals_total",
        "Requests refused by a rate limit, by action."
    );
    describe_counter!(
        "englog_graphql_slot_refusals_total",
        "GraphQL requests refused for want of an execution slot, by scope (caller, instance)."
    );
}
