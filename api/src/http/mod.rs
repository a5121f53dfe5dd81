//! The HTTP surface: GraphQL, GraphiQL, health probes, downloads
//! (`/export/…`) and the SPA.

pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod inline_wakes;
pub mod serve;
pub mod spa;

use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, MatchedPath},
    http::Request,
    response::IntoResponse,
};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::graphql::{EnglogSchema, guard::DocumentGuard, guarded_schema_builder};
use crate::state::AppState;

/// What the HTTP handlers share.
#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    /// The schema HTTP and MCP execute, with no extension but the
    /// validation memo: they run the guard around it.
    pub schema: EnglogSchema,
    pub guard: DocumentGuard,
    /// The WebSocket's schema, with the guard as an extension; built on the
    /// first connection (most instances never see one).
    pub socket_schema: Arc<OnceLock<EnglogSchema>>,
    pub limiter: Arc<graphql::limiter::ExecutionLimiter>,
    /// When this process started serving: workers get that long to send a
    /// first heartbeat before `/ready` misses them.
    pub started: std::time::Instant,
}

impl HttpState {
    pub fn socket_schema(&self) -> EnglogSchema {
        self.socket_schema
            .get_or_init(|| {
                let limits = &self.app.settings.graphql;
                crate::graphql::finish(
                    guarded_schema_builder(limits, self.guard.clone()),
                    &self.app,
                )
            })
            .clone()
    }
}

pub fn router(state: HttpState) -> Router {
    // `/graphql` carries imports: the limit fits the largest import file.
    let settings = &state.app.settings;
    let body_limit = settings
        .graphql
        .max_body_bytes
        .max(settings.imports.graphql_body_bytes());
    let web_dir = state.app.settings.web_dir.clone();
    let oauth = crate::auth::oauth::router(state.app.clone());
    // `/metrics` here unless it has its own listener (see `startup`) or is
    // off; then the path is a 404 like any other unknown one.
    let metrics = if settings.metrics.enabled && settings.metrics.listen.is_none() {
        crate::metrics::router(state.app.clone())
    } else {
        Router::new()
    };
    let mcp = crate::mcp::router(state.clone());
    Router::new()
        .merge(graphql::router().layer(DefaultBodyLimit::max(body_limit)))
        .merge(health::router())
        .merge(crate::portability::http::router())
        .merge(crate::exports::router())
        .with_state(state)
        .merge(graphiql::router())
        .merge(oauth)
        .merge(mcp)
        .merge(metrics)
        .fallback_service(spa::service(&web_dir))
        // The five as one layer, outermost first: each `Router::layer`
        // wraps every route in one more boxed service, and each request
        // clones every box and moves every future into a box of its own
        // (issue 18, twelfth pass; axum's documentation advises the same).
        .layer(
            ServiceBuilder::new()
                .layer(
                    // Spans are named by route template, never by the raw
                    // path, so ids in URLs do not explode cardinality.
                    TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                        let route = req
                            .extensions()
                            .get::<MatchedPath>()
                            .map(MatchedPath::as_str)
                            .unwrap_or("static");
                        tracing::info_span!("http", method = %req.method(), route)
                    }),
                )
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                ))
                // Back to axum's body and response types between layers,
                // as `Router::layer` does around each layer it is given.
                .map_response(IntoResponse::into_response)
                .layer(RequestBodyLimitLayer::new(body_limit))
                .map_request(|request: Request<_>| request.map(Body::new))
                // A bug that panics answers 500 and is logged; it never
                // takes the connection (or a user's view of the error)
                // with it.
                .layer(CatchPanicLayer::new())
                .layer(axum::middleware::from_fn(crate::metrics::http::track)),
        )
}
