//! A reporting period: whole local days in the user's time zone, and the UTC
//! instants that bound them (which move with DST, so a day may last 23 or 25
//! hours).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::FieldError;

/// The longest period a dashboard may cover: two years, leap day included.
/// Longer spans belong to exports, not to an interactive query.
pub const PERIOD_MAX_DAYS: i64 = 731;

/// Inclusive local dates `from..=to`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// Checks `from <= to`, a span of at most [`PERIOD_MAX_DAYS`] days, and
    /// years 1 to 9999.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, FieldError> {
        // Keeps every date arithmetic below (UTC bounds, trend weeks) far
        // from chrono's limits, where it would panic.
        if from.year() < 1 || to.year() > 9999 {
            return Err(FieldError::new(
                "period",
                "dates must be between years 1 and 9999",
            ));
        }
        if to < from {
            return Err(FieldError::new(
                "period.to",
                "must be on or after period.from",
            ));
        }
        if (to - from).num_days() + 1 > PERIOD_MAX_DAYS {
            return Err(FieldError::new(
                "period",
                format!("may cover at most {PERIOD_MAX_DAYS} days"),
            ));
        }
        Ok(Self { from, to })
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Number of calendar days in the period, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// `[start, end)` in UTC: the first instant of `from` and the first
    /// instant of the day after `to`, in `tz`.
    pub fn utc_bounds(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let after = self.to.succ_opt().unwrap_or(self.to);
        (local_day_start(tz, self.from), local_day_start(tz, after))
    }
}

/// The first instant of a local day. Usually midnight; where a DST jump
/// skips midnight (e.g. America/Santiago) it is the first wall-clock time
/// that exists; where a zone skipped the whole day (Pacific/Apia on
/// 2011-12-30) it is midnight at the offset in force, which is where the
/// next day begins.
pub fn local_day_start(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    for step in 0..=16 {
        let local = midnight + Duration::minutes(15 * step);
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    let offset = tz.offset_from_utc_datetime(&midnight).fix();
    Utc.from_utc_datetime(&(midnight - Duration::seconds(i64::from(offset.local_minus_utc()))))
}

/// A local wall-clock time (`hour:minute`) on `date` as UTC. Where a DST
/// jump skips that time, the first time that exists after it; where it is
/// repeated, the earlier reading.
pub fn local_instant(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let Some(wanted) = date.and_hms_opt(hour, minute, 0) else {
        return local_day_start(tz, date);
    };
    for step in 0..=16 {
        let local = wanted + Duration::minutes(15 * step);
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    let offset = tz.offset_from_utc_datetime(&wanted).fix();
    Utc.from_utc_datetime(&(wanted - Duration::seconds(i64::from(offset.local_minus_utc()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_skipped_local_time_moves_to_the_first_that_exists() {
        let paris = chrono_tz::Europe::Paris;
        // 02:30 does not exist in Paris on 2026-03-29: 03:00 CEST = 01:00Z.
        let t = local_instant(paris, d("2026-03-29"), 2, 30);
        assert_eq!(t.to_rfc3339(), "2026-03-29T01:00:00+00:00");
        let t = local_instant(paris, d("2026-03-30"), 8, 0);
        assert_eq!(t.to_rfc3339(), "2026-03-30T06:00:00+00:00");
    }

    #[test]
    fn a_spring_forward_day_is_23_hours_long() {
        let p = Period::new(d("2026-03-29"), d("2026-03-29")).unwrap();
        let (start, end) = p.utc_bounds(chrono_tz::Europe::Paris);
        assert_eq!(start.to_rfc3339(), "2026-03-28T23:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-03-29T22:00:00+00:00");
    }

    #[test]
    fn periods_are_ordered_and_bounded() {
        assert_eq!(
            Period::new(d("2026-01-02"), d("2026-01-01"))
                .unwrap_err()
                .field,
            "period.to"
        );
        assert_eq!(
            Period::new(d("2024-01-01"), d("2026-01-01"))
                .unwrap_err()
                .field,
            "period"
        );
        assert_eq!(
            Period::new(d("2024-01-01"), d("2025-12-31"))
                .unwrap()
                .days(),
            731
        );
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_at_the_first_existing_time() {
        // Santiago springs forward at 24:00 on 2026-09-05 → 2026-09-06 01:00.
        let start = local_day_start(chrono_tz::America::Santiago, d("2026-09-06"));
        assert_eq!(start.to_rfc3339(), "2026-09-06T04:00:00+00:00");
    }
}
