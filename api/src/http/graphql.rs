//! `POST/GET /graphql`: resolves the caller from `Authorization: Bearer`
//! and runs one operation. Batched arrays are refused (400) by the
//! single-request extractor: a batch would multiply every limit.

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    Extension, Router,
    extract::{ConnectInfo, State},
    http::HeaderMap,
    routing::get,
};
use std::net::SocketAddr;

use super::HttpState;
use crate::auth::{caller::bearer_token, client::ClientInfo, resolve::caller_of};
use crate::graphql::response::with_codes;

pub fn router() -> Router<HttpState> {
    Router::new().route("/graphql", get(execute).post(execute))
}

async fn execute(
    State(state): State<HttpState>,
    // Optional: a router served without connect info still works.
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let mut request = request.into_inner();
    let client = ClientInfo::from_request(
        &headers,
        peer.map(|Extension(ConnectInfo(addr))| addr),
        state.app.settings.rate_limits.client_ip_header.as_deref(),
    );
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    // A token that does not authenticate (forged, expired, revoked, of a
    // deleted user) leaves the request anonymous: operations that need a
    // user then answer UNAUTHENTICATED, while `login` and `refreshToken`
    // still work for a client holding a stale token.
    if let Some(token) = token {
        match caller_of(&state.app, token).await {
            Ok(Some(caller)) => request = request.data(caller),
            Ok(None) => {}
            Err(err) => {
                let error = async_graphql::Error::from(err)
                    .into_server_error(async_graphql::Pos::default());
                return async_graphql::Response::from_errors(vec![error]).into();
            }
        }
    }
    request = request.data(client);
    with_codes(state.schema.execute(request).await).into()
}
