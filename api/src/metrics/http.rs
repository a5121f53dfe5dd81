//! HTTP request counts and latencies, by route template (never the raw
//! path: ids in URLs would explode the number of series).

use axum::{extract::MatchedPath, extract::Request, middleware::Next, response::Response};
use std::time::Instant;

pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        // The web app's files and unknown paths, as the trace spans name them.
        .map_or_else(|| "static".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(
        "englog_http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status
    )
    .increment(1);
    metrics::histogram!(
        "englog_http_request_duration_seconds",
        "method" => method,
        "route" => route
    )
    .record(started.elapsed().as_secs_f64());
    response
}
