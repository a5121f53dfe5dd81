//! Connectors: activity from other tools (GitHub, GitLab, …) arrives as
//! draft entries the person confirms, edits or discards
//! (docs/CONNECTORS.md). One module per source behind [`source::Source`];
//! grouping items into drafts and writing them idempotently are shared.

pub mod calendar;
pub mod capture;
pub mod check;
pub mod dismissed;
pub mod drafts;
pub mod forge_http;
pub mod github;
pub mod gitlab;
pub mod graphql;
pub mod grouping;
pub mod kind;
pub mod scheduler;
pub mod service;
pub mod settings;
pub mod source;
pub mod sync;
pub mod upsert;
pub mod vault;
