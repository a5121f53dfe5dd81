//! Analytics: the dashboard's time distributions, the seed's productivity
//! metrics, the effort × impact matrix and weekly trends, in the caller's
//! time zone. The definitions live in `englog_core::metrics`; this module
//! only loads the entries of a period and shapes the answer.

pub mod fetch;
pub mod graphql;
pub mod service;
pub mod types;
