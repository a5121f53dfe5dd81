//! `POST/GET /graphql`: resolves the caller from `Authorization: Bearer`
//! and runs one operation. Batched arrays are refused (400) by the
//! single-request extractor: a batch would multiply every limit.

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::{
    Extension, Router,
    extract::{ConnectInfo, State, WebSocketUpgrade},
    http::HeaderMap,
    response::Response,
    routing::get,
};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::HttpState;
use crate::auth::{caller::bearer_token, client::ClientInfo, resolve::caller_of};
use crate::graphql::response::with_codes;
use crate::state::AppState;

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
        .on_upgrade(move |stream| async move {
            let app = state.app.clone();
            // The token of `connection_init`, kept to re-check it while the
            // socket stays open.
            let token_slot: Arc<Mutex<Option<String>>> = Arc::default();
            let slot = token_slot.clone();
            let init_app = app.clone();
            let serve = GraphQLWebSocket::new(stream, state.schema.clone(), protocol)
                .on_connection_init(move |payload| async move {
                    // Same rules as HTTP: a live session or a valid API token.
                    let token = token_from_init(&payload)
                        .ok_or_else(|| async_graphql::Error::new("authentication required"))?;
                    let caller = caller_of(&init_app, &token)
                        .await
                        .ok()
                        .flatten()
                        .ok_or_else(|| async_graphql::Error::new("authentication required"))?;
                    if let Ok(mut guard) = slot.lock() {
                        *guard = Some(token);
                    }
                    let mut data = Data::default();
                    data.insert(caller);
                    Ok(data)
                })
                .serve();
            let recheck = Duration::from_secs(app.settings.graphql.ws_recheck_secs.max(1));
            // Dropping the socket future closes the connection: an expired
            // token or a revoked session ends its subscriptions.
            tokio::select! {
                () = serve => {}
                () = credential_lapses(&app, &token_slot, recheck) => {
                    tracing::debug!("closing a subscription socket: credential no longer valid");
                }
            }
        })
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

/// Completes once the socket's credential stops authenticating.
async fn credential_lapses(app: &AppState, token: &Mutex<Option<String>>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let current = token.lock().ok().and_then(|t| t.clone());
        let Some(current) = current else {
            continue; // not initialised yet
        };
        if let Ok(None) = caller_of(app, &current).await {
            return;
        }
    }
}
