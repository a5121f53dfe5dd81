//! The person's log entries, a page at a time (cursor pagination).

use super::ApiError;
use super::client::post_graphql;
use super::operations::{LogEntries, log_entries as op};

/// An entry as the journal shows it.
#[derive(Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub activity: String,
    pub start_time: String,
    pub duration_minutes: i64,
    pub tags: Vec<String>,
    pub project: Option<String>,
}

pub struct EntryPage {
    pub entries: Vec<Entry>,
    /// The cursor to pass as `after` for the next page, when there is one.
    pub next: Option<String>,
}

pub async fn log_entries(
    token: Option<String>,
    first: i64,
    after: Option<String>,
) -> Result<EntryPage, ApiError> {
    let variables = op::Variables {
        first: Some(first),
        after,
    };
    let data = post_graphql::<LogEntries>(token.as_deref(), variables).await?;
    let connection = data.log_entries;
    let entries = connection
        .edges
        .into_iter()
        .map(|edge| {
            let node = edge.node;
            Entry {
                id: node.id,
                title: node.title,
                activity: activity_label(&node.activity_type),
                start_time: node.start_time,
                duration_minutes: node.duration_minutes,
                tags: node.tags,
                project: node.project.map(|p| p.name),
            }
        })
        .collect();
    let next = connection
        .page_info
        .has_next_page
        .then_some(connection.page_info.end_cursor)
        .flatten();
    Ok(EntryPage { entries, next })
}

fn activity_label(activity: &op::ActivityType) -> String {
    use op::ActivityType as A;
    match activity {
        A::MEETING => "Meeting",
        A::CODE => "Code",
        A::DEBUG => "Debug",
        A::DOCS => "Docs",
        A::MENTORING => "Mentoring",
        A::REVIEW => "Review",
        A::PLANNING => "Planning",
        A::LEARNING => "Learning",
        A::OPS => "Ops",
        A::ADMIN => "Admin",
        A::Other(other) => other,
    }
    .to_owned()
}
