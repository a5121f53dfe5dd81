//! Serves the built SPA: files from the web directory, `index.html` for
//! the app's own routes so they survive a reload, 404 for anything else.
//!
//! Caching: `scripts/build-web` puts a content hash in every file name under
//! `/pkg` and `/assets`, so those are cached for a year as immutable (a new
//! build has new names); `index.html`, which names them, is revalidated on
//! every load (`no-cache`, cheap with ETag/Last-Modified).

use axum::{
    Router,
    http::{HeaderValue, StatusCode, header},
    middleware::map_response,
    response::{IntoResponse, Response},
};
use std::path::{Path, PathBuf};
use tower::{Layer, ServiceExt};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn service(web_dir: &Path) -> Router {
    let index = web_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(
            dir = %web_dir.display(),
            "the web app is not built (run scripts/build-web); `/` will answer 404"
        );
    }
    let hashed = |sub: &str| {
        Router::new()
            .fallback_service(ServeDir::new(web_dir.join(sub)))
            .layer(map_response(cache_forever))
    };
    let pages = SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    )
    .layer(ServeDir::new(web_dir).fallback(client_routes(index)));
    Router::new()
        .nest_service("/pkg", hashed("pkg"))
        .nest_service("/assets", hashed("assets"))
        .fallback_service(pages)
        // Everything the app loads comes from this origin ('wasm-unsafe-eval'
        // lets the browser compile the app's WebAssembly; nothing else is
        // evaluated), so an injected script has nowhere to load from or send
        // to. `connect-src 'self'` covers the same-origin WebSocket.
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                 img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                 frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// Paths that are never the web app's: a miss there is a 404, not the
/// app's page (an API client or a scraper must not get HTML with a 200).
const NOT_CLIENT_ROUTES: &[&str] = &[
    "/api",
    "/metrics",
    "/graphql",
    "/graphiql",
    "/export",
    "/auth",
    "/mcp",
    "/live",
    "/ready",
    "/health",
    "/pkg",
    "/assets",
];

/// Whether `path` can be one of the app's own routes (`/`, `/entries/…`):
/// not under a server prefix, and not a file name (`/favicon.ico`).
fn is_client_route(path: &str) -> bool {
    let reserved = NOT_CLIENT_ROUTES
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")));
    let last = path.rsplit('/').next().unwrap_or_default();
    !reserved && !last.contains('.')
}

/// `index.html` for the app's routes, 404 for anything else not found.
fn client_routes(index: PathBuf) -> axum::routing::MethodRouter {
    axum::routing::get(move |request: axum::extract::Request| {
        let index = index.clone();
        async move {
            if !is_client_route(request.uri().path()) {
                return StatusCode::NOT_FOUND.into_response();
            }
            match ServeFile::new(index).oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(err) => match err {},
            }
        }
    })
}

/// Hashed files never change; a miss (404) must not be cached.
async fn cache_forever(mut response: Response) -> Response {
    let value = if response.status().is_success() {
        IMMUTABLE
    } else {
        "no-store"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::is_client_route;

    #[test]
    fn only_app_routes_fall_back_to_the_app() {
        for route in [
            "/",
            "/entries",
            "/entries/0190",
            "/reports/x/y",
            "/settings",
        ] {
            assert!(is_client_route(route), "{route}");
        }
        for other in [
            "/metrics",
            "/api/x",
            "/api",
            "/favicon.ico",
            "/robots.txt",
            "/graphql/nope",
            "/pkg/app.wasm",
            "/export/x",
        ] {
            assert!(!is_client_route(other), "{other}");
        }
    }
}
