//! An entry with what a reader needs beside it (tag names, project): a
//! list page comes with both in the same statement ([`page_views`]); entries
//! already in hand get one query per relation ([`load_views`]), never one
//! per entry.

use entity::{log_entry, log_entry_tag, project, tag};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, IdenStatic,
    Iterable, JoinType, QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait, RelationDef,
    Select,
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
///
/// Columns are read by position, in the order selected here: by name,
/// sea-orm formats each prefixed name and sqlx looks it up, which was ~8 %
/// of a 50-entry page's CPU (issue 18).
pub async fn page_views(
    db: &impl ConnectionTrait,
    page: Select<log_entry::Entity>,
) -> AppResult<Vec<EntryView>> {
    let backend = db.get_database_backend();
    let mut select = page
        .select_only()
        .columns(log_entry::Column::iter())
        .join(JoinType::LeftJoin, entry_to_project());
    for column in project::Column::iter() {
        select = select.column_as(
            Expr::col((project::Entity, column)),
            format!("p_{}", column.as_str()),
        );
    }
    let statement = select
        .expr_as(tag_names_json(backend), "tag_names")
        .build(backend);
    let rows = db.query_all_raw(statement).await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let entry = entry_at(&row)?;
        let project = project_at(&row, ENTRY_COLUMNS)?;
        let names: Option<String> = row.try_get_by_index(ENTRY_COLUMNS + PROJECT_COLUMNS)?;
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

/// Columns of `log_entries` and `projects`, as their entities declare them
/// (a test keeps these in step with the entities).
const ENTRY_COLUMNS: usize = 16;
const PROJECT_COLUMNS: usize = 10;

/// An entry from the first columns of `row`, in `log_entry::Column` order.
fn entry_at(row: &QueryResult) -> Result<log_entry::Model, DbErr> {
    Ok(log_entry::Model {
        id: row.try_get_by_index(0)?,
        user_id: row.try_get_by_index(1)?,
        project_id: row.try_get_by_index(2)?,
        title: row.try_get_by_index(3)?,
        description: row.try_get_by_index(4)?,
        activity_type: row.try_get_by_index(5)?,
        start_time: row.try_get_by_index(6)?,
        end_time: row.try_get_by_index(7)?,
        duration_minutes: row.try_get_by_index(8)?,
        value_rating: row.try_get_by_index(9)?,
        impact_level: row.try_get_by_index(10)?,
        is_draft: row.try_get_by_index(11)?,
        source: row.try_get_by_index(12)?,
        external_uid: row.try_get_by_index(13)?,
        created_at: row.try_get_by_index(14)?,
        updated_at: row.try_get_by_index(15)?,
    })
}

/// The left-joined project from `row` at `at`, in `project::Column` order;
/// `None` when the join found none.
fn project_at(row: &QueryResult, at: usize) -> Result<Option<project::Model>, DbErr> {
    let Some(id) = row.try_get_by_index::<Option<Uuid>>(at)? else {
        return Ok(None);
    };
    Ok(Some(project::Model {
        id,
        user_id: row.try_get_by_index(at + 1)?,
        name: row.try_get_by_index(at + 2)?,
        description: row.try_get_by_index(at + 3)?,
        status: row.try_get_by_index(at + 4)?,
        start_date: row.try_get_by_index(at + 5)?,
        end_date: row.try_get_by_index(at + 6)?,
        color: row.try_get_by_index(at + 7)?,
        created_at: row.try_get_by_index(at + 8)?,
        updated_at: row.try_get_by_index(at + 9)?,
    }))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `entry_at` and `project_at` read columns by position: a column added
    /// to either entity must be added there too.
    #[test]
    fn positional_reads_match_the_entities() {
        assert_eq!(log_entry::Column::iter().count(), ENTRY_COLUMNS);
        assert_eq!(project::Column::iter().count(), PROJECT_COLUMNS);
    }
}
