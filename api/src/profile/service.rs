//! Reading and updating the caller's own profile.

use chrono::Utc;
use englog_core::Limits;
use englog_core::validation::{validate_optional_text, validate_required_text, validate_timezone};
use entity::user;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::preferences::{Preferences, PreferencesInput};
use crate::error::{AppError, AppResult};
use crate::nudge::rules::in_week_order;
use crate::state::AppState;

pub async fn get(db: &DatabaseConnection, user_id: Uuid) -> AppResult<user::Model> {
    // A valid token for a user that no longer exists authenticates no one.
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)
}

pub struct ProfileChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub timezone: Option<String>,
}

pub async fn update_profile(
    db: &DatabaseConnection,
    user_id: Uuid,
    changes: ProfileChanges,
) -> AppResult<user::Model> {
    let mut errors = Vec::new();
    if let Some(v) = &changes.first_name {
        errors.extend(validate_required_text("firstName", v, Limits::NAME_MAX).err());
    }
    if let Some(v) = &changes.last_name {
        errors.extend(validate_required_text("lastName", v, Limits::NAME_MAX).err());
    }
    if let Some(v) = &changes.timezone {
        errors.extend(validate_timezone("timezone", v).err());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut active = get(db, user_id).await?.into_active_model();
    if let Some(v) = changes.first_name {
        active.first_name = Set(v.trim().to_owned());
    }
    if let Some(v) = changes.last_name {
        active.last_name = Set(v.trim().to_owned());
    }
    if let Some(v) = changes.timezone {
        active.timezone = Set(v);
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Applies `input`; the instance then forgets what it remembered about
/// the person's writes queueing no enrichment job (auto-enrich may be on
/// now).
pub async fn update_preferences(
    state: &AppState,
    user_id: Uuid,
    input: PreferencesInput,
) -> AppResult<user::Model> {
    let db = &state.db;
    if let Some(lang) = &input.report_language {
        validate_required_text("reportLanguage", lang, 35)?;
        validate_optional_text("reportLanguage", lang, 35)?;
    }
    let current = get(db, user_id).await?;
    let mut prefs = Preferences::from_json(&current.preferences);
    if let Some(v) = input.report_language {
        prefs.report_language = v;
    }
    if let Some(v) = input.week_start {
        prefs.week_start = v;
    }
    if let Some(v) = input.default_activity_type {
        prefs.default_activity_type = v;
    }
    if let Some(v) = input.email_report_ready {
        prefs.email_report_ready = v;
    }
    if let Some(v) = input.email_weekly_summary {
        prefs.email_weekly_summary = v;
    }
    if let Some(v) = input.auto_enrich {
        prefs.auto_enrich = v;
    }
    if let Some(v) = input.missed_day_nudge {
        prefs.missed_day_nudge = v;
    }
    if let Some(v) = input.workdays {
        prefs.workdays = v;
    }
    prefs.workdays = in_week_order(&prefs.workdays, prefs.week_start);
    let mut active = current.into_active_model();
    active.preferences = Set(prefs.to_json());
    active.updated_at = Set(Utc::now());
    let user = active.update(db).await?;
    state.no_job.forget(&user_id);
    Ok(user)
}
