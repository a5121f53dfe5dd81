//! An entry with what a reader needs beside it (tag names, project), loaded
//! for a whole page at once: one query per relation, never one per entry.

use entity::{log_entry, log_entry_tag, project, tag};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationDef,
};
use std::collections::HashMap;
use uuid::Uuid;

use crate::error::AppResult;
use crate::projects::service::find_many;

pub struct EntryView {
    pub entry: log_entry::Model,
    pub tags: Vec<String>,
    pub project: Option<project::Model>,
}

#[derive(FromQueryResult)]
struct EntryTagName {
    log_entry_id: Uuid,
    name: String,
}

fn entry_tag_to_tag() -> RelationDef {
    log_entry_tag::Entity::belongs_to(tag::Entity)
        .from(log_entry_tag::Column::TagId)
        .to(tag::Column::Id)
        .into()
}

pub async fn load_views(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entries: Vec<log_entry::Model>,
) -> AppResult<Vec<EntryView>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = entries.iter().map(|e| e.id).collect();
    let mut tags: HashMap<Uuid, Vec<String>> = HashMap::new();
    let rows = log_entry_tag::Entity::find()
        .select_only()
        .column(log_entry_tag::Column::LogEntryId)
        .column(tag::Column::Name)
        .join(JoinType::InnerJoin, entry_tag_to_tag())
        .filter(log_entry_tag::Column::LogEntryId.is_in(ids))
        .order_by_asc(tag::Column::Name)
        .into_model::<EntryTagName>()
        .all(db)
        .await?;
    for row in rows {
        tags.entry(row.log_entry_id).or_default().push(row.name);
    }
    let mut project_ids: Vec<Uuid> = entries.iter().filter_map(|e| e.project_id).collect();
    project_ids.sort_unstable();
    project_ids.dedup();
    let projects = find_many(db, user_id, project_ids).await?;
    Ok(entries
        .into_iter()
        .map(|entry| EntryView {
            tags: tags.remove(&entry.id).unwrap_or_default(),
            project: entry.project_id.and_then(|p| projects.get(&p).cloned()),
            entry,
        })
        .collect())
}
