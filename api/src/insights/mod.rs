//! Generated reports ("insights"): requesting them through the outbox,
//! following the worker's events, and live subscriptions.

pub mod diagnostics;
pub mod events;
pub mod graphql;
pub mod outbox;
pub mod payload;
pub mod pipeline;
pub mod schedule;
pub mod service;
pub mod subscription;
