//! `me`, `updateProfile`, `updatePreferences`.

use async_graphql::{ComplexObject, Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::preferences::{Preferences, PreferencesInput};
use super::service::{self, ProfileChanges};
use crate::account_deletion::graphql::PendingDeletion;
use crate::account_deletion::request::pending;
use crate::auth::require_user;
use crate::state::AppState;

/// The signed-in person.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// IANA time zone; analytics and reports use it.
    pub timezone: String,
    pub preferences: Preferences,
    pub created_at: DateTime<Utc>,
}

impl From<entity::user::Model> for User {
    fn from(m: entity::user::Model) -> Self {
        Self {
            preferences: Preferences::from_json(&m.preferences),
            id: m.id,
            email: m.email,
            first_name: m.first_name,
            last_name: m.last_name,
            timezone: m.timezone,
            created_at: m.created_at,
        }
    }
}

#[ComplexObject]
impl User {
    /// The account's scheduled deletion, if one is waiting for its grace
    /// period to end (cancel it with `cancelAccountDeletion`).
    async fn pending_deletion(&self, ctx: &Context<'_>) -> Result<Option<PendingDeletion>> {
        let state = ctx.data::<AppState>()?;
        Ok(pending(&state.db, self.id)
            .await?
            .map(PendingDeletion::try_from)
            .transpose()?)
    }
}

#[derive(InputObject)]
pub struct UpdateProfileInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// An IANA name such as `Europe/Paris`.
    pub timezone: Option<String>,
}

#[derive(Default)]
pub struct ProfileQuery;

#[Object]
impl ProfileQuery {
    /// The caller's profile.
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::get(&state.db, user_id).await?.into())
    }
}

#[derive(Default)]
pub struct ProfileMutation;

#[Object]
impl ProfileMutation {
    async fn update_profile(&self, ctx: &Context<'_>, input: UpdateProfileInput) -> Result<User> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let changes = ProfileChanges {
            first_name: input.first_name,
            last_name: input.last_name,
            timezone: input.timezone,
        };
        Ok(service::update_profile(&state.db, user_id, changes)
            .await?
            .into())
    }

    async fn update_preferences(&self, ctx: &Context<'_>, input: PreferencesInput) -> Result<User> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::update_preferences(state, user_id, input)
            .await?
            .into())
    }
}
