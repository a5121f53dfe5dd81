//! Project storage and totals.

use chrono::{NaiveDate, Utc};
use englog_core::validation::{validate_color, validate_optional_text, validate_required_text};
use englog_core::{FieldError, Limits, ProjectStatus};
use entity::{log_entry, project};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use std::collections::HashMap;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Totals over all of a project's entries.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProjectTotals {
    pub entry_count: i64,
    pub total_minutes: i64,
}

pub struct ProjectWithTotals {
    pub project: project::Model,
    pub totals: ProjectTotals,
}

#[derive(FromQueryResult)]
struct TotalsRow {
    project_id: Uuid,
    entry_count: i64,
    total_minutes: Option<i64>,
}

/// One grouped query for the totals of many projects (those without
/// entries are absent).
pub async fn totals_for(
    db: &DatabaseConnection,
    user_id: Uuid,
    project_ids: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, ProjectTotals>> {
    if project_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = log_entry::Entity::find()
        .select_only()
        .column_as(log_entry::Column::ProjectId, "project_id")
        .column_as(Expr::col(log_entry::Column::Id).count(), "entry_count")
        .column_as(
            Expr::col(log_entry::Column::DurationMinutes)
                .sum()
                .cast_as(sea_orm::sea_query::Alias::new("BIGINT")),
            "total_minutes",
        )
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::ProjectId.is_in(project_ids))
        .group_by(log_entry::Column::ProjectId)
        .into_model::<TotalsRow>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let totals = ProjectTotals {
                entry_count: r.entry_count,
                total_minutes: r.total_minutes.unwrap_or(0),
            };
            (r.project_id, totals)
        })
        .collect())
}

/// The totals of one of the person's projects (zero when it has no entries).
pub async fn totals_of(
    db: &DatabaseConnection,
    user_id: Uuid,
    project_id: Uuid,
) -> AppResult<ProjectTotals> {
    let totals = totals_for(db, user_id, vec![project_id]).await?;
    Ok(totals.get(&project_id).copied().unwrap_or_default())
}

async fn with_totals(
    db: &DatabaseConnection,
    user_id: Uuid,
    projects: Vec<project::Model>,
) -> AppResult<Vec<ProjectWithTotals>> {
    let totals = totals_for(db, user_id, projects.iter().map(|p| p.id).collect()).await?;
    Ok(projects
        .into_iter()
        .map(|project| ProjectWithTotals {
            totals: totals.get(&project.id).copied().unwrap_or_default(),
            project,
        })
        .collect())
}

pub async fn list(
    db: &DatabaseConnection,
    user_id: Uuid,
    status: Option<ProjectStatus>,
) -> AppResult<Vec<ProjectWithTotals>> {
    let mut query = project::Entity::find().filter(project::Column::UserId.eq(user_id));
    if let Some(status) = status {
        query = query.filter(project::Column::Status.eq(status.as_str()));
    }
    let projects = query.order_by_asc(project::Column::Name).all(db).await?;
    with_totals(db, user_id, projects).await
}

pub async fn find_owned(
    db: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<project::Model> {
    project::Entity::find_by_id(id)
        .filter(project::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("project"))
}

pub async fn get(db: &DatabaseConnection, user_id: Uuid, id: Uuid) -> AppResult<ProjectWithTotals> {
    let project = find_owned(db, user_id, id).await?;
    let mut rows = with_totals(db, user_id, vec![project]).await?;
    rows.pop().ok_or(AppError::NotFound("project"))
}

/// The user's projects among `ids`, in one query.
pub async fn find_many(
    db: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
    ids: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, project::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(project::Entity::find()
        .filter(project::Column::UserId.eq(user_id))
        .filter(project::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// Fields of a create or update; `None` keeps the current value and
/// `Some(None)` clears an optional one.
#[derive(Default)]
pub struct ProjectFields {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub status: Option<ProjectStatus>,
    pub start_date: Option<Option<NaiveDate>>,
    pub end_date: Option<Option<NaiveDate>>,
    pub color: Option<Option<String>>,
}

fn validate(fields: &ProjectFields) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(name) = &fields.name {
        errors.extend(validate_required_text("name", name, Limits::PROJECT_NAME_MAX).err());
    }
    if let Some(Some(d)) = &fields.description {
        errors.extend(validate_optional_text("description", d, Limits::DESCRIPTION_MAX).err());
    }
    if let Some(Some(c)) = &fields.color {
        errors.extend(validate_color("color", c).err());
    }
    errors
}

fn check_dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> AppResult<()> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            Err(AppError::field("endDate", "must not be before startDate"))
        }
        _ => Ok(()),
    }
}

const DUPLICATE: &str = "you already have a project with this name";

pub async fn create(
    db: &DatabaseConnection,
    user_id: Uuid,
    fields: ProjectFields,
) -> AppResult<ProjectWithTotals> {
    let mut errors = validate(&fields);
    if fields.name.is_none() {
        errors.push(FieldError::new("name", "must not be empty"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let start = fields.start_date.flatten();
    let end = fields.end_date.flatten();
    check_dates(start, end)?;
    let now = Utc::now();
    let project = project::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        name: Set(fields.name.unwrap_or_default().trim().to_owned()),
        description: Set(fields.description.flatten()),
        status: Set(fields.status.unwrap_or_default().as_str().to_owned()),
        start_date: Set(start),
        end_date: Set(end),
        color: Set(fields.color.flatten()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(AppError::conflict_on("name", DUPLICATE))?;
    Ok(ProjectWithTotals {
        project,
        totals: ProjectTotals::default(),
    })
}

pub async fn update(
    db: &DatabaseConnection,
    user_id: Uuid,
    id: Uuid,
    fields: ProjectFields,
) -> AppResult<ProjectWithTotals> {
    let errors = validate(&fields);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let current = find_owned(db, user_id, id).await?;
    let start = fields.start_date.unwrap_or(current.start_date);
    let end = fields.end_date.unwrap_or(current.end_date);
    check_dates(start, end)?;
    let mut active = current.into_active_model();
    if let Some(name) = fields.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(description) = fields.description {
        active.description = Set(description);
    }
    if let Some(status) = fields.status {
        active.status = Set(status.as_str().to_owned());
    }
    if let Some(color) = fields.color {
        active.color = Set(color);
    }
    active.start_date = Set(start);
    active.end_date = Set(end);
    active.updated_at = Set(Utc::now());
    let project = active
        .update(db)
        .await
        .map_err(AppError::conflict_on("name", DUPLICATE))?;
    let mut rows = with_totals(db, user_id, vec![project]).await?;
    rows.pop().ok_or(AppError::NotFound("project"))
}

/// Deletes a project; its entries stay in the journal without a project.
pub async fn delete(db: &DatabaseConnection, user_id: Uuid, id: Uuid) -> AppResult<()> {
    let result = project::Entity::delete_many()
        .filter(project::Column::Id.eq(id))
        .filter(project::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("project"));
    }
    Ok(())
}
