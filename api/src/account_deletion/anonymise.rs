//! ANONYMISE, after the seed's `AnonymizeUserData`: the account stays as an
//! anonymous shell so aggregate figures (time per type, value, impact) keep
//! their rows, but nothing identifies or describes the person any more:
//!
//! - user: email `anon_<random>@anonymised.invalid`, name "Anonymous User",
//!   time zone UTC, preferences `{"privacy": "anonymized"}`, no password;
//! - entries: title "Anonymised entry", description removed (times, type,
//!   value, impact and project/tag links stay);
//! - projects: renamed "Project <random>", description removed;
//! - tags: the predefined ones stay, others are renamed `anon-<random>`;
//! - reports, jobs, sessions, API tokens, connectors (their credentials
//!   and cursors), the running timer and OAuth identities are deleted
//!   (the seed removes insights: they are free text about the person);
//! - every broker message about the user is purged, as for DELETE.
//!
//! Nobody can sign in to an anonymised account afterwards.

use chrono::{DateTime, Utc};
use englog_core::predefined_tags::PREDEFINED_TAGS;
use entity::{
    api_token, connector, insight, job, log_entry, oauth_identity, project, refresh_token,
    running_timer, scheduled_deletion, tag, user,
};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    sea_query::Expr,
};
use uuid::Uuid;

use super::process::{cancel_jobs, purge_broker};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The random end of a (v4 or v7) id: a unique, meaningless new name for a
/// row whose name must stay unique per user.
fn id_tail(id: Uuid) -> String {
    let hex = id.simple().to_string();
    hex[hex.len() - 12..].to_owned()
}

fn anonymous_email() -> String {
    let mut bytes = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("anon_{hex}@anonymised.invalid")
}

async fn anonymise_rows(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let account = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let mut active = account.into_active_model();
    active.email = Set(anonymous_email());
    active.password_hash = Set(None);
    active.email_verified = Set(false);
    active.first_name = Set("Anonymous".into());
    active.last_name = Set("User".into());
    active.timezone = Set("UTC".into());
    active.preferences = Set(serde_json::json!({ "privacy": "anonymized" }));
    active.updated_at = Set(now);
    active.update(db).await?;

    log_entry::Entity::update_many()
        .col_expr(log_entry::Column::Title, Expr::value("Anonymised entry"))
        .col_expr(
            log_entry::Column::Description,
            Expr::value(Option::<String>::None),
        )
        .col_expr(log_entry::Column::UpdatedAt, Expr::value(now))
        .filter(log_entry::Column::UserId.eq(user_id))
        .exec(db)
        .await?;

    let projects = project::Entity::find()
        .filter(project::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    for p in projects {
        let name = format!("Project {}", id_tail(p.id));
        let mut active = p.into_active_model();
        active.name = Set(name);
        active.description = Set(None);
        active.updated_at = Set(now);
        active.update(db).await?;
    }

    let predefined: Vec<&str> = PREDEFINED_TAGS.iter().map(|t| t.name).collect();
    let own_tags = tag::Entity::find()
        .filter(tag::Column::UserId.eq(user_id))
        .filter(tag::Column::Name.is_not_in(predefined))
        .all(db)
        .await?;
    for t in own_tags {
        let name = format!("anon-{}", id_tail(t.id));
        let mut active = t.into_active_model();
        active.name = Set(name);
        active.updated_at = Set(now);
        active.update(db).await?;
    }

    insight::Entity::delete_many()
        .filter(insight::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    job::Entity::delete_many()
        .filter(job::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    refresh_token::Entity::delete_many()
        .filter(refresh_token::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    api_token::Entity::delete_many()
        .filter(api_token::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // Connector credentials and cursors name the person's accounts.
    connector::Entity::delete_many()
        .filter(connector::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    oauth_identity::Entity::delete_many()
        .filter(oauth_identity::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // Its title describes the work like an entry's did.
    running_timer::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    Ok(())
}

pub async fn run(
    state: &AppState,
    request: &scheduled_deletion::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    cancel_jobs(state, request.user_id).await?;
    purge_broker(state, request.user_id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    anonymise_rows(&txn, request.user_id, now).await?;
    let mut done = request.clone().into_active_model();
    done.processed_at = Set(Some(now));
    done.update(&txn).await?;
    txn.commit().await?;
    purge_broker(state, request.user_id).await?;
    Ok(())
}
