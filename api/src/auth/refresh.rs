//! Refresh tokens: opaque random strings, stored only as SHA-256, rotated on
//! every use. A family is one sign-in; presenting a token that was already
//! rotated revokes its whole family (RFC 9700 §4.14.2).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use entity::refresh_token;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn digest(token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

pub struct IssuedRefresh {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Stores a new token in `family_id` and returns its clear text.
/// `user_agent` names the device in the list of sessions.
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    family_id: Uuid,
    ttl_secs: i64,
    user_agent: Option<&str>,
) -> AppResult<IssuedRefresh> {
    let token = generate();
    let now = Utc::now();
    let expires_at = now + Duration::seconds(ttl_secs);
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        user_id: Set(user_id),
        token_hash: Set(digest(&token)),
        user_agent: Set(user_agent.map(truncate_user_agent)),
        expires_at: Set(expires_at),
        rotated_at: Set(None),
        revoked_at: Set(None),
        last_used_at: Set(Some(now)),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(IssuedRefresh { token, expires_at })
}

/// Consumes `token` and returns its (user, family). A replayed token revokes
/// its family; unknown, expired or revoked tokens are refused alike.
pub async fn rotate(db: &impl ConnectionTrait, token: &str) -> AppResult<(Uuid, Uuid)> {
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(digest(token)))
        .one(db)
        .await?
    else {
        return Err(AppError::Unauthenticated);
    };
    let now = Utc::now();
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(AppError::Unauthenticated);
    }
    // Conditional update: of two concurrent uses only one can win.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RotatedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::RotatedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        tracing::warn!(family = %row.family_id, "refresh token replayed; revoking its family");
        revoke_family(db, row.family_id).await?;
        return Err(AppError::Unauthenticated);
    }
    Ok((row.user_id, row.family_id))
}

/// The column holds 200 characters; longer User-Agent strings are cut on a
/// character boundary.
fn truncate_user_agent(ua: &str) -> String {
    ua.chars().take(200).collect()
}

pub async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The family of a token, whatever its state, if the token exists.
pub async fn family_of(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<Uuid>> {
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(digest(token)))
        .one(db)
        .await?
        .map(|row| row.family_id))
}

/// Revokes every session of a user ("sign out everywhere", password change).
pub async fn revoke_all_of_user(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
