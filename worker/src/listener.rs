//! The worker's small HTTP listener: `/metrics` (Prometheus), `/live` (the
//! process answers) and `/ready` (Redis and the model service answer).

use axum::{
    Json, Router, extract::State, http::StatusCode, http::header, response::IntoResponse,
    routing::get,
};
use serde_json::json;

use crate::heartbeat::Health;

pub fn router(health: Health) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/live", get(|| async { Json(json!({ "status": "ok" })) }))
        .route("/ready", get(ready))
        .with_state(health)
}

async fn metrics() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(),
    )
}

async fn ready(State(health): State<Health>) -> impl IntoResponse {
    let broker = health.broker_ok();
    let model = health.model_ok();
    let status = if broker && model {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    let body = json!({
        "status": word(broker && model),
        "checks": { "redis": word(broker), "model": word(model) },
    });
    (status, Json(body))
}
