//! The occurrence starts of a recurring event inside the import window,
//! computed by the `rrule` crate in the event's own zone so a weekly 10:00
//! meeting stays at 10:00 local across a DST change.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use rrule::{RRule, Unvalidated};

use crate::portability::timezones::to_utc;

/// RFC 5545 wants `UNTIL` in UTC when the start has a zone; calendars
/// often write it as local time or as a date. Rewrites it to UTC in `tz`
/// (a date means the end of that day).
fn until_in_utc(rule: &str, tz: Tz) -> Result<String, String> {
    let parts: Result<Vec<String>, String> = rule
        .split(';')
        .map(|part| {
            let Some(value) = part.strip_prefix("UNTIL=") else {
                return Ok(part.to_owned());
            };
            if value.ends_with('Z') {
                return Ok(part.to_owned());
            }
            let local = if value.len() == 8 {
                NaiveDate::parse_from_str(value, "%Y%m%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(23, 59, 59))
            } else {
                NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()
            };
            let utc = local
                .and_then(|l| to_utc(tz, l))
                .ok_or_else(|| format!("RRULE: `{value}` is not a valid UNTIL"))?;
            Ok(format!("UNTIL={}", utc.format("%Y%m%dT%H%M%SZ")))
        })
        .collect();
    Ok(parts?.join(";"))
}

/// Starts of the occurrences of `rule` (first one at `start`, wall clock
/// kept in `tz`) that fall in `[from, to)`, at most `limit` of them.
pub fn occurrences(
    rule: &str,
    start: DateTime<Utc>,
    tz: Tz,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    limit: usize,
) -> Result<Vec<DateTime<Utc>>, String> {
    let zone = rrule::Tz::Tz(tz);
    let rule = until_in_utc(rule, tz)?;
    let parsed: RRule<Unvalidated> = rule.parse().map_err(|e| format!("RRULE: {e}"))?;
    let set = parsed
        .build(start.with_timezone(&zone))
        .map_err(|e| format!("RRULE: {e}"))?
        .after(from.with_timezone(&zone))
        .before(to.with_timezone(&zone));
    // One more than allowed tells the caller the window holds too many.
    let cap = u16::try_from(limit.saturating_add(1)).unwrap_or(u16::MAX);
    Ok(set
        .all(cap)
        .dates
        .into_iter()
        .map(|d| d.with_timezone(&Utc))
        .filter(|d| *d >= from && *d < to)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("timestamp")
    }

    #[test]
    fn a_weekly_meeting_keeps_its_local_time_across_dst() {
        let starts = occurrences(
            "FREQ=WEEKLY;COUNT=3;BYDAY=TU",
            utc("2026-10-20T08:00:00Z"),
            Tz::Europe__Berlin,
            (utc("2026-10-01T00:00:00Z"), utc("2026-12-01T00:00:00Z")),
            100,
        )
        .expect("expands");
        assert_eq!(
            starts,
            [
                utc("2026-10-20T08:00:00Z"),
                utc("2026-10-27T09:00:00Z"),
                utc("2026-11-03T09:00:00Z")
            ]
        );
    }

    #[test]
    fn a_local_until_is_read_in_the_events_zone() {
        let starts = occurrences(
            "FREQ=DAILY;UNTIL=20261022T100000",
            utc("2026-10-20T08:00:00Z"),
            Tz::Europe__Berlin,
            (utc("2026-10-01T00:00:00Z"), utc("2026-12-01T00:00:00Z")),
            100,
        )
        .expect("expands");
        assert_eq!(starts.len(), 3);
        assert!(
            occurrences(
                "FREQ=SOMETIMES",
                utc("2026-10-20T08:00:00Z"),
                Tz::UTC,
                (utc("2026-10-01T00:00:00Z"), utc("2026-12-01T00:00:00Z")),
                10
            )
            .is_err()
        );
    }
}
