//! Asking for and cancelling an account deletion.
//!
//! On request every session (refresh-token family) and API token of the
//! account ends in the same transaction that records the request. Signing
//! in again still works during the grace period — that is how a person
//! cancels — and shows the request in `me.pendingDeletion`; cancelling
//! restores normal use (revoked API tokens stay revoked).

use chrono::{DateTime, Duration, Utc};
use englog_core::FieldError;
use entity::{api_token, scheduled_deletion, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::{DeletionMode, notice};
use crate::auth::client::ClientInfo;
use crate::auth::rate_limit::Action;
use crate::auth::{password, refresh};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The account's request that is neither cancelled nor processed.
pub async fn pending(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Option<scheduled_deletion::Model>> {
    Ok(scheduled_deletion::Entity::find()
        .filter(scheduled_deletion::Column::UserId.eq(user_id))
        .filter(scheduled_deletion::Column::CancelledAt.is_null())
        .filter(scheduled_deletion::Column::ProcessedAt.is_null())
        .one(db)
        .await?)
}

/// A password account must confirm with its password; an account that
/// signs in only through OAuth has none to give.
async fn confirm(user: &user::Model, given: Option<String>) -> AppResult<()> {
    if user.password_hash.is_none() {
        return Ok(());
    }
    let given = given
        .filter(|p| !p.is_empty())
        .ok_or_else(|| AppError::field("input.password", "is required"))?;
    if !password::verify(given, user.password_hash.clone()).await? {
        return Err(AppError::field("input.password", "is incorrect"));
    }
    Ok(())
}

pub async fn request(
    state: &AppState,
    client: &ClientInfo,
    user_id: Uuid,
    given_password: Option<String>,
    mode: DeletionMode,
    now: DateTime<Utc>,
) -> AppResult<scheduled_deletion::Model> {
    // The password can be guessed here too: same limit as login.
    state
        .limiter
        .hit(Action::PasswordCheck, client.ip, Some(&user_id.to_string()))
        .await?;
    let user = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    confirm(&user, given_password).await?;
    let due = now + Duration::days(i64::from(state.settings.deletion_grace_days));
    let txn = crate::db::begin_write(&state.db).await?;
    let existing = scheduled_deletion::Entity::find()
        .filter(scheduled_deletion::Column::UserId.eq(user_id))
        .one(&txn)
        .await?;
    // One row per account (unique user_id): a new request after a
    // cancelled one reuses it.
    let row = match existing {
        Some(row) if row.cancelled_at.is_none() && row.processed_at.is_none() => {
            return Err(AppError::Conflict(FieldError::new(
                "input",
                "a deletion is already scheduled; cancel it first to change it",
            )));
        }
        Some(row) => {
            let mut active: scheduled_deletion::ActiveModel = row.into();
            active.mode = Set(mode.as_str().into());
            active.requested_at = Set(now);
            active.due_at = Set(due);
            active.cancelled_at = Set(None);
            active.processed_at = Set(None);
            active.update(&txn).await?
        }
        None => {
            scheduled_deletion::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(user_id),
                mode: Set(mode.as_str().into()),
                requested_at: Set(now),
                due_at: Set(due),
                cancelled_at: Set(None),
                processed_at: Set(None),
            }
            .insert(&txn)
            .await?
        }
    };
    refresh::revoke_all_of_user(&txn, user_id).await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    state.sessions.forget_user(user_id);
    tracing::info!(user = %user_id, mode = mode.as_str(), %due, "account deletion requested");
    notice::requested(state, &user.email, mode, due).await;
    Ok(row)
}

pub async fn cancel(state: &AppState, user_id: Uuid) -> AppResult<()> {
    let row = pending(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound("pending deletion"))?;
    let mut active: scheduled_deletion::ActiveModel = row.into();
    active.cancelled_at = Set(Some(Utc::now()));
    active.update(&state.db).await?;
    tracing::info!(user = %user_id, "account deletion cancelled");
    if let Some(user) = user::Entity::find_by_id(user_id).one(&state.db).await? {
        notice::cancelled(state, &user.email).await;
    }
    Ok(())
}
