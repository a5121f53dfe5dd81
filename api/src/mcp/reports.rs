//! `list_reports` and `get_report`.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{Value, json};

use super::args;
use super::entries::page_size;
use super::executor::{ToolError, json_result, next_cursor, run};
use crate::auth::Caller;
use crate::exports::{markdown, report_doc};
use crate::http::HttpState;

const LIST: &str = "query McpReports($first: Int, $after: String) { insights(first: $first, after: $after) { nodes { id reportType status periodStart periodEnd focusAreas createdAt finishedAt } pageInfo { hasNextPage endCursor } } }";

const ONE: &str = "query McpReport($id: UUID!) { insight(id: $id) { id reportType status periodStart periodEnd error warnings citations { markers entryIds } } }";

pub async fn list(
    state: &HttpState,
    caller: Caller,
    a: args::ListReports,
) -> Result<CallToolResult, ToolError> {
    let limit = page_size(a.limit)?;
    let data = run(
        state,
        caller,
        LIST,
        json!({ "first": limit, "after": a.cursor }),
    )
    .await?;
    let page = &data["insights"];
    let reports: Vec<Value> = page["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            json!({
                "id": r["id"],
                "type": r["reportType"].as_str().map(str::to_lowercase),
                "status": r["status"].as_str().map(str::to_lowercase),
                "from": r["periodStart"],
                "to": r["periodEnd"],
                "focusAreas": r["focusAreas"],
                "requestedAt": r["createdAt"],
                "finishedAt": r["finishedAt"],
            })
        })
        .collect();
    let next = next_cursor(page);
    json_result(json!({ "reports": reports, "nextCursor": next }))
}

/// A finished report as the Markdown document people download (its
/// `[En]` markers listed under Sources with each entry's date and title),
/// followed by the markers' entry ids for `get_entry`. An unfinished one is
/// its status and, when it failed, why.
pub async fn get(
    state: &HttpState,
    caller: Caller,
    a: args::ReportId,
) -> Result<CallToolResult, ToolError> {
    let data = run(state, caller, ONE, json!({ "id": a.id })).await?;
    let report = &data["insight"];
    // GraphQL names the status in capitals; the tools answer in its
    // stored form, like `englog ls`.
    let status = report["status"]
        .as_str()
        .and_then(|s| s.to_lowercase().parse::<englog_core::InsightStatus>().ok());
    if status != Some(englog_core::InsightStatus::Succeeded) {
        return json_result(json!({
            "id": report["id"],
            "status": status.map(|s| s.as_str()),
            "error": report["error"],
        }));
    }
    let (doc, _) = report_doc::load(&state.app, caller.user_id, a.id).await?;
    // One line per marker, in marker order (a marker can back several
    // statements).
    let mut sources = std::collections::BTreeMap::new();
    for citation in report["citations"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let markers = citation["markers"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let ids = citation["entryIds"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (marker, id) in markers.iter().zip(ids) {
            if let Some(marker) = marker.as_u64() {
                sources.insert(
                    marker,
                    json!({ "marker": format!("E{marker}"), "entryId": id }),
                );
            }
        }
    }
    let sources: Vec<Value> = sources.into_values().collect();
    let details = json!({
        "id": report["id"],
        "status": englog_core::InsightStatus::Succeeded.as_str(),
        "warnings": report["warnings"],
        "sources": sources,
    });
    let mut result = CallToolResult::success(vec![
        ContentBlock::text(markdown::render(&doc)),
        ContentBlock::text(serde_json::to_string(&details)?),
    ]);
    result.structured_content = Some(details);
    Ok(result)
}
