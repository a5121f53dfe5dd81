//! `register`, `login`, `refreshToken`, `logout`, `logoutEverywhere`,
//! `changePassword`, and the auth root objects merged into the schema.

use async_graphql::{Context, InputObject, MergedObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::api_tokens_graphql::{ApiTokensMutation, ApiTokensQuery};
use super::caller::require_session;
use super::client::ClientInfo;
use super::service::{self, NewAccount, Session};
use super::sessions_graphql::{SessionsMutation, SessionsQuery};
use crate::profile::graphql::User;
use crate::state::AppState;

/// Tokens for a session. Send the access token as `Authorization: Bearer`;
/// trade the refresh token for a new pair before the access token expires.
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    /// Single use: every refresh returns a new one.
    pub refresh_token: String,
    pub user: User,
}

impl From<Session> for AuthPayload {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access_token,
            access_token_expires_at: s.access_expires_at,
            refresh_token: s.refresh_token,
            user: s.user.into(),
        }
    }
}

#[derive(InputObject)]
pub struct RegisterInput {
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    /// IANA time zone; defaults to UTC.
    pub timezone: Option<String>,
}

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(MergedObject, Default)]
pub struct AuthQuery(SessionsQuery, ApiTokensQuery);

#[derive(MergedObject, Default)]
pub struct AuthMutation(AccountMutation, SessionsMutation, ApiTokensMutation);

/// The request's client (IP, User-Agent), put there by the HTTP handler.
pub(super) fn client_of(ctx: &Context<'_>) -> ClientInfo {
    ctx.data_opt::<ClientInfo>().cloned().unwrap_or_default()
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Creates an account and signs it in.
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> Result<AuthPayload> {
        let state = ctx.data::<AppState>()?;
        let account = NewAccount {
            email: input.email,
            password: input.password,
            first_name: input.first_name,
            last_name: input.last_name,
            timezone: input.timezone,
        };
        Ok(service::register(state, &client_of(ctx), account)
            .await?
            .into())
    }

    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        let state = ctx.data::<AppState>()?;
        Ok(
            service::login(state, &client_of(ctx), &input.email, &input.password)
                .await?
                .into(),
        )
    }

    /// Trades a refresh token for a new token pair. Reusing a refresh token
    /// ends its whole session.
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        let state = ctx.data::<AppState>()?;
        Ok(
            service::refresh_session(state, &client_of(ctx), &refresh_token)
                .await?
                .into(),
        )
    }

    /// Ends the session the refresh token belongs to.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> Result<bool> {
        let state = ctx.data::<AppState>()?;
        service::logout(state, &refresh_token).await?;
        Ok(true)
    }

    /// Ends every session of the caller, this one included.
    async fn logout_everywhere(&self, ctx: &Context<'_>) -> Result<bool> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::logout_everywhere(state, user_id).await?;
        Ok(true)
    }

    /// Sets a new password, ends every session and returns a new one for
    /// this device.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<AuthPayload> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        let session = service::change_password(
            state,
            &client_of(ctx),
            user_id,
            &current_password,
            new_password,
        )
        .await?;
        Ok(session.into())
    }
}
