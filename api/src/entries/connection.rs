//! The entry list's Relay connection, the same in the schema as
//! async-graphql's `Connection<String, LogEntry>` (`LogEntryConnection`,
//! `LogEntryEdge`, its `PageInfo`), but resolved for speed (issue 18): each
//! edge resolves its two fields one after the other instead of through a
//! `FuturesUnordered` (they do no I/O), and a cursor is encoded only when
//! asked for.

use async_graphql::Object;
use async_graphql::connection::PageInfo;

use super::cursor::EntryCursor;
use super::graphql::LogEntry;

pub struct LogEntryEdge {
    cursor: EntryCursor,
    node: LogEntry,
}

impl LogEntryEdge {
    pub fn new(cursor: EntryCursor, node: LogEntry) -> Self {
        Self { cursor, node }
    }
}

/// An edge in a connection.
#[Object(serial)]
impl LogEntryEdge {
    /// A cursor for use in pagination
    async fn cursor(&self) -> String {
        self.cursor.encode()
    }

    /// The item at the end of the edge
    async fn node(&self) -> &LogEntry {
        &self.node
    }
}

pub struct LogEntryConnection {
    pub edges: Vec<LogEntryEdge>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

#[Object(serial)]
impl LogEntryConnection {
    /// Information to aid in pagination.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|edge| edge.cursor.encode()),
            end_cursor: self.edges.last().map(|edge| edge.cursor.encode()),
        }
    }

    /// A list of edges.
    async fn edges(&self) -> &[LogEntryEdge] {
        &self.edges
    }

    /// A list of nodes.
    async fn nodes(&self) -> Vec<&LogEntry> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
}
