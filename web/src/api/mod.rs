//! Calls to EngLog's GraphQL API through `graphql_client`. Pages use the typed
//! functions in `auth` and `entries`; the generated types stay in `operations`.

mod auth;
mod client;
mod entries;
mod error;
mod operations;

pub use auth::{Credentials, NewAccount, login, logout, me, register};
pub use entries::{Entry, log_entries};
pub use error::ApiError;
