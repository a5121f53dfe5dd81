//! `analytics(period:, projectId:)`: the whole dashboard in one query. The
//! entries are loaded once when the field resolves; every sub-field reads
//! the computed tally. `trends` reads the same entries when its weeks lie
//! within what was loaded, and loads its own weeks otherwise.

use async_graphql::{Context, InputObject, Object, Result};
use chrono::NaiveDate;
use englog_core::metrics::{Period, ProductivityMetrics, Tally};
use englog_core::{ImpactLevel, ValueRating};
use std::cmp::Reverse;
use uuid::Uuid;

use super::service::{self, Dashboard};
use super::types::*;
use crate::auth::require_user;
use crate::error::AppError;
use crate::state::AppState;

/// Local dates in the caller's time zone, both included; at most 731 days.
#[derive(InputObject)]
pub struct PeriodInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// Where the caller's time went in `period` (optionally within one
    /// project), computed in the caller's time zone. An entry's minutes are
    /// split at local hour boundaries, so work across midnight counts on
    /// both days and DST days have 23 or 25 hours.
    async fn analytics(
        &self,
        ctx: &Context<'_>,
        period: PeriodInput,
        project_id: Option<Uuid>,
    ) -> Result<Analytics> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let period = Period::new(period.from, period.to).map_err(AppError::from)?;
        // Tag names cost a second statement; load them only when asked for.
        // Trend weeks ask for the rest of the last week in the same one.
        let ahead = ctx.look_ahead();
        let reads = service::Reads {
            tags: ahead.field("byTag").exists(),
            trend_weeks: ahead.field("trends").exists(),
        };
        let dashboard =
            service::dashboard(&state.warm_db(), user_id, period, project_id, reads).await?;
        Ok(Analytics(dashboard))
    }
}

pub struct Analytics(Dashboard);

impl Analytics {
    fn tally(&self) -> &Tally {
        &self.0.tally
    }

    fn total(&self) -> u64 {
        self.0.tally.total_minutes
    }
}

/// Largest first; ties keep the key order of the map.
fn by_minutes<K: Clone, T>(
    map: &std::collections::BTreeMap<K, englog_core::metrics::Bucket>,
    make: impl Fn(K, CountedShare) -> T,
    total: u64,
) -> Vec<T> {
    let mut rows: Vec<_> = map.iter().filter(|(_, b)| b.minutes > 0).collect();
    rows.sort_by_key(|(_, b)| Reverse(b.minutes));
    rows.into_iter()
        .map(|(k, b)| make(k.clone(), CountedShare::new(b, total)))
        .collect()
}

#[Object]
impl Analytics {
    async fn from(&self) -> NaiveDate {
        self.0.period.from()
    }

    async fn to(&self) -> NaiveDate {
        self.0.period.to()
    }

    /// The IANA time zone the numbers are computed in (the caller's).
    async fn timezone(&self) -> String {
        self.0.tz.name().to_owned()
    }

    async fn totals(&self) -> Totals {
        let t = self.tally();
        Totals {
            minutes: u32::try_from(t.total_minutes).unwrap_or(u32::MAX),
            hours: englog_core::metrics::formulas::hours(t.total_minutes),
            entry_count: u32::try_from(t.entries).unwrap_or(u32::MAX),
            active_days: u32::try_from(t.active_days()).unwrap_or(u32::MAX),
            days: u32::try_from(self.0.period.days()).unwrap_or(u32::MAX),
        }
    }

    /// Most time first.
    async fn by_activity_type(&self) -> Vec<ActivityTypeShare> {
        by_minutes(
            &self.tally().by_type,
            |t, share| ActivityTypeShare {
                activity_type: t.into(),
                share,
            },
            self.total(),
        )
    }

    /// Most time first; entries without a project form one bucket.
    async fn by_project(&self) -> Vec<ProjectShare> {
        by_minutes(
            &self.tally().by_project,
            |id, share| ProjectShare {
                project_id: id,
                project_name: id.and_then(|id| self.0.project_names.get(&id).cloned()),
                share,
            },
            self.total(),
        )
    }

    /// Most time first.
    async fn by_tag(&self) -> Vec<TagShare> {
        by_minutes(
            &self.tally().by_tag,
            |tag, share| TagShare { tag, share },
            self.total(),
        )
    }

    /// Most time first.
    async fn by_value_rating(&self) -> Vec<ValueRatingShare> {
        by_minutes(
            &self.tally().by_value,
            |v, share| ValueRatingShare {
                value_rating: v.into(),
                share,
            },
            self.total(),
        )
    }

    /// Most time first.
    async fn by_impact_level(&self) -> Vec<ImpactLevelShare> {
        by_minutes(
            &self.tally().by_impact,
            |i, share| ImpactLevelShare {
                impact_level: i.into(),
                share,
            },
            self.total(),
        )
    }

    /// Hours of the day with minutes, 0 to 23.
    async fn by_hour(&self) -> Vec<HourShare> {
        (0u32..)
            .zip(self.tally().by_hour)
            .filter(|(_, m)| *m > 0)
            .map(|(hour, m)| HourShare {
                hour,
                share: Share::new(m, self.total()),
            })
            .collect()
    }

    /// Weekdays with minutes, Monday first.
    async fn by_weekday(&self) -> Vec<WeekdayShare> {
        self.tally()
            .by_weekday()
            .into_iter()
            .filter(|(_, m)| *m > 0)
            .map(|(d, m)| WeekdayShare {
                weekday: d.into(),
                share: Share::new(m, self.total()),
            })
            .collect()
    }

    /// Local dates with minutes, in order.
    async fn by_day(&self) -> Vec<DayShare> {
        self.tally()
            .by_day
            .iter()
            .filter(|(_, m)| **m > 0)
            .map(|(date, m)| DayShare {
                date: *date,
                share: Share::new(*m, self.total()),
            })
            .collect()
    }

    /// ISO weeks with minutes, in order.
    async fn by_week(&self) -> Vec<WeekShare> {
        self.tally()
            .by_iso_week()
            .into_iter()
            .filter(|(_, m)| *m > 0)
            .filter_map(|((iso_year, iso_week), m)| {
                Some(WeekShare {
                    iso_year,
                    iso_week,
                    week_start: NaiveDate::from_isoywd_opt(
                        iso_year,
                        iso_week,
                        chrono::Weekday::Mon,
                    )?,
                    share: Share::new(m, self.total()),
                })
            })
            .collect()
    }

    /// Calendar months with minutes, in order.
    async fn by_month(&self) -> Vec<MonthShare> {
        self.tally()
            .by_month()
            .into_iter()
            .filter(|(_, m)| *m > 0)
            .map(|((year, month), m)| MonthShare {
                year,
                month,
                share: Share::new(m, self.total()),
            })
            .collect()
    }

    /// Drafts in the period waiting for review; they are not counted in
    /// any other field until confirmed.
    async fn drafts_waiting(&self) -> DraftsWaitingForReview {
        let d = self.0.drafts;
        DraftsWaitingForReview {
            entry_count: u32::try_from(d.entries).unwrap_or(u32::MAX),
            minutes: u32::try_from(d.minutes).unwrap_or(u32::MAX),
            hours: englog_core::metrics::formulas::hours(d.minutes),
        }
    }

    async fn productivity(&self) -> Productivity {
        ProductivityMetrics::of(self.tally()).into()
    }

    /// Every value rating × impact level (12 cells, low/personal first),
    /// empty cells included so the grid is always whole.
    async fn effort_impact_matrix(&self) -> Vec<EffortImpactCell> {
        let mut cells = Vec::with_capacity(12);
        for v in ValueRating::ALL {
            for i in ImpactLevel::ALL {
                let cell = self.tally().matrix.get(&(*v, *i));
                let minutes = cell.map_or(0, |c| c.minutes);
                let entry_ids = cell.map(|c| c.entry_ids.clone()).unwrap_or_default();
                cells.push(EffortImpactCell {
                    value_rating: (*v).into(),
                    impact_level: (*i).into(),
                    share: Share::new(minutes, self.total()),
                    entry_count: u32::try_from(entry_ids.len()).unwrap_or(u32::MAX),
                    entry_ids,
                });
            }
        }
        cells
    }

    /// The last `weeks` ISO weeks (1–104, default 12) ending with the week
    /// that contains the period's last day, oldest first; same project
    /// filter as the period.
    async fn trends(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 12)] weeks: i32,
    ) -> Result<Vec<WeeklyTrend>> {
        let state = ctx.data::<AppState>()?;
        let weeks = service::dashboard_trends(&state.warm_db(), &self.0, i64::from(weeks)).await?;
        Ok(weeks.into_iter().map(Into::into).collect())
    }
}
