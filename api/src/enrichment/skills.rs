//! Each person's skills vocabulary: the defaults of
//! `englog_core::enrichment::DEFAULT_SKILLS`, minus those they removed, plus
//! those they added. Only changes are stored.

use chrono::Utc;
use englog_core::enrichment::DEFAULT_SKILLS;
use entity::user_skill;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::OnConflict};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

const MAX_SKILLS: usize = 100;
const MAX_SKILL_CHARS: usize = 50;

/// The caller's vocabulary, alphabetical.
pub async fn vocabulary(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<String>> {
    let changes = user_skill::Entity::find()
        .filter(user_skill::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let mut skills: Vec<String> = DEFAULT_SKILLS
        .iter()
        .map(|s| (*s).to_owned())
        .filter(|s| !changes.iter().any(|c| c.removed && &c.name == s))
        .collect();
    for c in changes.iter().filter(|c| !c.removed) {
        if !skills.contains(&c.name) {
            skills.push(c.name.clone());
        }
    }
    skills.sort();
    Ok(skills)
}

/// Skill names are lowercase, trimmed, 1 to 50 characters.
pub fn clean(name: &str) -> AppResult<String> {
    let name = name.trim().to_lowercase();
    if name.is_empty() || name.chars().count() > MAX_SKILL_CHARS || name.contains('\n') {
        return Err(AppError::field(
            "name",
            format!("a skill is 1 to {MAX_SKILL_CHARS} characters on one line"),
        ));
    }
    Ok(name)
}

async fn set(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    name: String,
    removed: bool,
) -> AppResult<()> {
    user_skill::Entity::insert(user_skill::ActiveModel {
        user_id: Set(user_id),
        name: Set(name),
        removed: Set(removed),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([user_skill::Column::UserId, user_skill::Column::Name])
            .update_column(user_skill::Column::Removed)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

pub async fn add(db: &impl ConnectionTrait, user_id: Uuid, name: &str) -> AppResult<Vec<String>> {
    let name = clean(name)?;
    let current = vocabulary(db, user_id).await?;
    if !current.contains(&name) && current.len() >= MAX_SKILLS {
        return Err(AppError::field(
            "name",
            format!("a vocabulary holds at most {MAX_SKILLS} skills"),
        ));
    }
    set(db, user_id, name, false).await?;
    vocabulary(db, user_id).await
}

pub async fn remove(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    name: &str,
) -> AppResult<Vec<String>> {
    let name = clean(name)?;
    if !vocabulary(db, user_id).await?.contains(&name) {
        return Err(AppError::NotFound("skill"));
    }
    if DEFAULT_SKILLS.contains(&name.as_str()) {
        set(db, user_id, name, true).await?;
    } else {
        user_skill::Entity::delete_many()
            .filter(user_skill::Column::UserId.eq(user_id))
            .filter(user_skill::Column::Name.eq(name))
            .exec(db)
            .await?;
    }
    vocabulary(db, user_id).await
}
