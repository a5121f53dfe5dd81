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

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
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
        at: to_minute(start).timestamp(),
        end: to_minute(end).timestamp(),
        tz,
        day: None,
    }
}

const DAY_SECONDS: i64 = 86_400;
/// `NaiveDate::from_num_days_from_ce_opt` of 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Walks the entry in Unix seconds. The offset is looked up in the time
/// zone for every piece, as `with_timezone` would, but the local date,
/// hour and minute are plain arithmetic on `instant + offset`: chrono's
/// date arithmetic was most of a year's dashboard tally (~20,000 entries,
/// `docs/PERFORMANCE.md`). The local date is rebuilt only when it changes.
pub struct Slices {
    at: i64,
    end: i64,
    tz: Tz,
    /// The last local date made: days since the Unix epoch, and the date.
    day: Option<(i64, NaiveDate)>,
}

impl Slices {
    /// UTC offset in seconds at the Unix instant `at`.
    fn offset_at(&self, at: i64) -> Option<i64> {
        let utc = DateTime::from_timestamp(at, 0)?.naive_utc();
        Some(i64::from(
            self.tz
                .offset_from_utc_datetime(&utc)
                .fix()
                .local_minus_utc(),
        ))
    }

    fn date(&mut self, days: i64) -> Option<NaiveDate> {
        match self.day {
            Some((d, date)) if d == days => Some(date),
            _ => {
                let ce = i32::try_from(days + UNIX_EPOCH_DAYS_FROM_CE).ok()?;
                let date = NaiveDate::from_num_days_from_ce_opt(ce)?;
                self.day = Some((days, date));
                Some(date)
            }
        }
    }
}

impl Iterator for Slices {
    type Item = Slice;

    fn next(&mut self) -> Option<Slice> {
        if self.at >= self.end {
            return None;
        }
        let local = self.at + self.offset_at(self.at)?;
        let minute = local.rem_euclid(3_600) / 60;
        // DST changes happen on wall-clock hour boundaries, so cutting at the
        // next local full hour also cuts at every offset change.
        let next = (self.at + (60 - minute) * 60).min(self.end);
        let minutes = u32::try_from((next - self.at) / 60).unwrap_or(0);
        self.at = next;
        let date = self.date(local.div_euclid(DAY_SECONDS))?;
        Some(Slice {
            date,
            hour: u32::try_from(local.rem_euclid(DAY_SECONDS) / 3_600).unwrap_or(0),
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

    /// The rule written with chrono's zoned date-times, as `slices` was
    /// before it walked Unix seconds: the oracle for the test below.
    fn reference(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> Vec<Slice> {
        use chrono::{Duration, Timelike};
        let (mut at, end) = (to_minute(start), to_minute(end));
        let mut out = Vec::new();
        while at < end {
            let local = at.with_timezone(&tz);
            let next = (at + Duration::minutes(60 - i64::from(local.minute()))).min(end);
            out.push(Slice {
                date: local.date_naive(),
                hour: local.hour(),
                minutes: u32::try_from((next - at).num_minutes()).unwrap(),
            });
            at = next;
        }
        out
    }

    #[test]
    fn the_arithmetic_matches_chronos_zoned_times_across_offset_changes() {
        use chrono_tz::America::Santiago;
        use chrono_tz::Asia::Kathmandu;
        use chrono_tz::Australia::Lord_Howe;
        // Whole-hour DST (Paris, Santiago's midnight jumps), a half-hour DST
        // (Lord Howe), a quarter-hour zone (Kathmandu), and Paris before
        // 1911, whose offset had seconds.
        let zones = [Paris, Santiago, Lord_Howe, Kathmandu];
        let firsts = [
            t("2025-03-29T20:07:31Z"),
            t("2025-10-25T20:00:00Z"),
            t("2026-04-04T10:10:00Z"),
            t("2026-09-05T03:00:00Z"),
            t("1910-12-31T18:59:00Z"),
        ];
        let mut compared = 0;
        for tz in zones {
            for first in firsts {
                // Starts every 7 minutes for a day and a half, lengths up to
                // a day: every minute of the hour, across each change.
                for step in 0..310 {
                    let start = first + chrono::Duration::minutes(7 * step);
                    for len in [1, 29, 61, 135, 600, 1_440] {
                        let end = start + chrono::Duration::minutes(len);
                        assert_eq!(
                            slices(start, end, tz).collect::<Vec<_>>(),
                            reference(start, end, tz),
                            "{tz} {start} +{len} min"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 4 * 5 * 310 * 6);
    }

    #[test]
    fn seconds_are_dropped() {
        let s = slices(t("2026-01-15T09:00:59Z"), t("2026-01-15T09:10:30Z"), Paris);
        assert_eq!(render(s.collect()), ["2026-01-15 10h 10"]);
    }
}
