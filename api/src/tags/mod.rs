//! Tags: per-user vocabulary attached to entries.

pub mod graphql;
pub mod link_sql;
pub mod service;
