//! `reviewNudge`: the nudge as the web app's banner. The same rule as the
//! mail, at any hour of the day it applies to.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use englog_core::metrics::period::local_day_start;

use super::{rules, waiting};
use crate::auth::require_user;
use crate::profile::{preferences::Preferences, service as profile};
use crate::state::AppState;

/// Drafts from one kind of source.
#[derive(SimpleObject)]
pub struct DraftSourceCount {
    /// `github`, `gitlab`, `calendar`, `git` or `other`.
    pub source: String,
    /// How a sentence names it ("GitHub", "your calendar").
    pub label: String,
    pub count: i32,
}

/// Drafts are waiting and the previous workday has nothing confirmed.
#[derive(SimpleObject)]
pub struct ReviewNudge {
    /// Drafts that started before today, waiting for review.
    pub total: i32,
    /// Most first.
    pub by_source: Vec<DraftSourceCount>,
    /// "7 drafts from GitHub and your calendar are waiting for review".
    pub message: String,
    /// Today, in the person's time zone (a banner dismissed for the day
    /// remembers it).
    pub day: NaiveDate,
    /// The previous workday, which has no confirmed entry.
    pub missed_day: NaiveDate,
}

#[derive(Default)]
pub struct NudgeQuery;

#[Object]
impl NudgeQuery {
    /// The missed-day nudge, when it applies now: the person opted in
    /// (`preferences.missedDayNudge`), today is one of their workdays, the
    /// previous workday has no confirmed entry and drafts are waiting.
    /// Null otherwise. Review them with `logEntries(filter: {draft: true})`.
    async fn review_nudge(&self, ctx: &Context<'_>) -> Result<Option<ReviewNudge>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let person = profile::get(&state.db, user_id).await?;
        let prefs = Preferences::from_json(&person.preferences);
        if !prefs.missed_day_nudge {
            return Ok(None);
        }
        let tz: Tz = person.timezone.parse().unwrap_or(chrono_tz::UTC);
        let Some(day) = rules::workday_at(tz, Utc::now(), &prefs.workdays) else {
            return Ok(None);
        };
        if waiting::confirmed_on(&state.db, user_id, tz, day.missed).await? {
            return Ok(None);
        }
        let waiting =
            waiting::drafts_waiting(&state.db, user_id, local_day_start(tz, day.today)).await?;
        if waiting.total == 0 {
            return Ok(None);
        }
        let count = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(Some(ReviewNudge {
            total: count(waiting.total),
            message: waiting.message(),
            by_source: waiting
                .by_source
                .iter()
                .map(|s| DraftSourceCount {
                    source: s.source.to_owned(),
                    label: s.label.to_owned(),
                    count: count(s.count),
                })
                .collect(),
            day: day.today,
            missed_day: day.missed,
        }))
    }
}
