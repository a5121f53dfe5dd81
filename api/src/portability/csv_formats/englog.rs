//! EngLog's own entry CSV, as the entry export writes it: RFC 3339 times,
//! stored enum forms (`code`, `high`, `team`), tags separated by `;`.

use chrono::{DateTime, Utc};
use csv::StringRecord;
use englog_core::{ActivityType, ImpactLevel, ValueRating};
use std::str::FromStr;

use super::{Columns, CsvOptions, inert_to_text};
use crate::portability::entry_writer::ImportedEntry;

/// The header of EngLog's entry CSV, shared with the export.
pub const HEADER: &[&str] = &[
    "id",
    "title",
    "description",
    "activity_type",
    "project",
    "tags",
    "start_time",
    "end_time",
    "duration_minutes",
    "value_rating",
    "impact_level",
];

/// Columns a file must have; the others are optional (`duration_minutes`
/// is recomputed from the times).
pub const REQUIRED: &[&str] = &["title", "activity_type", "start_time", "end_time"];

fn text(columns: &Columns, record: &StringRecord, name: &str) -> Option<String> {
    columns
        .get(record, name)
        .map(|v| inert_to_text(v).to_owned())
}

fn time(
    columns: &Columns,
    record: &StringRecord,
    name: &str,
    errors: &mut Vec<String>,
) -> Option<DateTime<Utc>> {
    let Some(raw) = columns.get(record, name) else {
        errors.push(format!("{name}: must not be empty"));
        return None;
    };
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            errors.push(format!(
                "{name}: `{raw}` is not an RFC 3339 time (e.g. 2026-03-02T09:00:00Z)"
            ));
            None
        }
    }
}

fn choice<T: FromStr>(
    columns: &Columns,
    record: &StringRecord,
    name: &str,
    errors: &mut Vec<String>,
) -> Option<T> {
    let raw = columns.get(record, name)?;
    match raw.to_lowercase().parse() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(format!("{name}: unknown value `{raw}`"));
            None
        }
    }
}

pub fn row(
    columns: &Columns,
    record: &StringRecord,
    _options: &CsvOptions,
) -> Result<ImportedEntry, Vec<String>> {
    let mut errors = Vec::new();
    let title = text(columns, record, "title").unwrap_or_default();
    let activity_type: Option<ActivityType> = choice(columns, record, "activity_type", &mut errors);
    if columns.get(record, "activity_type").is_none() {
        errors.push("activity_type: must not be empty".into());
    }
    let start = time(columns, record, "start_time", &mut errors);
    let end = time(columns, record, "end_time", &mut errors);
    let value_rating: Option<ValueRating> = choice(columns, record, "value_rating", &mut errors);
    let impact_level: Option<ImpactLevel> = choice(columns, record, "impact_level", &mut errors);
    let (Some(activity_type), Some(start_time), Some(end_time), true) =
        (activity_type, start, end, errors.is_empty())
    else {
        return Err(errors);
    };
    let tags = columns
        .get(record, "tags")
        .map(|t| {
            inert_to_text(t)
                .split(';')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(ImportedEntry {
        line: 0,
        item: columns.get(record, "id").map(str::to_owned),
        title,
        description: text(columns, record, "description"),
        activity_type,
        project: text(columns, record, "project"),
        tags,
        start_time,
        end_time,
        value_rating: value_rating.unwrap_or_default(),
        impact_level: impact_level.unwrap_or_default(),
        is_draft: false,
        source: Some("englog_csv".into()),
        external_uid: None,
        created_at: None,
        updated_at: None,
    })
}
