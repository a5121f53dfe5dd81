//! Personal API tokens for integrations: `elg_` + 256 random bits, shown
//! once, stored as SHA-256 with a short visible prefix, scoped read or
//! read-write, optionally expiring, revocable.

use chrono::{DateTime, Duration, Utc};
use englog_core::FieldError;
use entity::api_token;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use uuid::Uuid;

use super::caller::TokenScope;
use super::refresh::{digest, generate};
use crate::error::{AppError, AppResult};

/// Every API token starts with this, so the server (and secret scanners)
/// can tell it from a JWT.
pub const TOKEN_PREFIX: &str = "elg_";
/// Characters of the token kept in clear to tell tokens apart.
const VISIBLE_CHARS: usize = 12;
const NAME_MAX: usize = 100;
/// How stale `last_used_at` may get before a request writes it again.
const TOUCH_EVERY_SECS: i64 = 60;

pub struct NewApiToken {
    pub name: String,
    pub scope: TokenScope,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A created token: its clear text exists only here.
pub struct CreatedApiToken {
    pub token: String,
    pub model: api_token::Model,
}

pub fn looks_like_api_token(bearer: &str) -> bool {
    bearer.starts_with(TOKEN_PREFIX)
}

pub async fn create(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    input: NewApiToken,
) -> AppResult<CreatedApiToken> {
    let name = input.name.trim().to_owned();
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("name", "must not be empty"));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "name",
            format!("must be at most {NAME_MAX} characters"),
        ));
    }
    let now = Utc::now();
    if input.expires_at.is_some_and(|t| t <= now) {
        errors.push(FieldError::new("expiresAt", "must be in the future"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let token = format!("{TOKEN_PREFIX}{}", generate());
    let model = api_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        name: Set(name),
        token_hash: Set(digest(&token)),
        prefix: Set(token.chars().take(VISIBLE_CHARS).collect()),
        scope: Set(input.scope.as_str().to_owned()),
        expires_at: Set(input.expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(CreatedApiToken { token, model })
}

/// The user's tokens that are not revoked, newest first (expired ones too,
/// so their owner sees why an integration stopped working).
pub async fn list(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Revokes one of the user's tokens; anyone else's is NOT_FOUND.
pub async fn revoke(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> AppResult<()> {
    let revoked = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if revoked.rows_affected == 0 {
        return Err(AppError::NotFound("API token"));
    }
    Ok(())
}

/// The (user, token id, scope) of a usable token, recording its use; `None`
/// for an unknown, revoked or expired token.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: &str,
) -> AppResult<Option<(Uuid, Uuid, TokenScope)>> {
    let now = Utc::now();
    let Some(row) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(digest(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.expires_at.is_some_and(|t| t <= now) {
        return Ok(None);
    }
    let stale = row
        .last_used_at
        .is_none_or(|t| now - t > Duration::seconds(TOUCH_EVERY_SECS));
    if stale {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(Some((row.user_id, row.id, TokenScope::parse(&row.scope))))
}
