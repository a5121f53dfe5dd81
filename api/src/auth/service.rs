//! Register, log in, refresh, log out (here or everywhere), change the
//! password.

use chrono::Utc;
use englog_core::validation::{
    normalize_email, validate_email, validate_password, validate_required_text, validate_timezone,
};
use englog_core::{FieldError, Limits};
use entity::user;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::client::ClientInfo;
use super::rate_limit::Action;
use super::{password, refresh};
use crate::error::{AppError, AppResult};
use crate::profile::preferences::Preferences;
use crate::state::AppState;
use crate::tags::service::seed_predefined;

pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub timezone: Option<String>,
}

/// Tokens of a fresh or refreshed session.
pub struct Session {
    pub access_token: String,
    pub access_expires_at: chrono::DateTime<Utc>,
    pub refresh_token: String,
    pub user: user::Model,
}

fn validate_account(input: &NewAccount) -> Vec<FieldError> {
    let checks = [
        validate_email("email", &normalize_email(&input.email)),
        validate_password("password", &input.password),
        validate_required_text("firstName", &input.first_name, Limits::NAME_MAX),
        validate_required_text("lastName", &input.last_name, Limits::NAME_MAX),
        input
            .timezone
            .as_deref()
            .map_or(Ok(()), |tz| validate_timezone("timezone", tz)),
    ];
    checks.into_iter().filter_map(Result::err).collect()
}

pub async fn register(
    state: &AppState,
    client: &ClientInfo,
    input: NewAccount,
) -> AppResult<Session> {
    state
        .limiter
        .hit(
            Action::Register,
            client.ip,
            Some(&normalize_email(&input.email)),
        )
        .await?;
    let errors = validate_account(&input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let email = normalize_email(&input.email);
    let hash = password::hash(input.password).await?;
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    let user = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        password_hash: Set(Some(hash)),
        email_verified: Set(false),
        first_name: Set(input.first_name.trim().to_owned()),
        last_name: Set(input.last_name.trim().to_owned()),
        timezone: Set(input.timezone.unwrap_or_else(|| "UTC".into())),
        preferences: Set(Preferences::default().to_json()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(AppError::conflict_on(
        "email",
        "an account with this email already exists",
    ))?;
    seed_predefined(&txn, user.id).await?;
    let session = start_session(state, &txn, client, user, Uuid::now_v7()).await?;
    txn.commit().await?;
    Ok(session)
}

pub async fn login(
    state: &AppState,
    client: &ClientInfo,
    email: &str,
    password: &str,
) -> AppResult<Session> {
    state
        .limiter
        .hit(Action::Login, client.ip, Some(&normalize_email(email)))
        .await?;
    let user = user::Entity::find()
        .filter(user::Column::Email.eq(normalize_email(email)))
        .one(&state.db)
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    // Always verify, against a dummy hash if need be: an unknown email and a
    // wrong password answer alike and in comparable time.
    let ok = password::verify(password.to_owned(), stored).await?;
    match user {
        Some(user) if ok => start_session(state, &state.db, client, user, Uuid::now_v7()).await,
        _ => Err(AppError::InvalidCredentials),
    }
}

pub async fn refresh_session(
    state: &AppState,
    client: &ClientInfo,
    token: &str,
) -> AppResult<Session> {
    state.limiter.hit(Action::Refresh, client.ip, None).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let outcome = refresh::rotate(&txn, token).await;
    let (user_id, family_id) = match outcome {
        Ok(ids) => ids,
        Err(err) => {
            // Keep a family revocation caused by a replay, and stop
            // honouring that session's access tokens here at once.
            txn.commit().await?;
            if let Some(family) = refresh::family_of(&state.db, token).await? {
                state.sessions.forget_session(family);
            }
            return Err(err);
        }
    };
    let user = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let session = start_session(state, &txn, client, user, family_id).await?;
    txn.commit().await?;
    Ok(session)
}

/// Ends the sign-in that `token` belongs to. Unknown tokens are ignored so
/// logging out twice is harmless.
pub async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    if let Some(family) = refresh::family_of(&state.db, token).await? {
        refresh::revoke_family(&state.db, family).await?;
        state.sessions.forget_session(family);
    }
    Ok(())
}

/// Ends every session of the user, this one included.
pub async fn logout_everywhere(state: &AppState, user_id: Uuid) -> AppResult<()> {
    refresh::revoke_all_of_user(&state.db, user_id).await?;
    state.sessions.forget_user(user_id);
    Ok(())
}

/// Replaces the password after checking the current one, ends every
/// session (whoever knew the old password may hold one) and starts a new
/// session for the caller so they stay signed in here.
pub async fn change_password(
    state: &AppState,
    client: &ClientInfo,
    user_id: Uuid,
    current: &str,
    new: String,
) -> AppResult<Session> {
    // The current password can be guessed here too: same limit as login.
    state
        .limiter
        .hit(Action::PasswordCheck, client.ip, Some(&user_id.to_string()))
        .await?;
    let user = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !password::verify(current.to_owned(), user.password_hash.clone()).await? {
        return Err(AppError::field("currentPassword", "is incorrect"));
    }
    validate_password("newPassword", &new)?;
    let hash = password::hash(new).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active: user::ActiveModel = user.into();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(Utc::now());
    let user = active.update(&txn).await?;
    refresh::revoke_all_of_user(&txn, user_id).await?;
    let session = start_session(state, &txn, client, user, Uuid::now_v7()).await?;
    txn.commit().await?;
    state.sessions.forget_user(user_id);
    Ok(session)
}

pub(super) async fn start_session(
    state: &AppState,
    db: &impl sea_orm::ConnectionTrait,
    client: &ClientInfo,
    user: user::Model,
    family_id: Uuid,
) -> AppResult<Session> {
    let access = state.keys.issue_access(user.id, family_id)?;
    let issued = refresh::issue(
        db,
        user.id,
        family_id,
        state.settings.refresh_token_ttl_secs,
        client.user_agent.as_deref(),
    )
    .await?;
    Ok(Session {
        access_token: access.token,
        access_expires_at: access.expires_at,
        refresh_token: issued.token,
        user,
    })
}
