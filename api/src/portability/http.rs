//! `GET /export/account.json`: the caller's whole account as a download,
//! authenticated like `/graphql` (`Authorization: Bearer` with an access
//! token or an API token; a read-only token suffices).

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;

use super::account_export;
use crate::auth::{caller::bearer_token, resolve::caller_of};
use crate::error::AppError;
use crate::http::HttpState;

pub fn router() -> Router<HttpState> {
    Router::new().route("/export/account.json", get(account))
}

fn unauthenticated() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        Json(json!({ "error": "authentication required" })),
    )
        .into_response()
}

fn internal(err: AppError) -> Response {
    if let AppError::Internal(cause) = &err {
        tracing::error!(error = ?cause, "account export failed");
    }
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({ "error": "internal error" })),
    )
        .into_response()
}

async fn account(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    let Some(token) = token else {
        return unauthenticated();
    };
    let caller = match caller_of(&state.app, token).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return unauthenticated(),
        Err(err) => return internal(err),
    };
    let document = match account_export::export(&state.app.db, caller.user_id).await {
        Ok(doc) => doc,
        Err(err) => return internal(err),
    };
    let body = match serde_json::to_vec_pretty(&document) {
        Ok(body) => body,
        Err(err) => return internal(AppError::Internal(err.into())),
    };
    let filename = format!(
        "attachment; filename=\"englog-account-{}.json\"",
        document.exported_at.format("%Y-%m-%d")
    );
    let disposition =
        HeaderValue::from_str(&filename).unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            // Personal data: never kept by a shared cache.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}
