//! GraphQL shapes of the analytics answer. Every bucket carries minutes,
//! hours and its percentage of the period's total minutes; categorical
//! buckets also count their entries. Buckets without minutes are left out,
//! except in the effort × impact matrix, which is always the full grid.

use async_graphql::{Enum, SimpleObject};
use chrono::{NaiveDate, Weekday};
use englog_core::metrics::formulas::{hours, percent};
use englog_core::metrics::{Bucket, ProductivityMetrics, WeekTrend};
use uuid::Uuid;

use crate::graphql::enums::{ActivityTypeGql, ImpactLevelGql, ValueRatingGql};

fn int(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Time in a bucket.
#[derive(SimpleObject, Clone, Copy)]
pub struct Share {
    pub minutes: u32,
    /// `round(minutes / 60, 2)`.
    pub hours: f64,
    /// `round(100 × minutes / total minutes of the period, 2)`.
    pub percentage: f64,
}

impl Share {
    pub fn new(minutes: u64, total: u64) -> Self {
        Self {
            minutes: int(minutes),
            hours: hours(minutes),
            percentage: percent(minutes, total),
        }
    }
}

/// Time in a bucket, and how many entries put it there.
#[derive(SimpleObject, Clone, Copy)]
pub struct CountedShare {
    #[graphql(flatten)]
    pub share: Share,
    pub entry_count: u32,
}

impl CountedShare {
    pub fn new(b: &Bucket, total: u64) -> Self {
        Self {
            share: Share::new(b.minutes, total),
            entry_count: int(b.entries),
        }
    }
}

#[derive(SimpleObject)]
pub struct Totals {
    pub minutes: u32,
    pub hours: f64,
    /// Entries with at least one minute inside the period.
    pub entry_count: u32,
    /// Local dates with at least one minute.
    pub active_days: u32,
    /// Calendar days in the period.
    pub days: u32,
}

#[derive(SimpleObject)]
pub struct ActivityTypeShare {
    pub activity_type: ActivityTypeGql,
    #[graphql(flatten)]
    pub share: CountedShare,
}

#[derive(SimpleObject)]
pub struct ProjectShare {
    /// Null for entries without a project.
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    #[graphql(flatten)]
    pub share: CountedShare,
}

/// An entry counts in full under each of its tags, so tag percentages may
/// add up to more than 100.
#[derive(SimpleObject)]
pub struct TagShare {
    pub tag: String,
    #[graphql(flatten)]
    pub share: CountedShare,
}

#[derive(SimpleObject)]
pub struct ValueRatingShare {
    pub value_rating: ValueRatingGql,
    #[graphql(flatten)]
    pub share: CountedShare,
}

#[derive(SimpleObject)]
pub struct ImpactLevelShare {
    pub impact_level: ImpactLevelGql,
    #[graphql(flatten)]
    pub share: CountedShare,
}

#[derive(SimpleObject)]
pub struct HourShare {
    /// Wall-clock hour 0–23 in the user's time zone.
    pub hour: u32,
    #[graphql(flatten)]
    pub share: Share,
}

#[derive(SimpleObject)]
pub struct WeekdayShare {
    pub weekday: WeekdayGql,
    #[graphql(flatten)]
    pub share: Share,
}

#[derive(SimpleObject)]
pub struct DayShare {
    pub date: NaiveDate,
    #[graphql(flatten)]
    pub share: Share,
}

#[derive(SimpleObject)]
pub struct WeekShare {
    pub iso_year: i32,
    pub iso_week: u32,
    /// The Monday of the week (may precede the period's first day).
    pub week_start: NaiveDate,
    #[graphql(flatten)]
    pub share: Share,
}

#[derive(SimpleObject)]
pub struct MonthShare {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    #[graphql(flatten)]
    pub share: Share,
}

/// Imported or captured drafts in the period that nobody confirmed yet.
/// They count in no other field of the dashboard until confirmed.
#[derive(SimpleObject)]
pub struct DraftsWaitingForReview {
    pub entry_count: u32,
    /// Their minutes inside the period.
    pub minutes: u32,
    pub hours: f64,
}

/// Hours spent at one value rating × impact level, and the entries behind
/// them.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct EffortImpactCell {
    pub value_rating: ValueRatingGql,
    pub impact_level: ImpactLevelGql,
    #[graphql(flatten)]
    pub share: Share,
    pub entry_count: u32,
    /// Ids of the cell's entries, oldest first (see the `entryIds` field).
    #[graphql(skip)]
    pub entry_ids: Vec<Uuid>,
}

#[async_graphql::ComplexObject]
impl EffortImpactCell {
    /// A page of the ids of the entries in this cell, oldest first: at
    /// most `first` (1–500, default 100) after skipping `offset`. The first
    /// answer of a dashboard stays small; list the entries themselves with
    /// the matching `logEntries` filter (value rating, impact level, period).
    async fn entry_ids(
        &self,
        #[graphql(default = 100, validator(minimum = 1, maximum = 500))] first: i32,
        #[graphql(default = 0, validator(minimum = 0))] offset: i32,
    ) -> Vec<Uuid> {
        let skip = usize::try_from(offset).unwrap_or(0);
        let take = usize::try_from(first).unwrap_or(0);
        self.entry_ids
            .iter()
            .skip(skip)
            .take(take)
            .copied()
            .collect()
    }
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Weekday")]
pub enum WeekdayGql {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<Weekday> for WeekdayGql {
    fn from(d: Weekday) -> Self {
        match d {
            Weekday::Mon => Self::Monday,
            Weekday::Tue => Self::Tuesday,
            Weekday::Wed => Self::Wednesday,
            Weekday::Thu => Self::Thursday,
            Weekday::Fri => Self::Friday,
            Weekday::Sat => Self::Saturday,
            Weekday::Sun => Self::Sunday,
        }
    }
}

/// The seed's productivity metrics; formulas in `docs/ANALYTICS.md` and in
/// `englog_core::metrics::formulas`. Percentages are 0–100.
#[derive(SimpleObject)]
pub struct Productivity {
    /// Total hours / days with at least one minute.
    pub average_daily_hours: f64,
    /// Wall-clock hour with the most minutes (earliest on a tie).
    pub peak_hour: Option<u32>,
    /// Weekday with the most minutes (Monday first on a tie).
    pub most_productive_day: Option<WeekdayGql>,
    /// Focus (activity efficiency) score: % of minutes in code, debug, docs.
    pub focus_score: f64,
    /// % of minutes in code/debug/docs entries of at least 60 minutes.
    pub focus_time_percentage: f64,
    /// % of minutes in meeting, mentoring, review, planning.
    pub collaboration_ratio: f64,
    /// % of minutes rated high value.
    pub high_value_percentage: f64,
    /// % of minutes with product or company impact.
    pub company_impact_ratio: f64,
    /// Mean over entries of value weight (1–3) × impact weight (1–4) / 12
    /// × 100.
    pub value_impact_score: f64,
}

impl From<ProductivityMetrics> for Productivity {
    fn from(m: ProductivityMetrics) -> Self {
        Self {
            average_daily_hours: m.average_daily_hours,
            peak_hour: m.peak_hour,
            most_productive_day: m.most_productive_weekday.map(Into::into),
            focus_score: m.focus_score,
            focus_time_percentage: m.focus_time_percentage,
            collaboration_ratio: m.collaboration_ratio,
            high_value_percentage: m.high_value_percentage,
            company_impact_ratio: m.company_impact_ratio,
            value_impact_score: m.value_impact_score,
        }
    }
}

/// One ISO week of a productivity trend.
#[derive(SimpleObject)]
pub struct WeeklyTrend {
    /// Monday of the week, in the user's time zone.
    pub week_start: NaiveDate,
    pub iso_year: i32,
    pub iso_week: u32,
    pub hours: f64,
    pub code_percentage: f64,
    pub meeting_percentage: f64,
    /// The focus score of the week (see `Productivity.focusScore`).
    pub focus_score: f64,
}

impl From<WeekTrend> for WeeklyTrend {
    fn from(w: WeekTrend) -> Self {
        Self {
            week_start: w.week_start,
            iso_year: w.iso_year,
            iso_week: w.iso_week,
            hours: w.hours,
            code_percentage: w.code_percentage,
            meeting_percentage: w.meeting_percentage,
            focus_score: w.focus_score,
        }
    }
}
