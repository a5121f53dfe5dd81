//! EngLog's API server as a library, so tests start it exactly as `main`
//! does.

pub mod account_deletion;
pub mod allocator;
pub mod analytics;
pub mod auth;
pub mod background;
pub mod cli;
pub mod config;
pub mod connectors;
pub mod db;
pub mod db_read;
pub mod db_warm;
pub mod enrichment;
pub mod entries;
pub mod error;
pub mod exports;
pub mod graphql;
pub mod http;
pub mod insights;
pub mod jobs;
pub mod kept;
pub mod mail;
pub mod mcp;
pub mod metrics;
pub mod nudge;
pub mod portability;
pub mod profile;
pub mod projects;
pub mod recent_memo;
pub mod secrets;
pub mod startup;
pub mod state;
pub mod tags;
pub mod telemetry;
pub mod timer;
