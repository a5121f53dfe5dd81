//! Accounts and sessions: passwords, access tokens, rotating refresh tokens.

pub mod caller;
pub mod graphql;
pub mod jwt;
pub mod password;
pub mod refresh;
pub mod service;

pub use caller::{Caller, require_user};
pub use jwt::JwtKeys;
