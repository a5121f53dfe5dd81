//! Serves the built SPA: files from the web directory, `index.html` for
//! every other path so client-side routes survive a reload.

use axum::http::{HeaderValue, header};
use std::path::Path;
use tower::Layer;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

pub fn service(
    web_dir: &Path,
) -> tower_http::set_header::SetResponseHeader<ServeDir<ServeFile>, HeaderValue> {
    let index = web_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(
            dir = %web_dir.display(),
            "the web app is not built (run scripts/build-web); `/` will answer 404"
        );
    }
    // Asset names are not content-hashed yet, so the browser revalidates
    // every file; ETag/Last-Modified make that cheap.
    SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    )
    .layer(ServeDir::new(web_dir).fallback(ServeFile::new(index)))
}
