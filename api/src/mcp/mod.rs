//! `/mcp`: the journal for AI assistants over the Model Context Protocol
//! (Streamable HTTP, the official `rmcp` SDK), see docs/MCP.md.
//!
//! Stateless: no MCP session is kept between requests, so any API
//! instance answers any request and nothing lives in memory per client.
//! Every request needs an API token ([`access`]); `Host` and browser
//! `Origin` must name this server ([`settings::McpSettings`]), which stops
//! DNS-rebinding pages from reaching a server on the person's machine. The
//! tools read and write through the GraphQL schema as the token's owner
//! ([`executor`]), so the API's rules hold unchanged.

pub mod access;
mod args;
mod entries;
mod executor;
mod lookup;
mod reports;
mod server;
pub mod settings;
mod summary;

use axum::Router;
use rmcp::transport::streamable_http_server::{
    StreamableHttpServerConfig, StreamableHttpService, session::never::NeverSessionManager,
};
use std::sync::Arc;

use crate::http::HttpState;
use server::EnglogMcp;

/// Largest JSON-RPC request body: tool arguments are small.
const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// The `/mcp` route, or no route when it is switched off.
pub fn router(state: HttpState) -> Router {
    let settings = &state.app.settings;
    if !settings.mcp.enabled {
        return Router::new();
    }
    let allowed = settings.mcp.allowed(settings.oauth.public_url.as_deref());
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_allowed_hosts(allowed.hosts)
        .with_allowed_origins(allowed.origins)
        .with_max_request_body_bytes(MAX_REQUEST_BYTES);
    let for_service = state.clone();
    let service = StreamableHttpService::new(
        move || Ok(EnglogMcp::new(for_service.clone())),
        Arc::new(NeverSessionManager::default()),
        config,
    );
    Router::new()
        .route_service("/mcp", service)
        .layer(axum::middleware::from_fn_with_state(
            state,
            access::require_token,
        ))
}
