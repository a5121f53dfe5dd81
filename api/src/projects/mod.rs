//! Projects an entry can belong to, with per-project totals.

pub mod graphql;
pub mod service;
