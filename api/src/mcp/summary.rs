//! `period_summary`: where the time went in a period (the dashboard's
//! numbers) and the period's high-value entries, in one answer an
//! assistant can quote.

use englog_core::metrics::Period;
use rmcp::model::CallToolResult;
use serde_json::{Value, json};

use super::args;
use super::executor::{ToolError, json_result, run};
use super::lookup::lookup;
use crate::auth::Caller;
use crate::http::HttpState;

/// Top entries listed with the summary.
const TOP_ENTRIES: u32 = 10;

const SUMMARY: &str = "query McpSummary($period: PeriodInput!, $projectId: UUID, $filter: LogEntryFilter, $top: Int) {
  analytics(period: $period, projectId: $projectId) {
    timezone
    totals { entryCount minutes hours activeDays days }
    byActivityType { activityType hours percentage entryCount }
    byProject { projectName hours percentage entryCount }
    effortImpactMatrix { valueRating impactLevel hours entryCount }
  }
  logEntries(filter: $filter, first: $top) {
    nodes { id title activityType startTime durationMinutes valueRating impactLevel project { name } }
  }
}";

pub async fn summarise(
    state: &HttpState,
    caller: Caller,
    a: args::PeriodSummary,
) -> Result<CallToolResult, ToolError> {
    let period = Period::new(a.from, a.to)?;
    let found = lookup(state, caller, a.project.as_deref()).await?;
    let (start, end) = period.utc_bounds(found.tz);
    let variables = json!({
        "period": { "from": a.from, "to": a.to },
        "projectId": found.project_id,
        "filter": {
            "from": start,
            "to": end,
            "projectId": found.project_id,
            "valueRatings": ["HIGH"],
            "draft": false,
        },
        "top": TOP_ENTRIES,
    });
    let data = run(state, caller, SUMMARY, variables).await?;
    json_result(shape(&data))
}

fn lower(value: &Value) -> Value {
    value
        .as_str()
        .map_or(Value::Null, |s| Value::from(s.to_lowercase()))
}

/// Lower-case enums, only the matrix cells that hold time, and the top
/// entries without their notes.
fn shape(data: &Value) -> Value {
    let a = &data["analytics"];
    let rows = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let by_type: Vec<Value> = rows(&a["byActivityType"])
        .into_iter()
        .map(|r| json!({ "type": lower(&r["activityType"]), "hours": r["hours"], "percentage": r["percentage"], "entries": r["entryCount"] }))
        .collect();
    let by_project: Vec<Value> = rows(&a["byProject"])
        .into_iter()
        .map(|r| json!({ "project": r["projectName"], "hours": r["hours"], "percentage": r["percentage"], "entries": r["entryCount"] }))
        .collect();
    let matrix: Vec<Value> = rows(&a["effortImpactMatrix"])
        .into_iter()
        .filter(|c| c["entryCount"].as_u64().unwrap_or(0) > 0)
        .map(|c| json!({ "value": lower(&c["valueRating"]), "impact": lower(&c["impactLevel"]), "hours": c["hours"], "entries": c["entryCount"] }))
        .collect();
    let top: Vec<Value> = rows(&data["logEntries"]["nodes"])
        .into_iter()
        .map(|e| {
            json!({
                "id": e["id"],
                "title": e["title"],
                "type": lower(&e["activityType"]),
                "start": e["startTime"],
                "minutes": e["durationMinutes"],
                "impact": lower(&e["impactLevel"]),
                "project": e["project"]["name"],
            })
        })
        .collect();
    json!({
        "timezone": a["timezone"],
        "totals": a["totals"],
        "byType": by_type,
        "byProject": by_project,
        "valueImpact": matrix,
        "topEntries": top,
    })
}
