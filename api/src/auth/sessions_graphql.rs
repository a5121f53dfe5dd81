//! `sessions` and `revokeSession`: the caller's signed-in devices.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::caller::require_session;
use super::sessions::{self, LiveSession};
use crate::state::AppState;

/// A signed-in device.
#[derive(SimpleObject)]
#[graphql(name = "Session")]
pub struct SessionView {
    pub id: Uuid,
    /// The User-Agent it signed in (or last refreshed) with.
    pub user_agent: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Last refresh or request, to within a minute.
    pub last_used_at: DateTime<Utc>,
    /// The session making this request.
    pub current: bool,
}

fn view(s: LiveSession, current: Uuid) -> SessionView {
    SessionView {
        current: s.id == current,
        id: s.id,
        user_agent: s.user_agent,
        created_at: s.created_at,
        last_used_at: s.last_used_at,
    }
}

#[derive(Default)]
pub struct SessionsQuery;

#[Object]
impl SessionsQuery {
    /// The caller's live sessions, most recent first.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<SessionView>> {
        let (user_id, current) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(sessions::list(&state.db, user_id)
            .await?
            .into_iter()
            .map(|s| view(s, current))
            .collect())
    }
}

#[derive(Default)]
pub struct SessionsMutation;

#[Object]
impl SessionsMutation {
    /// Signs a device out: its refresh and access tokens stop working.
    async fn revoke_session(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let (user_id, _) = require_session(ctx)?;
        let state = ctx.data::<AppState>()?;
        sessions::revoke(&state.db, user_id, id).await?;
        state.sessions.forget_session(id);
        Ok(true)
    }
}
