//! Minutes of a set of entries, counted along every axis the dashboard and
//! the reports show. Built once per period (or per trend week); every metric
//! in [`super::formulas`] reads from it.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use uuid::Uuid;

use super::period::Period;
use super::slices::{Slice, slices};
use crate::{ActivityType, ImpactLevel, ValueRating};

/// What the metrics need to know about one entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFacts {
    pub id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub activity_type: ActivityType,
    pub value_rating: ValueRating,
    pub impact_level: ImpactLevel,
    pub project_id: Option<Uuid>,
    pub tags: Vec<String>,
}

/// Minutes and the number of entries contributing them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bucket {
    pub minutes: u64,
    pub entries: u64,
}

impl Bucket {
    fn add(&mut self, minutes: u64) {
        self.minutes += minutes;
        self.entries += 1;
    }
}

/// One cell of the effort × impact matrix: the minutes and the entries
/// behind them, in time order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub minutes: u64,
    pub entry_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Minutes inside the counted days.
    pub total_minutes: u64,
    /// Entries with at least one minute inside the counted days.
    pub entries: u64,
    pub by_type: BTreeMap<ActivityType, Bucket>,
    pub by_project: BTreeMap<Option<Uuid>, Bucket>,
    /// An entry counts fully under each of its tags, so these may sum to
    /// more than the total.
    pub by_tag: BTreeMap<String, Bucket>,
    pub by_value: BTreeMap<ValueRating, Bucket>,
    pub by_impact: BTreeMap<ImpactLevel, Bucket>,
    pub matrix: BTreeMap<(ValueRating, ImpactLevel), Cell>,
    /// Minutes per wall-clock hour 0–23.
    pub by_hour: [u64; 24],
    /// Minutes per local date; only dates with minutes appear.
    pub by_day: BTreeMap<NaiveDate, u64>,
    /// Minutes of entries that are focus blocks, see
    /// [`super::formulas::is_focus_block`].
    pub focus_block_minutes: u64,
    /// Σ value weight × impact weight over the counted entries.
    pub value_impact_points: u64,
}

impl Tally {
    /// Tallies the minutes of `entries` that fall on the period's local days.
    pub fn of_period<'a>(
        entries: impl IntoIterator<Item = &'a EntryFacts>,
        tz: Tz,
        period: &Period,
    ) -> Self {
        let mut tally = Tally::default();
        let mut kept = Vec::new();
        for entry in entries {
            kept.clear();
            kept.extend(slices(entry.start, entry.end, tz).filter(|s| period.contains(s.date)));
            tally.add(entry, &kept);
        }
        tally
    }

    /// Counts `entry` with the given slices of it (already restricted to
    /// the days being counted). An entry with no minutes is not counted.
    pub fn add(&mut self, entry: &EntryFacts, kept: &[Slice]) {
        let minutes: u64 = kept.iter().map(|s| u64::from(s.minutes)).sum();
        if minutes == 0 {
            return;
        }
        for s in kept {
            if let Some(h) = self.by_hour.get_mut(s.hour as usize) {
                *h += u64::from(s.minutes);
            }
        }
        // Slices are in time order: one map update per local date, not
        // per hour (a dashboard's year is ~50,000 slices).
        for day in kept.chunk_by(|a, b| a.date == b.date) {
            let day_minutes: u64 = day.iter().map(|s| u64::from(s.minutes)).sum();
            *self.by_day.entry(day[0].date).or_default() += day_minutes;
        }
        self.total_minutes += minutes;
        self.entries += 1;
        self.by_type
            .entry(entry.activity_type)
            .or_default()
            .add(minutes);
        self.by_project
            .entry(entry.project_id)
            .or_default()
            .add(minutes);
        for tag in &entry.tags {
            // The name is copied only the first time it is seen.
            match self.by_tag.get_mut(tag.as_str()) {
                Some(bucket) => bucket.add(minutes),
                None => self.by_tag.entry(tag.clone()).or_default().add(minutes),
            }
        }
        self.by_value
            .entry(entry.value_rating)
            .or_default()
            .add(minutes);
        self.by_impact
            .entry(entry.impact_level)
            .or_default()
            .add(minutes);
        let cell = self
            .matrix
            .entry((entry.value_rating, entry.impact_level))
            .or_default();
        cell.minutes += minutes;
        cell.entry_ids.push(entry.id);
        if super::formulas::is_focus_block(entry) {
            self.focus_block_minutes += minutes;
        }
        self.value_impact_points +=
            super::formulas::value_impact_weight(entry.value_rating, entry.impact_level);
    }

    /// Local dates with at least one minute.
    pub fn active_days(&self) -> u64 {
        self.by_day.values().filter(|m| **m > 0).count() as u64
    }

    pub fn minutes_of(&self, t: ActivityType) -> u64 {
        self.by_type.get(&t).map_or(0, |b| b.minutes)
    }

    /// Minutes per weekday, Monday first.
    pub fn by_weekday(&self) -> [(Weekday, u64); 7] {
        let mut out = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .map(|d| (d, 0));
        for (date, m) in &self.by_day {
            out[date.weekday().num_days_from_monday() as usize].1 += m;
        }
        out
    }

    /// Minutes per ISO week `(iso year, week)`, in order.
    pub fn by_iso_week(&self) -> BTreeMap<(i32, u32), u64> {
        let mut out = BTreeMap::new();
        for (date, m) in &self.by_day {
            let w = date.iso_week();
            *out.entry((w.year(), w.week())).or_default() += m;
        }
        out
    }

    /// Minutes per calendar month `(year, month 1–12)`, in order.
    pub fn by_month(&self) -> BTreeMap<(i32, u32), u64> {
        let mut out = BTreeMap::new();
        for (date, m) in &self.by_day {
            *out.entry((date.year(), date.month())).or_default() += m;
        }
        out
    }
}
