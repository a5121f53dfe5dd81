//! A calendar's events → `meeting` drafts, by the ICS import's own rules
//! (`portability::ics`: time zones, recurrences, exceptions, all-day,
//! cancelled and declined events left out), inside the sync window.
//! Meetings that have not ended yet are not work done: they come in at
//! the first sync after they end.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use englog_core::ActivityType;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use crate::connectors::drafts::{Draft, DraftSet, EXTERNAL_ID_MAX, Sweep};
use crate::connectors::source::SourceError;
use crate::error::AppError;
use crate::portability::ics::{self, IcsOptions};

/// How one calendar's meetings are named and filed.
pub struct Meetings {
    /// Prefix of every external id (`calendar:<hash of the address>`).
    pub namespace: String,
    /// The person's zone, for floating times.
    pub tz: Tz,
    /// The person's addresses: events they declined are left out.
    pub me: Vec<String>,
    /// `*` or the calendar's name → project name.
    pub projects: BTreeMap<String, String>,
    pub max_rows: usize,
}

/// The calendar's own name (`X-WR-CALNAME`), as feeds publish it.
pub fn calendar_name(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| {
            l.get(..13)
                .filter(|p| p.eq_ignore_ascii_case("X-WR-CALNAME:"))
                .map(|_| l[13..].trim().to_owned())
        })
        .filter(|n| !n.is_empty())
}

fn unreadable(err: AppError) -> SourceError {
    let detail = match err {
        AppError::Validation(fields) => fields
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
            .join("; "),
        _ => "it cannot be read".to_owned(),
    };
    SourceError::Calendar(format!("the calendar cannot be read: {detail}"))
}

impl Meetings {
    /// `ics:<key>` from the import → `<namespace>:<key>`, hashed when too
    /// long for the column.
    fn external_uid(&self, import_uid: &str) -> String {
        let key = import_uid.strip_prefix("ics:").unwrap_or(import_uid);
        let uid = format!("{}:{key}", self.namespace);
        if uid.chars().count() <= EXTERNAL_ID_MAX {
            return uid;
        }
        let digest = Sha256::digest(key.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}:sha256:{hex}", self.namespace)
    }

    /// The drafts for the meetings that started in `[from, to)` and ended
    /// by `to`, and a sweep that removes the unconfirmed drafts of this
    /// calendar in that window it no longer holds (cancelled, deleted,
    /// moved away or into the future).
    pub fn drafts(
        &self,
        text: &str,
        (from, to): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<DraftSet, SourceError> {
        let parsed = ics::parse(
            text,
            &IcsOptions {
                home: self.tz,
                window: (from, to),
                max_rows: self.max_rows,
                me: self.me.clone(),
            },
        )
        .map_err(unreadable)?;
        if !parsed.errors.is_empty() {
            tracing::info!(
                left_out = parsed.errors.len(),
                "calendar events that cannot be read were left out"
            );
        }
        let name = calendar_name(text);
        let project = self
            .projects
            .get("*")
            .or_else(|| name.as_ref().and_then(|n| self.projects.get(n)))
            .cloned();
        let upserts = parsed
            .rows
            .into_iter()
            .filter(|row| row.end_time <= to)
            .filter_map(|row| {
                Some(Draft {
                    external_uid: self.external_uid(row.external_uid.as_deref()?),
                    title: row.title,
                    description: row.description,
                    activity_type: ActivityType::Meeting,
                    start_time: row.start_time,
                    end_time: row.end_time,
                    tags: Vec::new(),
                    project: project.clone(),
                })
            })
            .collect();
        Ok(DraftSet {
            upserts,
            removals: Vec::new(),
            sweep: Some(Sweep {
                prefix: format!("{}:", self.namespace),
                from,
                to,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("timestamp")
    }

    #[test]
    fn only_meetings_that_ended_in_the_window_become_drafts() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Work\r\n\
            BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261005T090000Z\r\nDTEND:20261005T100000Z\r\nSUMMARY:Done\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20261005T113000Z\r\nDTEND:20261005T123000Z\r\nSUMMARY:Running\r\nEND:VEVENT\r\n\
            END:VCALENDAR\r\n";
        let projects = BTreeMap::from([("Work".to_owned(), "Platform".to_owned())]);
        let meetings = Meetings {
            namespace: "calendar:abc".into(),
            tz: Tz::UTC,
            me: Vec::new(),
            projects,
            max_rows: 100,
        };
        let set = meetings
            .drafts(
                text,
                (utc("2026-10-01T00:00:00Z"), utc("2026-10-05T12:00:00Z")),
            )
            .unwrap();
        assert_eq!(set.upserts.len(), 1);
        assert_eq!(set.upserts[0].external_uid, "calendar:abc:a");
        assert_eq!(set.upserts[0].project.as_deref(), Some("Platform"));
        assert_eq!(
            set.sweep.as_ref().map(|s| s.prefix.as_str()),
            Some("calendar:abc:")
        );
        assert!(
            meetings
                .drafts(
                    "<html/>",
                    (utc("2026-10-01T00:00:00Z"), utc("2026-10-05T12:00:00Z"))
                )
                .is_err()
        );
    }
}
