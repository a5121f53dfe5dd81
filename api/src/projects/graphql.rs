//! Project queries and mutations.

use async_graphql::{
    ComplexObject, Context, InputObject, MaybeUndefined, Object, Result, SimpleObject,
};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::service::{self, ProjectFields, ProjectTotals, ProjectWithTotals};
use crate::auth::require_user;
use crate::error::AppError;
use crate::graphql::enums::{ProjectStatusGql, parse_stored};
use crate::graphql::maybe::patch;
use crate::state::AppState;

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub status: ProjectStatusGql,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub color: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Known when the project was read with its totals (the projects list,
    /// one project, a mutation's answer); `None` inside an entry, where they
    /// are read only if asked for.
    #[graphql(skip)]
    totals: Option<ProjectTotals>,
}

#[ComplexObject]
impl Project {
    /// Number of entries in the project.
    async fn entry_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.totals(ctx).await?.entry_count)
    }

    /// Sum of the entries' durations, in minutes.
    async fn total_minutes(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.totals(ctx).await?.total_minutes)
    }
}

impl Project {
    /// A project read without its totals, as embedded in an entry: they are
    /// queried when a client asks for them, one small grouped query per
    /// project (the entry list reads a page's in one, `set_totals`).
    pub fn bare(m: entity::project::Model) -> Result<Self, AppError> {
        Self::from_model(m, None)
    }

    /// A project read with a list page, which selected its status only
    /// when `selects_status`; otherwise the status is an empty placeholder
    /// (`entries::views::views_of`), answered as the default no reader
    /// asked for.
    pub fn listed(m: entity::project::Model, selects_status: bool) -> Result<Self, AppError> {
        if selects_status {
            return Self::bare(m);
        }
        let status = englog_core::ProjectStatus::default();
        Ok(Self::with_status(m, status, None))
    }

    fn from_model(
        m: entity::project::Model,
        totals: Option<ProjectTotals>,
    ) -> Result<Self, AppError> {
        let status: englog_core::ProjectStatus = parse_stored(&m.status)?;
        Ok(Self::with_status(m, status, totals))
    }

    fn with_status(
        m: entity::project::Model,
        status: englog_core::ProjectStatus,
        totals: Option<ProjectTotals>,
    ) -> Self {
        Self {
            id: m.id,
            name: m.name,
            description: m.description,
            status: status.into(),
            start_date: m.start_date,
            end_date: m.end_date,
            color: m.color,
            created_at: m.created_at,
            updated_at: m.updated_at,
            totals,
        }
    }

    /// Gives a project read without its totals the ones read for it with
    /// others (the entry list asks for a whole page's in one query).
    pub fn set_totals(&mut self, totals: ProjectTotals) {
        self.totals = Some(totals);
    }

    async fn totals(&self, ctx: &Context<'_>) -> Result<ProjectTotals> {
        if let Some(totals) = self.totals {
            return Ok(totals);
        }
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::totals_of(&state.db, user_id, self.id).await?)
    }
}

impl TryFrom<ProjectWithTotals> for Project {
    type Error = AppError;
    fn try_from(p: ProjectWithTotals) -> Result<Self, AppError> {
        Self::from_model(p.project, Some(p.totals))
    }
}

#[derive(InputObject)]
pub struct CreateProjectInput {
    pub name: String,
    pub description: Option<String>,
    /// Defaults to ACTIVE.
    pub status: Option<ProjectStatusGql>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// `#rrggbb`.
    pub color: Option<String>,
}

/// Absent fields are kept; `null` clears an optional field.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub status: Option<ProjectStatusGql>,
    pub start_date: MaybeUndefined<NaiveDate>,
    pub end_date: MaybeUndefined<NaiveDate>,
    pub color: MaybeUndefined<String>,
}

#[derive(Default)]
pub struct ProjectsQuery;

#[Object]
impl ProjectsQuery {
    /// The caller's projects by name, optionally only those in `status`.
    async fn projects(
        &self,
        ctx: &Context<'_>,
        status: Option<ProjectStatusGql>,
    ) -> Result<Vec<Project>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let rows = service::list(&state.db, user_id, status.map(Into::into)).await?;
        Ok(rows
            .into_iter()
            .map(Project::try_from)
            .collect::<Result<_, AppError>>()?)
    }

    async fn project(&self, ctx: &Context<'_>, id: Uuid) -> Result<Project> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::get(&state.db, user_id, id).await?.try_into()?)
    }
}

#[derive(Default)]
pub struct ProjectsMutation;

#[Object]
impl ProjectsMutation {
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> Result<Project> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let fields = ProjectFields {
            name: Some(input.name),
            description: Some(input.description),
            status: input.status.map(Into::into),
            start_date: Some(input.start_date),
            end_date: Some(input.end_date),
            color: Some(input.color),
        };
        Ok(service::create(&state.db, user_id, fields)
            .await?
            .try_into()?)
    }

    async fn update_project(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UpdateProjectInput,
    ) -> Result<Project> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let fields = ProjectFields {
            name: input.name,
            description: patch(input.description),
            status: input.status.map(Into::into),
            start_date: patch(input.start_date),
            end_date: patch(input.end_date),
            color: patch(input.color),
        };
        Ok(service::update(&state.db, user_id, id, fields)
            .await?
            .try_into()?)
    }

    /// Deletes a project; its entries are kept without a project. Returns
    /// the id.
    async fn delete_project(&self, ctx: &Context<'_>, id: Uuid) -> Result<Uuid> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::delete(&state.db, user_id, id).await?;
        Ok(id)
    }
}
