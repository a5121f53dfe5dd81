//! The GraphQL side of the client: typed operations checked at compile
//! time against `schema.graphql`, their scalars and enums, and the one
//! place that POSTs them.

pub mod client;
pub mod enums;
pub mod ops;
pub mod subscription;

pub use client::Api;
