//! The journal's entry, mapped from the generated `logEntries` node (and
//! from the entry page's `logEntry`, so both edit through one editor).

use super::ops::log_entries::LogEntriesLogEntriesEdgesNode as Node;
use super::ops::log_entry::LogEntryLogEntry as Single;
use crate::format::enum_name;

#[derive(Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// GraphQL name (`CODE`).
    pub activity: String,
    /// GraphQL name (`LOW`, `MEDIUM`, `HIGH`).
    pub value: String,
    /// GraphQL name (`PERSONAL` … `COMPANY`).
    pub impact: String,
    pub start_time: String,
    pub end_time: String,
    pub duration_minutes: i64,
    pub tags: Vec<String>,
    pub project_id: Option<String>,
    pub project: Option<String>,
    /// Imported (e.g. a calendar event) and not yet reviewed.
    pub draft: bool,
}

impl Entry {
    /// The first non-blank line of the notes, for a one-line preview.
    pub fn notes_first_line(&self) -> Option<&str> {
        self.description
            .as_deref()?
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
    }
}

impl From<Node> for Entry {
    fn from(node: Node) -> Self {
        Self {
            id: node.id,
            title: node.title,
            description: node.description,
            activity: enum_name(&node.activity_type),
            value: enum_name(&node.value_rating),
            impact: enum_name(&node.impact_level),
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

impl From<&Single> for Entry {
    fn from(node: &Single) -> Self {
        Self {
            id: node.id.clone(),
            title: node.title.clone(),
            description: node.description.clone(),
            activity: enum_name(&node.activity_type),
            value: enum_name(&node.value_rating),
            impact: enum_name(&node.impact_level),
            start_time: node.start_time.clone(),
            end_time: node.end_time.clone(),
            duration_minutes: node.duration_minutes,
            tags: node.tags.clone(),
            project_id: node.project_id.clone(),
            project: node.project.as_ref().map(|p| p.name.clone()),
            draft: node.is_draft,
        }
    }
}
