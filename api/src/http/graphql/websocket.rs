//! `/graphql/ws`: subscriptions (and operations) over `graphql-transport-ws`
//! or the older `graphql-ws`, authenticated once in `connection_init`.

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{State, WebSocketUpgrade},
    response::Response,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::socket_executor::SocketExecutor;
use crate::auth::{caller::bearer_token, resolve::caller_of};
use crate::error::AppError;
use crate::http::HttpState;
use crate::state::AppState;

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
pub async fn websocket(
    State(state): State<HttpState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    // A message is one operation: no larger than an HTTP request body
    // (axum's default would let one frame hold 64 MiB).
    let max_message = state.app.settings.graphql.max_body_bytes;
    upgrade
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| async move {
            let app = state.app.clone();
            // The token of `connection_init`, kept to re-check it while the
            // socket stays open.
            let token_slot: Arc<Mutex<Option<String>>> = Arc::default();
            let slot = token_slot.clone();
            let init_app = app.clone();
            let executor = SocketExecutor::new(
                state.socket_schema(),
                app.settings.graphql.max_operations_per_socket,
                app.settings.graphql.max_json_values,
            );
            let serve = GraphQLWebSocket::new(stream, executor, protocol)
                .on_connection_init(move |payload| async move {
                    // Same rules as HTTP: a live session or a valid API token.
                    // A token that cannot be checked (the database failed)
                    // is an internal error, logged with its cause, not a
                    // refused credential: the client should retry, not
                    // sign in again.
                    let token = token_from_init(&payload).ok_or(AppError::Unauthenticated)?;
                    let caller = caller_of(&init_app, &token)
                        .await?
                        .ok_or(AppError::Unauthenticated)?;
                    if let Ok(mut guard) = slot.lock() {
                        *guard = Some(token);
                    }
                    let mut data = Data::default();
                    data.insert(caller);
                    Ok(data)
                })
                .serve();
            let recheck = Duration::from_secs(app.settings.graphql.ws_recheck_secs.max(1));
            let _open = OpenConnection::new();
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

/// Counts an open socket in `englog_websocket_connections` while alive.
struct OpenConnection;

impl OpenConnection {
    fn new() -> Self {
        metrics::gauge!("englog_websocket_connections").increment(1.0);
        Self
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        metrics::gauge!("englog_websocket_connections").decrement(1.0);
    }
}
