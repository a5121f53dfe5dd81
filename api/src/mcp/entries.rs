//! `search_entries`, `get_entry` and `log_entry`.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use englog_core::metrics::Period;
use rmcp::model::CallToolResult;
use serde_json::{Value, json};

use super::args::{self, graphql_enum};
use super::executor::{ToolError, json_result, next_cursor, run};
use super::lookup::lookup;
use crate::auth::Caller;
use crate::http::HttpState;

const ENTRY_FIELDS: &str = "id title description activityType startTime endTime durationMinutes valueRating impactLevel isDraft tags project { name }";

/// Notes longer than this are cut in search results (`get_entry` has them
/// whole), which keeps a page of 50 well under the response bound.
const SEARCH_NOTES_CHARS: usize = 280;
pub const MAX_PAGE: u32 = 50;
const DEFAULT_PAGE: u32 = 20;
const DEFAULT_MINUTES: u32 = 30;

pub async fn search(
    state: &HttpState,
    caller: Caller,
    a: args::SearchEntries,
) -> Result<CallToolResult, ToolError> {
    let limit = page_size(a.limit)?;
    let found = lookup(state, caller, a.project.as_deref()).await?;
    let (from, to) = instants(found.tz, a.from, a.to)?;
    let filter = json!({
        "search": a.text.filter(|t| !t.trim().is_empty()),
        "from": from,
        "to": to,
        "projectId": found.project_id,
        "types": nonempty(a.types.into_iter().map(graphql_enum).collect()),
        "tags": nonempty(a.tags),
        "valueRatings": nonempty(a.value_ratings.into_iter().map(graphql_enum).collect()),
        "impactLevels": nonempty(a.impact_levels.into_iter().map(graphql_enum).collect()),
        "draft": a.drafts,
    });
    let query = format!(
        "query McpSearch($filter: LogEntryFilter, $first: Int, $after: String) {{ logEntries(filter: $filter, first: $first, after: $after) {{ nodes {{ {ENTRY_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let data = run(
        state,
        caller,
        &query,
        json!({ "filter": filter, "first": limit, "after": a.cursor }),
    )
    .await?;
    let page = &data["logEntries"];
    let entries: Vec<Value> = page["nodes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|node| entry_json(node, found.tz, Some(SEARCH_NOTES_CHARS)))
        .collect();
    let next = next_cursor(page);
    json_result(json!({
        "timezone": found.tz.name(),
        "entries": entries,
        "nextCursor": next,
    }))
}

pub async fn get(
    state: &HttpState,
    caller: Caller,
    a: args::EntryId,
) -> Result<CallToolResult, ToolError> {
    let found = lookup(state, caller, None).await?;
    let query = format!("query McpEntry($id: UUID!) {{ logEntry(id: $id) {{ {ENTRY_FIELDS} }} }}");
    let data = run(state, caller, &query, json!({ "id": a.id })).await?;
    json_result(entry_json(&data["logEntry"], found.tz, None))
}

pub async fn log(
    state: &HttpState,
    caller: Caller,
    a: args::LogEntry,
) -> Result<CallToolResult, ToolError> {
    if caller.is_read_only() {
        return Err(ToolError::refused(
            "This API token is read-only; log_entry needs a read-write token.",
        ));
    }
    let found = lookup(state, caller, a.project.as_deref()).await?;
    let (start, end) = times(a.start, a.end, a.duration_minutes, Utc::now())?;
    let input = json!({
        "title": a.title,
        "description": a.notes,
        "activityType": graphql_enum(a.activity_type.unwrap_or(args::ActivityType::Code)),
        "projectId": found.project_id,
        "tags": a.tags,
        "startTime": start,
        "endTime": end,
        "valueRating": a.value.map(graphql_enum),
        "impactLevel": a.impact.map(graphql_enum),
        "isDraft": a.draft.unwrap_or(true),
    });
    let query = format!(
        "mutation McpLog($input: CreateLogEntryInput!) {{ createLogEntry(input: $input) {{ {ENTRY_FIELDS} }} }}"
    );
    let data = run(state, caller, &query, json!({ "input": input })).await?;
    json_result(entry_json(&data["createLogEntry"], found.tz, None))
}

pub fn page_size(limit: Option<u32>) -> Result<u32, ToolError> {
    match limit.unwrap_or(DEFAULT_PAGE) {
        n @ 1..=MAX_PAGE => Ok(n),
        _ => Err(ToolError::refused(format!(
            "limit: must be 1 to {MAX_PAGE}"
        ))),
    }
}

/// Where a search starts and stops, either end open.
type Bounds = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Local days to `[from, to)` instants; with both ends the span is bounded
/// like the dashboard's.
fn instants(
    tz: Tz,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<Bounds, ToolError> {
    match (from, to) {
        (Some(from), Some(to)) => {
            let period = Period::new(from, to)?;
            let (start, end) = period.utc_bounds(tz);
            Ok((Some(start), Some(end)))
        }
        (from, to) => {
            let one_day = |d: chrono::NaiveDate| {
                Period::new(d, d)
                    .map(|p| p.utc_bounds(tz))
                    .map_err(ToolError::from)
            };
            let start = from.map(one_day).transpose()?.map(|(start, _)| start);
            let end = to.map(one_day).transpose()?.map(|(_, end)| end);
            Ok((start, end))
        }
    }
}

/// `start`/`end`/`duration` to the entry's instants: whatever is missing
/// is taken from the rest, ending now by default.
fn times(
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    minutes: Option<u32>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ToolError> {
    let length = Duration::minutes(i64::from(minutes.unwrap_or(DEFAULT_MINUTES)));
    if minutes == Some(0) {
        return Err(ToolError::refused("duration_minutes: must be at least 1"));
    }
    Ok(match (start, end) {
        (Some(start), Some(end)) => (start, end),
        (Some(start), None) => (start, start + length),
        (None, Some(end)) => (end - length, end),
        (None, None) => (now - length, now),
    })
}

fn nonempty(values: Vec<String>) -> Option<Vec<String>> {
    (!values.is_empty()).then_some(values)
}

/// An entry as a tool answers it: local times, lower-case enums, notes cut
/// to `notes_chars` when given.
fn entry_json(node: &Value, tz: Tz, notes_chars: Option<usize>) -> Value {
    let local = |field: &str| {
        node[field]
            .as_str()
            .and_then(|t| t.parse::<DateTime<Utc>>().ok())
            .map(|t| t.with_timezone(&tz).to_rfc3339())
    };
    let lower = |field: &str| node[field].as_str().map(str::to_lowercase);
    let notes = node["description"].as_str().map(|d| match notes_chars {
        Some(max) if d.chars().count() > max => {
            let cut: String = d.chars().take(max).collect();
            format!("{cut}…")
        }
        _ => d.to_owned(),
    });
    json!({
        "id": node["id"],
        "title": node["title"],
        "notes": notes,
        "type": lower("activityType"),
        "project": node["project"]["name"],
        "tags": node["tags"],
        "start": local("startTime"),
        "end": local("endTime"),
        "minutes": node["durationMinutes"],
        "value": lower("valueRating"),
        "impact": lower("impactLevel"),
        "draft": node["isDraft"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn missing_times_come_from_the_others() {
        let now = at("2026-12-04T12:00:00Z");
        assert_eq!(
            times(None, None, None, now).unwrap(),
            (at("2026-12-04T11:30:00Z"), now)
        );
        assert_eq!(
            times(Some(at("2026-12-04T09:00:00Z")), None, Some(90), now)
                .unwrap()
                .1,
            at("2026-12-04T10:30:00Z")
        );
        assert!(times(None, None, Some(0), now).is_err());
    }

    #[test]
    fn a_ten_year_period_is_refused() {
        let from = "2016-01-01".parse().ok();
        let to = "2026-01-01".parse().ok();
        assert!(matches!(
            instants(chrono_tz::UTC, from, to),
            Err(ToolError::Refused(_))
        ));
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None).unwrap(), 20);
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(51)).is_err());
    }
}
