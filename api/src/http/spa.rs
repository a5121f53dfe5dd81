//! Serves the built SPA: files from the web directory, `index.html` for
//! every other path so client-side routes survive a reload.
//!
//! Caching: `scripts/build-web` puts a content hash in every file name under
//! `/pkg` and `/assets`, so those are cached for a year as immutable (a new
//! build has new names); `index.html`, which names them, is revalidated on
//! every load (`no-cache`, cheap with ETag/Last-Modified).

use axum::{
    Router,
    http::{HeaderValue, header},
    middleware::map_response,
    response::Response,
};
use std::path::Path;
use tower::Layer;
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
    .layer(ServeDir::new(web_dir).fallback(ServeFile::new(index)));
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
