//! The caller of a download: `Authorization: Bearer <access token or API
//! token>`, resolved exactly as for GraphQL. Downloads only read, so a
//! read-only API token is enough.

use axum::http::{HeaderMap, header};

use crate::auth::caller::{Caller, bearer_token};
use crate::auth::resolve::caller_of;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub async fn require_caller(app: &AppState, headers: &HeaderMap) -> AppResult<Caller> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .ok_or(AppError::Unauthenticated)?;
    caller_of(app, token)
        .await?
        .ok_or(AppError::Unauthenticated)
}
