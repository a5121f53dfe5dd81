//! Who may call `/mcp`: a request must carry a valid API token
//! (`Authorization: Bearer englog_…`); anything else is answered 401 with a
//! `WWW-Authenticate` challenge (RFC 6750) before the MCP layer reads the
//! body. The resolved [`Caller`] travels in the request's extensions, where
//! the tools find it (rmcp hands them the request's `http::request::Parts`).

use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::auth::caller::{Caller, bearer_token};
use crate::auth::resolve::caller_of;
use crate::http::HttpState;

pub async fn require_token(
    State(state): State<HttpState>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .map(str::to_owned);
    let Some(token) = token else {
        return challenge(
            r#"Bearer realm="englog""#,
            "An API token is required: Authorization: Bearer <token> (create one in Settings → API tokens).",
        );
    };
    match caller_of(&state.app, &token).await {
        Ok(Some(caller)) => {
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Ok(None) => challenge(
            r#"Bearer realm="englog", error="invalid_token", error_description="The token is unknown, expired or revoked.""#,
            "The token is unknown, expired or revoked.",
        ),
        Err(err) => {
            tracing::error!(error = ?err, "resolving an MCP caller failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error.").into_response()
        }
    }
}

/// The caller the middleware resolved; absent only if the route was built
/// without it, which the tools treat as an internal error.
pub fn caller_in(parts: &axum::http::request::Parts) -> Option<Caller> {
    parts.extensions.get::<Caller>().copied()
}

fn challenge(www_authenticate: &'static str, message: &'static str) -> Response {
    let mut response = (
        StatusCode::UNAUTHORIZED,
        axum::Json(serde_json::json!({ "error": message })),
    )
        .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(www_authenticate),
    );
    response
}
