//! Clockify's detailed report CSV: `Project, Client, Description, Task,
//! User, Group, Email, Tags, Billable, Start Date, Start Time, End Date,
//! End Time, Duration (h), Duration (decimal), …`; dates as MM/DD/YYYY
//! (or YYYY-MM-DD), times as 24-hour or `hh:mm:ss AM`.

use csv::StringRecord;

use super::foreign::TrackerColumns;
use super::{Columns, CsvOptions};
use crate::portability::entry_writer::ImportedEntry;

const COLUMNS: TrackerColumns = TrackerColumns {
    source: "clockify_csv",
    start_date: "Start Date",
    start_time: "Start Time",
    end_date: "End Date",
    end_time: "End Time",
};

pub const REQUIRED: &[&str] = &COLUMNS.required();

pub fn row(
    columns: &Columns,
    record: &StringRecord,
    options: &CsvOptions,
) -> Result<ImportedEntry, Vec<String>> {
    COLUMNS.row(columns, record, options)
}
