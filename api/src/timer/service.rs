//! Starting, stopping and discarding the one timer a person may run.

use chrono::{DateTime, Duration, Utc};
use englog_core::{FieldError, Limits};
use entity::running_timer;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set};
use uuid::Uuid;

use crate::enrichment::queue::AutoEnrich;
use crate::entries::details::EntryDetails;
use crate::entries::service::{NewEntry, check_new, create_in};
use crate::entries::views::EntryView;
use crate::error::{AppError, AppResult};
use crate::graphql::enums::parse_stored;
use crate::projects::service::find_owned as find_project;

/// What the entry will say; the end is when the timer stops.
pub struct TimerStart {
    pub details: EntryDetails,
    /// Started earlier than now (quick add's `-45m`); within the last day.
    pub started_at: Option<DateTime<Utc>>,
}

/// How far a stopped timer may end after "now" (clock skew between the
/// browser that sends an end time and the server).
const END_SKEW: Duration = Duration::minutes(1);

fn longest() -> Duration {
    Duration::minutes(Limits::ENTRY_MAX_MINUTES)
}

pub async fn running(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> AppResult<Option<running_timer::Model>> {
    Ok(running_timer::Entity::find_by_id(user_id).one(db).await?)
}

fn check_start(input: &mut TimerStart, now: DateTime<Utc>) -> Vec<FieldError> {
    let mut errors = input.details.check_text("");
    errors.extend(input.details.clean_tags("").err());
    if let Some(at) = input.started_at
        && (at > now + END_SKEW || now - at >= longest())
    {
        errors.push(FieldError::new(
            "startTime",
            "must be in the last 24 hours, not in the future",
        ));
    }
    errors
}

/// Starts a timer. A timer already running is stopped first, into its
/// entry, which is returned beside the new timer; both in one commit.
pub async fn start(
    db: &DatabaseConnection,
    user_id: Uuid,
    mut input: TimerStart,
    enrich: Option<AutoEnrich>,
) -> AppResult<(running_timer::Model, Option<EntryView>)> {
    let now = Utc::now();
    let errors = check_start(&mut input, now);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let details = &input.details;
    if let Some(project_id) = details.project_id {
        find_project(&txn, user_id, project_id).await?;
    }
    let stopped = match running_timer::Entity::find_by_id(user_id).one(&txn).await? {
        Some(previous) => Some(stop_in(&txn, previous, None, now, enrich).await?),
        None => None,
    };
    let tags = serde_json::to_string(&details.tags)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("timer tags as JSON: {e}")))?;
    let timer = running_timer::ActiveModel {
        user_id: Set(user_id),
        title: Set(details.stored_title()),
        description: Set(details.stored_description()),
        activity_type: Set(details.activity_type.as_str().to_owned()),
        project_id: Set(details.project_id),
        tags: Set(tags),
        value_rating: Set(details.stored_value_rating()),
        impact_level: Set(details.stored_impact_level()),
        started_at: Set(input.started_at.unwrap_or(now)),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok((timer, stopped))
}

/// Where a timer's entry ends: `end` when given, else now rounded to the
/// nearest whole minute after the start, at least one (a 20-second timer
/// is a 1-minute entry; entries count whole minutes).
fn end_of(
    timer: &running_timer::Model,
    end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    if let Some(end) = end {
        if end > now + END_SKEW {
            return Err(AppError::field("endTime", "must not be in the future"));
        }
        return Ok(end);
    }
    let seconds = (now - timer.started_at).num_seconds();
    let minutes = ((seconds + 30) / 60).max(1);
    if minutes > Limits::ENTRY_MAX_MINUTES {
        return Err(AppError::field(
            "endTime",
            "the timer has run for more than 24 hours: give the time the work ended",
        ));
    }
    Ok(timer.started_at + Duration::minutes(minutes))
}

async fn stop_in(
    txn: &DatabaseTransaction,
    timer: running_timer::Model,
    end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    enrich: Option<AutoEnrich>,
) -> AppResult<EntryView> {
    let end_time = end_of(&timer, end, now)?;
    let tags: Vec<String> = serde_json::from_str(&timer.tags)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored timer tags: {e}")))?;
    let mut entry = NewEntry {
        details: EntryDetails {
            title: timer.title.clone(),
            description: timer.description.clone(),
            activity_type: parse_stored(&timer.activity_type)?,
            project_id: timer.project_id,
            tags,
            value_rating: Some(parse_stored(&timer.value_rating)?),
            impact_level: Some(parse_stored(&timer.impact_level)?),
        },
        start_time: timer.started_at,
        end_time,
        is_draft: false,
    };
    // Only the end can be wrong here (the rest was checked at start), and
    // its errors already name `endTime`.
    let errors = check_new("", &mut entry);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    running_timer::Entity::delete_by_id(timer.user_id)
        .exec(txn)
        .await?;
    create_in(txn, timer.user_id, entry, enrich).await
}

/// Stops the caller's timer into an entry ending at `end` (default now).
pub async fn stop(
    db: &DatabaseConnection,
    user_id: Uuid,
    end: Option<DateTime<Utc>>,
    enrich: Option<AutoEnrich>,
) -> AppResult<EntryView> {
    let txn = crate::db::begin_write(db).await?;
    let timer = running_timer::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("running timer"))?;
    let view = stop_in(&txn, timer, end, Utc::now(), enrich).await?;
    txn.commit().await?;
    Ok(view)
}

/// Throws the running timer away; `false` when none was running.
pub async fn discard(db: &DatabaseConnection, user_id: Uuid) -> AppResult<bool> {
    let result = running_timer::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}
