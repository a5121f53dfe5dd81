//! What several tools need before their main query: the person's time zone
//! (local days become instants in it) and a project named by the caller.

use chrono_tz::Tz;
use serde_json::{Value, json};
use uuid::Uuid;

use super::executor::{ToolError, run};
use crate::auth::Caller;
use crate::http::HttpState;

const ME_AND_PROJECTS: &str = "query McpLookup($projects: Boolean!) { me { timezone } projects @include(if: $projects) { id name } }";

pub struct Lookup {
    pub tz: Tz,
    pub project_id: Option<Uuid>,
}

/// The caller's time zone and, when `project` is given, the id of the
/// project it names (an id, or a name matched case-insensitively).
pub async fn lookup(
    state: &HttpState,
    caller: Caller,
    project: Option<&str>,
) -> Result<Lookup, ToolError> {
    let data = run(
        state,
        caller,
        ME_AND_PROJECTS,
        json!({ "projects": project.is_some() }),
    )
    .await?;
    let tz = data["me"]["timezone"]
        .as_str()
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::UTC);
    let project_id = match project {
        None => None,
        Some(named) => Some(find_project(&data["projects"], named)?),
    };
    Ok(Lookup { tz, project_id })
}

fn find_project(projects: &Value, named: &str) -> Result<Uuid, ToolError> {
    let named = named.trim();
    let list = projects.as_array().map(Vec::as_slice).unwrap_or_default();
    let found = list.iter().find(|p| {
        p["id"].as_str() == Some(named)
            || p["name"]
                .as_str()
                .is_some_and(|n| n.to_lowercase() == named.to_lowercase())
    });
    found
        .and_then(|p| p["id"].as_str())
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| {
            let names: Vec<&str> = list
                .iter()
                .filter_map(|p| p["name"].as_str())
                .take(20)
                .collect();
            ToolError::refused(format!(
                "project: no project named \"{named}\"; the projects are: {}",
                if names.is_empty() {
                    "(none)".to_owned()
                } else {
                    names.join(", ")
                }
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_match_by_name_in_any_case_or_by_id() {
        let id = "0190b6a4-0000-7000-8000-000000000001";
        let projects = json!([{ "id": id, "name": "Payments API" }]);
        assert_eq!(
            find_project(&projects, "payments api").unwrap().to_string(),
            id
        );
        assert_eq!(find_project(&projects, id).unwrap().to_string(), id);
        match find_project(&projects, "Billing") {
            Err(ToolError::Refused(message)) => assert!(message.contains("Payments API")),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
