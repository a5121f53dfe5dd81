//! The calendar rules of the nudge, without I/O: which days are workdays,
//! which day a morning's nudge is about, and whether it is morning yet.
//!
//! "Yesterday" in the issue is read as **the previous workday**: a Monday
//! nudge is about Friday, not the weekend nobody logs.

use async_graphql::Enum;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use englog_core::metrics::period::local_instant;
use serde::{Deserialize, Serialize};

use crate::profile::preferences::WeekStart;

/// A day of the week, as a workday choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Enum)]
#[serde(rename_all = "lowercase")]
pub enum Workday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Workday {
    const ALL: [Workday; 7] = [
        Workday::Monday,
        Workday::Tuesday,
        Workday::Wednesday,
        Workday::Thursday,
        Workday::Friday,
        Workday::Saturday,
        Workday::Sunday,
    ];

    pub fn of(date: NaiveDate) -> Self {
        match date.weekday() {
            Weekday::Mon => Workday::Monday,
            Weekday::Tue => Workday::Tuesday,
            Weekday::Wed => Workday::Wednesday,
            Weekday::Thu => Workday::Thursday,
            Weekday::Fri => Workday::Friday,
            Weekday::Sat => Workday::Saturday,
            Weekday::Sun => Workday::Sunday,
        }
    }

    fn days_from_monday(self) -> u32 {
        self as u32
    }
}

/// Monday to Friday.
pub fn default_workdays() -> Vec<Workday> {
    Workday::ALL[..5].to_vec()
}

/// `days` without duplicates, in the order of the person's week.
pub fn in_week_order(days: &[Workday], week_start: WeekStart) -> Vec<Workday> {
    let first = match week_start {
        WeekStart::Monday => 0,
        WeekStart::Sunday => 6,
    };
    let mut ordered: Vec<Workday> = Workday::ALL
        .into_iter()
        .filter(|d| days.contains(d))
        .collect();
    ordered.sort_by_key(|d| (d.days_from_monday() + 7 - first) % 7);
    ordered
}

/// A workday and the earlier workday whose journal it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NudgeDay {
    pub today: NaiveDate,
    pub missed: NaiveDate,
}

/// The person's local day at `now` when it is a workday, with the previous
/// workday (at most a week back); `None` on a day off or with no workdays.
pub fn workday_at(tz: Tz, now: DateTime<Utc>, workdays: &[Workday]) -> Option<NudgeDay> {
    let today = now.with_timezone(&tz).date_naive();
    if !workdays.contains(&Workday::of(today)) {
        return None;
    }
    let missed = (1..=7)
        .map(|n| today - Duration::days(n))
        .find(|d| workdays.contains(&Workday::of(*d)))?;
    Some(NudgeDay { today, missed })
}

/// [`workday_at`], only within `[hour:00, hour:00 + window)` local time:
/// when the morning's mail may go out.
pub fn morning_at(
    tz: Tz,
    now: DateTime<Utc>,
    workdays: &[Workday],
    hour: u32,
    window_hours: u32,
) -> Option<NudgeDay> {
    let day = workday_at(tz, now, workdays)?;
    let from = local_instant(tz, day.today, hour.min(23), 0);
    let until = from + Duration::hours(i64::from(window_hours.max(1)));
    (from <= now && now < until).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_monday_nudge_is_about_friday() {
        let day = workday_at(
            chrono_tz::UTC,
            utc("2026-12-07T09:00:00Z"),
            &default_workdays(),
        );
        assert_eq!(
            day,
            Some(NudgeDay {
                today: "2026-12-07".parse().unwrap(),
                missed: "2026-12-04".parse().unwrap(),
            })
        );
    }

    #[test]
    fn weekends_and_empty_lists_have_no_nudge() {
        let saturday = utc("2026-12-05T09:00:00Z");
        assert_eq!(
            workday_at(chrono_tz::UTC, saturday, &default_workdays()),
            None
        );
        assert_eq!(workday_at(chrono_tz::UTC, saturday, &[]), None);
        // With Saturday a workday, it checks Friday.
        let all = Workday::ALL.to_vec();
        let day = workday_at(chrono_tz::UTC, saturday, &all).unwrap();
        assert_eq!(day.missed.to_string(), "2026-12-04");
    }

    #[test]
    fn the_morning_is_local_and_bounded() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let days = default_workdays();
        // Monday 08:00 in Tokyo is Sunday 23:00 UTC.
        let eight = utc("2026-12-06T23:00:00Z");
        assert_eq!(
            morning_at(tokyo, eight - Duration::seconds(1), &days, 8, 4),
            None
        );
        assert!(morning_at(tokyo, eight, &days, 8, 4).is_some());
        assert!(morning_at(tokyo, eight + Duration::minutes(239), &days, 8, 4).is_some());
        assert_eq!(
            morning_at(tokyo, eight + Duration::hours(4), &days, 8, 4),
            None
        );
    }

    #[test]
    fn workdays_follow_the_week_start() {
        let days = [Workday::Sunday, Workday::Monday, Workday::Monday];
        assert_eq!(
            in_week_order(&days, WeekStart::Monday),
            vec![Workday::Monday, Workday::Sunday]
        );
        assert_eq!(
            in_week_order(&days, WeekStart::Sunday),
            vec![Workday::Sunday, Workday::Monday]
        );
    }
}
