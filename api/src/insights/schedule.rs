//! The weekly report: every Monday at 09:00 in each opted-in user's time
//! zone, a report of the week before. The time comes in as a parameter (the
//! injectable clock); the loop passes the real one.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use englog_core::{JobStatus, ReportType};
use entity::{insight, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tokio::sync::watch;

use super::service::{ReportRequest, request};
use crate::error::AppResult;
use crate::profile::preferences::Preferences;
use crate::state::AppState;

/// The local hour the weekly report fires at.
pub const WEEKLY_HOUR: u32 = 9;
/// A missed instant (server down) is still honoured within this window;
/// beyond it the week is skipped rather than reported days late.
pub const CATCH_UP: i64 = 24;

/// The most recent Monday 09:00 in `tz` at or before `now`, as UTC, with
/// that Monday's date.
pub fn last_weekly_instant(tz: Tz, now: DateTime<Utc>) -> Option<(DateTime<Utc>, NaiveDate)> {
    let local_today = now.with_timezone(&tz).date_naive();
    let back = local_today.weekday().num_days_from_monday();
    for weeks_back in 0..2 {
        let monday = local_today - Duration::days(i64::from(back) + 7 * weeks_back);
        debug_assert_eq!(monday.weekday(), Weekday::Mon);
        let at = monday.and_hms_opt(WEEKLY_HOUR, 0, 0)?;
        // 09:00 exists on every DST day in practice; take the earliest
        // reading if it were ever ambiguous.
        let instant = tz.from_local_datetime(&at).earliest()?.with_timezone(&Utc);
        if instant <= now {
            return Some((instant, monday));
        }
    }
    None
}

/// Requests the weekly reports due at `now`; returns how many were created.
/// Idempotent: a user who already has a weekly report for that week gets no
/// second one.
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let users = user::Entity::find().all(&state.db).await?;
    let mut created = 0;
    for u in users {
        let prefs = Preferences::from_json(&u.preferences);
        if !prefs.email_weekly_summary {
            continue;
        }
        let tz: Tz = u.timezone.parse().unwrap_or(chrono_tz::UTC);
        let Some((instant, monday)) = last_weekly_instant(tz, now) else {
            continue;
        };
        if now - instant > Duration::hours(CATCH_UP) {
            continue;
        }
        let period_start = monday - Duration::days(7);
        let existing = insight::Entity::find()
            .filter(insight::Column::UserId.eq(u.id))
            .filter(insight::Column::ReportType.eq(ReportType::Weekly.as_str()))
            .filter(insight::Column::PeriodStart.eq(period_start))
            .count(&state.db)
            .await?;
        if existing > 0 {
            continue;
        }
        let req = ReportRequest {
            client_request_id: None,
            report_type: ReportType::Weekly,
            period_start,
            period_end: monday - Duration::days(1),
            project_ids: vec![],
            focus_areas: vec![],
            scheduled: true,
        };
        request(state, u.id, req).await?;
        tracing::info!(user = %u.id, %period_start, "weekly report scheduled");
        created += 1;
    }
    Ok(created)
}

/// Finished jobs (each holds a copy of its period's entries) are kept this
/// long for troubleshooting, then deleted; the reports themselves stay.
pub const JOB_RETENTION: Duration = Duration::days(30);

/// Deletes finished jobs last touched before `now - JOB_RETENTION`.
pub async fn clean_up_jobs(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    let result = entity::job::Entity::delete_many()
        .filter(entity::job::Column::Status.is_in(JobStatus::FINISHED))
        .filter(entity::job::Column::UpdatedAt.lt(now - JOB_RETENTION))
        .exec(&state.db)
        .await?;
    Ok(result.rows_affected)
}

/// Checks every minute until shutdown: weekly reports, job clean-up and
/// due account deletions.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        let now = Utc::now();
        if let Err(err) = run_due(&state, now).await {
            let err: async_graphql::Error = err.into();
            tracing::warn!(error = %err.message, "weekly scheduler pass failed");
        }
        if let Err(err) = clean_up_jobs(&state, now).await {
            let err: async_graphql::Error = err.into();
            tracing::warn!(error = %err.message, "job clean-up failed");
        }
        if let Err(err) = crate::account_deletion::process::run_due(&state, now).await {
            let err: async_graphql::Error = err.into();
            tracing::warn!(error = %err.message, "account deletion pass failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn monday_nine_is_found_in_local_time_across_dst() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        // Monday 2026-03-30, the day after Europe's clocks go forward.
        let (at, monday) = last_weekly_instant(paris, utc("2026-03-30T07:00:00Z")).unwrap();
        assert_eq!(at, utc("2026-03-30T07:00:00Z"));
        assert_eq!(monday.to_string(), "2026-03-30");
        // A second before: still the previous Monday (09:00 CET = 08:00Z).
        let (before, _) = last_weekly_instant(paris, utc("2026-03-30T06:59:59Z")).unwrap();
        assert_eq!(before, utc("2026-03-23T08:00:00Z"));
    }
}
