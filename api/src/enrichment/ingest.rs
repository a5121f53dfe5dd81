//! Applies the worker's enrichment events. Results are checked again here,
//! whatever the worker did: a project or tag that is not the owner's is
//! never stored, a value equal to the entry's own is not suggested, and a
//! result for text that has changed since is dropped (a newer job follows).

use chrono::Utc;
use englog_core::enrichment::{
    EnrichmentOutput, FieldSuggestion, Sentiment, SuggestionField, keep_known, text_hash,
};
use englog_core::jobs::{Job, JobEvent, JobEventEnvelope};
use englog_core::{ActivityType, ImpactLevel, ValueRating};
use englog_worker::EnrichmentUpdate;
use entity::{enrichment_batch, entry_suggestion, job, log_entry, project, tag};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::skills::vocabulary;
use crate::entries::views::load_views;
use crate::error::AppResult;
use crate::jobs;
use crate::state::AppState;
use englog_core::{JobStatus, SuggestionStatus};

/// Counts a finished job towards its bulk run, once.
async fn advance_batch(state: &AppState, job_id: Uuid, user_id: Uuid) -> AppResult<()> {
    let Some(row) = job::Entity::find_by_id(job_id).one(&state.db).await? else {
        return Ok(());
    };
    let Ok(Job::Enrichment(j)) = serde_json::from_value::<Job>(row.payload) else {
        return Ok(());
    };
    let Some(batch_id) = j.batch_id else {
        return Ok(());
    };
    enrichment_batch::Entity::update_many()
        .col_expr(
            enrichment_batch::Column::Done,
            Expr::col(enrichment_batch::Column::Done).add(1),
        )
        .col_expr(enrichment_batch::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(enrichment_batch::Column::Id.eq(batch_id))
        .filter(enrichment_batch::Column::UserId.eq(user_id))
        .filter(
            Expr::col(enrichment_batch::Column::Done)
                .lt(Expr::col(enrichment_batch::Column::Total)),
        )
        .exec(&state.db)
        .await?;
    if let Some(batch) = enrichment_batch::Entity::find_by_id(batch_id)
        .one(&state.db)
        .await?
    {
        let update = EnrichmentUpdate::Progress {
            user_id,
            batch_id,
            done: u32::try_from(batch.done).unwrap_or(0),
            total: u32::try_from(batch.total).unwrap_or(0),
        };
        if let Err(err) = state.broker.broadcast_enrichment(&update).await {
            tracing::warn!(error = %err, "could not fan out enrichment progress");
        }
    }
    Ok(())
}

/// Keeps a suggestion only when it is valid, the owner's, and different
/// from what the entry already says.
async fn admissible(
    db: &impl ConnectionTrait,
    entry: &log_entry::Model,
    entry_tags: &[String],
    skills: &[String],
    s: &FieldSuggestion,
) -> AppResult<Option<serde_json::Value>> {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    Ok(match s.field {
        SuggestionField::ActivityType => text(&s.value)
            .and_then(|v| v.parse::<ActivityType>().ok())
            .filter(|v| v.as_str() != entry.activity_type)
            .map(|v| serde_json::json!(v.as_str())),
        SuggestionField::ValueRating => text(&s.value)
            .and_then(|v| v.parse::<ValueRating>().ok())
            .filter(|v| v.as_str() != entry.value_rating)
            .map(|v| serde_json::json!(v.as_str())),
        SuggestionField::ImpactLevel => text(&s.value)
            .and_then(|v| v.parse::<ImpactLevel>().ok())
            .filter(|v| v.as_str() != entry.impact_level)
            .map(|v| serde_json::json!(v.as_str())),
        SuggestionField::Project => {
            // The person chose a project: nothing to suggest.
            if entry.project_id.is_some() {
                return Ok(None);
            }
            let Some(id) = s.value["id"].as_str().and_then(|v| v.parse::<Uuid>().ok()) else {
                return Ok(None);
            };
            project::Entity::find_by_id(id)
                .filter(project::Column::UserId.eq(entry.user_id))
                .one(db)
                .await?
                .map(|p| serde_json::json!({ "id": p.id, "name": p.name }))
        }
        SuggestionField::Tags => {
            let wanted: Vec<String> = serde_json::from_value(s.value.clone()).unwrap_or_default();
            let owned: Vec<String> = tag::Entity::find()
                .filter(tag::Column::UserId.eq(entry.user_id))
                .all(db)
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect();
            let new: Vec<String> = keep_known(&wanted, &owned)
                .into_iter()
                .filter(|t| !entry_tags.iter().any(|e| e.eq_ignore_ascii_case(t)))
                .collect();
            (!new.is_empty()).then(|| serde_json::json!(new))
        }
        SuggestionField::Skills => {
            let wanted: Vec<String> = serde_json::from_value(s.value.clone()).unwrap_or_default();
            let kept = keep_known(&wanted, skills);
            (!kept.is_empty()).then(|| serde_json::json!(kept))
        }
        SuggestionField::Sentiment => {
            let label = s.value["label"].as_str().and_then(Sentiment::parse);
            let score = s.value["score"]
                .as_f64()
                .filter(|x| (-1.0..=1.0).contains(x));
            match (label, score) {
                (Some(l), Some(x)) => Some(serde_json::json!({ "label": l.as_str(), "score": x })),
                _ => None,
            }
        }
    })
}

/// Stores the suggestions of a result whose text still matches the entry.
/// Returns whether anything was stored.
async fn store(state: &AppState, user_id: Uuid, output: &EnrichmentOutput) -> AppResult<bool> {
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(entry) = log_entry::Entity::find_by_id(output.entry_id)
        .filter(log_entry::Column::UserId.eq(user_id))
        .one(&txn)
        .await?
    else {
        return Ok(false); // deleted since
    };
    if text_hash(&entry.title, entry.description.as_deref()) != output.text_hash {
        tracing::debug!(entry = %entry.id, "dropping suggestions for text that has changed");
        return Ok(false);
    }
    let entry_tags = load_views(&txn, user_id, vec![entry.clone()])
        .await?
        .into_iter()
        .next()
        .map(|v| v.tags)
        .unwrap_or_default();
    let skills = vocabulary(&txn, user_id).await?;
    let existing = entry_suggestion::Entity::find()
        .filter(entry_suggestion::Column::EntryId.eq(entry.id))
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .all(&txn)
        .await?;
    let now = Utc::now();
    let mut kept_fields = Vec::new();
    for s in &output.suggestions {
        let Some(value) = admissible(&txn, &entry, &entry_tags, &skills, s).await? else {
            continue;
        };
        kept_fields.push(s.field.as_str());
        match existing.iter().find(|e| e.field == s.field.as_str()) {
            // The person already decided on this very value.
            Some(old) if old.value == value && old.status != SuggestionStatus::Pending => {}
            Some(old) => {
                let mut row: entry_suggestion::ActiveModel = old.clone().into();
                row.value = Set(value);
                row.reason = Set(s.reason.clone());
                row.status = Set(SuggestionStatus::Pending);
                row.text_hash = Set(output.text_hash.clone());
                row.updated_at = Set(now);
                row.update(&txn).await?;
            }
            None => {
                entry_suggestion::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    user_id: Set(user_id),
                    entry_id: Set(entry.id),
                    field: Set(s.field.as_str().to_owned()),
                    value: Set(value),
                    reason: Set(s.reason.clone()),
                    status: Set(SuggestionStatus::Pending),
                    text_hash: Set(output.text_hash.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    // Pending suggestions the new text no longer supports go.
    entry_suggestion::Entity::delete_many()
        .filter(entry_suggestion::Column::EntryId.eq(entry.id))
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .filter(entry_suggestion::Column::Status.eq(SuggestionStatus::Pending))
        .filter(entry_suggestion::Column::Field.is_not_in(kept_fields))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(true)
}

/// Applies one event of an enrichment job about entry `entry_id`.
pub async fn apply(state: &AppState, entry_id: Uuid, event: &JobEventEnvelope) -> AppResult<()> {
    match &event.event {
        JobEvent::Started { .. } => {
            jobs::status::set(&state.db, event.job_id, JobStatus::Running, None).await?;
        }
        JobEvent::Retrying { reason, .. } => {
            jobs::status::set(
                &state.db,
                event.job_id,
                JobStatus::Retrying,
                Some(reason.clone()),
            )
            .await?;
        }
        JobEvent::Enriched { output } => {
            // A redelivered result finds the job finished and changes
            // nothing; storing first means a failed write is redelivered.
            let finished = job::Entity::find_by_id(event.job_id)
                .one(&state.db)
                .await?
                .is_some_and(|j| j.status.is_finished());
            if finished {
                return Ok(());
            }
            if output.entry_id != entry_id {
                tracing::warn!(job = %event.job_id, "an enrichment result names another entry than its job; ignored");
                return Ok(());
            }
            let stored = store(state, event.user_id, output).await?;
            if jobs::status::set(&state.db, event.job_id, JobStatus::Done, None).await? {
                if stored {
                    let update = EnrichmentUpdate::Suggestions {
                        user_id: event.user_id,
                        entry_id: output.entry_id,
                    };
                    if let Err(err) = state.broker.broadcast_enrichment(&update).await {
                        tracing::warn!(error = %err, "could not fan out new suggestions");
                    }
                }
                advance_batch(state, event.job_id, event.user_id).await?;
            }
        }
        JobEvent::Failed { reason } => {
            tracing::warn!(job = %event.job_id, %reason, "enrichment dropped");
            if jobs::status::set(
                &state.db,
                event.job_id,
                JobStatus::Failed,
                Some(reason.clone()),
            )
            .await?
            {
                advance_batch(state, event.job_id, event.user_id).await?;
            }
        }
        JobEvent::Delta { .. } | JobEvent::Succeeded { .. } => {}
    }
    Ok(())
}
