//! Calls to EngLog's GraphQL API through `graphql_client`. Pages call
//! [`authed`] with the generated operations in [`ops`]; sign-in and
//! registration live in `auth`.

mod auth;
mod client;
pub mod decode;
mod entries;
mod error;
mod json_text;
pub mod ops;

pub use auth::{Credentials, NewAccount, login, logout, refresh, register};
pub use client::{authed, authed_as, authed_unit, send_while_leaving};
pub use entries::Entry;
pub use error::{ANOTHER_ACCOUNT, ApiError};
