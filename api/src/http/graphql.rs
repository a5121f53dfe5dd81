//! `POST/GET /graphql`: resolves the caller from `Authorization: Bearer`
//! and runs one operation. Batched arrays are refused (400) by the
//! single-request extractor: a batch would multiply every limit.

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::{
    Router,
    extract::{State, WebSocketUpgrade},
    http::HeaderMap,
    response::Response,
    routing::get,
};

use super::HttpState;
use crate::auth::{Caller, caller::bearer_token};
use crate::graphql::response::with_codes;

pub fn router() -> Router<HttpState> {
    Router::new()
        .route("/graphql", get(execute).post(execute))
        .route("/graphql/ws", get(websocket))
}

/// The access token of a `connection_init` payload: browsers cannot set
/// headers on a WebSocket, so clients send `{"Authorization": "Bearer …"}`
/// (as GraphiQL does with its headers) or `{"token": "…"}`.
fn token_from_init(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    object.iter().find_map(|(key, value)| {
        let value = value.as_str()?;
        if key.eq_ignore_ascii_case("authorization") {
            bearer_token(value).map(str::to_owned)
        } else if key == "token" {
            Some(value.to_owned())
        } else {
            None
        }
    })
}

/// `graphql-transport-ws` (and the older `graphql-ws`) at `/graphql/ws`.
/// The connection is authenticated once, in `connection_init`; an invalid
/// token closes it.
async fn websocket(
    State(state): State<HttpState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            let keys = state.app.keys.clone();
            GraphQLWebSocket::new(stream, state.schema.clone(), protocol)
                .on_connection_init(move |payload| async move {
                    let user_id = token_from_init(&payload)
                        .and_then(|token| keys.verify_access(&token))
                        .ok_or_else(|| async_graphql::Error::new("authentication required"))?;
                    let mut data = Data::default();
                    data.insert(Caller { user_id });
                    Ok(data)
                })
                .serve()
        })
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
