//! `/live` (the process answers), `/health` (alias kept for load balancers
//! that expect it) and `/ready` (the database, and Redis when configured,
//! answer, and a worker has sent a heartbeat recently; the model service's
//! reachability, as the latest worker reports it, is shown but does not
//! decide: reports wait for a model that comes back).

use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use serde_json::{Value, json};

use englog_worker::Broker;

use super::HttpState;

pub fn router() -> Router<HttpState> {
    Router::new()
        .route("/live", get(live))
        .route("/health", get(live))
        .route("/ready", get(ready))
}

async fn live() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn ready(State(state): State<HttpState>) -> (StatusCode, Json<Value>) {
    let database = match state.app.db.ping().await {
        Ok(()) => "ok",
        Err(err) => {
            tracing::warn!(error = %err, "readiness: database unreachable");
            "unavailable"
        }
    };
    let redis = match &state.app.broker {
        Broker::Memory(_) => "not configured",
        broker => match broker.ping().await {
            Ok(()) => "ok",
            Err(err) => {
                tracing::warn!(error = %err, "readiness: redis unreachable");
                "unavailable"
            }
        },
    };
    let (worker, model) = worker_checks(&state).await;
    let worker_ok =
        worker != "stale" && worker != "none" || !state.app.settings.readiness.require_worker;
    let ready = database == "ok" && redis != "unavailable" && worker_ok;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ok" } else { "unavailable" },
        "checks": { "database": database, "redis": redis, "worker": worker, "model": model },
    });
    (status, Json(body))
}

/// The workers' state: `embedded` (this process runs one), `ok`,
/// `starting` (no recent heartbeat yet, but this process started less than
/// `readiness.worker_max_age_secs` ago: workers may start after the API),
/// `stale` (no heartbeat within that time), `none` (never a heartbeat) or
/// `unknown` (the broker could not tell); and the model service's
/// reachability as the latest heartbeat reports it.
async fn worker_checks(state: &HttpState) -> (&'static str, &'static str) {
    let app = &state.app;
    let latest = match app.broker.latest_worker().await {
        Ok(latest) => latest,
        Err(err) => {
            tracing::warn!(error = %err, "readiness: reading worker heartbeats failed");
            return ("unknown", "unknown");
        }
    };
    let model = match &latest {
        Some(seen) if seen.model_reachable => "ok",
        Some(_) => "unreachable",
        None => "unknown",
    };
    // A worker inside this process is alive as long as the process is.
    if crate::jobs::embedded_worker::enabled(app) {
        return ("embedded", model);
    }
    let max_age = chrono::Duration::seconds(
        i64::try_from(app.settings.readiness.worker_max_age_secs).unwrap_or(i64::MAX),
    );
    let worker = match latest {
        Some(seen) if chrono::Utc::now() - seen.at <= max_age => "ok",
        _ if state.started.elapsed().as_secs() < app.settings.readiness.worker_max_age_secs => {
            "starting"
        }
        Some(_) => "stale",
        None => "none",
    };
    (worker, model)
}
