//! Writing and reading single entries. Every statement is scoped to the
//! caller: another user's entry is indistinguishable from a missing one.

use chrono::{DateTime, SubsecRound, Utc};
use englog_core::validation::{duration_minutes, validate_time_range};
use englog_core::{ActivityType, FieldError, ImpactLevel, Limits, ValueRating};
use entity::{log_entry, log_entry_tag, project};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::details::{EntryDetails, check_text, field_at};
use super::insert_sql;
use super::views::{EntryView, load_views};
use crate::db_warm::WarmDb;
use crate::enrichment::queue::AutoEnrich;
use crate::error::{AppError, AppResult};
use crate::projects::service::find_owned as find_project;
use crate::tags::link_sql::{self, LinkedEntry};
use crate::tags::service::{clean_names, link_by_names};

pub struct NewEntry {
    pub details: EntryDetails,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub is_draft: bool,
}

/// A partial update: `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Default)]
pub struct EntryChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub activity_type: Option<ActivityType>,
    pub project_id: Option<Option<Uuid>>,
    pub tags: Option<Vec<String>>,
    pub start_time: Option<DateTime<Utc>>,
    pub end_time: Option<DateTime<Utc>>,
    pub value_rating: Option<ValueRating>,
    pub impact_level: Option<ImpactLevel>,
    /// `Some(false)` marks a reviewed draft as a regular entry.
    pub is_draft: Option<bool>,
}

/// Checks the text and time fields of an entry; `prefix` locates the input
/// inside a bulk request (`inputs[3].`).
fn validate_fields(
    prefix: &str,
    title: Option<&str>,
    description: Option<&str>,
    times: (DateTime<Utc>, DateTime<Utc>),
) -> Vec<FieldError> {
    let mut errors = check_text(prefix, title, description);
    if let Err(mut e) = validate_time_range(times.0, times.1) {
        e.field = field_at(prefix, &e.field);
        errors.push(e);
    }
    errors
}

/// Validates a new entry and cleans its tag names.
pub fn check_new(prefix: &str, input: &mut NewEntry) -> Vec<FieldError> {
    let details = &input.details;
    let mut errors = validate_fields(
        prefix,
        Some(&details.title),
        details.description.as_deref(),
        (input.start_time, input.end_time),
    );
    errors.extend(input.details.clean_tags(prefix).err());
    errors
}

/// Sets the tags of an entry; `replace` first removes the current ones (a
/// new entry has none, which saves a statement on the hot path). Answers
/// the names in the database's order when the link statement gave them
/// (see [`link_by_names`]).
async fn link_tags(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entry_id: Uuid,
    names: &[String],
    replace: bool,
) -> AppResult<Option<Vec<String>>> {
    if replace {
        log_entry_tag::Entity::delete_many()
            .filter(log_entry_tag::Column::LogEntryId.eq(entry_id))
            .exec(db)
            .await?;
    }
    link_by_names(db, user_id, entry_id, names).await
}

/// A new entry with what its view needs, when the writes gave it all.
struct Inserted {
    entry: log_entry::Model,
    project: Option<project::Model>,
    tags: Option<Vec<String>>,
}

impl Inserted {
    fn into_view(self) -> Option<EntryView> {
        Some(EntryView {
            tags: self.tags?,
            project: self.project,
            entry: self.entry,
        })
    }
}

/// The views of new entries: from what the writes answered, or read back
/// (SQLite's tag names).
async fn views_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    inserted: Vec<Inserted>,
) -> AppResult<Vec<EntryView>> {
    if inserted.iter().all(|i| i.tags.is_some()) {
        return Ok(inserted
            .into_iter()
            .filter_map(Inserted::into_view)
            .collect());
    }
    let entries = inserted.into_iter().map(|i| i.entry).collect();
    load_views(db, user_id, entries).await
}

/// Inserts an already validated entry (see [`check_new`]). On PostgreSQL
/// the entry and its tags are one statement ([`link_sql`]), atomic
/// without a transaction.
async fn insert(db: &impl ConnectionTrait, user_id: Uuid, input: NewEntry) -> AppResult<Inserted> {
    let details = &input.details;
    let project = match details.project_id {
        Some(project_id) => Some(find_project(db, user_id, project_id).await?),
        None => None,
    };
    // Microseconds, as PostgreSQL keeps them: the entry answered from the
    // values sent must equal the one read later.
    let now = Utc::now().trunc_subsecs(6);
    let (start, end) = (
        input.start_time.trunc_subsecs(6),
        input.end_time.trunc_subsecs(6),
    );
    let entry = log_entry::Model {
        id: Uuid::now_v7(),
        user_id,
        project_id: details.project_id,
        title: details.stored_title(),
        description: details.stored_description(),
        activity_type: details.activity_type.as_str().to_owned(),
        start_time: start,
        end_time: end,
        duration_minutes: duration_minutes(start, end),
        value_rating: details.stored_value_rating(),
        impact_level: details.stored_impact_level(),
        is_draft: input.is_draft,
        source: None,
        external_uid: None,
        created_at: now,
        updated_at: now,
    };
    if db.get_database_backend() == DbBackend::Postgres && !details.tags.is_empty() {
        let statement = LinkedEntry::Inserted(insert_sql::insert(&entry));
        let tags = link_sql::link(db, user_id, statement, &details.tags).await?;
        return Ok(Inserted {
            entry,
            project,
            tags: Some(tags),
        });
    }
    let entry = entry.into_active_model().reset_all().insert(db).await?;
    let tags = link_tags(db, user_id, entry.id, &details.tags, false).await?;
    Ok(Inserted {
        entry,
        project,
        tags,
    })
}

/// Creates an entry; with `enrich`, its enrichment job is written in the
/// same transaction. A create that queues no job is one statement on
/// PostgreSQL (see [`insert`]), run on a warm connection
/// ([`crate::db_warm`]), and takes no transaction: two round trips fewer
/// (issue 18).
pub async fn create(
    db: &WarmDb<'_>,
    user_id: Uuid,
    mut input: NewEntry,
    enrich: Option<AutoEnrich>,
) -> AppResult<EntryView> {
    let errors = check_new("", &mut input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let queues_job = enrich.is_some_and(AutoEnrich::queues_new_jobs);
    if !queues_job && db.get_database_backend() == DbBackend::Postgres {
        let inserted = insert(db, user_id, input).await?;
        if let Some(enrich) = enrich {
            enrich.count_deferred(1);
        }
        let view = views_of(db, user_id, vec![inserted]).await?;
        return view.into_iter().next().ok_or(AppError::NotFound("entry"));
    }
    let txn = crate::db::begin_write(db.db).await?;
    let view = create_in(&txn, user_id, input, enrich).await?;
    txn.commit().await?;
    Ok(view)
}

/// Writes an entry validated by [`check_new`] inside the caller's
/// transaction (a stopped timer becomes an entry and stops existing in
/// one commit).
pub async fn create_in(
    txn: &DatabaseTransaction,
    user_id: Uuid,
    input: NewEntry,
    enrich: Option<AutoEnrich>,
) -> AppResult<EntryView> {
    let inserted = insert(txn, user_id, input).await?;
    if let Some(enrich) = enrich {
        enrich
            .queue_new(txn, user_id, std::slice::from_ref(&inserted.entry))
            .await?;
    }
    let view = views_of(txn, user_id, vec![inserted]).await?;
    view.into_iter().next().ok_or(AppError::NotFound("entry"))
}

/// Creates all entries or none: every input is validated before anything is
/// written, and errors name the input (`inputs[2].title`).
pub async fn bulk_create(
    db: &DatabaseConnection,
    user_id: Uuid,
    mut inputs: Vec<NewEntry>,
    enrich: Option<AutoEnrich>,
) -> AppResult<Vec<EntryView>> {
    if inputs.is_empty() || inputs.len() > Limits::BULK_MAX {
        return Err(AppError::field(
            "inputs",
            format!("must hold 1 to {} entries", Limits::BULK_MAX),
        ));
    }
    let errors: Vec<FieldError> = inputs
        .iter_mut()
        .enumerate()
        .flat_map(|(i, input)| check_new(&format!("inputs[{i}]."), input))
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut created = Vec::with_capacity(inputs.len());
    for input in inputs {
        created.push(insert(&txn, user_id, input).await?);
    }
    if let Some(enrich) = enrich {
        let entries: Vec<log_entry::Model> = created.iter().map(|i| i.entry.clone()).collect();
        enrich.queue_new(&txn, user_id, &entries).await?;
    }
    let views = views_of(&txn, user_id, created).await?;
    txn.commit().await?;
    Ok(views)
}

async fn find_owned(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<log_entry::Model> {
    log_entry::Entity::find_by_id(id)
        .filter(log_entry::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("entry"))
}

pub async fn get(db: &DatabaseConnection, user_id: Uuid, id: Uuid) -> AppResult<EntryView> {
    let entry = find_owned(db, user_id, id).await?;
    let view = load_views(db, user_id, vec![entry]).await?;
    view.into_iter().next().ok_or(AppError::NotFound("entry"))
}

/// Applies `changes`; with `enrich`, the entry's enrichment job is written
/// (or rewritten) in the same transaction when its text changed.
pub async fn update(
    db: &DatabaseConnection,
    user_id: Uuid,
    id: Uuid,
    changes: EntryChanges,
    enrich: Option<AutoEnrich>,
) -> AppResult<EntryView> {
    let txn = crate::db::begin_write(db).await?;
    let current = find_owned(&txn, user_id, id).await?;
    let start = changes.start_time.unwrap_or(current.start_time);
    let end = changes.end_time.unwrap_or(current.end_time);
    let mut errors = validate_fields(
        "",
        changes.title.as_deref(),
        changes.description.as_ref().and_then(|d| d.as_deref()),
        (start, end),
    );
    let tags = match changes.tags.as_deref().map(|t| clean_names("tags", t)) {
        Some(Ok(tags)) => Some(tags),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if let Some(Some(project_id)) = changes.project_id {
        find_project(&txn, user_id, project_id).await?;
    }
    let mut active = current.into_active_model();
    if let Some(title) = changes.title {
        active.title = Set(title.trim().to_owned());
    }
    if let Some(description) = changes.description {
        active.description = Set(description.filter(|d| !d.trim().is_empty()));
    }
    if let Some(t) = changes.activity_type {
        active.activity_type = Set(t.as_str().to_owned());
    }
    if let Some(project_id) = changes.project_id {
        active.project_id = Set(project_id);
    }
    if let Some(v) = changes.value_rating {
        active.value_rating = Set(v.as_str().to_owned());
    }
    if let Some(i) = changes.impact_level {
        active.impact_level = Set(i.as_str().to_owned());
    }
    if let Some(draft) = changes.is_draft {
        active.is_draft = Set(draft);
    }
    active.start_time = Set(start);
    active.end_time = Set(end);
    active.duration_minutes = Set(duration_minutes(start, end));
    active.updated_at = Set(Utc::now());
    let entry = active.update(&txn).await?;
    if let Some(tags) = tags {
        link_tags(&txn, user_id, entry.id, &tags, true).await?;
    }
    if let Some(enrich) = enrich {
        // Unchanged text (the same hash as last sent) writes no job.
        enrich.queue(&txn, user_id, &[entry.id]).await?;
    }
    let view = load_views(&txn, user_id, vec![entry]).await?;
    txn.commit().await?;
    view.into_iter().next().ok_or(AppError::NotFound("entry"))
}

pub async fn delete(db: &DatabaseConnection, user_id: Uuid, id: Uuid) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    // An entry from a source stays deleted: the next sync skips its item.
    crate::connectors::dismissed::remember_deleted(&txn, user_id, &[id]).await?;
    let result = log_entry::Entity::delete_many()
        .filter(log_entry::Column::Id.eq(id))
        .filter(log_entry::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("entry"));
    }
    txn.commit().await?;
    Ok(())
}

/// A bulk request names 1 to `Limits::BULK_MAX` entries.
pub fn check_bulk_ids(ids: &[Uuid]) -> AppResult<()> {
    if ids.is_empty() || ids.len() > Limits::BULK_MAX {
        return Err(AppError::field(
            "ids",
            format!("must hold 1 to {} ids", Limits::BULK_MAX),
        ));
    }
    Ok(())
}

/// Deletes the caller's entries among `ids` and returns the ids deleted;
/// ids that are not the caller's are ignored.
pub async fn bulk_delete(
    db: &DatabaseConnection,
    user_id: Uuid,
    ids: Vec<Uuid>,
) -> AppResult<Vec<Uuid>> {
    check_bulk_ids(&ids)?;
    let txn = crate::db::begin_write(db).await?;
    let owned: Vec<Uuid> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::Id)
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::Id.is_in(ids))
        .into_tuple()
        .all(&txn)
        .await?;
    if !owned.is_empty() {
        crate::connectors::dismissed::remember_deleted(&txn, user_id, &owned).await?;
        log_entry::Entity::delete_many()
            .filter(log_entry::Column::UserId.eq(user_id))
            .filter(log_entry::Column::Id.is_in(owned.clone()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(owned)
}
