//! Tag queries and mutations.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use uuid::Uuid;

use super::service::{self, TagFields, TagWithUsage};
use crate::auth::require_user;
use crate::error::AppError;
use crate::graphql::enums::{TagCategoryGql, parse_stored};
use crate::graphql::maybe::patch;
use crate::state::AppState;

#[derive(SimpleObject)]
pub struct Tag {
    pub id: Uuid,
    pub name: String,
    pub category: TagCategoryGql,
    pub color: Option<String>,
    /// Number of entries carrying this tag.
    pub usage_count: i64,
}

impl TryFrom<TagWithUsage> for Tag {
    type Error = AppError;
    fn try_from(t: TagWithUsage) -> Result<Self, AppError> {
        let category: englog_core::TagCategory = parse_stored(&t.tag.category)?;
        Ok(Self {
            id: t.tag.id,
            name: t.tag.name,
            category: category.into(),
            color: t.tag.color,
            usage_count: t.usage_count,
        })
    }
}

fn to_tags(rows: Vec<TagWithUsage>) -> Result<Vec<Tag>, AppError> {
    rows.into_iter().map(Tag::try_from).collect()
}

#[derive(InputObject)]
pub struct CreateTagInput {
    /// Normalised: trimmed, lowercase, spaces become dashes.
    pub name: String,
    pub category: Option<TagCategoryGql>,
    /// `#rrggbb`.
    pub color: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateTagInput {
    pub name: Option<String>,
    pub category: Option<TagCategoryGql>,
    /// `null` clears the colour.
    pub color: MaybeUndefined<String>,
}

#[derive(Default)]
pub struct TagsQuery;

#[Object]
impl TagsQuery {
    /// All of the caller's tags, by name.
    async fn tags(&self, ctx: &Context<'_>) -> Result<Vec<Tag>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(to_tags(service::list(&state.db, user_id).await?)?)
    }

    /// The caller's most used tags.
    async fn popular_tags(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, validator(minimum = 1, maximum = 100))] limit: i32,
    ) -> Result<Vec<Tag>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let rows = service::popular(&state.db, user_id, limit as usize).await?;
        Ok(to_tags(rows)?)
    }

    /// Tags starting with `prefix`, most used first: for type-ahead.
    async fn tag_suggestions(
        &self,
        ctx: &Context<'_>,
        #[graphql(validator(max_length = 50))] prefix: String,
        #[graphql(default = 10, validator(minimum = 1, maximum = 50))] limit: i32,
    ) -> Result<Vec<Tag>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let rows = service::suggest(&state.db, user_id, &prefix, limit as usize).await?;
        Ok(to_tags(rows)?)
    }
}

#[derive(Default)]
pub struct TagsMutation;

#[Object]
impl TagsMutation {
    async fn create_tag(&self, ctx: &Context<'_>, input: CreateTagInput) -> Result<Tag> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let fields = TagFields {
            name: Some(input.name),
            category: input.category.map(Into::into),
            color: Some(input.color),
        };
        Ok(service::create(&state.db, user_id, fields)
            .await?
            .try_into()?)
    }

    async fn update_tag(&self, ctx: &Context<'_>, id: Uuid, input: UpdateTagInput) -> Result<Tag> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let fields = TagFields {
            name: input.name,
            category: input.category.map(Into::into),
            color: patch(input.color),
        };
        Ok(service::update(&state.db, user_id, id, fields)
            .await?
            .try_into()?)
    }

    /// Deletes a tag and removes it from every entry. Returns the id.
    async fn delete_tag(&self, ctx: &Context<'_>, id: Uuid) -> Result<Uuid> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::delete(&state.db, user_id, id).await?;
        Ok(id)
    }
}
