//! `/live` (the process answers), `/health` (alias kept for load balancers
//! that expect it) and `/ready` (the database, and Redis when configured,
//! answer).

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
    let ready = database == "ok" && redis != "unavailable";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ok" } else { "unavailable" },
        "checks": { "database": database, "redis": redis },
    });
    (status, Json(body))
}
