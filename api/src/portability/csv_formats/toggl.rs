//! Toggl Track's detailed report CSV: `User, Email, Client, Project, Task,
//! Description, Billable, Start date, Start time, End date, End time,
//! Duration, Tags, Amount ()`, local times of the exporting profile.

use csv::StringRecord;

use super::foreign::TrackerColumns;
use super::{Columns, CsvOptions};
use crate::portability::entry_writer::ImportedEntry;

const COLUMNS: TrackerColumns = TrackerColumns {
    source: "toggl_csv",
    start_date: "Start date",
    start_time: "Start time",
    end_date: "End date",
    end_time: "End time",
};

pub const REQUIRED: &[&str] = &COLUMNS.required();

pub fn row(
    columns: &Columns,
    record: &StringRecord,
    options: &CsvOptions,
) -> Result<ImportedEntry, Vec<String>> {
    COLUMNS.row(columns, record, options)
}
