//! Generated reports ("insights"): requesting them (a report job through
//! the job wing, `crate::jobs`), applying their jobs' events, the
//! scheduler, and live subscriptions.

pub mod diagnostics;
pub mod events;
pub mod graphql;
pub mod payload;
pub mod schedule;
pub mod service;
pub mod subscription;
