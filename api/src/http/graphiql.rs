//! GraphiQL explorer at `/graphiql`, served from assets embedded in the binary.
//!
//! Nothing on the page is fetched from a CDN or any third party: GraphiQL,
//! React and React DOM are vendored under `api/assets/graphiql/` (versions and
//! licenses in `LICENSES.md` there) and compiled into the binary, so the
//! explorer works air-gapped. The page talks to `/graphql` (and
//! `/graphql/ws` for subscriptions) on the same origin.
//!
//! Routes:
//! - `GET /graphiql` (and `/graphiql/`): the page, `Cache-Control: no-cache`.
//! - `GET /graphiql/assets/{file}`: exactly the vendored files. The
//!   third-party libraries are cached for a year as immutable (the page
//!   references them with a `?v=<version>` query string, bumped on upgrade);
//!   EngLog's own small init script and stylesheet are `no-cache`.
//! - Anything else under `/graphiql/assets/` is 404.

use axum::{
    Router,
    extract::Path,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

/// `Cache-Control` for the vendored, versioned libraries.
const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for the page and EngLog's own files: always revalidate.
const CACHE_NO_CACHE: &str = "no-cache";

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Content-Security-Policy of the page. Scripts and styles come only from
/// this origin; GraphiQL sets inline `style` attributes and injects style
/// elements at run time, hence `'unsafe-inline'` for styles (not scripts).
/// Fonts in `graphiql.min.css` are `data:` URLs. `connect-src 'self'` covers
/// `/graphql` and the same-origin `ws:`/`wss:` subscription socket.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
    connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

macro_rules! asset_path {
    ($file:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/", $file)
    };
}

/// The page itself.
const INDEX_HTML: &str = include_str!(asset_path!("index.html"));

/// One embedded file under `/graphiql/assets/`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    cache_control: &'static str,
    body: &'static [u8],
}

/// Exactly the files served under `/graphiql/assets/`.
const ASSETS: &[Asset] = &[
    Asset {
        name: "graphiql.min.js",
        content_type: JS,
        cache_control: CACHE_IMMUTABLE,
        body: include_bytes!(asset_path!("graphiql.min.js")),
    },
    Asset {
        name: "graphiql.min.css",
        content_type: CSS,
        cache_control: CACHE_IMMUTABLE,
        body: include_bytes!(asset_path!("graphiql.min.css")),
    },
    Asset {
        name: "react.production.min.js",
        content_type: JS,
        cache_control: CACHE_IMMUTABLE,
        body: include_bytes!(asset_path!("react.production.min.js")),
    },
    Asset {
        name: "react-dom.production.min.js",
        content_type: JS,
        cache_control: CACHE_IMMUTABLE,
        body: include_bytes!(asset_path!("react-dom.production.min.js")),
    },
    Asset {
        name: "graphiql-init.js",
        content_type: JS,
        cache_control: CACHE_NO_CACHE,
        body: include_bytes!(asset_path!("graphiql-init.js")),
    },
    Asset {
        name: "graphiql-page.css",
        content_type: CSS,
        cache_control: CACHE_NO_CACHE,
        body: include_bytes!(asset_path!("graphiql-page.css")),
    },
];

/// Routes for the GraphiQL page and its assets. Merge into the app router.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/graphiql", get(index))
        .route("/graphiql/", get(index))
        .route("/graphiql/assets/{file}", get(asset))
}

async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, HTML),
            (header::CACHE_CONTROL, CACHE_NO_CACHE),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_SECURITY_POLICY, PAGE_CSP),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        INDEX_HTML,
    )
        .into_response()
}

async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == file) else {
        return not_found();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, asset.cache_control),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.body,
    )
        .into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE_NO_CACHE),
        ],
        "not found\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    //! `tower::ServiceExt` is available because axum enables tower's `util`
    //! feature; no extra dependency is needed.
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::{HeaderName, Request};
    use tower::ServiceExt;

    async fn get_path(path: &str) -> Response {
        router::<()>()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    fn hdr(res: &Response, name: HeaderName) -> &str {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    #[tokio::test]
    async fn page_is_served_without_cache_and_with_csp() {
        for path in ["/graphiql", "/graphiql/"] {
            let res = get_path(path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(hdr(&res, header::CONTENT_TYPE), HTML);
            assert_eq!(hdr(&res, header::CACHE_CONTROL), "no-cache");
            assert!(hdr(&res, header::CONTENT_SECURITY_POLICY).contains("script-src 'self'"));
            let body = to_bytes(res.into_body(), usize::MAX).await.unwrap();
            let body = std::str::from_utf8(&body).unwrap();
            assert!(body.contains("/graphiql/assets/graphiql.min.js"));
            assert!(body.contains("/graphiql/assets/graphiql-init.js"));
        }
    }

    #[tokio::test]
    async fn every_asset_is_served_with_its_type_and_cache_policy() {
        for a in ASSETS {
            let res = get_path(&format!("/graphiql/assets/{}", a.name)).await;
            assert_eq!(res.status(), StatusCode::OK, "{}", a.name);
            assert_eq!(hdr(&res, header::CONTENT_TYPE), a.content_type);
            assert_eq!(hdr(&res, header::CACHE_CONTROL), a.cache_control);
            assert_eq!(hdr(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
            let body = to_bytes(res.into_body(), usize::MAX).await.unwrap();
            assert_eq!(&body[..], a.body, "{}", a.name);
        }
        let res = get_path("/graphiql/assets/graphiql.min.js?v=3.9.0").await;
        assert_eq!(hdr(&res, header::CACHE_CONTROL), CACHE_IMMUTABLE);
    }

    #[tokio::test]
    async fn unknown_files_are_404() {
        for path in [
            "/graphiql/assets/LICENSES.md",
            "/graphiql/assets/index.html",
            "/graphiql/assets/graphiql.min.js.map",
            "/graphiql/assets/..%2Findex.html",
            "/graphiql/assets/",
            "/graphiql/assets",
            "/graphiql/other",
        ] {
            let res = get_path(path).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        }
    }

    #[test]
    fn page_references_only_embedded_assets() {
        // Every src/href in the page is either an embedded asset or a data: URL:
        // no CDN, no third-party request.
        for attr in ["src=\"", "href=\""] {
            for chunk in INDEX_HTML.split(attr).skip(1) {
                let url = chunk.split('"').next().unwrap();
                if url.starts_with("data:") {
                    continue;
                }
                let file = url
                    .strip_prefix("/graphiql/assets/")
                    .unwrap_or_else(|| panic!("page references {url}"));
                let file = file.split('?').next().unwrap();
                assert!(
                    ASSETS.iter().any(|a| a.name == file),
                    "page references {url}, which is not embedded"
                );
            }
        }
    }
}
