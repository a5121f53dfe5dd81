//! Log entries: the journal itself.

pub mod cursor;
pub mod details;
pub mod drafts;
pub mod graphql;
mod json_instant;
mod json_string;
pub mod list;
pub mod listed;
mod listed_json;
pub mod listed_page;
pub mod service;
pub mod views;
