//! Toggl Track's detailed report CSV: `User, Email, Client, Project, Task,
//! Description, Billable, Start date, Start time, End date, End time,
//! Duration, Tags, Amount ()`, local times of the exporting profile.

use csv::StringRecord;

use super::foreign::{TrackedRow, local_time, tags};
use super::{Columns, CsvOptions};
use crate::portability::entry_writer::ImportedEntry;

pub const REQUIRED: &[&str] = &[
    "Description",
    "Project",
    "Start date",
    "Start time",
    "End date",
    "End time",
];

pub fn row(
    columns: &Columns,
    record: &StringRecord,
    options: &CsvOptions,
) -> Result<ImportedEntry, Vec<String>> {
    let get = |name| columns.get(record, name);
    let start = local_time(get("Start date"), get("Start time"), "Start", options);
    let end = local_time(get("End date"), get("End time"), "End", options);
    match (start, end) {
        (Ok(start), Ok(end)) => Ok(TrackedRow {
            source: "toggl_csv",
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
