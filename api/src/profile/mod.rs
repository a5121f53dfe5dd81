//! The caller's own account: profile and preferences.

pub mod graphql;
pub mod preferences;
pub mod service;
