//! Pending sign-ins. `state` goes to the provider; a random binding value
//! goes to the browser in an HttpOnly cookie; both are stored hashed with
//! the PKCE verifier. The callback must present the state *and* the cookie
//! of the browser that started, within ten minutes, once.

use chrono::{Duration, Utc};
use entity::oauth_login_state;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::super::refresh::{digest, generate};
use crate::error::AppResult;

const TTL_SECS: i64 = 600;

/// What the start of a sign-in hands out to the browser's cookie.
pub struct Started {
    pub browser_binding: String,
}

/// Why a callback is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown or tampered state, another browser, or another provider.
    InvalidState,
    /// Already used (a replayed callback) or too old.
    Expired,
}

pub async fn start(
    db: &impl ConnectionTrait,
    provider: &str,
    pkce_verifier: &str,
    state: &str,
) -> AppResult<Started> {
    let browser_binding = generate();
    let now = Utc::now();
    // Old rows are swept as new sign-ins start; they are useless anyway.
    oauth_login_state::Entity::delete_many()
        .filter(oauth_login_state::Column::ExpiresAt.lt(now - Duration::seconds(TTL_SECS)))
        .exec(db)
        .await?;
    oauth_login_state::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_hash: Set(digest(state)),
        browser_hash: Set(digest(&browser_binding)),
        provider: Set(provider.to_owned()),
        pkce_verifier: Set(pkce_verifier.to_owned()),
        expires_at: Set(now + Duration::seconds(TTL_SECS)),
        consumed_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(Started { browser_binding })
}

/// Consumes a pending sign-in and returns its PKCE verifier.
pub async fn consume(
    db: &impl ConnectionTrait,
    provider: &str,
    state: &str,
    browser_binding: Option<&str>,
) -> AppResult<Result<String, Refusal>> {
    let Some(row) = oauth_login_state::Entity::find()
        .filter(oauth_login_state::Column::StateHash.eq(digest(state)))
        .one(db)
        .await?
    else {
        return Ok(Err(Refusal::InvalidState));
    };
    let same_browser = browser_binding.is_some_and(|b| digest(b) == row.browser_hash);
    if !same_browser || row.provider != provider {
        return Ok(Err(Refusal::InvalidState));
    }
    let now = Utc::now();
    if row.consumed_at.is_some() || row.expires_at <= now {
        return Ok(Err(Refusal::Expired));
    }
    // Conditional update: of two concurrent callbacks only one proceeds.
    let claimed = oauth_login_state::Entity::update_many()
        .col_expr(oauth_login_state::Column::ConsumedAt, Expr::value(now))
        .filter(oauth_login_state::Column::Id.eq(row.id))
        .filter(oauth_login_state::Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(Err(Refusal::Expired));
    }
    Ok(Ok(row.pkce_verifier))
}
