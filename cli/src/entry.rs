//! One journal entry as every entry-returning operation answers it (the
//! `EntryFields` fragment), printed for people or as JSON for scripts.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use uuid::Uuid;

use crate::gql::enums::{ActivityType, ImpactLevel, ValueRating};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityType,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub duration_minutes: i64,
    pub tags: Vec<String>,
    pub is_draft: bool,
    pub value_rating: ValueRating,
    pub impact_level: ImpactLevel,
    pub project_id: Option<Uuid>,
    pub project: Option<ProjectName>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectName {
    pub name: String,
}

/// `{ entry: … }`: the answer of create, update and get.
#[derive(Debug, Deserialize)]
pub struct EntryData {
    pub entry: Entry,
}

impl Entry {
    /// The last 8 characters of the id, as `ls` shows it and `edit`/`rm`
    /// accept it. The last, not the first: ids are UUIDv7, whose first
    /// characters are a timestamp that entries logged together share.
    pub fn short_id(&self) -> String {
        let hex = self.id.simple().to_string();
        hex[hex.len() - 8..].to_owned()
    }

    pub fn project_name(&self) -> Option<&str> {
        self.project.as_ref().map(|p| p.name.as_str())
    }

    /// One field per line, times in `tz`.
    pub fn describe(&self, tz: Tz) -> String {
        let start = self.start_time.with_timezone(&tz);
        let end = self.end_time.with_timezone(&tz);
        let end_format = if start.date_naive() == end.date_naive() {
            "%H:%M"
        } else {
            "%Y-%m-%d %H:%M"
        };
        let mut out = String::new();
        let mut line = |k: &str, v: &str| {
            let _ = writeln!(out, "  {k:<9}{v}");
        };
        line("id", &self.id.to_string());
        line("title", &self.title);
        line(
            "when",
            &format!(
                "{}–{} ({}, {tz})",
                start.format("%Y-%m-%d %H:%M"),
                end.format(end_format),
                hours(self.duration_minutes)
            ),
        );
        line("type", &self.activity_type.to_string());
        line("project", self.project_name().unwrap_or("—"));
        line("tags", &tag_list(&self.tags).unwrap_or_else(|| "—".into()));
        line("value", &self.value_rating.to_string());
        line("impact", &self.impact_level.to_string());
        if let Some(note) = self.description.as_deref().filter(|n| !n.is_empty()) {
            line("note", note);
        }
        if self.is_draft {
            line("draft", "yes (confirm with `englog edit ID --confirm`)");
        }
        out
    }
}

/// `#a #b`, or `None` without tags.
pub fn tag_list(tags: &[String]) -> Option<String> {
    (!tags.is_empty()).then(|| {
        tags.iter()
            .map(|t| format!("#{t}"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// `45m`, `2h`, `1h30m`.
pub fn hours(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m:02}m"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Entry {
        serde_json::from_value(serde_json::json!({
            "id": "0192f0c4-1b2c-7d3e-8f40-123456789abc",
            "title": "Fixed checkout 502",
            "description": null,
            "activityType": "DEBUG",
            "startTime": "2026-03-02T08:15:00Z",
            "endTime": "2026-03-02T09:00:00Z",
            "durationMinutes": 45,
            "tags": ["incident"],
            "isDraft": false,
            "valueRating": "HIGH",
            "impactLevel": "COMPANY",
            "projectId": "0192f0c4-0000-7d3e-8f40-123456789abc",
            "project": { "name": "Payments" },
            "createdAt": "2026-03-02T09:00:00Z",
            "updatedAt": "2026-03-02T09:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn an_entry_reads_as_one_field_per_line() {
        let text = sample().describe(chrono_tz::Europe::Paris);
        assert!(
            text.contains("2026-03-02 09:15–10:00 (45m, Europe/Paris)"),
            "{text}"
        );
        assert!(text.contains("type     debug"), "{text}");
        assert!(text.contains("project  Payments"), "{text}");
        assert!(text.contains("#incident"), "{text}");
        assert_eq!(sample().short_id(), "56789abc");
    }

    #[test]
    fn json_keeps_the_api_shape() {
        let v = serde_json::to_value(sample()).unwrap();
        assert_eq!(v["activityType"], "DEBUG");
        assert_eq!(v["project"]["name"], "Payments");
        assert_eq!(v["durationMinutes"], 45);
    }

    #[test]
    fn durations_read_as_hours() {
        assert_eq!(hours(45), "45m");
        assert_eq!(hours(120), "2h");
        assert_eq!(hours(95), "1h35m");
    }

    #[test]
    fn every_entry_operation_asks_for_the_same_fields() {
        let fragment = |file: &str| {
            let at = file.find("fragment EntryFields").expect("fragment");
            file[at..].trim().to_owned()
        };
        let files = [
            include_str!("../graphql/create_log_entry.graphql"),
            include_str!("../graphql/update_log_entry.graphql"),
            include_str!("../graphql/log_entry.graphql"),
            include_str!("../graphql/log_entries.graphql"),
        ];
        for f in &files[1..] {
            assert_eq!(fragment(f), fragment(files[0]));
        }
    }
}
