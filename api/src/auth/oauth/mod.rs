//! OAuth2 sign-in (authorization code + PKCE S256) with GitHub, Google or
//! any OpenID Connect provider, by configuration. Plain HTTP, not GraphQL:
//! the browser is redirected to the provider and back.

mod account;
mod http;
mod identity;
mod login_state;
pub mod settings;

pub use http::router;
pub use settings::OAuthSettings;
