//! CSV imports: EngLog's own entry CSV and the detailed-report exports of
//! Toggl Track and Clockify. Columns are found by header name (any order,
//! extra columns ignored); a file without the required headers is refused
//! as a whole, a bad row is reported with its line.

mod clockify;
pub mod englog;
mod foreign;
mod toggl;

use chrono_tz::Tz;
use csv::{ReaderBuilder, StringRecord, Trim};
use englog_core::ActivityType;
use std::collections::HashMap;

use super::entry_writer::ImportedEntry;
use super::report::{ImportProblem, ParsedFile};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvFormat {
    Englog,
    Toggl,
    Clockify,
}

pub struct CsvOptions {
    /// The person's time zone: Toggl and Clockify write local times.
    pub home: Tz,
    /// Type of rows whose source has no activity type.
    pub default_type: ActivityType,
    pub max_rows: usize,
}

/// Header name (lowercase) → column index.
pub struct Columns(HashMap<String, usize>);

impl Columns {
    fn new(header: &StringRecord) -> Self {
        Self(
            header
                .iter()
                .enumerate()
                .map(|(i, name)| (name.trim().to_lowercase(), i))
                .collect(),
        )
    }

    fn missing<'a>(&self, required: &[&'a str]) -> Vec<&'a str> {
        required
            .iter()
            .filter(|name| !self.0.contains_key(&name.to_lowercase()))
            .copied()
            .collect()
    }

    /// The cell under `name`, trimmed; `None` when absent or empty.
    pub fn get<'r>(&self, record: &'r StringRecord, name: &str) -> Option<&'r str> {
        self.0
            .get(&name.to_lowercase())
            .and_then(|i| record.get(*i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

/// How a format reads a row: its required headers and the mapping.
struct Spec {
    name: &'static str,
    required: &'static [&'static str],
    row: fn(&Columns, &StringRecord, &CsvOptions) -> Result<ImportedEntry, Vec<String>>,
}

fn spec(format: CsvFormat) -> Spec {
    match format {
        CsvFormat::Englog => Spec {
            name: "EngLog CSV",
            required: englog::REQUIRED,
            row: englog::row,
        },
        CsvFormat::Toggl => Spec {
            name: "Toggl Track detailed report",
            required: toggl::REQUIRED,
            row: toggl::row,
        },
        CsvFormat::Clockify => Spec {
            name: "Clockify detailed report",
            required: clockify::REQUIRED,
            row: clockify::row,
        },
    }
}

fn refuse(message: String) -> AppError {
    AppError::field("content", message)
}

/// Reads a CSV file into rows. File-level problems (empty, binary, wrong
/// headers, too many rows) are errors; row-level ones go to the report.
pub fn parse(format: CsvFormat, content: &str, options: &CsvOptions) -> AppResult<ParsedFile> {
    let spec = spec(format);
    let content = content.trim_start_matches('\u{feff}');
    if content.trim().is_empty() {
        return Err(refuse("the file is empty".into()));
    }
    if content.contains('\0') {
        return Err(refuse("not a CSV text file".into()));
    }
    let mut reader = ReaderBuilder::new()
        .trim(Trim::None)
        .flexible(false)
        .from_reader(content.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| refuse(format!("not a readable CSV file: {e}")))?
        .clone();
    let columns = Columns::new(&header);
    let missing = columns.missing(spec.required);
    if !missing.is_empty() {
        return Err(refuse(format!(
            "not a {} file: missing column(s) {}; expected at least: {}",
            spec.name,
            missing.join(", "),
            spec.required.join(", ")
        )));
    }
    let mut parsed = ParsedFile::default();
    let mut lines = LineCounter::new(content);
    let mut count = 0usize;
    for result in reader.records() {
        count += 1;
        if count > options.max_rows {
            return Err(refuse(format!(
                "more than {} rows: split the file",
                options.max_rows
            )));
        }
        match result {
            Ok(record) => {
                let line = lines.at(record.position().map_or(0, |p| p.byte()));
                match (spec.row)(&columns, &record, options) {
                    Ok(mut entry) => {
                        entry.line = line;
                        parsed.rows.push(entry);
                    }
                    Err(messages) => parsed.errors.extend(
                        messages
                            .into_iter()
                            .map(|m| ImportProblem::at_line(line, m)),
                    ),
                }
            }
            Err(err) => {
                let line = lines.at(err.position().map_or(0, |p| p.byte()));
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("expected {expected_len} fields, found {len}"),
                    _ => format!("unreadable row: {err}"),
                };
                parsed.errors.push(ImportProblem::at_line(line, message));
            }
        }
    }
    if count == 0 {
        return Err(refuse("the file has a header but no rows".into()));
    }
    Ok(parsed)
}

/// File lines of byte offsets, read forward once: the CSV reader counts
/// records, but a quoted cell may span lines and people look for lines.
struct LineCounter<'a> {
    content: &'a [u8],
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(content: &'a str) -> Self {
        Self {
            content: content.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line holding `byte`; offsets must not go backwards.
    fn at(&mut self, byte: u64) -> usize {
        let mut target = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.content.len());
        // After a CRLF the reader's offset points at the LF it has not
        // consumed yet: the record starts past it.
        if self.content.get(target) == Some(&b'\n') {
            target += 1;
        }
        if target > self.byte {
            self.line += self.content[self.byte..target]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.byte = target;
        }
        self.line
    }
}

/// Undoes the formula-injection guard of EngLog's CSV export: a cell that
/// starts with `'` followed by `=`, `+`, `-`, `@`, tab or CR had the quote
/// added on the way out.
pub fn inert_to_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_guard_comes_off_only_where_it_was_added() {
        assert_eq!(inert_to_text("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(inert_to_text("'-5"), "-5");
        assert_eq!(inert_to_text("'quoted"), "'quoted");
        assert_eq!(inert_to_text("plain"), "plain");
    }
}
