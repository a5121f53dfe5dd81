//! `requestAccountDeletion`, `cancelAccountDeletion` and the
//! `PendingDeletion` shown on `me`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::{DeletionMode, request};
use crate::auth::client::ClientInfo;
use crate::auth::require_session;
use crate::error::AppError;
use crate::state::AppState;

/// A deletion waiting for its grace period to end.
#[derive(SimpleObject)]
pub struct PendingDeletion {
    pub mode: DeletionMode,
    pub requested_at: DateTime<Utc>,
    /// When the scheduler processes it, unless cancelled before.
    pub scheduled_for: DateTime<Utc>,
}

impl TryFrom<entity::scheduled_deletion::Model> for PendingDeletion {
    type Error = AppError;
    fn try_from(m: entity::scheduled_deletion::Model) -> Result<Self, AppError> {
        let mode = DeletionMode::parse(&m.mode).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("unknown deletion mode `{}`", m.mode))
        })?;
        Ok(Self {
            mode,
            requested_at: m.requested_at,
            scheduled_for: m.due_at,
        })
    }
}

#[derive(InputObject)]
pub struct RequestAccountDeletionInput {
    /// The current password; required for accounts that have one (not for
    /// accounts that sign in only through OAuth).
    pub password: Option<String>,
    pub mode: DeletionMode,
}

#[derive(Default)]
pub struct AccountDeletionMutation;

#[Object]
impl AccountDeletionMutation {
    /// Schedules the caller's account for deletion after the grace period.
    /// Every session (this one included) and API token ends at once; a
    /// notice is mailed. Sign in again to see or cancel it.
    async fn request_account_deletion(
        &self,
        ctx: &Context<'_>,
        input: RequestAccountDeletionInput,
    ) -> Result<PendingDeletion> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        let client = ctx.data_opt::<ClientInfo>().cloned().unwrap_or_default();
        Ok(request::request(
            state,
            &client,
            user_id,
            input.password,
            input.mode,
            Utc::now(),
        )
        .await?
        .try_into()?)
    }

    /// Cancels the caller's pending deletion. Returns true.
    async fn cancel_account_deletion(&self, ctx: &Context<'_>) -> Result<bool> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        request::cancel(state, user_id).await?;
        Ok(true)
    }
}
