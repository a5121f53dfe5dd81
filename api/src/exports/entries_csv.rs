//! `GET /export/entries.csv?<filters>`: the caller's entries, newest first,
//! as RFC 4180 CSV. Read page by page through the list query's keyset
//! pagination and streamed, so a large journal never sits in memory whole.

use axum::{
    body::Body,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{SecondsFormat, Utc};
use englog_core::Limits;
use futures_util::{StreamExt, stream};
use std::sync::Arc;
use uuid::Uuid;

use super::{auth::require_caller, csv, errors::ExportError, filter_params};
use crate::entries::cursor::EntryCursor;
use crate::entries::list::{self, EntryFilter, EntryPage};
use crate::entries::views::{EntryParts, EntryView};
use crate::error::AppResult;
use crate::http::HttpState;

/// Column order is part of the export format (docs/ARCHITECTURE.md).
pub const HEADER: [&str; 13] = [
    "id",
    "start_time",
    "end_time",
    "duration_minutes",
    "title",
    "description",
    "activity_type",
    "project",
    "tags",
    "value_rating",
    "impact_level",
    "created_at",
    "updated_at",
];

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn push_entry(out: &mut String, view: &EntryView) {
    let e = &view.entry;
    csv::push_record(
        out,
        &[
            e.id.to_string(),
            rfc3339(e.start_time),
            rfc3339(e.end_time),
            e.duration_minutes.to_string(),
            e.title.clone(),
            e.description.clone().unwrap_or_default(),
            e.activity_type.clone(),
            view.project
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            view.tags.join(";"),
            e.value_rating.clone(),
            e.impact_level.clone(),
            rfc3339(e.created_at),
            rfc3339(e.updated_at),
        ],
    );
}

/// What the stream needs to fetch the next page.
struct Pager {
    state: HttpState,
    user_id: Uuid,
    filter: Arc<EntryFilter>,
    /// `None` once the last page went out.
    next: Option<Option<String>>,
}

fn render(page: &EntryPage, out: &mut String) -> Option<String> {
    for view in &page.entries {
        push_entry(out, view);
    }
    let last = page.entries.last()?;
    page.has_next_page.then(|| {
        EntryCursor {
            start_time: last.entry.start_time,
            id: last.entry.id,
        }
        .encode()
    })
}

async fn fetch(p: &Pager, after: Option<&str>) -> AppResult<EntryPage> {
    list::list(
        &p.state.app.warm_db(),
        p.user_id,
        &p.filter,
        Limits::PAGE_MAX,
        after,
        &EntryParts::all(),
    )
    .await
}

pub async fn download(
    State(state): State<HttpState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ExportError> {
    let caller = require_caller(&state.app, &headers).await?;
    let filter = Arc::new(filter_params::parse(query.as_deref())?);
    let mut pager = Pager {
        state,
        user_id: caller.user_id,
        filter,
        next: None,
    };
    // The first page is read before answering, so a bad filter is a 400
    // rather than a broken download.
    let first = fetch(&pager, None).await?;
    let mut head = String::new();
    csv::push_record(&mut head, &HEADER);
    pager.next = render(&first, &mut head).map(Some);
    let rest = stream::unfold(pager, |mut p| async move {
        let after = p.next.take()??;
        match fetch(&p, Some(after.as_str())).await {
            Ok(page) => {
                let mut chunk = String::new();
                p.next = render(&page, &mut chunk).map(Some);
                Some((Ok::<_, std::io::Error>(chunk), p))
            }
            Err(err) => {
                // Headers are gone already: log, and cut the body short so
                // the client sees a failed (not a silently partial) download.
                let err: async_graphql::Error = err.into();
                tracing::error!(error = %err.message, "entries export failed mid-stream");
                Some((Err(std::io::Error::other("export failed")), p))
            }
        }
    });
    let body = stream::once(async move { Ok(head) }).chain(rest);
    let filename = format!("englog-entries-{}.csv", Utc::now().format("%Y-%m-%d"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8; header=present"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
                    .map_err(|e| ExportError(anyhow::Error::from(e).into()))?,
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::HEADER;

    /// docs/EXPORT_FORMAT.md documents the header the export writes.
    #[test]
    fn the_documented_header_is_the_written_one() {
        let doc = include_str!("../../../docs/EXPORT_FORMAT.md");
        let documented = doc
            .split("### EngLog CSV")
            .nth(1)
            .and_then(|section| section.split("```").nth(1))
            .map(str::trim)
            .expect("the EngLog CSV section shows its header in a code block");
        assert_eq!(documented, HEADER.join(","));
    }
}
