//! Log entries: the journal itself.

pub mod cursor;
pub mod details;
pub mod drafts;
pub mod graphql;
mod insert_sql;
mod json_instant;
mod json_string;
pub mod list;
pub mod listed;
mod listed_json;
pub mod listed_page;
mod page_row;
mod page_sql;
pub mod row_page;
pub mod service;
pub mod views;
