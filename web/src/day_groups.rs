//! The journal's entries, newest first, grouped by week and by day in the
//! profile's zone. An entry counts on the day (and week) it starts.

use crate::api::Entry;
use crate::dates::{Day, Zone};

#[derive(Clone, PartialEq)]
pub struct DayGroup {
    pub day: Day,
    pub minutes: i64,
    pub entries: Vec<Entry>,
}

#[derive(Clone, PartialEq)]
pub struct WeekGroup {
    /// Its first day (Sunday or Monday, as the profile says).
    pub start: Day,
    pub minutes: i64,
    pub count: usize,
    pub days: Vec<DayGroup>,
}

/// Groups `entries` (in the order given, newest first) into weeks of days.
/// An entry whose start cannot be read joins the group before it.
pub fn group(entries: &[Entry], zone: &Zone, sunday_first: bool) -> Vec<WeekGroup> {
    let mut weeks: Vec<WeekGroup> = Vec::new();
    for entry in entries {
        let day = zone
            .day_of(&entry.start_time)
            .or_else(|| weeks.last().and_then(|w| w.days.last()).map(|d| d.day))
            .unwrap_or_else(|| zone.today());
        let start = day.week_start(sunday_first);
        if weeks.last().is_none_or(|w| w.start != start) {
            weeks.push(WeekGroup {
                start,
                minutes: 0,
                count: 0,
                days: Vec::new(),
            });
        }
        let Some(week) = weeks.last_mut() else {
            continue;
        };
        week.minutes += entry.duration_minutes;
        week.count += 1;
        if week.days.last().is_none_or(|d| d.day != day) {
            week.days.push(DayGroup {
                day,
                minutes: 0,
                entries: Vec::new(),
            });
        }
        if let Some(group) = week.days.last_mut() {
            group.minutes += entry.duration_minutes;
            group.entries.push(entry.clone());
        }
    }
    weeks
}
