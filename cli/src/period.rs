//! Calendar periods in the profile's time zone: `ls --today/--week`, the
//! default period of each report type, and the instants that bound local
//! days (the day-start rule itself lives in `englog_core::metrics::period`).

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use englog_core::ReportType;
use englog_core::metrics::period::local_day_start;

use crate::gql::enums::WeekStart;

/// Inclusive local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Days {
    /// `[start of from, start of the day after to)` as instants.
    pub fn instants(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let after = self.to.succ_opt().unwrap_or(self.to);
        (local_day_start(tz, self.from), local_day_start(tz, after))
    }
}

/// The week holding `day`, starting on the person's first weekday.
pub fn week_of(day: NaiveDate, start: WeekStart) -> Days {
    let back = match start {
        WeekStart::Monday => day.weekday().num_days_from_monday(),
        WeekStart::Sunday => day.weekday().num_days_from_sunday(),
    };
    let from = day - TimeDelta::days(i64::from(back));
    Days {
        from,
        to: from + TimeDelta::days(6),
    }
}

/// The period a report of `kind` covers by default, around `today`: the
/// day, the week, the last two weeks (a sprint), the calendar month,
/// quarter or year. `None` for custom reports, which need one given.
pub fn report_default(kind: ReportType, today: NaiveDate, week_start: WeekStart) -> Option<Days> {
    let first_of = |month: u32| NaiveDate::from_ymd_opt(today.year(), month, 1);
    let days = match kind {
        ReportType::Daily => Days {
            from: today,
            to: today,
        },
        ReportType::Weekly => week_of(today, week_start),
        ReportType::Sprint => Days {
            from: today - TimeDelta::days(13),
            to: today,
        },
        ReportType::Monthly => {
            let from = first_of(today.month())?;
            Days {
                from,
                to: last_day(from, 1)?,
            }
        }
        ReportType::Quarterly => {
            let from = first_of((today.month0() / 3) * 3 + 1)?;
            Days {
                from,
                to: last_day(from, 3)?,
            }
        }
        ReportType::Annual => Days {
            from: first_of(1)?,
            to: NaiveDate::from_ymd_opt(today.year(), 12, 31)?,
        },
        ReportType::Custom => return None,
    };
    Some(days)
}

/// The day before the first of the month `months` after `from`'s.
fn last_day(from: NaiveDate, months: u32) -> Option<NaiveDate> {
    from.checked_add_months(chrono::Months::new(months))?
        .pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_follow_the_person_first_weekday() {
        // 2026-03-04 is a Wednesday.
        let w = week_of(d("2026-03-04"), WeekStart::Monday);
        assert_eq!((w.from, w.to), (d("2026-03-02"), d("2026-03-08")));
        let w = week_of(d("2026-03-04"), WeekStart::Sunday);
        assert_eq!((w.from, w.to), (d("2026-03-01"), d("2026-03-07")));
        let w = week_of(d("2026-03-08"), WeekStart::Monday);
        assert_eq!(w.from, d("2026-03-02"));
    }

    #[test]
    fn each_report_type_has_its_calendar_period() {
        let today = d("2026-05-20");
        let p = |k| {
            report_default(k, today, WeekStart::Monday)
                .map(|p| (p.from.to_string(), p.to.to_string()))
        };
        let s = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(p(ReportType::Daily), s("2026-05-20", "2026-05-20"));
        assert_eq!(p(ReportType::Weekly), s("2026-05-18", "2026-05-24"));
        assert_eq!(p(ReportType::Sprint), s("2026-05-07", "2026-05-20"));
        assert_eq!(p(ReportType::Monthly), s("2026-05-01", "2026-05-31"));
        assert_eq!(p(ReportType::Quarterly), s("2026-04-01", "2026-06-30"));
        assert_eq!(p(ReportType::Annual), s("2026-01-01", "2026-12-31"));
        assert_eq!(p(ReportType::Custom), None);
    }

    #[test]
    fn local_days_bound_instants_in_the_zone() {
        let days = Days {
            from: d("2026-03-02"),
            to: d("2026-03-02"),
        };
        let (a, b) = days.instants(chrono_tz::Europe::Paris);
        assert_eq!(a.to_rfc3339(), "2026-03-01T23:00:00+00:00");
        assert_eq!(b.to_rfc3339(), "2026-03-02T23:00:00+00:00");
    }
}
