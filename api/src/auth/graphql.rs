//! `register`, `login`, `refreshToken`, `logout`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::service::{self, NewAccount, Session};
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

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
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
        Ok(service::register(state, account).await?.into())
    }

    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        let state = ctx.data::<AppState>()?;
        Ok(service::login(state, &input.email, &input.password)
            .await?
            .into())
    }

    /// Trades a refresh token for a new token pair. Reusing a refresh token
    /// ends its whole session.
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        let state = ctx.data::<AppState>()?;
        Ok(service::refresh_session(state, &refresh_token)
            .await?
            .into())
    }

    /// Ends the session the refresh token belongs to.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> Result<bool> {
        let state = ctx.data::<AppState>()?;
        service::logout(state, &refresh_token).await?;
        Ok(true)
    }
}
