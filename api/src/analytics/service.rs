//! Loads what a dashboard needs and computes it with the shared
//! definitions of `englog_core::metrics`.

use chrono::NaiveDate;
use chrono_tz::Tz;
use englog_core::metrics::period::local_day_start;
use englog_core::metrics::{EntryFacts, Period, Tally, WeekTrend, trend_period, weekly_trends};
use entity::user;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

use super::fetch::{self, DraftsWaiting, Window};
use crate::db_warm::WarmDb;
use crate::error::{AppError, AppResult};
use crate::projects::service::find_many;

/// A computed dashboard for one period.
pub struct Dashboard {
    pub user_id: Uuid,
    pub tz: Tz,
    pub period: Period,
    pub project_id: Option<Uuid>,
    pub tally: Tally,
    /// Names of the projects in `tally.by_project`.
    pub project_names: HashMap<Uuid, String>,
    /// Unconfirmed drafts in the period, left out of `tally`.
    pub drafts: DraftsWaiting,
    /// The confirmed entries read, kept for the trend weeks: those of the
    /// period and, when `read_to` is past it, of the days up to `read_to`.
    pub entries: Vec<EntryFacts>,
    /// The last local day whose entries were all read.
    pub read_to: NaiveDate,
}

/// The caller's IANA time zone. A stored name that no longer parses (it was
/// validated on write) is an internal error, not a silent UTC.
pub async fn user_timezone(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Tz> {
    let name: Option<String> = user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Timezone)
        .into_tuple()
        .one(db)
        .await?;
    let name = name.ok_or(AppError::NotFound("user"))?;
    name.parse::<Tz>()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored time zone {name:?}: {e}")))
}

/// What a dashboard request reads beyond the period's entries.
#[derive(Debug, Clone, Copy)]
pub struct Reads {
    /// The entries' tag names (a second statement).
    pub tags: bool,
    /// The days up to the end of the ISO week holding the period's last day,
    /// so that trend weeks ending there are computed from what was read.
    pub trend_weeks: bool,
}

/// The dashboard of `period`. Another user's `project_id` yields an empty
/// dashboard, as it yields an empty entry list.
pub async fn dashboard(
    db: &WarmDb<'_>,
    user_id: Uuid,
    period: Period,
    project_id: Option<Uuid>,
    reads: Reads,
) -> AppResult<Dashboard> {
    let tz = user_timezone(db, user_id).await?;
    let mut window = Window::of(user_id, period.utc_bounds(tz), project_id);
    let mut read_to = period.to();
    // The ISO week holding the period's last day ends on its Sunday.
    if reads.trend_weeks
        && let Ok(last_week) = trend_period(period.to(), 1)
        && let Some(after) = last_week.to().succ_opt()
    {
        window.read_until = local_day_start(tz, after);
        read_to = last_week.to();
    }
    let loaded = fetch::entries(db, &window, reads.tags).await?;
    let tally = Tally::of_period(&loaded.entries, tz, &period);
    let ids: Vec<Uuid> = tally.by_project.keys().flatten().copied().collect();
    let project_names = find_many(db, user_id, ids)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect();
    Ok(Dashboard {
        user_id,
        tz,
        period,
        project_id,
        tally,
        project_names,
        drafts: loaded.drafts,
        entries: loaded.entries,
        read_to,
    })
}

/// The `weeks` ISO weeks ending with the week of the dashboard's last day:
/// from the entries the dashboard read when they cover those weeks (the
/// usual case: a period of at least that many weeks), otherwise read anew.
pub async fn dashboard_trends(
    db: &WarmDb<'_>,
    dashboard: &Dashboard,
    weeks: i64,
) -> AppResult<Vec<WeekTrend>> {
    let d = dashboard;
    let period = trend_period(d.period.to(), weeks)?;
    if d.period.from() <= period.from() && period.to() <= d.read_to {
        // Only the weeks' entries: slicing a year of them to keep twelve
        // weeks cost more than the statement saved.
        let (start, end) = period.utc_bounds(d.tz);
        let weeks_entries = d.entries.iter().filter(|e| e.end > start && e.start < end);
        return Ok(weekly_trends(weeks_entries, d.tz, &period));
    }
    trends(db, d.user_id, d.tz, d.project_id, d.period.to(), weeks).await
}

/// `weeks` ISO weeks ending with the week of `last_day`, read anew.
async fn trends(
    db: &WarmDb<'_>,
    user_id: Uuid,
    tz: Tz,
    project_id: Option<Uuid>,
    last_day: NaiveDate,
    weeks: i64,
) -> AppResult<Vec<WeekTrend>> {
    let period = trend_period(last_day, weeks)?;
    let window = Window::of(user_id, period.utc_bounds(tz), project_id);
    let loaded = fetch::entries(db, &window, false).await?;
    Ok(weekly_trends(&loaded.entries, tz, &period))
}
