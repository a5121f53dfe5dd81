//! The times and dates people type, read in the profile's time zone:
//! `now`, `-45m`, `14:30` (today), `2026-03-02 14:30`, RFC 3339; dates as
//! `YYYY-MM-DD`, `today` or `yesterday`.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::CliError;

/// "Now" and where the person lives, fixed once per command so every time
/// it reads agrees.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl Clock {
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    /// An instant from what was typed.
    pub fn instant(&self, text: &str) -> Result<DateTime<Utc>, CliError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("now") {
            return Ok(self.now);
        }
        if let Some(ago) = t.strip_prefix('-') {
            return englog_core::quick_add::parse_duration(ago)
                .map(|d| self.now - d)
                .ok_or_else(|| bad_time(text));
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(t) {
            return Ok(at.with_timezone(&Utc));
        }
        if let Ok(time) = NaiveTime::parse_from_str(t, "%H:%M") {
            return self.local(self.today().and_time(time), text);
        }
        for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
            if let Ok(at) = NaiveDateTime::parse_from_str(t, format) {
                return self.local(at, text);
            }
        }
        Err(bad_time(text))
    }

    /// A local wall-clock time as an instant; the earlier one when a DST
    /// fold repeats it, an error when a DST gap skips it.
    fn local(&self, at: NaiveDateTime, text: &str) -> Result<DateTime<Utc>, CliError> {
        self.tz
            .from_local_datetime(&at)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| {
                CliError::usage(format!(
                    "`{text}` does not exist in {} (a daylight-saving jump skips it)",
                    self.tz
                ))
            })
    }

    /// A calendar day from what was typed.
    pub fn date(&self, text: &str) -> Result<NaiveDate, CliError> {
        let t = text.trim();
        match t.to_lowercase().as_str() {
            "today" => return Ok(self.today()),
            "yesterday" => return Ok(self.today() - TimeDelta::days(1)),
            _ => {}
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .filter(|d| (1..=9999).contains(&d.year()))
            .ok_or_else(|| {
                CliError::usage(format!(
                    "`{text}` is not a date; use YYYY-MM-DD, `today` or `yesterday`"
                ))
            })
    }
}

/// A span typed as `45m`, `1h30m` or `2h`.
pub fn duration(text: &str) -> Result<TimeDelta, CliError> {
    englog_core::quick_add::parse_duration(text.trim()).ok_or_else(|| {
        CliError::usage(format!(
            "`{text}` is not a duration; use e.g. 45m, 1h30m or 2h"
        ))
    })
}

fn bad_time(text: &str) -> CliError {
    CliError::usage(format!(
        "`{text}` is not a time; use now, -45m, 14:30, \"2026-03-02 14:30\" or RFC 3339"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock {
            // 10:00 in Paris (UTC+1 in winter).
            now: "2026-03-02T09:00:00Z".parse().unwrap(),
            tz: chrono_tz::Europe::Paris,
        }
    }

    #[test]
    fn times_read_in_the_profile_zone() {
        let c = clock();
        let table = [
            ("now", "2026-03-02T09:00:00+00:00"),
            ("-45m", "2026-03-02T08:15:00+00:00"),
            ("-1h30m", "2026-03-02T07:30:00+00:00"),
            ("08:30", "2026-03-02T07:30:00+00:00"),
            ("2026-03-01 23:15", "2026-03-01T22:15:00+00:00"),
            ("2026-03-01T23:15", "2026-03-01T22:15:00+00:00"),
            ("2026-03-01T23:15:00-05:00", "2026-03-02T04:15:00+00:00"),
        ];
        for (text, expected) in table {
            assert_eq!(c.instant(text).unwrap().to_rfc3339(), expected, "{text}");
        }
        for bad in ["", "soon", "25:00", "-5", "2026-13-01 10:00"] {
            assert!(matches!(c.instant(bad), Err(CliError::Usage(_))), "{bad}");
        }
    }

    #[test]
    fn a_skipped_local_time_is_refused() {
        let c = clock();
        // Paris springs forward from 02:00 to 03:00 on 2026-03-29.
        assert!(c.instant("2026-03-29 02:30").is_err());
    }

    #[test]
    fn dates_and_durations() {
        let c = clock();
        assert_eq!(c.date("today").unwrap().to_string(), "2026-03-02");
        assert_eq!(c.date("Yesterday").unwrap().to_string(), "2026-03-01");
        assert_eq!(c.date("2026-02-28").unwrap().to_string(), "2026-02-28");
        assert!(c.date("02/28/2026").is_err());
        assert_eq!(duration("1h30m").unwrap(), TimeDelta::minutes(90));
        assert!(duration("90").is_err());
    }
}
