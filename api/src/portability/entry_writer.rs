//! Writes parsed rows as entries, shared by every import format: checks
//! each row like `createLogEntry` would, resolves projects and tags by name
//! (creating the missing ones), and leaves out duplicates. Called inside
//! the import's one transaction.

use chrono::{DateTime, Utc};
use englog_core::validation::{
    duration_minutes, validate_optional_text, validate_required_text, validate_time_range,
};
use englog_core::{ActivityType, ImpactLevel, Limits, ProjectStatus, ValueRating};
use entity::{log_entry, log_entry_tag, project};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

use super::report::ImportProblem;
use crate::error::{AppError, AppResult};
use crate::tags::service::{clean_names, ensure_tags};

/// Rows per statement: well under SQLite's and PostgreSQL's bind limits.
const CHUNK: usize = 500;

/// One row of an import, already mapped to EngLog's model.
#[derive(Debug, Clone)]
pub struct ImportedEntry {
    /// Where the row starts in the file (1-based), for the report.
    pub line: usize,
    /// The row's identity in its source, for the report.
    pub item: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityType,
    /// Project name; matched against the user's projects or created.
    pub project: Option<String>,
    /// Tag names; matched or created (normalised like any tag).
    pub tags: Vec<String>,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub value_rating: ValueRating,
    pub impact_level: ImpactLevel,
    pub is_draft: bool,
    /// `ics`, `englog_csv`, `toggl_csv`, `clockify_csv`, or what an account
    /// export said.
    pub source: Option<String>,
    /// Unique per user: a row whose id is already there is a duplicate.
    pub external_uid: Option<String>,
    /// Kept from an account export; now otherwise.
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl ImportedEntry {
    fn problem(&self, message: impl Into<String>) -> ImportProblem {
        let p = ImportProblem::at_line(self.line, message);
        match &self.item {
            Some(item) => p.with_item(item.clone()),
            None => p,
        }
    }
}

/// Checks every row as `createLogEntry` would and normalises tag and
/// project names in place; returns one problem per bad field.
pub fn validate(rows: &mut [ImportedEntry]) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    for row in rows.iter_mut() {
        let mut messages = Vec::new();
        messages.extend(validate_required_text("title", &row.title, Limits::TITLE_MAX).err());
        if let Some(d) = &row.description {
            messages
                .extend(validate_optional_text("description", d, Limits::DESCRIPTION_MAX).err());
        }
        messages.extend(validate_time_range(row.start_time, row.end_time).err());
        match clean_names("tags", &row.tags) {
            Ok(tags) => row.tags = tags,
            Err(e) => messages.push(e),
        }
        row.project = row
            .project
            .take()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty());
        if let Some(p) = &row.project {
            messages.extend(validate_required_text("project", p, Limits::PROJECT_NAME_MAX).err());
        }
        problems.extend(
            messages
                .into_iter()
                .map(|e| row.problem(format!("{}: {}", e.field, e.message))),
        );
    }
    problems
}

/// What writing did: the new entry id of each row (`None`: skipped) and
/// why rows were skipped.
pub struct Written {
    pub ids: Vec<Option<Uuid>>,
    pub skipped: Vec<ImportProblem>,
}

impl Written {
    pub fn imported(&self) -> usize {
        self.ids.iter().filter(|id| id.is_some()).count()
    }
}

/// External ids the user already has among `uids`.
async fn existing_uids(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    uids: &[String],
) -> AppResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in uids.chunks(CHUNK) {
        let rows: Vec<Option<String>> = log_entry::Entity::find()
            .select_only()
            .column(log_entry::Column::ExternalUid)
            .filter(log_entry::Column::UserId.eq(user_id))
            .filter(log_entry::Column::ExternalUid.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().flatten());
    }
    Ok(found)
}

type Fingerprint = (String, DateTime<Utc>, DateTime<Utc>);

/// (title, start, end) of the user's entries in the rows' time span: a row
/// matching one is a duplicate.
async fn existing_fingerprints(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    rows: &[ImportedEntry],
) -> AppResult<HashSet<Fingerprint>> {
    let span = rows.iter().map(|r| r.start_time);
    let (Some(from), Some(to)) = (span.clone().min(), span.max()) else {
        return Ok(HashSet::new());
    };
    let found: Vec<Fingerprint> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::Title)
        .column(log_entry::Column::StartTime)
        .column(log_entry::Column::EndTime)
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::StartTime.gte(from))
        .filter(log_entry::Column::StartTime.lte(to))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// The ids of the user's projects with these names, creating missing ones.
pub async fn ensure_projects(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    names: &[String],
) -> AppResult<HashMap<String, Uuid>> {
    let mut ids = HashMap::new();
    for chunk in names.chunks(CHUNK) {
        let found = project::Entity::find()
            .filter(project::Column::UserId.eq(user_id))
            .filter(project::Column::Name.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        ids.extend(found.into_iter().map(|p| (p.name, p.id)));
    }
    let now = Utc::now();
    let absent: Vec<&String> = names.iter().filter(|n| !ids.contains_key(*n)).collect();
    let missing: Vec<project::ActiveModel> = absent
        .into_iter()
        .map(|name| {
            let id = Uuid::now_v7();
            ids.insert(name.clone(), id);
            project::ActiveModel {
                id: Set(id),
                user_id: Set(user_id),
                name: Set(name.clone()),
                description: Set(None),
                status: Set(ProjectStatus::Active.as_str().to_owned()),
                start_date: Set(None),
                end_date: Set(None),
                color: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
        })
        .collect();
    for chunk in missing.chunks(CHUNK) {
        project::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(ids)
}

/// Tag name → id, creating missing tags as `custom`.
async fn tag_ids(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    rows: &[&ImportedEntry],
) -> AppResult<HashMap<String, Uuid>> {
    let mut names: Vec<String> = rows.iter().flat_map(|r| r.tags.iter().cloned()).collect();
    names.sort_unstable();
    names.dedup();
    let mut map = HashMap::new();
    for chunk in names.chunks(CHUNK) {
        let ids = ensure_tags(db, user_id, chunk).await?;
        map.extend(chunk.iter().cloned().zip(ids));
    }
    Ok(map)
}

/// Writes the validated rows (see [`validate`]), leaving out duplicates:
/// a row whose external id the user already has, or with the title, start
/// and end of an existing entry (or of an earlier row of the file).
pub async fn write(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    rows: &[ImportedEntry],
) -> AppResult<Written> {
    let uids: Vec<String> = rows.iter().filter_map(|r| r.external_uid.clone()).collect();
    let mut seen_uids = existing_uids(db, user_id, &uids).await?;
    let mut seen_prints = existing_fingerprints(db, user_id, rows).await?;
    let mut skipped = Vec::new();
    let mut keep: Vec<&ImportedEntry> = Vec::new();
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        let uid_seen = row
            .external_uid
            .as_ref()
            .is_some_and(|uid| !seen_uids.insert(uid.clone()));
        let print_seen =
            !seen_prints.insert((row.title.trim().to_owned(), row.start_time, row.end_time));
        let duplicate = uid_seen || print_seen;
        if duplicate {
            skipped.push(row.problem("duplicate: already imported"));
            ids.push(None);
        } else {
            keep.push(row);
            ids.push(Some(Uuid::now_v7()));
        }
    }
    let mut project_names: Vec<String> = keep.iter().filter_map(|r| r.project.clone()).collect();
    project_names.sort_unstable();
    project_names.dedup();
    let projects = ensure_projects(db, user_id, &project_names).await?;
    let tags = tag_ids(db, user_id, &keep).await?;

    let now = Utc::now();
    let kept_ids: Vec<Uuid> = ids.iter().flatten().copied().collect();
    let models: Vec<log_entry::ActiveModel> = keep
        .iter()
        .zip(&kept_ids)
        .map(|(r, id)| log_entry::ActiveModel {
            id: Set(*id),
            user_id: Set(user_id),
            project_id: Set(r.project.as_ref().and_then(|p| projects.get(p)).copied()),
            title: Set(r.title.trim().to_owned()),
            description: Set(r.description.clone().filter(|d| !d.trim().is_empty())),
            activity_type: Set(r.activity_type.as_str().to_owned()),
            start_time: Set(r.start_time),
            end_time: Set(r.end_time),
            duration_minutes: Set(duration_minutes(r.start_time, r.end_time)),
            value_rating: Set(r.value_rating.as_str().to_owned()),
            impact_level: Set(r.impact_level.as_str().to_owned()),
            is_draft: Set(r.is_draft),
            source: Set(r.source.clone()),
            external_uid: Set(r.external_uid.clone()),
            created_at: Set(r.created_at.unwrap_or(now)),
            updated_at: Set(r.updated_at.unwrap_or(now)),
        })
        .collect();
    for chunk in models.chunks(CHUNK) {
        log_entry::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .map_err(AppError::conflict_on(
                "content",
                "the same rows were being imported at the same time; retry",
            ))?;
    }
    let links: Vec<log_entry_tag::ActiveModel> = keep
        .iter()
        .zip(&kept_ids)
        .flat_map(|(r, id)| {
            r.tags
                .iter()
                .filter_map(|name| tags.get(name))
                .map(|tag_id| log_entry_tag::ActiveModel {
                    log_entry_id: Set(*id),
                    tag_id: Set(*tag_id),
                })
        })
        .collect();
    for chunk in links.chunks(CHUNK) {
        log_entry_tag::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(Written { ids, skipped })
}
