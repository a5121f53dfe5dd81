//! Reading, accepting and dismissing suggestions, and bulk runs. Accepting
//! applies the value through the ordinary entry update, with its checks:
//! a project must still be the caller's, tags must be among the caller's
//! own, and nothing else of the entry changes.

use chrono::Utc;
use englog_core::enrichment::SuggestionField;
use englog_core::metrics::Period;
use englog_core::{JobStatus, SuggestionStatus};
use entity::{enrichment_batch, entry_enrichment, entry_suggestion, log_entry, tag};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::queue;
use crate::entries::service::{self as entries, EntryChanges};
use crate::error::{AppError, AppResult};
use crate::graphql::enums::parse_stored;
use crate::projects::service::find_owned as find_project;
use crate::state::AppState;

/// Entries one bulk run may cover.
pub const MAX_BULK_ENTRIES: usize = 10_000;

pub async fn for_entry(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entry_id: Uuid,
) -> AppResult<Vec<entry_suggestion::Model>> {
    let mut rows = entry_suggestion::Entity::find()
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .filter(entry_suggestion::Column::EntryId.eq(entry_id))
        .all(db)
        .await?;
    rows.sort_by_key(|r| SuggestionField::parse(&r.field));
    Ok(rows)
}

async fn find(
    db: &DatabaseConnection,
    user_id: Uuid,
    entry_id: Uuid,
    field: SuggestionField,
) -> AppResult<entry_suggestion::Model> {
    entry_suggestion::Entity::find()
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .filter(entry_suggestion::Column::EntryId.eq(entry_id))
        .filter(entry_suggestion::Column::Field.eq(field.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("suggestion"))
}

async fn set_status(db: &DatabaseConnection, id: Uuid, status: SuggestionStatus) -> AppResult<()> {
    entry_suggestion::Entity::update_many()
        .col_expr(entry_suggestion::Column::Status, Expr::value(status))
        .col_expr(entry_suggestion::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(entry_suggestion::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

fn unreadable() -> AppError {
    AppError::Internal(anyhow::anyhow!(
        "a stored suggestion has an unreadable value"
    ))
}

/// Applies one suggestion to its entry and marks it accepted.
async fn apply(state: &AppState, user_id: Uuid, s: &entry_suggestion::Model) -> AppResult<()> {
    let field = SuggestionField::parse(&s.field).ok_or_else(unreadable)?;
    let text = || s.value.as_str().ok_or_else(unreadable);
    let changes = match field {
        SuggestionField::ActivityType => Some(EntryChanges {
            activity_type: Some(parse_stored(text()?)?),
            ..EntryChanges::default()
        }),
        SuggestionField::ValueRating => Some(EntryChanges {
            value_rating: Some(parse_stored(text()?)?),
            ..EntryChanges::default()
        }),
        SuggestionField::ImpactLevel => Some(EntryChanges {
            impact_level: Some(parse_stored(text()?)?),
            ..EntryChanges::default()
        }),
        SuggestionField::Project => {
            let id = s.value["id"]
                .as_str()
                .and_then(|v| v.parse::<Uuid>().ok())
                .ok_or_else(unreadable)?;
            // Checked again: the project may have been deleted since.
            find_project(&state.db, user_id, id).await?;
            Some(EntryChanges {
                project_id: Some(Some(id)),
                ..EntryChanges::default()
            })
        }
        SuggestionField::Tags => {
            let wanted: Vec<String> =
                serde_json::from_value(s.value.clone()).map_err(|_| unreadable())?;
            let owned: Vec<String> = tag::Entity::find()
                .filter(tag::Column::UserId.eq(user_id))
                .filter(tag::Column::Name.is_in(wanted.clone()))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect();
            if owned.is_empty() {
                return Err(AppError::field(
                    "field",
                    "the suggested tags no longer exist; dismiss the suggestion",
                ));
            }
            let mut tags = entries::get(&state.db, user_id, s.entry_id).await?.tags;
            for t in owned {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            Some(EntryChanges {
                tags: Some(tags),
                ..EntryChanges::default()
            })
        }
        // Signals about the entry, not fields of it.
        SuggestionField::Sentiment | SuggestionField::Skills => None,
    };
    if let Some(changes) = changes {
        entries::update(&state.db, user_id, s.entry_id, changes, None).await?;
    }
    set_status(&state.db, s.id, SuggestionStatus::Accepted).await
}

pub async fn accept(
    state: &AppState,
    user_id: Uuid,
    entry_id: Uuid,
    field: SuggestionField,
) -> AppResult<()> {
    let s = find(&state.db, user_id, entry_id, field).await?;
    if s.status == SuggestionStatus::Accepted {
        return Ok(());
    }
    apply(state, user_id, &s).await
}

pub async fn dismiss(
    state: &AppState,
    user_id: Uuid,
    entry_id: Uuid,
    field: SuggestionField,
) -> AppResult<()> {
    let s = find(&state.db, user_id, entry_id, field).await?;
    if s.status == SuggestionStatus::Accepted {
        return Err(AppError::Conflict(englog_core::FieldError::new(
            "field",
            "an accepted suggestion cannot be dismissed; edit the entry instead",
        )));
    }
    set_status(&state.db, s.id, SuggestionStatus::Dismissed).await
}

/// The entry must be the caller's, even when it has no suggestion.
async fn owned_entry(db: &DatabaseConnection, user_id: Uuid, entry_id: Uuid) -> AppResult<()> {
    log_entry::Entity::find_by_id(entry_id)
        .filter(log_entry::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound("entry"))
}

pub async fn accept_all(state: &AppState, user_id: Uuid, entry_id: Uuid) -> AppResult<()> {
    owned_entry(&state.db, user_id, entry_id).await?;
    for s in for_entry(&state.db, user_id, entry_id).await? {
        if s.status == SuggestionStatus::Pending {
            apply(state, user_id, &s).await?;
        }
    }
    Ok(())
}

pub async fn dismiss_all(state: &AppState, user_id: Uuid, entry_id: Uuid) -> AppResult<()> {
    owned_entry(&state.db, user_id, entry_id).await?;
    entry_suggestion::Entity::update_many()
        .col_expr(
            entry_suggestion::Column::Status,
            Expr::value(SuggestionStatus::Dismissed),
        )
        .col_expr(entry_suggestion::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .filter(entry_suggestion::Column::EntryId.eq(entry_id))
        .filter(entry_suggestion::Column::Status.eq(SuggestionStatus::Pending))
        .exec(&state.db)
        .await?;
    Ok(())
}

pub async fn find_batch(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<enrichment_batch::Model> {
    enrichment_batch::Entity::find_by_id(id)
        .filter(enrichment_batch::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("enrichment batch"))
}

/// Queues enrichment for the caller's entries of `period` that have no
/// suggestions and no enrichment under way, as one tracked batch.
pub async fn enrich_period(
    state: &AppState,
    user_id: Uuid,
    period: Period,
) -> AppResult<enrichment_batch::Model> {
    let user = entity::user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let tz: chrono_tz::Tz = user.timezone.parse().unwrap_or(chrono_tz::UTC);
    let (from, to) = period.utc_bounds(tz);
    let ids: Vec<Uuid> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::Id)
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::StartTime.gte(from))
        .filter(log_entry::Column::StartTime.lt(to))
        .order_by_asc(log_entry::Column::StartTime)
        .into_tuple()
        .all(&state.db)
        .await?;
    if ids.len() > MAX_BULK_ENTRIES {
        return Err(AppError::field(
            "period",
            format!("at most {MAX_BULK_ENTRIES} entries at once; choose a shorter period"),
        ));
    }
    let with_suggestions: std::collections::HashSet<Uuid> = entry_suggestion::Entity::find()
        .select_only()
        .column(entry_suggestion::Column::EntryId)
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .into_tuple::<Uuid>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let under_way: std::collections::HashSet<Uuid> = entry_enrichment::Entity::find()
        .filter(entry_enrichment::Column::UserId.eq(user_id))
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|e| e.pending_job_id.is_some())
        .map(|e| e.entry_id)
        .collect();
    let pending_jobs = pending_job_entries(&state.db, user_id, &under_way).await?;
    let todo: Vec<Uuid> = ids
        .into_iter()
        .filter(|id| !with_suggestions.contains(id) && !pending_jobs.contains(id))
        .collect();
    let now = Utc::now();
    let batch = enrichment_batch::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        total: Set(i32::try_from(todo.len()).unwrap_or(i32::MAX)),
        done: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    for id in todo {
        queue::request(state, user_id, id, Some(batch.id), true).await?;
    }
    Ok(batch)
}

/// Entries among `candidates` whose enrichment job has not finished.
async fn pending_job_entries(
    db: &DatabaseConnection,
    user_id: Uuid,
    candidates: &std::collections::HashSet<Uuid>,
) -> AppResult<std::collections::HashSet<Uuid>> {
    if candidates.is_empty() {
        return Ok(Default::default());
    }
    let rows = entry_enrichment::Entity::find()
        .filter(entry_enrichment::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let job_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.pending_job_id).collect();
    let unfinished: std::collections::HashSet<Uuid> = entity::job::Entity::find()
        .filter(entity::job::Column::UserId.eq(user_id))
        .filter(entity::job::Column::Id.is_in(job_ids))
        .filter(entity::job::Column::Status.is_not_in(JobStatus::FINISHED))
        .all(db)
        .await?
        .into_iter()
        .map(|j| j.id)
        .collect();
    Ok(rows
        .into_iter()
        .filter(|r| r.pending_job_id.is_some_and(|j| unfinished.contains(&j)))
        .map(|r| r.entry_id)
        .collect())
}
