//! Data portability: the whole account out as versioned JSON
//! (`GET /export/account.json`, GDPR art. 15 and 20) and data in through
//! GraphQL imports (iCalendar, CSV in EngLog's, Toggl Track's and
//! Clockify's formats, EngLog's own account JSON).
//!
//! Every import is all-or-nothing: rows are parsed and validated first,
//! then written in one transaction; any bad row means nothing is written
//! and the report lists every bad row. `docs/EXPORT_FORMAT.md` documents
//! the formats.

pub mod account_checks;
pub mod account_export;
pub mod account_format;
pub mod account_import;
pub mod csv_formats;
pub mod entry_writer;
pub mod graphql;
pub mod http;
pub mod ics;
pub mod limits;
pub mod report;
pub mod service;
pub mod timezones;
