//! `apiTokens`, `createApiToken`, `revokeApiToken`. Managing tokens needs a
//! signed-in session: an API token cannot mint or list tokens.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::api_tokens::{self, NewApiToken};
use super::caller::{TokenScope, require_session};
use super::graphql::client_of;
use super::rate_limit::Action;
use crate::state::AppState;

/// A personal access token, as listed (never its secret).
#[derive(SimpleObject)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    pub scope: TokenScope,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<entity::api_token::Model> for ApiToken {
    fn from(m: entity::api_token::Model) -> Self {
        Self {
            scope: TokenScope::parse(&m.scope),
            id: m.id,
            name: m.name,
            prefix: m.prefix,
            expires_at: m.expires_at,
            last_used_at: m.last_used_at,
            created_at: m.created_at,
        }
    }
}

/// A new token. `token` is shown this once; only its hash is kept.
#[derive(SimpleObject)]
pub struct CreatedApiToken {
    pub token: String,
    pub api_token: ApiToken,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    /// 1 to 100 characters, e.g. the integration's name.
    pub name: String,
    pub scope: TokenScope,
    /// When the token stops working; never when absent.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct ApiTokensQuery;

#[Object]
impl ApiTokensQuery {
    /// The caller's tokens that are not revoked, newest first.
    async fn api_tokens(&self, ctx: &Context<'_>) -> Result<Vec<ApiToken>> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(api_tokens::list(&state.db, user_id)
            .await?
            .into_iter()
            .map(ApiToken::from)
            .collect())
    }
}

#[derive(Default)]
pub struct ApiTokensMutation;

#[Object]
impl ApiTokensMutation {
    /// Creates a token for an integration (send it as
    /// `Authorization: Bearer`).
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> Result<CreatedApiToken> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        state
            .limiter
            .hit(
                Action::CreateApiToken,
                client_of(ctx).ip,
                Some(&user_id.to_string()),
            )
            .await?;
        let created = api_tokens::create(
            &state.db,
            user_id,
            NewApiToken {
                name: input.name,
                scope: input.scope,
                expires_at: input.expires_at,
            },
        )
        .await?;
        Ok(CreatedApiToken {
            token: created.token,
            api_token: created.model.into(),
        })
    }

    /// Revokes a token at once.
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        api_tokens::revoke(&state.db, user_id, id).await?;
        Ok(true)
    }
}
