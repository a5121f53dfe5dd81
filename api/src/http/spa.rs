//! Serves the built SPA: files from the web directory, `index.html` for
//! every other path so client-side routes survive a reload.

use axum::http::{HeaderValue, header};
use std::path::Path;
use tower::Layer;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::{SetResponseHeader, SetResponseHeaderLayer},
};

type Headered<S> = SetResponseHeader<S, HeaderValue>;

/// The static-file service with its caching and security headers.
pub type SpaService = Headered<Headered<Headered<Headered<ServeDir<ServeFile>>>>>;

pub fn service(web_dir: &Path) -> SpaService {
    let index = web_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(
            dir = %web_dir.display(),
            "the web app is not built (run scripts/build-web); `/` will answer 404"
        );
    }
    // Asset names are not content-hashed yet, so the browser revalidates
    // every file; ETag/Last-Modified make that cheap.
    let files = ServeDir::new(web_dir).fallback(ServeFile::new(index));
    let files = SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    )
    .layer(files);
    // Everything the app loads comes from this origin ('wasm-unsafe-eval'
    // lets the browser compile the app's WebAssembly; nothing else is
    // evaluated), so an injected script has nowhere to load from or send to.
    let files = SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             frame-ancestors 'none'",
        ),
    )
    .layer(files);
    let files = SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    )
    .layer(files);
    SetResponseHeaderLayer::overriding(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    )
    .layer(files)
}
