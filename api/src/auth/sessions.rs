//! Sessions are refresh-token families. A session is live while its head
//! token (neither rotated nor revoked, unexpired) exists; access tokens name
//! their session (`sid`) and are refused once it is not live.
//!
//! Liveness is checked with one indexed query per request
//! (`ix_refresh_tokens_family`) rather than a cache, so a revocation takes
//! effect on every API instance at once. The same row carries the session's
//! last-used time, written at most once a minute per session.

use chrono::{DateTime, Duration, Utc};
use entity::refresh_token;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use std::collections::HashMap;
use uuid::Uuid;

use super::refresh;
use crate::error::{AppError, AppResult};

/// How stale `last_used_at` may get before a request writes it again.
const TOUCH_EVERY_SECS: i64 = 60;

/// A signed-in device as its owner sees it.
pub struct LiveSession {
    pub id: Uuid,
    pub user_agent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

fn live_heads(user_id: Uuid) -> sea_orm::Select<refresh_token::Entity> {
    refresh_token::Entity::find()
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::RotatedAt.is_null())
        .filter(refresh_token::Column::ExpiresAt.gt(Utc::now()))
}

/// True when `session_id` is a live session of `user_id`; records the use.
/// A deleted user's tokens are gone with them (cascade), so their sessions
/// are not live either.
pub async fn touch_if_live(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    session_id: Uuid,
) -> AppResult<bool> {
    let Some(head) = live_heads(user_id)
        .filter(refresh_token::Column::FamilyId.eq(session_id))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let now = Utc::now();
    let stale = head
        .last_used_at
        .is_none_or(|t| now - t > Duration::seconds(TOUCH_EVERY_SECS));
    if stale {
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::LastUsedAt, Expr::value(now))
            .filter(refresh_token::Column::Id.eq(head.id))
            .exec(db)
            .await?;
    }
    Ok(true)
}

/// The user's live sessions, most recently started first.
pub async fn list(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<LiveSession>> {
    let heads = live_heads(user_id)
        .order_by_desc(refresh_token::Column::CreatedAt)
        .all(db)
        .await?;
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    // A session started when its family's first token was issued.
    let started: HashMap<Uuid, DateTime<Utc>> = refresh_token::Entity::find()
        .select_only()
        .column(refresh_token::Column::FamilyId)
        .column_as(refresh_token::Column::CreatedAt.min(), "started")
        .filter(refresh_token::Column::FamilyId.is_in(heads.iter().map(|h| h.family_id)))
        .group_by(refresh_token::Column::FamilyId)
        .into_tuple::<(Uuid, DateTime<Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut sessions: Vec<LiveSession> = heads
        .into_iter()
        .map(|h| LiveSession {
            id: h.family_id,
            created_at: started.get(&h.family_id).copied().unwrap_or(h.created_at),
            last_used_at: h.last_used_at.unwrap_or(h.created_at),
            user_agent: h.user_agent,
        })
        .collect();
    sessions.sort_by_key(|s| std::cmp::Reverse(s.created_at));
    Ok(sessions)
}

/// Ends one of the user's live sessions; another user's session, or one
/// already ended, is NOT_FOUND.
pub async fn revoke(db: &impl ConnectionTrait, user_id: Uuid, session_id: Uuid) -> AppResult<()> {
    let exists = live_heads(user_id)
        .filter(refresh_token::Column::FamilyId.eq(session_id))
        .one(db)
        .await?
        .is_some();
    if !exists {
        return Err(AppError::NotFound("session"));
    }
    refresh::revoke_family(db, session_id).await
}
