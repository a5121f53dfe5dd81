//! `runningTimer`, `startTimer`, `stopTimer`, `discardTimer`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::running_timer;
use uuid::Uuid;

use super::service::{self, TimerStart};
use crate::auth::require_user;
use crate::enrichment::queue::AutoEnrich;
use crate::entries::graphql::{EntryDetailsInput, LogEntry};
use crate::error::AppError;
use crate::graphql::enums::{ActivityTypeGql, ImpactLevelGql, ValueRatingGql, parse_stored};
use crate::state::AppState;

/// The caller's running timer: the entry it becomes when stopped.
#[derive(SimpleObject)]
pub struct RunningTimer {
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityTypeGql,
    pub project_id: Option<Uuid>,
    pub tags: Vec<String>,
    pub value_rating: ValueRatingGql,
    pub impact_level: ImpactLevelGql,
    pub started_at: DateTime<Utc>,
}

impl TryFrom<running_timer::Model> for RunningTimer {
    type Error = AppError;
    fn try_from(t: running_timer::Model) -> Result<Self, AppError> {
        let activity_type: englog_core::ActivityType = parse_stored(&t.activity_type)?;
        let value_rating: englog_core::ValueRating = parse_stored(&t.value_rating)?;
        let impact_level: englog_core::ImpactLevel = parse_stored(&t.impact_level)?;
        let tags = serde_json::from_str(&t.tags)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored timer tags: {e}")))?;
        Ok(Self {
            title: t.title,
            description: t.description,
            activity_type: activity_type.into(),
            project_id: t.project_id,
            tags,
            value_rating: value_rating.into(),
            impact_level: impact_level.into(),
            started_at: t.started_at,
        })
    }
}

#[derive(InputObject)]
pub struct StartTimerInput {
    #[graphql(flatten)]
    pub details: EntryDetailsInput,
    /// When the work began, if before now (within the last 24 hours).
    pub start_time: Option<DateTime<Utc>>,
}

/// A started timer, and the entry the previous one became, if one ran.
#[derive(SimpleObject)]
pub struct TimerStarted {
    pub timer: RunningTimer,
    pub stopped_entry: Option<LogEntry>,
}

#[derive(Default)]
pub struct TimerQuery;

#[Object]
impl TimerQuery {
    /// The caller's running timer, or null.
    async fn running_timer(&self, ctx: &Context<'_>) -> Result<Option<RunningTimer>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let timer = service::running(&state.db, user_id).await?;
        Ok(timer.map(RunningTimer::try_from).transpose()?)
    }
}

#[derive(Default)]
pub struct TimerMutation;

#[Object]
impl TimerMutation {
    /// Starts a timer. One runs per person: a running one is stopped first
    /// and its entry returned as `stoppedEntry`.
    async fn start_timer(&self, ctx: &Context<'_>, input: StartTimerInput) -> Result<TimerStarted> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let start = TimerStart {
            details: input.details.into(),
            started_at: input.start_time,
        };
        let enrich = AutoEnrich::for_user(state, user_id).await?;
        let (timer, stopped) = service::start(&state.db, user_id, start, enrich).await?;
        Ok(TimerStarted {
            timer: timer.try_into()?,
            stopped_entry: stopped.map(LogEntry::try_from).transpose()?,
        })
    }

    /// Stops the running timer into an entry from its start to `endTime`
    /// (default now, to the nearest whole minute, at least one). NOT_FOUND when no
    /// timer runs; after 24 hours `endTime` is required.
    async fn stop_timer(
        &self,
        ctx: &Context<'_>,
        end_time: Option<DateTime<Utc>>,
    ) -> Result<LogEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let enrich = AutoEnrich::for_user(state, user_id).await?;
        let view = service::stop(&state.db, user_id, end_time, enrich).await?;
        Ok(view.try_into()?)
    }

    /// Throws the running timer away without an entry; false when none ran.
    async fn discard_timer(&self, ctx: &Context<'_>) -> Result<bool> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::discard(&state.db, user_id).await?)
    }
}
