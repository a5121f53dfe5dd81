//! `GET /export/reports/{id}.md` and `GET /export/reports/{id}.pdf`.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::{auth::require_caller, errors::ExportError, markdown, pdf, report_doc};
use crate::error::AppError;
use crate::http::HttpState;

#[derive(Clone, Copy)]
enum Format {
    Markdown,
    Pdf,
}

/// `<uuid>.md` or `<uuid>.pdf`; anything else is NOT_FOUND like a missing
/// report.
fn parse_name(name: &str) -> Result<(Uuid, Format), AppError> {
    let (id, format) = if let Some(id) = name.strip_suffix(".md") {
        (id, Format::Markdown)
    } else if let Some(id) = name.strip_suffix(".pdf") {
        (id, Format::Pdf)
    } else {
        return Err(AppError::NotFound("export format"));
    };
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound("report"))?;
    Ok((id, format))
}

pub async fn download(
    State(state): State<HttpState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, ExportError> {
    let caller = require_caller(&state.app, &headers).await?;
    let (id, format) = parse_name(&name)?;
    let (doc, stem) = report_doc::load(&state.app, caller.user_id, id).await?;
    let (body, content_type, ext) = match format {
        Format::Markdown => (
            markdown::render(&doc).into_bytes(),
            "text/markdown; charset=utf-8",
            "md",
        ),
        // Layout is CPU work: keep it off the async workers.
        Format::Pdf => (
            tokio::task::spawn_blocking(move || pdf::render(&doc))
                .await
                .map_err(|e| AppError::Internal(anyhow::Error::from(e)))?
                .map_err(|e| AppError::Internal(anyhow::Error::from(e)))?,
            "application/pdf",
            "pdf",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{stem}.{ext}\""))
                    .map_err(|e| AppError::Internal(anyhow::Error::from(e)))?,
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}
