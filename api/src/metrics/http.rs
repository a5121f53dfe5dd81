//! HTTP request counts and latencies, by route template (never the raw
//! path: ids in URLs would explode the number of series).

use axum::{
    extract::MatchedPath, extract::Request, http::Method, middleware::Next, response::Response,
};
use std::time::Instant;

use super::handles::Handles;

/// A label set of the two metrics.
struct Labels {
    method: Method,
    route: String,
    status: u16,
}

static KEPT: Handles<Labels> = Handles::new();

pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    // The web app's files and unknown paths, as the trace spans name them.
    let route = route.as_ref().map_or("static", MatchedPath::as_str);
    let status = response.status().as_u16();
    let (requests, duration) = KEPT.handles(
        |kept| kept.status == status && kept.method == method && kept.route == route,
        || Labels {
            method: method.clone(),
            route: route.to_owned(),
            status,
        },
        || {
            let (method, route) = (method.as_str().to_owned(), route.to_owned());
            (
                metrics::counter!(
                    "englog_http_requests_total",
                    "method" => method.clone(),
                    "route" => route.clone(),
                    "status" => status.to_string()
                ),
                metrics::histogram!(
                    "englog_http_request_duration_seconds",
                    "method" => method,
                    "route" => route
                ),
            )
        },
    );
    requests.increment(1);
    duration.record(started.elapsed().as_secs_f64());
    response
}
