//! The journal's entry, mapped from the generated `logEntries` node.

use super::ops::log_entries::LogEntriesLogEntriesEdgesNode as Node;
use crate::format::enum_name;

#[derive(Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// GraphQL name (`CODE`).
    pub activity: String,
    pub start_time: String,
    pub end_time: String,
    pub duration_minutes: i64,
    pub tags: Vec<String>,
    pub project_id: Option<String>,
    pub project: Option<String>,
    /// Imported (e.g. a calendar event) and not yet reviewed.
    pub draft: bool,
}

impl From<Node> for Entry {
    fn from(node: Node) -> Self {
        Self {
            id: node.id,
            title: node.title,
            description: node.description,
            activity: enum_name(&node.activity_type),
            start_time: node.start_time,
            end_time: node.end_time,
            duration_minutes: node.duration_minutes,
            tags: node.tags,
            project_id: node.project_id,
            project: node.project.map(|p| p.name),
            draft: node.is_draft,
        }
    }
}
