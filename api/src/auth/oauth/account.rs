//! Finds or creates the EngLog account of an external identity. An identity
//! already linked signs in its user. Otherwise only a *verified* email may
//! link to an existing account (an unverified one would let anyone who can
//! type a victim's address into a provider take the account over); a new
//! account also needs a verified email, so nobody can squat an address.

use chrono::Utc;
use englog_core::validation::normalize_email;
use entity::{oauth_identity, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::identity::ExternalIdentity;
use crate::error::AppResult;
use crate::profile::preferences::Preferences;
use crate::tags::service::seed_predefined;

/// Why an identity cannot sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    EmailUnverified,
}

pub async fn user_for(
    db: &impl ConnectionTrait,
    provider: &str,
    identity: &ExternalIdentity,
) -> AppResult<Result<user::Model, Refusal>> {
    let linked = oauth_identity::Entity::find()
        .filter(oauth_identity::Column::Provider.eq(provider))
        .filter(oauth_identity::Column::Subject.eq(&identity.subject))
        .one(db)
        .await?;
    if let Some(link) = linked
        && let Some(user) = user::Entity::find_by_id(link.user_id).one(db).await?
    {
        return Ok(Ok(user));
    }
    let email = match &identity.email {
        Some(email) if identity.email_verified => normalize_email(email),
        _ => return Ok(Err(Refusal::EmailUnverified)),
    };
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let user = match existing {
        Some(user) => user,
        None => create_user(db, &email, identity.name.as_deref()).await?,
    };
    oauth_identity::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        provider: Set(provider.to_owned()),
        subject: Set(identity.subject.clone()),
        email: Set(Some(email)),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(Ok(user))
}

async fn create_user(
    db: &impl ConnectionTrait,
    email: &str,
    name: Option<&str>,
) -> AppResult<user::Model> {
    let (first, last) = split_name(name.unwrap_or_else(|| email.split('@').next().unwrap_or("")));
    let now = Utc::now();
    let user = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.to_owned()),
        // Signs in through the provider only, until a password is set.
        password_hash: Set(None),
        email_verified: Set(true),
        first_name: Set(first),
        last_name: Set(last),
        timezone: Set("UTC".into()),
        preferences: Set(Preferences::default().to_json()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    seed_predefined(db, user.id).await?;
    Ok(user)
}

fn split_name(name: &str) -> (String, String) {
    let name: String = name.trim().chars().take(100).collect();
    match name.split_once(' ') {
        Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
        None => (name, String::new()),
    }
}
