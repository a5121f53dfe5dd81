//! What the Toggl Track and Clockify formats share: local dates and times
//! in several spellings, comma-separated tags in free form, no activity
//! type and no rating. Their rows arrive as drafts to review.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use englog_core::{ActivityType, ImpactLevel, Limits, ValueRating};
use sha2::{Digest, Sha256};

use csv::StringRecord;

use super::{Columns, CsvOptions};
use crate::portability::entry_writer::ImportedEntry;
use crate::portability::timezones::to_utc;

const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"];
const TIME_FORMATS: &[&str] = &["%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p"];

/// A local date and time cell pair, in the person's zone.
pub fn local_time(
    date: Option<&str>,
    time: Option<&str>,
    what: &str,
    options: &CsvOptions,
) -> Result<DateTime<Utc>, String> {
    let (Some(date), Some(time)) = (date, time) else {
        return Err(format!("{what}: date and time must not be empty"));
    };
    let day = DATE_FORMATS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(date, f).ok())
        .ok_or_else(|| {
            format!("{what}: `{date}` is not a date (YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY)")
        })?;
    let clock = TIME_FORMATS
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(&time.to_uppercase(), f).ok())
        .ok_or_else(|| format!("{what}: `{time}` is not a time (HH:MM:SS or hh:mm AM)"))?;
    to_utc(options.home, NaiveDateTime::new(day, clock))
        .ok_or_else(|| format!("{what}: not a valid local time"))
}

/// Free-form tag names made into EngLog tag names: lowercase, spaces to
/// `-`, other characters tags may not hold dropped.
pub fn tags(cell: Option<&str>) -> Vec<String> {
    let Some(cell) = cell else {
        return Vec::new();
    };
    cell.split(',')
        .map(|raw| {
            let name: String = raw
                .trim()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-")
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '+' | '#'))
                .take(Limits::TAG_NAME_MAX)
                .collect();
            name
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// A row of a time tracker: a draft of the person's default type, unless a
/// tag names an activity type (`meeting`, `review`…).
pub struct TrackedRow<'a> {
    pub source: &'static str,
    pub description: Option<&'a str>,
    pub task: Option<&'a str>,
    pub project: Option<&'a str>,
    pub client: Option<&'a str>,
    pub tags: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TrackedRow<'_> {
    pub fn into_entry(self, options: &CsvOptions) -> ImportedEntry {
        let activity_type = self
            .tags
            .iter()
            .find_map(|t| t.parse::<ActivityType>().ok())
            .unwrap_or(options.default_type);
        let title = self
            .description
            .or(self.task)
            .or(self.project)
            .unwrap_or("Time entry");
        let details: Vec<String> = [("Client", self.client), ("Task", self.task)]
            .into_iter()
            .filter_map(|(label, v)| v.map(|v| format!("{label}: {v}")))
            .collect();
        // The same row imported twice is a duplicate, whatever the file.
        let fingerprint = format!(
            "{}|{}|{}|{}",
            self.start.timestamp(),
            self.end.timestamp(),
            title,
            self.project.unwrap_or_default()
        );
        let digest = Sha256::digest(fingerprint.as_bytes());
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        ImportedEntry {
            line: 0,
            item: None,
            title: title.chars().take(Limits::TITLE_MAX).collect(),
            description: (!details.is_empty()).then(|| details.join("\n")),
            activity_type,
            project: self.project.map(str::to_owned),
            tags: self.tags,
            start_time: self.start,
            end_time: self.end,
            value_rating: ValueRating::default(),
            impact_level: ImpactLevel::default(),
            is_draft: true,
            source: Some(self.source.into()),
            external_uid: Some(format!("{}:{hex}", self.source)),
            created_at: None,
            updated_at: None,
        }
    }
}

/// How a time tracker names its columns; the rows mean the same.
pub struct TrackerColumns {
    /// `log_entries.source` of the imported rows.
    pub source: &'static str,
    pub start_date: &'static str,
    pub start_time: &'static str,
    pub end_date: &'static str,
    pub end_time: &'static str,
}

impl TrackerColumns {
    /// The columns a file must have.
    pub const fn required(&self) -> [&'static str; 6] {
        [
            "Description",
            "Project",
            self.start_date,
            self.start_time,
            self.end_date,
            self.end_time,
        ]
    }

    /// One detailed-report row as a draft entry, or every problem with it.
    pub fn row(
        &self,
        columns: &Columns,
        record: &StringRecord,
        options: &CsvOptions,
    ) -> Result<ImportedEntry, Vec<String>> {
        let get = |name| columns.get(record, name);
        let start = local_time(get(self.start_date), get(self.start_time), "Start", options);
        let end = local_time(get(self.end_date), get(self.end_time), "End", options);
        match (start, end) {
            (Ok(start), Ok(end)) => Ok(TrackedRow {
                source: self.source,
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
}
