//! Accounts and sessions: passwords, access tokens, rotating refresh tokens
//! in families, API tokens, rate limits.

pub mod api_tokens;
mod api_tokens_graphql;
pub mod caller;
pub mod client;
pub mod graphql;
pub mod jwt;
pub mod oauth;
pub mod password;
pub mod rate_limit;
pub mod refresh;
pub mod resolve;
pub mod scope_guard;
pub mod service;
pub mod session_cache;
pub mod sessions;
mod sessions_graphql;
mod verified_tokens;

pub use caller::{Caller, require_session, require_user};
pub use jwt::JwtKeys;
