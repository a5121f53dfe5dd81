//! The nudge pass: every minute, each opted-in person whose workday
//! morning it is (`nudge.hour` local, within `nudge.window_hours`), whose
//! previous workday has no confirmed entry and who has drafts waiting, gets
//! one mail. The time comes in as a parameter (the injectable clock); the
//! loop passes the real one.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use englog_core::metrics::period::local_day_start;
use englog_worker::mail::Mailer;
use entity::{scheduled_deletion, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashSet;
use tokio::sync::watch;
use uuid::Uuid;

use super::{claim, mail, rules, waiting};
use crate::error::AppResult;
use crate::profile::preferences::Preferences;
use crate::state::AppState;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
}

/// Sends the nudges due at `now`. Without a mail relay there is nothing to
/// send (the web app's banner still shows).
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> AppResult<Pass> {
    let Some(mailer) = crate::mail::mailer(&state.settings) else {
        return Ok(Pass::default());
    };
    // Someone leaving is not nudged to keep a journal.
    let leaving: HashSet<Uuid> = scheduled_deletion::Entity::find()
        .select_only()
        .column(scheduled_deletion::Column::UserId)
        .filter(scheduled_deletion::Column::CancelledAt.is_null())
        .filter(scheduled_deletion::Column::ProcessedAt.is_null())
        .into_tuple()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let mut pass = Pass::default();
    for person in user::Entity::find().all(&state.db).await? {
        if leaving.contains(&person.id) {
            continue;
        }
        match nudge_one(state, &mailer, &person, now).await {
            Ok(Some(true)) => pass.sent += 1,
            Ok(Some(false)) => pass.failed += 1,
            Ok(None) => {}
            Err(err) => {
                pass.failed += 1;
                let err: async_graphql::Error = err.into();
                tracing::warn!(user = %person.id, error = %err.message, "nudge not checked");
            }
        }
    }
    Ok(pass)
}

/// `Some(true)` sent, `Some(false)` claimed but the mail failed (the day is
/// given back), `None` nothing due.
async fn nudge_one(
    state: &AppState,
    mailer: &Mailer,
    person: &user::Model,
    now: DateTime<Utc>,
) -> AppResult<Option<bool>> {
    let prefs = Preferences::from_json(&person.preferences);
    if !prefs.missed_day_nudge {
        return Ok(None);
    }
    let tz: Tz = person.timezone.parse().unwrap_or(chrono_tz::UTC);
    let settings = &state.settings.nudge;
    let Some(day) = rules::morning_at(
        tz,
        now,
        &prefs.workdays,
        settings.hour,
        settings.window_hours,
    ) else {
        return Ok(None);
    };
    if waiting::confirmed_on(&state.db, person.id, tz, day.missed).await? {
        return Ok(None);
    }
    let waiting =
        waiting::drafts_waiting(&state.db, person.id, local_day_start(tz, day.today)).await?;
    if waiting.total == 0 {
        return Ok(None);
    }
    let Some(claimed) = claim::claim(&state.db, person.id, day.today).await? else {
        return Ok(None);
    };
    match mail::send(mailer, &state.settings, &person.email, &waiting, day.missed).await {
        Ok(()) => {
            tracing::info!(user = %person.id, day = %day.today, drafts = waiting.total, "missed-day nudge sent");
            Ok(Some(true))
        }
        Err(err) => {
            tracing::warn!(user = %person.id, error = %err, "missed-day nudge not sent; retried later this morning");
            claim::release(&state.db, claimed).await?;
            Ok(Some(false))
        }
    }
}

/// Runs a pass every minute until shutdown.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(err) = run_due(&state, Utc::now()).await {
            let err: async_graphql::Error = err.into();
            tracing::warn!(error = %err.message, "nudge pass failed");
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
