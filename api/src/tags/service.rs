//! Tag storage. Names are normalised (`Code Review` → `code-review`) and
//! unique per user.

use chrono::Utc;
use englog_core::predefined_tags::PREDEFINED_TAGS;
use englog_core::validation::{normalize_tag_name, validate_color, validate_tag_name};
use englog_core::{FieldError, TagCategory};
use entity::{log_entry_tag, tag};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, IntoActiveModel, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef,
    Set,
    sea_query::{Expr, ExprTrait},
};
use std::collections::HashMap;
use uuid::Uuid;

use super::link_sql::{self, LinkedEntry};
use crate::error::{AppError, AppResult};

/// A tag with the number of entries carrying it.
pub struct TagWithUsage {
    pub tag: tag::Model,
    pub usage_count: i64,
}

fn new_tag(
    user_id: Uuid,
    name: String,
    category: TagCategory,
    color: Option<String>,
) -> tag::ActiveModel {
    let now = Utc::now();
    tag::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        name: Set(name),
        category: Set(category.as_str().to_owned()),
        color: Set(color),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Gives a new account the seed's predefined tags.
pub async fn seed_predefined(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<()> {
    let rows = PREDEFINED_TAGS.iter().map(|t| {
        new_tag(
            user_id,
            t.name.to_owned(),
            t.category,
            Some(t.color.to_owned()),
        )
    });
    tag::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Normalises and validates tag names given for an entry; `field` names the
/// input in errors.
pub fn clean_names(field: &str, names: &[String]) -> Result<Vec<String>, FieldError> {
    if names.len() > englog_core::Limits::TAGS_PER_ENTRY_MAX {
        return Err(FieldError::new(
            field,
            format!(
                "at most {} tags per entry",
                englog_core::Limits::TAGS_PER_ENTRY_MAX
            ),
        ));
    }
    let mut cleaned: Vec<String> = Vec::with_capacity(names.len());
    for raw in names {
        let name = normalize_tag_name(raw);
        validate_tag_name(field, &name)?;
        if !cleaned.contains(&name) {
            cleaned.push(name);
        }
    }
    Ok(cleaned)
}

/// The ids of the user's tags with these (clean) names, creating the missing
/// ones as `custom` tags.
pub async fn ensure_tags(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    names: &[String],
) -> AppResult<Vec<Uuid>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let existing: HashMap<String, Uuid> = tag::Entity::find()
        .filter(tag::Column::UserId.eq(user_id))
        .filter(tag::Column::Name.is_in(names.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.name, t.id))
        .collect();
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        match existing.get(name) {
            Some(id) => ids.push(*id),
            None => {
                let created = new_tag(user_id, name.clone(), TagCategory::Custom, None)
                    .insert(db)
                    .await?;
                ids.push(created.id);
            }
        }
    }
    Ok(ids)
}

/// Links `entry_id` to the user's tags named `names` (clean, distinct),
/// creating the missing ones as `custom` tags. On PostgreSQL one statement
/// that also answers the names in the database's order, so the caller
/// needs no read-back (`super::link_sql`); SQLite takes a lookup, the
/// missing inserts and the links, and answers `None`.
pub async fn link_by_names(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entry_id: Uuid,
    names: &[String],
) -> AppResult<Option<Vec<String>>> {
    if names.is_empty() {
        return Ok(Some(Vec::new()));
    }
    if db.get_database_backend() == DbBackend::Postgres {
        let found = link_sql::link(db, user_id, LinkedEntry::Existing(entry_id), names).await?;
        return Ok(Some(found));
    }
    let tag_ids = ensure_tags(db, user_id, names).await?;
    let links = tag_ids
        .into_iter()
        .map(|tag_id| log_entry_tag::ActiveModel {
            log_entry_id: Set(entry_id),
            tag_id: Set(tag_id),
        });
    log_entry_tag::Entity::insert_many(links).exec(db).await?;
    Ok(None)
}

#[derive(FromQueryResult)]
struct UsageRow {
    tag_id: Uuid,
    uses: i64,
}

fn entry_tag_to_tag() -> RelationDef {
    log_entry_tag::Entity::belongs_to(tag::Entity)
        .from(log_entry_tag::Column::TagId)
        .to(tag::Column::Id)
        .into()
}

async fn usage_counts(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<HashMap<Uuid, i64>> {
    let rows = log_entry_tag::Entity::find()
        .select_only()
        .column_as(log_entry_tag::Column::TagId, "tag_id")
        .column_as(Expr::col(log_entry_tag::Column::LogEntryId).count(), "uses")
        .join(JoinType::InnerJoin, entry_tag_to_tag())
        .filter(tag::Column::UserId.eq(user_id))
        .group_by(log_entry_tag::Column::TagId)
        .into_model::<UsageRow>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.tag_id, r.uses)).collect())
}

/// All of the user's tags, by name, with usage counts.
pub async fn list(db: &DatabaseConnection, user_id: Uuid) -> AppResult<Vec<TagWithUsage>> {
    let tags = tag::Entity::find()
        .filter(tag::Column::UserId.eq(user_id))
        .order_by_asc(tag::Column::Name)
        .all(db)
        .await?;
    let counts = usage_counts(db, user_id).await?;
    Ok(tags
        .into_iter()
        .map(|tag| TagWithUsage {
            usage_count: counts.get(&tag.id).copied().unwrap_or(0),
            tag,
        })
        .collect())
}

/// The most used tags first (ties by name); unused tags are left out.
pub async fn popular(
    db: &DatabaseConnection,
    user_id: Uuid,
    limit: usize,
) -> AppResult<Vec<TagWithUsage>> {
    let mut tags: Vec<_> = list(db, user_id)
        .await?
        .into_iter()
        .filter(|t| t.usage_count > 0)
        .collect();
    tags.sort_by(|a, b| {
        b.usage_count
            .cmp(&a.usage_count)
            .then(a.tag.name.cmp(&b.tag.name))
    });
    tags.truncate(limit);
    Ok(tags)
}

/// Names of the user's tags starting with `prefix`, most used first.
pub async fn suggest(
    db: &DatabaseConnection,
    user_id: Uuid,
    prefix: &str,
    limit: usize,
) -> AppResult<Vec<TagWithUsage>> {
    let prefix = normalize_tag_name(prefix);
    let mut tags: Vec<_> = list(db, user_id)
        .await?
        .into_iter()
        .filter(|t| t.tag.name.starts_with(&prefix))
        .collect();
    tags.sort_by(|a, b| {
        b.usage_count
            .cmp(&a.usage_count)
            .then(a.tag.name.cmp(&b.tag.name))
    });
    tags.truncate(limit);
    Ok(tags)
}

async fn find_owned(db: &DatabaseConnection, user_id: Uuid, id: Uuid) -> AppResult<tag::Model> {
    tag::Entity::find_by_id(id)
        .filter(tag::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("tag"))
}

pub struct TagFields {
    pub name: Option<String>,
    pub category: Option<TagCategory>,
    pub color: Option<Option<String>>,
}

fn clean_fields(fields: &mut TagFields) -> AppResult<()> {
    let mut errors = Vec::new();
    if let Some(name) = fields.name.as_mut() {
        *name = normalize_tag_name(name);
        errors.extend(validate_tag_name("name", name).err());
    }
    if let Some(Some(color)) = &fields.color {
        errors.extend(validate_color("color", color).err());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

const DUPLICATE: &str = "you already have a tag with this name";

pub async fn create(
    db: &DatabaseConnection,
    user_id: Uuid,
    mut fields: TagFields,
) -> AppResult<TagWithUsage> {
    clean_fields(&mut fields)?;
    let name = fields
        .name
        .ok_or_else(|| AppError::field("name", "must not be empty"))?;
    let tag = new_tag(
        user_id,
        name,
        fields.category.unwrap_or(TagCategory::Custom),
        fields.color.flatten(),
    )
    .insert(db)
    .await
    .map_err(AppError::conflict_on("name", DUPLICATE))?;
    Ok(TagWithUsage {
        tag,
        usage_count: 0,
    })
}

pub async fn update(
    db: &DatabaseConnection,
    user_id: Uuid,
    id: Uuid,
    mut fields: TagFields,
) -> AppResult<TagWithUsage> {
    clean_fields(&mut fields)?;
    let mut active = find_owned(db, user_id, id).await?.into_active_model();
    if let Some(name) = fields.name {
        active.name = Set(name);
    }
    if let Some(category) = fields.category {
        active.category = Set(category.as_str().to_owned());
    }
    if let Some(color) = fields.color {
        active.color = Set(color);
    }
    active.updated_at = Set(Utc::now());
    let tag = active
        .update(db)
        .await
        .map_err(AppError::conflict_on("name", DUPLICATE))?;
    let usage_count = usage_counts(db, user_id)
        .await?
        .get(&tag.id)
        .copied()
        .unwrap_or(0);
    Ok(TagWithUsage { tag, usage_count })
}

/// Deletes a tag; entries lose it, nothing else changes.
pub async fn delete(db: &DatabaseConnection, user_id: Uuid, id: Uuid) -> AppResult<()> {
    let result = tag::Entity::delete_many()
        .filter(tag::Column::Id.eq(id))
        .filter(tag::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("tag"));
    }
    Ok(())
}
