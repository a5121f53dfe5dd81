//! Tags: per-user vocabulary attached to entries.

pub mod graphql;
pub mod service;
