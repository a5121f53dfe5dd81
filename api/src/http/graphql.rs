//! `POST/GET /graphql`: resolves the caller from `Authorization: Bearer`
//! and runs one operation. Batched arrays are refused (400) by the
//! single-request extractor: a batch would multiply every limit.

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{Router, extract::State, http::HeaderMap, routing::get};

use super::HttpState;
use crate::auth::{Caller, caller::bearer_token};
use crate::graphql::response::with_codes;

pub fn router() -> Router<HttpState> {
    Router::new().route("/graphql", get(execute).post(execute))
}

async fn execute(
    State(state): State<HttpState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let mut request = request.into_inner();
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    // An invalid or expired token leaves the request anonymous: operations
    // that need a user then answer UNAUTHENTICATED, while `login` and
    // `refreshToken` still work for a client holding a stale token.
    if let Some(user_id) = token.and_then(|t| state.app.keys.verify_access(t)) {
        request = request.data(Caller { user_id });
    }
    with_codes(state.schema.execute(request).await).into()
}
