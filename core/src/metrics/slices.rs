//! The one place that decides which local day and hour an entry's minutes
//! belong to.
//!
//! Rule: an entry's time is split at every wall-clock hour boundary of the
//! user's time zone, and each piece's minutes go to the local date and hour
//! it falls in. So a deploy from 23:30 to 00:30 gives 30 minutes to each day,
//! and across DST the pieces follow the wall clock: on a fall-back night the
//! repeated 02:00–03:00 hour collects both real hours, on a spring-forward
//! night the skipped hour collects nothing. Times are taken to the minute
//! (seconds are dropped from both ends), matching `duration_minutes`, which
//! counts whole minutes.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

/// Minutes of one entry within one local hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub date: NaiveDate,
    /// Wall-clock hour, 0–23.
    pub hour: u32,
    pub minutes: u32,
}

/// Drops seconds and below, so every slice is a whole number of minutes.
pub fn to_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    let secs = t.timestamp();
    DateTime::from_timestamp(secs - secs.rem_euclid(60), 0).unwrap_or(t)
}

/// The pieces of `[start, end)` in `tz`, in time order.
pub fn slices(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> Slices {
    Slices {
        at: to_minute(start),
        end: to_minute(end),
        tz,
    }
}

pub struct Slices {
    at: DateTime<Utc>,
    end: DateTime<Utc>,
    tz: Tz,
}

impl Iterator for Slices {
    type Item = Slice;

    fn next(&mut self) -> Option<Slice> {
        if self.at >= self.end {
            return None;
        }
        let local = self.at.with_timezone(&self.tz);
        // DST changes happen on wall-clock hour boundaries, so cutting at the
        // next local full hour also cuts at every offset change.
        let to_next_hour = 60 - i64::from(local.minute());
        let next = (self.at + Duration::minutes(to_next_hour)).min(self.end);
        let minutes = u32::try_from((next - self.at).num_minutes()).unwrap_or(0);
        self.at = next;
        Some(Slice {
            date: local.date_naive(),
            hour: local.hour(),
            minutes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn render(v: Vec<Slice>) -> Vec<String> {
        v.into_iter()
            .map(|s| format!("{} {:02}h {}", s.date, s.hour, s.minutes))
            .collect()
    }

    #[test]
    fn an_entry_crossing_midnight_is_split_between_days() {
        // 23:30–00:30 Paris time in winter (UTC+1).
        let s = slices(t("2026-01-15T22:30:00Z"), t("2026-01-15T23:30:00Z"), Paris);
        assert_eq!(
            render(s.collect()),
            ["2026-01-15 23h 30", "2026-01-16 00h 30"]
        );
    }

    #[test]
    fn the_repeated_hour_of_a_fall_back_night_collects_both_hours() {
        // 2025-10-26 Paris: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        let s = slices(t("2025-10-26T00:30:00Z"), t("2025-10-26T02:15:00Z"), Paris);
        assert_eq!(
            render(s.collect()),
            [
                "2025-10-26 02h 30",
                "2025-10-26 02h 60",
                "2025-10-26 03h 15"
            ]
        );
    }

    #[test]
    fn seconds_are_dropped() {
        let s = slices(t("2026-01-15T09:00:59Z"), t("2026-01-15T09:10:30Z"), Paris);
        assert_eq!(render(s.collect()), ["2026-01-15 10h 10"]);
    }
}
