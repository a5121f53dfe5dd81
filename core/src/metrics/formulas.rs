//! The productivity metrics of seed `002` ("Advanced Analytics Features"),
//! one function each, over a [`Tally`]. Percentages are 0–100 and, like
//! hours, rounded to two decimals here, so every consumer (dashboard,
//! reports, tests) shows the same number. `docs/ANALYTICS.md` lists the same
//! formulas for readers of the product.

use chrono::Weekday;

use super::tally::{EntryFacts, Tally};
use crate::{ActivityType, ImpactLevel, ValueRating};

/// Deep-work activity types: the seed's "focused types".
pub const FOCUS_TYPES: [ActivityType; 3] =
    [ActivityType::Code, ActivityType::Debug, ActivityType::Docs];

/// Activity types done with other people. The seed names the metric but not
/// its set; these are the types that need someone else in the room.
pub const COLLABORATION_TYPES: [ActivityType; 4] = [
    ActivityType::Meeting,
    ActivityType::Mentoring,
    ActivityType::Review,
    ActivityType::Planning,
];

/// A focus block is a deep-work entry of at least this many minutes: long
/// enough to get into a problem.
pub const FOCUS_BLOCK_MINUTES: i64 = 60;

/// `round(x, 2)`.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `round(100 × part / whole, 2)`; 0 when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round2(100.0 * part as f64 / whole as f64)
    }
}

/// `round(minutes / 60, 2)`.
pub fn hours(minutes: u64) -> f64 {
    round2(minutes as f64 / 60.0)
}

/// Seed weights: low 1, medium 2, high 3.
pub fn value_weight(v: ValueRating) -> u64 {
    match v {
        ValueRating::Low => 1,
        ValueRating::Medium => 2,
        ValueRating::High => 3,
    }
}

/// Seed weights: personal 1, team 2, product 3, company 4.
pub fn impact_weight(i: ImpactLevel) -> u64 {
    match i {
        ImpactLevel::Personal => 1,
        ImpactLevel::Team => 2,
        ImpactLevel::Product => 3,
        ImpactLevel::Company => 4,
    }
}

/// `value_weight × impact_weight`, 1–12.
pub fn value_impact_weight(v: ValueRating, i: ImpactLevel) -> u64 {
    value_weight(v) * impact_weight(i)
}

/// A deep-work entry ([`FOCUS_TYPES`]) lasting at least
/// [`FOCUS_BLOCK_MINUTES`] (whole minutes, start to end).
pub fn is_focus_block(e: &EntryFacts) -> bool {
    FOCUS_TYPES.contains(&e.activity_type)
        && (super::slices::to_minute(e.end) - super::slices::to_minute(e.start)).num_minutes()
            >= FOCUS_BLOCK_MINUTES
}

/// Average daily hours = total minutes / 60 / active days, where an active
/// day is a local date with at least one minute (the seed averages over days
/// with logs, not calendar days).
pub fn average_daily_hours(t: &Tally) -> f64 {
    match t.active_days() {
        0 => 0.0,
        days => round2(t.total_minutes as f64 / 60.0 / days as f64),
    }
}

/// Peak productivity hour = the wall-clock hour (0–23) with the most
/// minutes; the earliest on a tie; none without minutes.
pub fn peak_hour(t: &Tally) -> Option<u32> {
    let mut best: Option<(u32, u64)> = None;
    for (hour, m) in (0u32..).zip(t.by_hour) {
        if m > 0 && best.is_none_or(|(_, b)| m > b) {
            best = Some((hour, m));
        }
    }
    best.map(|(h, _)| h)
}

/// Most productive day = the weekday with the most minutes; Monday first on
/// a tie; none without minutes.
pub fn most_productive_weekday(t: &Tally) -> Option<Weekday> {
    let mut best: Option<(Weekday, u64)> = None;
    for (day, m) in t.by_weekday() {
        if m > 0 && best.is_none_or(|(_, b)| m > b) {
            best = Some((day, m));
        }
    }
    best.map(|(d, _)| d)
}

/// Focus (activity efficiency) score = % of minutes in [`FOCUS_TYPES`].
pub fn focus_score(t: &Tally) -> f64 {
    let focused = FOCUS_TYPES.iter().map(|a| t.minutes_of(*a)).sum();
    percent(focused, t.total_minutes)
}

/// Focus time % = % of minutes in focus blocks ([`is_focus_block`]): the
/// deep work that came in stretches long enough to matter.
pub fn focus_time_percentage(t: &Tally) -> f64 {
    percent(t.focus_block_minutes, t.total_minutes)
}

/// Collaboration ratio = % of minutes in [`COLLABORATION_TYPES`].
pub fn collaboration_ratio(t: &Tally) -> f64 {
    let together = COLLABORATION_TYPES.iter().map(|a| t.minutes_of(*a)).sum();
    percent(together, t.total_minutes)
}

/// High-value % = % of minutes rated high.
pub fn high_value_percentage(t: &Tally) -> f64 {
    let high = t.by_value.get(&ValueRating::High).map_or(0, |b| b.minutes);
    percent(high, t.total_minutes)
}

/// Company/product impact ratio = % of minutes with product or company
/// impact.
pub fn company_impact_ratio(t: &Tally) -> f64 {
    let wide = [ImpactLevel::Product, ImpactLevel::Company]
        .iter()
        .map(|i| t.by_impact.get(i).map_or(0, |b| b.minutes))
        .sum();
    percent(wide, t.total_minutes)
}

/// Value × impact score = mean over entries of
/// `value_weight × impact_weight / 12 × 100`, i.e.
/// `round(100 × Σ weights / (12 × entries), 2)`. Per entry, not per minute,
/// as in the seed: it rates what was done, not how long it took.
pub fn value_impact_score(t: &Tally) -> f64 {
    percent(t.value_impact_points, 12 * t.entries)
}

/// Share of minutes of one activity type (code % and meeting % of trends).
pub fn type_percentage(t: &Tally, a: ActivityType) -> f64 {
    percent(t.minutes_of(a), t.total_minutes)
}

/// All of the seed's productivity metrics for one tally.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductivityMetrics {
    pub average_daily_hours: f64,
    pub peak_hour: Option<u32>,
    pub most_productive_weekday: Option<Weekday>,
    pub focus_score: f64,
    pub focus_time_percentage: f64,
    pub collaboration_ratio: f64,
    pub high_value_percentage: f64,
    pub company_impact_ratio: f64,
    pub value_impact_score: f64,
}

impl ProductivityMetrics {
    pub fn of(t: &Tally) -> Self {
        Self {
            average_daily_hours: average_daily_hours(t),
            peak_hour: peak_hour(t),
            most_productive_weekday: most_productive_weekday(t),
            focus_score: focus_score(t),
            focus_time_percentage: focus_time_percentage(t),
            collaboration_ratio: collaboration_ratio(t),
            high_value_percentage: high_value_percentage(t),
            company_impact_ratio: company_impact_ratio(t),
            value_impact_score: value_impact_score(t),
        }
    }
}
