//! Configuring connectors: add or change one (its token sealed at once),
//! list, get, remove, and ask for a sync now. Every statement is scoped to
//! the caller: another person's connector is a missing one.

use chrono::{Duration, Utc};
use entity::connector;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

use super::calendar::access::{self, CalendarAccess};
use super::kind::{ConnectorKind, ConnectorStatus};
use super::settings::ConnectorSettings;
use super::vault::Vault;
use crate::error::{AppError, AppResult};

/// The non-secret settings kept as JSON beside a connector.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct StoredSettings {
    /// Repository (`owner/name` or just `name`) → project name.
    pub projects: BTreeMap<String, String>,
    /// The account the token belongs to, learnt from the last check.
    pub account: Option<String>,
}

impl StoredSettings {
    pub fn from_json(value: &serde_json::Value) -> Self {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }
}

pub struct ConnectorInput {
    pub kind: ConnectorKind,
    pub base_url: Option<String>,
    /// Required for a new connector; absent keeps the stored one.
    pub token: Option<String>,
    pub interval_minutes: Option<u32>,
    pub projects: Option<BTreeMap<String, String>>,
    /// A calendar's CalDAV user name (the token is then its password).
    pub username: Option<String>,
}

/// What is sealed in a connector's credentials.
enum Credentials {
    /// A forge's token, if given.
    Token(Option<String>),
    /// A calendar's address and optional user name and password.
    Calendar(CalendarAccess),
}

/// The row's base URL and the credentials to seal, checked.
fn credentials(input: &ConnectorInput) -> AppResult<(String, Credentials)> {
    if input.kind == ConnectorKind::Calendar {
        let raw = input.base_url.as_deref().unwrap_or("");
        if raw.trim().is_empty() {
            return Err(AppError::field(
                "baseUrl",
                "is required: the calendar's ICS feed or CalDAV address",
            ));
        }
        let access = CalendarAccess {
            url: access::clean_url(raw)?,
            username: input
                .username
                .as_deref()
                .map(access::check_username)
                .transpose()?
                .flatten(),
            password: input
                .token
                .as_deref()
                .map(access::check_password)
                .transpose()?,
        };
        return Ok((access.stored_base_url(), Credentials::Calendar(access)));
    }
    if input.username.is_some() {
        return Err(AppError::field(
            "username",
            "is only for a CALENDAR connector (CalDAV)",
        ));
    }
    let base_url = clean_base_url(
        input
            .base_url
            .as_deref()
            .or(input.kind.default_base_url())
            .unwrap_or_default(),
    )?;
    let token = input.token.as_deref().map(check_token).transpose()?;
    Ok((base_url, Credentials::Token(token)))
}

const TOKEN_MAX: usize = 500;
const RULES_MAX: usize = 200;

/// `https://host[:port][/path]` without credentials, query or fragment,
/// and without a trailing slash.
pub fn clean_base_url(raw: &str) -> AppResult<String> {
    let invalid = |why: &str| AppError::field("baseUrl", why.to_owned());
    let url = reqwest::Url::parse(raw.trim()).map_err(|_| invalid("must be an http(s) URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid("must be an http(s) URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not hold a user name or password; use the token field",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    let text = url.as_str().trim_end_matches('/').to_owned();
    if text.len() > 500 {
        return Err(invalid("must be at most 500 characters"));
    }
    Ok(text)
}

fn check_token(token: &str) -> AppResult<String> {
    let token = token.trim();
    if token.is_empty() || token.len() > TOKEN_MAX || token.chars().any(char::is_whitespace) {
        return Err(AppError::field(
            "token",
            format!("must be 1 to {TOKEN_MAX} characters without spaces"),
        ));
    }
    Ok(token.to_owned())
}

fn check_interval(settings: &ConnectorSettings, minutes: Option<u32>) -> AppResult<i32> {
    let secs = minutes.map_or(settings.default_interval_secs, |m| m.saturating_mul(60));
    if secs < settings.min_interval_secs || secs > 7 * 24 * 3600 {
        return Err(AppError::field(
            "intervalMinutes",
            format!(
                "must be between {} minutes and 7 days",
                settings.min_interval_secs / 60
            ),
        ));
    }
    i32::try_from(secs).map_err(|_| AppError::field("intervalMinutes", "too large"))
}

fn check_rules(rules: &BTreeMap<String, String>) -> AppResult<()> {
    if rules.len() > RULES_MAX {
        return Err(AppError::field(
            "projectRules",
            format!("at most {RULES_MAX} rules"),
        ));
    }
    for (repository, project) in rules {
        if repository.trim().is_empty() || project.trim().is_empty() || repository.len() > 200 {
            return Err(AppError::field(
                "projectRules",
                "each rule needs a repository and a project name",
            ));
        }
    }
    Ok(())
}

pub async fn list(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<connector::Model>> {
    Ok(connector::Entity::find()
        .filter(connector::Column::UserId.eq(user_id))
        .order_by_asc(connector::Column::CreatedAt)
        .all(db)
        .await?)
}

pub async fn get(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<connector::Model> {
    connector::Entity::find_by_id(id)
        .filter(connector::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("connector"))
}

/// Adds the connector, or changes the one of the same kind and base URL.
/// A new or changed connector syncs at the next scheduler pass.
pub async fn configure(
    db: &impl ConnectionTrait,
    vault: &Vault,
    settings: &ConnectorSettings,
    user_id: Uuid,
    input: ConnectorInput,
) -> AppResult<connector::Model> {
    let (base_url, credentials) = credentials(&input)?;
    let interval = check_interval(settings, input.interval_minutes)?;
    if let Some(rules) = &input.projects {
        check_rules(rules)?;
    }
    let now = Utc::now();
    let existing = connector::Entity::find()
        .filter(connector::Column::UserId.eq(user_id))
        .filter(connector::Column::Kind.eq(input.kind.as_str()))
        .filter(connector::Column::BaseUrl.eq(base_url.clone()))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut stored = StoredSettings::from_json(&row.settings);
            if let Some(rules) = input.projects {
                stored.projects = rules;
            }
            let id = row.id;
            let mut active = row.into_active_model();
            match credentials {
                Credentials::Token(Some(token)) => {
                    active.sealed_credentials = Set(vault.seal(id, &token).map_err(internal)?);
                    stored.account = None;
                }
                Credentials::Token(None) => {}
                Credentials::Calendar(mut access) => {
                    // Absent fields keep what was stored (the password is
                    // never shown, so it is not sent back on every change).
                    if let Ok(before) =
                        CalendarAccess::open(vault, id, active.sealed_credentials.as_ref())
                    {
                        if input.username.is_none() {
                            access.username = before.username;
                        }
                        if access.password.is_none() {
                            access.password = before.password;
                        }
                    }
                    active.sealed_credentials = Set(access.seal(vault, id).map_err(internal)?);
                    stored.account = None;
                }
            }
            active.settings = Set(serde_json::to_value(&stored).map_err(internal)?);
            active.interval_secs = Set(interval);
            active.next_sync_at = Set(now);
            active.updated_at = Set(now);
            Ok(active.update(db).await?)
        }
        None => {
            let id = Uuid::now_v7();
            let sealed = match credentials {
                Credentials::Token(Some(token)) => vault.seal(id, &token).map_err(internal)?,
                Credentials::Token(None) => return Err(AppError::field("token", "is required")),
                Credentials::Calendar(access) => access.seal(vault, id).map_err(internal)?,
            };
            let stored = StoredSettings {
                projects: input.projects.unwrap_or_default(),
                account: None,
            };
            Ok(connector::ActiveModel {
                id: Set(id),
                user_id: Set(user_id),
                kind: Set(input.kind.as_str().to_owned()),
                base_url: Set(base_url),
                settings: Set(serde_json::to_value(&stored).map_err(internal)?),
                sealed_credentials: Set(sealed),
                cursor: Set(None),
                interval_secs: Set(interval),
                status: Set(ConnectorStatus::Pending.as_str().to_owned()),
                next_sync_at: Set(now),
                lease_until: Set(None),
                last_sync_at: Set(None),
                last_success_at: Set(None),
                last_error: Set(None),
                consecutive_failures: Set(0),
                last_created: Set(0),
                last_updated: Set(0),
                last_removed: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await
            .map_err(AppError::conflict_on(
                "baseUrl",
                "a connector for this source is being added at the same time",
            ))?)
        }
    }
}

/// Sealing or encoding failed: a server fault, logged with its cause.
fn internal(err: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("storing a connector: {err}"))
}

/// Removes the connector and its credentials; the drafts it brought stay
/// (the person decides about them).
pub async fn remove(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> AppResult<()> {
    let gone = connector::Entity::delete_many()
        .filter(connector::Column::Id.eq(id))
        .filter(connector::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound("connector"));
    }
    Ok(())
}

/// Makes the connector due now (the scheduler, or the caller, runs it).
pub async fn request_sync(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<connector::Model> {
    let row = get(db, user_id, id).await?;
    let now = Utc::now();
    let mut active = row.into_active_model();
    active.next_sync_at = Set(now - Duration::seconds(1));
    active.updated_at = Set(now);
    Ok(active.update(db).await?)
}
