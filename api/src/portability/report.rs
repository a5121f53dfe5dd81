//! What an import tells the person: how many rows went in, which were
//! skipped and why, and every bad row.

use async_graphql::SimpleObject;

/// One row (or event) the import could not take, or chose to skip.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
pub struct ImportProblem {
    /// 1-based line of the file where the row starts, when known.
    pub line: Option<i32>,
    /// What the row is in its source (an event UID, an entry id…).
    pub item: Option<String>,
    pub message: String,
}

impl ImportProblem {
    pub fn at_line(line: usize, message: impl Into<String>) -> Self {
        Self {
            line: i32::try_from(line).ok(),
            item: None,
            message: message.into(),
        }
    }

    pub fn with_item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }
}

/// The outcome of an import. With any `errors`, nothing was written and
/// `imported` is 0.
#[derive(Debug, Clone, Default, SimpleObject)]
pub struct ImportReport {
    /// True when the import only checked the file and wrote nothing.
    pub dry_run: bool,
    /// Rows written (or, on a dry run, that would be written).
    pub imported: i32,
    /// Rows left out on purpose: duplicates, all-day events…
    pub skipped: i32,
    /// Why each skipped row was left out.
    pub skipped_rows: Vec<ImportProblem>,
    /// Every bad row; any error means nothing was imported.
    pub errors: Vec<ImportProblem>,
}

impl ImportReport {
    /// A report refusing the whole file because of bad rows.
    pub fn rejected(dry_run: bool, errors: Vec<ImportProblem>) -> Self {
        Self {
            dry_run,
            errors,
            ..Self::default()
        }
    }
}

pub fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A file read into rows, before anything is written.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub rows: Vec<super::entry_writer::ImportedEntry>,
    pub skipped: Vec<ImportProblem>,
    pub errors: Vec<ImportProblem>,
}
