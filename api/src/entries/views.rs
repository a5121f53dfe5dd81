//! An entry with what a reader needs beside it (tag names, project): a
//! list page comes with both in the same statement ([`page_views`]); entries
//! already in hand get one query per relation ([`load_views`]), never one
//! per entry.

use entity::{log_entry, log_entry_tag, project, tag};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, RelationDef, Select,
    sea_query::{Expr, ExprTrait, IntoCondition},
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

fn entry_to_project() -> RelationDef {
    // The project must be the entry owner's too, whatever `project_id` says.
    log_entry::Entity::belongs_to(project::Entity)
        .from(log_entry::Column::ProjectId)
        .to(project::Column::Id)
        .on_condition(|entry, project| {
            Expr::col((project, project::Column::UserId))
                .equals((entry, log_entry::Column::UserId))
                .into_condition()
        })
        .into()
}

/// The entry's tag names in name order as one JSON array (text), by a
/// correlated subquery in the backend's own dialect.
fn tag_names_json(backend: DbBackend) -> Expr {
    Expr::cust(match backend {
        DbBackend::Sqlite => {
            "(SELECT json_group_array(name) FROM (SELECT t.name FROM log_entry_tags et \
             JOIN tags t ON t.id = et.tag_id WHERE et.log_entry_id = log_entries.id \
             ORDER BY t.name))"
        }
        _ => {
            "(SELECT json_agg(t.name ORDER BY t.name)::text FROM log_entry_tags et \
             JOIN tags t ON t.id = et.tag_id WHERE et.log_entry_id = log_entries.id)"
        }
    })
}

/// The entries `page` selects, each with its tag names (in name order) and
/// its project, in one statement: the project by a left join, the names as
/// a JSON array from a correlated subquery.
pub async fn page_views(
    db: &impl ConnectionTrait,
    page: Select<log_entry::Entity>,
) -> AppResult<Vec<EntryView>> {
    let backend = db.get_database_backend();
    let statement = page
        .select_also(project::Entity)
        .join(JoinType::LeftJoin, entry_to_project())
        .expr_as(tag_names_json(backend), "tag_names")
        .build(backend);
    let rows = db.query_all_raw(statement).await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let entry = log_entry::Model::from_query_result(&row, "A_")?;
        let project = project::Model::from_query_result_optional(&row, "B_")?;
        let names: Option<String> = row.try_get("", "tag_names")?;
        let tags = match names {
            Some(json) => serde_json::from_str(&json).map_err(anyhow::Error::from)?,
            None => Vec::new(),
        };
        views.push(EntryView {
            entry,
            tags,
            project,
        });
    }
    Ok(views)
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
