//! Productivity trends: the same metrics, week by week (ISO weeks, Monday to
//! Sunday, in the user's time zone).

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;

use super::formulas::{focus_score, hours, type_percentage};
use super::period::Period;
use super::slices::slices;
use super::tally::{EntryFacts, Tally};
use crate::{ActivityType, FieldError};

/// At most two years of weeks, the dashboard period's own limit.
pub const TREND_MAX_WEEKS: u32 = 104;

#[derive(Debug, Clone, PartialEq)]
pub struct WeekTrend {
    /// The Monday the week starts on.
    pub week_start: NaiveDate,
    pub iso_year: i32,
    pub iso_week: u32,
    /// `round(minutes / 60, 2)` of the week (not the seed's average × 7,
    /// which overstates weeks with days off).
    pub hours: f64,
    pub code_percentage: f64,
    pub meeting_percentage: f64,
    pub focus_score: f64,
}

/// The `weeks` whole ISO weeks ending with the one that contains `last_day`.
pub fn trend_period(last_day: NaiveDate, weeks: i64) -> Result<Period, FieldError> {
    if !(1..=i64::from(TREND_MAX_WEEKS)).contains(&weeks) {
        return Err(FieldError::new(
            "weeks",
            format!("must be between 1 and {TREND_MAX_WEEKS}"),
        ));
    }
    let monday = last_day.checked_sub_signed(Duration::days(i64::from(
        last_day.weekday().num_days_from_monday(),
    )));
    let first = monday.and_then(|m| m.checked_sub_signed(Duration::weeks(weeks - 1)));
    let sunday = monday.and_then(|m| m.checked_add_signed(Duration::days(6)));
    match (first, sunday) {
        (Some(first), Some(sunday)) => Period::new(first, sunday),
        _ => Err(FieldError::new(
            "period",
            "dates must be between years 1 and 9999",
        )),
    }
}

/// One [`WeekTrend`] per week of `period` (from [`trend_period`]), oldest
/// first, weeks without entries included with zeros.
pub fn weekly_trends<'a>(
    entries: impl IntoIterator<Item = &'a EntryFacts>,
    tz: Tz,
    period: &Period,
) -> Vec<WeekTrend> {
    let weeks = usize::try_from(period.days() / 7).unwrap_or(0);
    let mut tallies = vec![Tally::default(); weeks];
    let mut pieces = Vec::new();
    let week_of = |d: NaiveDate| ((d - period.from()).num_days() / 7) as usize;
    for entry in entries {
        pieces.clear();
        pieces.extend(slices(entry.start, entry.end, tz).filter(|s| period.contains(s.date)));
        // Slices are in time order, so each week's slices are contiguous.
        let mut rest = &pieces[..];
        while let Some(first) = rest.first() {
            let week = week_of(first.date);
            let n = rest.iter().take_while(|s| week_of(s.date) == week).count();
            if let Some(t) = tallies.get_mut(week) {
                t.add(entry, &rest[..n]);
            }
            rest = &rest[n..];
        }
    }
    tallies
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let week_start = period.from() + Duration::weeks(i as i64);
            let iso = week_start.iso_week();
            WeekTrend {
                week_start,
                iso_year: iso.year(),
                iso_week: iso.week(),
                hours: hours(t.total_minutes),
                code_percentage: type_percentage(t, ActivityType::Code),
                meeting_percentage: type_percentage(t, ActivityType::Meeting),
                focus_score: focus_score(t),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_weeks_are_whole_iso_weeks_ending_with_the_given_day() {
        let p = trend_period("2026-03-30".parse().unwrap(), 3).unwrap();
        assert_eq!(p.from().to_string(), "2026-03-16");
        assert_eq!(p.to().to_string(), "2026-04-05");
        assert_eq!(trend_period(NaiveDate::MAX, 3).unwrap_err().field, "period");
        assert_eq!(trend_period(NaiveDate::MIN, 3).unwrap_err().field, "period");
        assert_eq!(
            trend_period("2026-03-30".parse().unwrap(), 105)
                .unwrap_err()
                .field,
            "weeks"
        );
    }
}
