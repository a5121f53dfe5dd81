//! Loads what a dashboard needs and computes it with the shared
//! definitions of `englog_core::metrics`.

use chrono::NaiveDate;
use chrono_tz::Tz;
use englog_core::metrics::{Period, Tally, WeekTrend, trend_period, weekly_trends};
use entity::user;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

use super::fetch::{self, DraftsWaiting, Window};
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

/// The dashboard of `period`. Another user's `project_id` yields an empty
/// dashboard, as it yields an empty entry list.
pub async fn dashboard(
    db: &DatabaseConnection,
    user_id: Uuid,
    period: Period,
    project_id: Option<Uuid>,
    with_tags: bool,
) -> AppResult<Dashboard> {
    let tz = user_timezone(db, user_id).await?;
    let (start, end) = period.utc_bounds(tz);
    let window = Window {
        user_id,
        start,
        end,
        project_id,
    };
    let loaded = fetch::entries(db, &window, with_tags).await?;
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
    })
}

/// `weeks` ISO weeks ending with the week of `last_day`.
pub async fn trends(
    db: &DatabaseConnection,
    user_id: Uuid,
    tz: Tz,
    project_id: Option<Uuid>,
    last_day: NaiveDate,
    weeks: i64,
) -> AppResult<Vec<WeekTrend>> {
    let period = trend_period(last_day, weeks)?;
    let (start, end) = period.utc_bounds(tz);
    let window = Window {
        user_id,
        start,
        end,
        project_id,
    };
    let loaded = fetch::entries(db, &window, false).await?;
    Ok(weekly_trends(&loaded.entries, tz, &period))
}
