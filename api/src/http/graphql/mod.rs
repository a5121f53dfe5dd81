//! `/graphql` over HTTP (`POST` with a JSON body, `GET` for queries) and
//! `/graphql/ws` for subscriptions.
//!
//! A request is read and bounded here (media types, body values), waits
//! for an execution slot ([`limiter`]), and is answered as
//! GraphQL-over-HTTP says ([`reply`]); the document itself is bounded by
//! `crate::graphql::guard`, which every transport passes through.

pub mod chunked_body;
pub mod json_scan;
pub mod limiter;
pub mod params;
pub mod reply;
pub mod socket_executor;
pub mod websocket;

use async_graphql::Request;
use axum::{
    Extension, Router,
    body::Bytes,
    extract::{ConnectInfo, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
    routing::get,
};
use std::net::SocketAddr;
use std::time::Instant;

use super::HttpState;
use crate::auth::{caller::bearer_token, client::ClientInfo, resolve::caller_of};
use crate::graphql::guard::ReadOnlyRequest;
use crate::graphql::raw_json::RawJson;
use crate::graphql::response::with_codes;
use limiter::{Busy, CallerKey};
use params::Refused;
use reply::MediaType;

pub fn router() -> Router<HttpState> {
    Router::new()
        .route("/graphql", get(execute_get).post(execute_post))
        .route("/graphql/ws", get(websocket::websocket))
}

type Peer = Option<Extension<ConnectInfo<SocketAddr>>>;

async fn execute_post(
    State(state): State<HttpState>,
    peer: Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(media_type) = reply::negotiate(&headers) else {
        return not_acceptable();
    };
    match params::from_post(&headers, &body, &state.app.settings.graphql) {
        Ok(request) => execute(&state, peer, &headers, request, media_type).await,
        Err(refused) => refuse(refused, media_type),
    }
}

async fn execute_get(
    State(state): State<HttpState>,
    peer: Peer,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(media_type) = reply::negotiate(&headers) else {
        return not_acceptable();
    };
    match params::from_get(query.as_deref(), &state.app.settings.graphql) {
        Ok(request) => {
            let request = request.data(ReadOnlyRequest);
            execute(&state, peer, &headers, request, media_type).await
        }
        Err(refused) => refuse(refused, media_type),
    }
}

/// Resolves the caller from `Authorization: Bearer`, takes an execution
/// slot and runs the one operation.
async fn execute(
    state: &HttpState,
    peer: Peer,
    headers: &HeaderMap,
    mut request: Request,
    media_type: MediaType,
) -> Response {
    let settings = &state.app.settings;
    let client = ClientInfo::from_request(
        headers,
        peer.map(|Extension(ConnectInfo(addr))| addr),
        settings.rate_limits.client_ip_header.as_deref(),
    );
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    // A token that does not authenticate (forged, expired, revoked, of a
    // deleted user) leaves the request anonymous: operations that need a
    // user then answer UNAUTHENTICATED, while `login` and `refreshToken`
    // still work for a client holding a stale token.
    let mut key = client.ip.map_or(CallerKey::Unknown, CallerKey::Address);
    if let Some(token) = token {
        match caller_of(&state.app, token).await {
            Ok(Some(caller)) => {
                key = CallerKey::User(caller.user_id);
                request = request.data(caller);
            }
            Ok(None) => {}
            Err(err) => {
                let error = async_graphql::Error::from(err)
                    .into_server_error(async_graphql::Pos::default());
                let response = async_graphql::Response::from_errors(vec![error]);
                return reply::reply(
                    response,
                    true,
                    &RawJson::default(),
                    media_type,
                    settings.graphql.max_response_bytes,
                );
            }
        }
    }
    let clock = Instant::now();
    let _slot = match state.limiter.acquire(key).await {
        Ok(slot) => slot,
        Err(busy) => {
            let scope = match busy {
                Busy::Caller => "caller",
                Busy::Instance => "instance",
            };
            metrics::counter!("englog_graphql_slot_refusals_total", "scope" => scope).increment(1);
            return too_busy(busy, media_type);
        }
    };
    // The answer is serialised by `reply`, which takes raw JSON parts.
    let raw = RawJson::default();
    request = request.data(client).data(raw.clone());
    let outcome = state.guard.run(&state.schema, request).await;
    let mut response = with_codes(outcome.response);
    crate::graphql::introspection::correct(&mut response);
    let code = first_code(&response);
    let (kind, name) = match &outcome.operation {
        Some((kind, name)) => (Some(*kind), name.as_deref()),
        None => (None, None),
    };
    crate::metrics::graphql::record(name, kind, code.unwrap_or("ok"), clock.elapsed());
    reply::reply(
        response,
        outcome.executed,
        &raw,
        media_type,
        settings.graphql.max_response_bytes,
    )
}

/// The first error's `extensions.code`, the outcome label of a failed
/// operation.
fn first_code(response: &async_graphql::Response) -> Option<&str> {
    let code = response.errors.first()?.extensions.as_ref()?.get("code")?;
    match code {
        async_graphql::Value::String(code) => Some(code),
        _ => None,
    }
}

fn refuse(refused: Refused, media_type: MediaType) -> Response {
    reply::refusal(refused.status, refused.message, "VALIDATION", media_type)
}

fn not_acceptable() -> Response {
    reply::refusal(
        StatusCode::NOT_ACCEPTABLE,
        "Accept application/graphql-response+json or application/json.".to_owned(),
        "VALIDATION",
        MediaType::Json,
    )
}

fn too_busy(busy: Busy, media_type: MediaType) -> Response {
    let (status, message, code) = match busy {
        Busy::Caller => (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many of your requests are running at once; retry shortly.",
            "RATE_LIMITED",
        ),
        Busy::Instance => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The server is busy; retry shortly.",
            "UNAVAILABLE",
        ),
    };
    let mut response = reply::refusal(status, message.to_owned(), code, media_type);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}
