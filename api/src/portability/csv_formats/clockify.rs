//! Clockify's detailed report CSV: `Project, Client, Description, Task,
//! User, Group, Email, Tags, Billable, Start Date, Start Time, End Date,
//! End Time, Duration (h), Duration (decimal), …`; dates as MM/DD/YYYY
//! (or YYYY-MM-DD), times as 24-hour or `hh:mm:ss AM`.

use csv::StringRecord;

use super::foreign::{TrackedRow, local_time, tags};
use super::{Columns, CsvOptions};
use crate::portability::entry_writer::ImportedEntry;

pub const REQUIRED: &[&str] = &[
    "Description",
    "Project",
    "Start Date",
    "Start Time",
    "End Date",
    "End Time",
];

pub fn row(
    columns: &Columns,
    record: &StringRecord,
    options: &CsvOptions,
) -> Result<ImportedEntry, Vec<String>> {
    let get = |name| columns.get(record, name);
    let start = local_time(get("Start Date"), get("Start Time"), "Start", options);
    let end = local_time(get("End Date"), get("End Time"), "End", options);
    match (start, end) {
        (Ok(start), Ok(end)) => Ok(TrackedRow {
            source: "clockify_csv",
            description: get("Description"),
            task: get("Task"),
            project: get("Project"),
            client: get("Client"),
            tags: tags(get("Tags")),
            start,
            end,
        }
        .into_entry(options)),
        (start, end) => Err([start.err(), end.err()].into_iter().flatten().collect()),
    }
}
