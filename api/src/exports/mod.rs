//! Authenticated downloads under `/export/…` (the SPA links to them):
//! entries as CSV, reports as Markdown and PDF. Each request resolves its
//! caller from `Authorization: Bearer` exactly like GraphQL and reads only
//! that caller's rows.

mod auth;
pub mod csv;
mod entries_csv;
mod errors;
pub mod filter_params;
pub(crate) mod markdown;
mod pdf;
pub(crate) mod report_doc;
mod reports;

use axum::{Router, routing::get};

use crate::http::HttpState;

pub fn router() -> Router<HttpState> {
    Router::new()
        .route("/export/entries.csv", get(entries_csv::download))
        // `{id}.md` / `{id}.pdf`: axum matches whole segments, so the
        // extension is split off in the handler.
        .route("/export/reports/{name}", get(reports::download))
}
