//! Writes a [`DraftSet`] idempotently, keyed by each draft's external id:
//! a new id becomes a draft entry; an id whose entry is still a draft is
//! updated when the source changed it (its fingerprint in
//! `draft_origins` differs), so edits the person made to a draft survive
//! syncs that bring nothing new; an id whose entry the person confirmed is
//! never touched; an id whose entry the person deleted is not written back
//! (`super::dismissed`); removals delete unconfirmed drafts only. The caller runs
//! it in one transaction, so a failed sync leaves nothing half-written.

use chrono::Utc;
use englog_core::validation::duration_minutes;
use englog_core::{ImpactLevel, ValueRating};
use entity::{draft_origin, log_entry, log_entry_tag, project, tag};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

use super::drafts::{Draft, DraftCounts, DraftSet, Sweep};
use crate::error::{AppError, AppResult};
use crate::tags::service::ensure_tags;

/// Statements stay well under both databases' bind limits.
const CHUNK: usize = 500;

async fn existing(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    uids: &[String],
) -> AppResult<HashMap<String, log_entry::Model>> {
    let mut found = HashMap::new();
    for chunk in uids.chunks(CHUNK) {
        let rows = log_entry::Entity::find()
            .filter(log_entry::Column::UserId.eq(user_id))
            .filter(log_entry::Column::ExternalUid.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        for row in rows {
            if let Some(uid) = row.external_uid.clone() {
                found.insert(uid, row);
            }
        }
    }
    Ok(found)
}

/// The person's projects by lower-cased name.
async fn projects_by_name(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<HashMap<String, Uuid>> {
    let all = project::Entity::find()
        .filter(project::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    Ok(all
        .into_iter()
        .map(|p| (p.name.to_lowercase(), p.id))
        .collect())
}

async fn tag_names(db: &impl ConnectionTrait, entry_id: Uuid) -> AppResult<Vec<String>> {
    let links = log_entry_tag::Entity::find()
        .filter(log_entry_tag::Column::LogEntryId.eq(entry_id))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = links.into_iter().map(|l| l.tag_id).collect();
    let mut names: Vec<String> = tag::Entity::find()
        .filter(tag::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    names.sort_unstable();
    Ok(names)
}

async fn set_tags(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entry_id: Uuid,
    names: &[String],
) -> AppResult<()> {
    log_entry_tag::Entity::delete_many()
        .filter(log_entry_tag::Column::LogEntryId.eq(entry_id))
        .exec(db)
        .await?;
    let ids = ensure_tags(db, user_id, names).await?;
    if ids.is_empty() {
        return Ok(());
    }
    log_entry_tag::Entity::insert_many(ids.into_iter().map(|tag_id| log_entry_tag::ActiveModel {
        log_entry_id: Set(entry_id),
        tag_id: Set(tag_id),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// What the source said about an entry, as one hash: equal fingerprints
/// mean the source has nothing new for it.
fn fingerprint(draft: &Draft, project_id: Option<Uuid>) -> String {
    let mut tags = draft.tags.clone();
    tags.sort_unstable();
    let mut hash = Sha256::new();
    for part in [
        draft.title.trim(),
        draft.description.as_deref().unwrap_or(""),
        draft.activity_type.as_str(),
        &draft.start_time.to_rfc3339(),
        &draft.end_time.to_rfc3339(),
        &project_id.map(|p| p.to_string()).unwrap_or_default(),
        &tags.join(","),
    ] {
        hash.update(part.as_bytes());
        // A separator no field holds, so ("ab", "c") ≠ ("a", "bc").
        hash.update([0u8]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The fingerprints stored for these entries.
async fn origins(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> AppResult<HashMap<Uuid, String>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows = draft_origin::Entity::find()
            .filter(draft_origin::Column::LogEntryId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        found.extend(rows.into_iter().map(|r| (r.log_entry_id, r.fingerprint)));
    }
    Ok(found)
}

async fn remember(
    db: &impl ConnectionTrait,
    entry_id: Uuid,
    fingerprint: String,
    known: bool,
) -> AppResult<()> {
    let row = draft_origin::ActiveModel {
        log_entry_id: Set(entry_id),
        fingerprint: Set(fingerprint),
        synced_at: Set(Utc::now()),
    };
    if known {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// Whether an unconfirmed draft holds exactly what the draft says (for
/// entries written before fingerprints were kept).
fn same_as(
    row: &log_entry::Model,
    draft: &Draft,
    project_id: Option<Uuid>,
    tags: &[String],
) -> bool {
    let mut wanted = draft.tags.clone();
    wanted.sort_unstable();
    row.title == draft.title.trim()
        && row.description == draft.description
        && row.activity_type == draft.activity_type.as_str()
        && row.start_time == draft.start_time
        && row.end_time == draft.end_time
        && row.project_id == project_id
        && tags == wanted.as_slice()
}

/// The external ids of the unconfirmed drafts under the sweep that the
/// set no longer proposes.
async fn swept(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    sweep: &Sweep,
    proposed: &[String],
) -> AppResult<Vec<String>> {
    let rows = log_entry::Entity::find()
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::IsDraft.eq(true))
        .filter(log_entry::Column::ExternalUid.starts_with(&sweep.prefix))
        .filter(log_entry::Column::StartTime.gte(sweep.from))
        .filter(log_entry::Column::StartTime.lt(sweep.to))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.external_uid)
        .filter(|uid| !proposed.contains(uid))
        .collect())
}

/// Applies checked drafts (see [`super::drafts::check`]) for `user_id`,
/// recording `source` on new entries.
pub async fn apply(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    source: &str,
    set: &DraftSet,
) -> AppResult<DraftCounts> {
    let mut counts = DraftCounts::default();
    let uids: Vec<String> = set.upserts.iter().map(|d| d.external_uid.clone()).collect();
    let mut found = existing(db, user_id, &uids).await?;
    let deleted = super::dismissed::among(db, user_id, &uids).await?;
    let mut prints = origins(db, found.values().map(|r| r.id).collect()).await?;
    let projects = projects_by_name(db, user_id).await?;
    let now = Utc::now();
    for draft in &set.upserts {
        let project_id = draft
            .project
            .as_ref()
            .and_then(|name| projects.get(&name.to_lowercase()))
            .copied();
        let description = draft.description.clone().filter(|d| !d.trim().is_empty());
        let draft = &Draft {
            description,
            ..draft.clone()
        };
        match found.get(&draft.external_uid) {
            Some(row) if !row.is_draft => counts.kept_confirmed += 1,
            // Deleted by the person earlier; a re-listed item stays deleted.
            None if deleted.contains(&draft.external_uid) => counts.skipped_deleted += 1,
            Some(row) => {
                let print = fingerprint(draft, project_id);
                let unchanged = match prints.get(&row.id) {
                    Some(stored) => *stored == print,
                    None => same_as(row, draft, project_id, &tag_names(db, row.id).await?),
                };
                if unchanged {
                    counts.unchanged += 1;
                    continue;
                }
                let mut active = row.clone().into_active_model();
                active.title = Set(draft.title.trim().to_owned());
                active.description = Set(draft.description.clone());
                active.activity_type = Set(draft.activity_type.as_str().to_owned());
                active.start_time = Set(draft.start_time);
                active.end_time = Set(draft.end_time);
                active.duration_minutes = Set(duration_minutes(draft.start_time, draft.end_time));
                active.project_id = Set(project_id);
                active.updated_at = Set(now);
                active.update(db).await?;
                set_tags(db, user_id, row.id, &draft.tags).await?;
                let known = prints.insert(row.id, print.clone()).is_some();
                remember(db, row.id, print, known).await?;
                counts.updated += 1;
            }
            None => {
                let id = Uuid::now_v7();
                let row = log_entry::ActiveModel {
                    id: Set(id),
                    user_id: Set(user_id),
                    project_id: Set(project_id),
                    title: Set(draft.title.trim().to_owned()),
                    description: Set(draft.description.clone()),
                    activity_type: Set(draft.activity_type.as_str().to_owned()),
                    start_time: Set(draft.start_time),
                    end_time: Set(draft.end_time),
                    duration_minutes: Set(duration_minutes(draft.start_time, draft.end_time)),
                    value_rating: Set(ValueRating::default().as_str().to_owned()),
                    impact_level: Set(ImpactLevel::default().as_str().to_owned()),
                    is_draft: Set(true),
                    source: Set(Some(source.to_owned())),
                    external_uid: Set(Some(draft.external_uid.clone())),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(db)
                .await
                .map_err(AppError::conflict_on(
                    "drafts",
                    "the same drafts were being written at the same time; retry",
                ))?;
                set_tags(db, user_id, id, &draft.tags).await?;
                let print = fingerprint(draft, project_id);
                remember(db, id, print.clone(), false).await?;
                prints.insert(id, print);
                // A repeated id later in the same set updates this row.
                found.insert(draft.external_uid.clone(), row);
                counts.created += 1;
            }
        }
    }
    let mut removals = set.removals.clone();
    if let Some(sweep) = &set.sweep {
        removals.extend(swept(db, user_id, sweep, &uids).await?);
    }
    for chunk in removals.chunks(CHUNK) {
        let gone = log_entry::Entity::delete_many()
            .filter(log_entry::Column::UserId.eq(user_id))
            .filter(log_entry::Column::IsDraft.eq(true))
            .filter(log_entry::Column::ExternalUid.is_in(chunk.iter().cloned()))
            .exec(db)
            .await?;
        counts.removed += usize::try_from(gone.rows_affected).unwrap_or(usize::MAX);
    }
    Ok(counts)
}
