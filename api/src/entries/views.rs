//! An entry with what a reader needs beside it (tag names, project): a
//! list page comes with both in the same statement ([`views_of`]); entries
//! already in hand get one query per relation ([`load_views`]), never one
//! per entry.

use chrono::{DateTime, Utc};
use entity::{log_entry, log_entry_tag, project, tag};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, IdenStatic,
    Iterable, JoinType, QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait, RelationDef,
    Select, Statement,
    sea_query::{Expr, ExprTrait, IntoCondition},
};
use std::collections::HashMap;
use uuid::Uuid;

use crate::db_read::{column, pg_column};
use crate::error::AppResult;
use crate::projects::service::find_many;

/// The parts of a listed entry its reader asked for. A page selects and
/// decodes only those (issue 18: the benchmark's page asks for 9 of the 27
/// columns an entry and its project have); what is not selected keeps a
/// placeholder in the model, which no answer shows.
#[derive(Debug, Clone)]
pub struct EntryParts {
    /// Entry columns in `log_entry::Column` order; always `id` and
    /// `start_time`, which the page's cursors are made of.
    columns: Vec<log_entry::Column>,
    /// The project's columns in `project::Column` order, always its `id`
    /// (whether the join found one, and the key of its totals); `None`
    /// when the project is not asked for.
    project: Option<Vec<project::Column>>,
    tags: bool,
}

impl EntryParts {
    /// Whether the page selects the entry's `column`; one it does not holds
    /// a placeholder (an empty stored enum, which does not parse).
    pub fn selects(&self, column: log_entry::Column) -> bool {
        self.columns.iter().any(|c| c.as_str() == column.as_str())
    }

    /// Whether the page selects its projects' `column`, as [`Self::selects`].
    pub fn selects_project(&self, column: project::Column) -> bool {
        self.project
            .as_ref()
            .is_some_and(|columns| columns.iter().any(|c| c.as_str() == column.as_str()))
    }

    /// The entry columns a page selects, in the order of its row.
    pub fn columns(&self) -> &[log_entry::Column] {
        &self.columns
    }

    /// The project columns a page selects (its `id` first), in the order of
    /// its row from [`Self::project_at`] on; `None` when not asked for.
    pub fn project_columns(&self) -> Option<&[project::Column]> {
        self.project.as_deref()
    }

    /// Where a page's row holds its project's columns.
    pub fn project_at(&self) -> usize {
        self.columns.len()
    }

    /// Where a page's row holds its tag names, when [`Self::reads_tags`].
    pub fn tags_at(&self) -> usize {
        self.project_at() + self.project.as_ref().map_or(0, Vec::len)
    }

    /// Whether a page reads its entries' tag names.
    pub fn reads_tags(&self) -> bool {
        self.tags
    }

    /// What a page's statement text depends on, as bits: the columns
    /// selected (always in their enum's order, so which ones says it all),
    /// whether the project is joined, whether the tags are read.
    pub fn key(&self) -> u64 {
        // 16 entry columns from bit 0, 10 project columns from bit 20.
        let mut key = 0u64;
        for &column in &self.columns {
            key |= 1 << (column as u64);
        }
        if let Some(columns) = &self.project {
            key |= 1 << 40;
            for &column in columns {
                key |= 1 << (20 + column as u64);
            }
        }
        if self.tags {
            key |= 1 << 41;
        }
        key
    }

    /// Every column, the project and the tags.
    pub fn all() -> Self {
        Self {
            columns: log_entry::Column::iter().collect(),
            project: Some(project::Column::iter().collect()),
            tags: true,
        }
    }

    /// The parts a GraphQL `LogEntry` selection needs, given whether it
    /// selects the field of each name, and the field of each name of its
    /// `project`.
    pub fn for_graphql(
        selects: impl Fn(&str) -> bool,
        selects_project: impl Fn(&str) -> bool,
    ) -> Self {
        use log_entry::Column as C;
        let columns = log_entry::Column::iter()
            .filter(|column| match column {
                C::Id | C::StartTime => true,
                C::Title => selects("title"),
                C::Description => selects("description"),
                C::ActivityType => selects("activityType"),
                C::ProjectId => selects("projectId"),
                C::EndTime => selects("endTime"),
                C::DurationMinutes => selects("durationMinutes"),
                C::ValueRating => selects("valueRating"),
                C::ImpactLevel => selects("impactLevel"),
                C::IsDraft => selects("isDraft"),
                C::CreatedAt => selects("createdAt"),
                C::UpdatedAt => selects("updatedAt"),
                // Not part of the GraphQL type.
                C::UserId | C::Source | C::ExternalUid => false,
            })
            .collect();
        let project = selects("project").then(|| {
            use project::Column as P;
            project::Column::iter()
                .filter(|column| match column {
                    P::Id => true,
                    P::Name => selects_project("name"),
                    P::Description => selects_project("description"),
                    P::Status => selects_project("status"),
                    P::StartDate => selects_project("startDate"),
                    P::EndDate => selects_project("endDate"),
                    P::Color => selects_project("color"),
                    P::CreatedAt => selects_project("createdAt"),
                    P::UpdatedAt => selects_project("updatedAt"),
                    // Not part of the GraphQL type; the join checks it.
                    P::UserId => false,
                })
                .collect()
        });
        Self {
            columns,
            project,
            tags: selects("tags"),
        }
    }
}

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

/// The entry's tag names in name order, by a correlated subquery: a text
/// array on PostgreSQL (sent in binary, decoded without parsing; its
/// `json_agg` had both sides write and parse JSON), a JSON array on SQLite,
/// which has no arrays. [`tag_names_at`] reads either.
fn tag_names(backend: DbBackend) -> Expr {
    Expr::cust(match backend {
        DbBackend::Sqlite => {
            "(SELECT json_group_array(name) FROM (SELECT t.name FROM log_entry_tags et \
             JOIN tags t ON t.id = et.tag_id WHERE et.log_entry_id = log_entries.id \
             ORDER BY t.name))"
        }
        _ => {
            "(SELECT array_agg(t.name ORDER BY t.name) FROM log_entry_tags et \
             JOIN tags t ON t.id = et.tag_id WHERE et.log_entry_id = log_entries.id)"
        }
    })
}

/// The tag names [`tag_names`] put in column `at` of `row`; no tags is NULL.
fn tag_names_at(row: &QueryResult, at: usize) -> AppResult<Vec<String>> {
    if let Some(names) = pg_column::<Option<Vec<String>>>(row, at) {
        return Ok(names?.unwrap_or_default());
    }
    Ok(match row.try_get_by_index::<Option<String>>(at)? {
        Some(json) => serde_json::from_str(&json).map_err(anyhow::Error::from)?,
        None => Vec::new(),
    })
}

/// The entries of `rows`, which a page's statement ([`page_statement`])
/// read with the `parts` asked for: each with its tag names (in name order)
/// and its project, in one statement: the project by a left join, the
/// names from a correlated subquery ([`tag_names`]).
///
/// Columns are read by position, in the order selected here: by name,
/// sea-orm formats each prefixed name and sqlx looks it up, which was ~8 %
/// of a 50-entry page's CPU (issue 18).
pub fn views_of(rows: &[QueryResult], parts: &EntryParts) -> AppResult<Vec<EntryView>> {
    let project_at_index = parts.project_at();
    let tags_at = parts.tags_at();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let entry = entry_at(row, &parts.columns)?;
        let project = match &parts.project {
            Some(columns) => project_at(row, project_at_index, columns)?,
            None => None,
        };
        let tags = if parts.tags {
            tag_names_at(row, tags_at)?
        } else {
            Vec::new()
        };
        views.push(EntryView {
            entry,
            tags,
            project,
        });
    }
    Ok(views)
}

/// The statement of [`views_of`]: `page` selecting `parts`.
pub fn page_statement(
    backend: DbBackend,
    page: Select<log_entry::Entity>,
    parts: &EntryParts,
) -> Statement {
    let mut select = page.select_only().columns(parts.columns.iter().copied());
    if let Some(project_columns) = &parts.project {
        select = select.join(JoinType::LeftJoin, entry_to_project());
        for &column in project_columns {
            select = select.column_as(
                Expr::col((project::Entity, column)),
                format!("p_{}", column.as_str()),
            );
        }
    }
    if parts.tags {
        select = select.expr_as(tag_names(backend), "tag_names");
    }
    select.build(backend)
}

/// An entry from the first columns of `row`, which are `columns` in that
/// order; the others keep [`placeholder_entry`]'s values.
fn entry_at(row: &QueryResult, columns: &[log_entry::Column]) -> Result<log_entry::Model, DbErr> {
    use log_entry::Column as C;
    let mut entry = placeholder_entry();
    for (at, selected) in columns.iter().enumerate() {
        match selected {
            C::Id => entry.id = column(row, at)?,
            C::UserId => entry.user_id = column(row, at)?,
            C::ProjectId => entry.project_id = column(row, at)?,
            C::Title => entry.title = column(row, at)?,
            C::Description => entry.description = column(row, at)?,
            C::ActivityType => entry.activity_type = column(row, at)?,
            C::StartTime => entry.start_time = column(row, at)?,
            C::EndTime => entry.end_time = column(row, at)?,
            C::DurationMinutes => entry.duration_minutes = column(row, at)?,
            C::ValueRating => entry.value_rating = column(row, at)?,
            C::ImpactLevel => entry.impact_level = column(row, at)?,
            C::IsDraft => entry.is_draft = column(row, at)?,
            C::Source => entry.source = column(row, at)?,
            C::ExternalUid => entry.external_uid = column(row, at)?,
            C::CreatedAt => entry.created_at = column(row, at)?,
            C::UpdatedAt => entry.updated_at = column(row, at)?,
        }
    }
    Ok(entry)
}

/// What an entry holds in a column that was not selected, never shown.
/// Its stored enums are empty, which allocates nothing (three `String`s a
/// row when they held valid values, 150 of a page's ~900 allocations,
/// issue 18): a reader parses only the columns [`EntryParts::selects`].
pub(super) fn placeholder_entry() -> log_entry::Model {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    log_entry::Model {
        id: Uuid::nil(),
        user_id: Uuid::nil(),
        project_id: None,
        title: String::new(),
        description: None,
        activity_type: String::new(),
        start_time: epoch,
        end_time: epoch,
        duration_minutes: 0,
        value_rating: String::new(),
        impact_level: String::new(),
        is_draft: false,
        source: None,
        external_uid: None,
        created_at: epoch,
        updated_at: epoch,
    }
}

/// The left-joined project from `row`: `columns` (starting with `id`) from
/// position `at` on; the others keep [`placeholder_project`]'s values.
/// `None` when the join found none.
fn project_at(
    row: &QueryResult,
    at: usize,
    columns: &[project::Column],
) -> Result<Option<project::Model>, DbErr> {
    use project::Column as P;
    let Some(id) = column::<Option<Uuid>>(row, at)? else {
        return Ok(None);
    };
    let mut project = placeholder_project(id);
    for (at, selected) in (at..).zip(columns) {
        match selected {
            P::Id => {}
            P::UserId => project.user_id = column(row, at)?,
            P::Name => project.name = column(row, at)?,
            P::Description => project.description = column(row, at)?,
            P::Status => project.status = column(row, at)?,
            P::StartDate => project.start_date = column(row, at)?,
            P::EndDate => project.end_date = column(row, at)?,
            P::Color => project.color = column(row, at)?,
            P::CreatedAt => project.created_at = column(row, at)?,
            P::UpdatedAt => project.updated_at = column(row, at)?,
        }
    }
    Ok(Some(project))
}

/// What a listed project holds in a column that was not selected, as
/// [`placeholder_entry`] for an entry: an empty status.
fn placeholder_project(id: Uuid) -> project::Model {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    project::Model {
        id,
        user_id: Uuid::nil(),
        name: String::new(),
        description: None,
        status: String::new(),
        start_date: None,
        end_date: None,
        color: None,
        created_at: epoch,
        updated_at: epoch,
    }
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
    use englog_core::{ActivityType, ImpactLevel, ProjectStatus, ValueRating};

    #[test]
    fn a_graphql_selection_picks_its_columns_and_always_the_cursor() {
        let parts = EntryParts::for_graphql(|field| matches!(field, "title" | "tags"), |_| true);
        use log_entry::Column as C;
        let names: Vec<&str> = parts.columns.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, [C::Id, C::Title, C::StartTime].map(|c| c.as_str()));
        assert!(parts.tags && parts.project.is_none());
        let all = EntryParts::all();
        assert_eq!(all.columns.len(), log_entry::Column::iter().count());
        assert_eq!(
            all.project.map(|columns| columns.len()),
            Some(project::Column::iter().count())
        );
    }

    #[test]
    fn a_project_selection_picks_its_columns_and_always_the_id() {
        let parts = EntryParts::for_graphql(
            |field| field == "project",
            |field| matches!(field, "name" | "entryCount"),
        );
        use project::Column as P;
        let names: Vec<&str> = parts
            .project
            .expect("the project is asked for")
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(names, [P::Id, P::Name].map(|c| c.as_str()));
    }

    #[test]
    fn placeholders_allocate_nothing_and_are_never_taken_for_stored_values() {
        let entry = placeholder_entry();
        let project = placeholder_project(Uuid::nil());
        for text in [
            &entry.activity_type,
            &entry.value_rating,
            &entry.impact_level,
            &project.status,
        ] {
            assert_eq!(text.capacity(), 0);
        }
        // A reader that parsed an unselected column would fail, not show
        // a made-up value.
        assert!(entry.activity_type.parse::<ActivityType>().is_err());
        assert!(entry.value_rating.parse::<ValueRating>().is_err());
        assert!(entry.impact_level.parse::<ImpactLevel>().is_err());
        assert!(project.status.parse::<ProjectStatus>().is_err());
    }

    #[test]
    fn a_key_tells_every_selection_apart() {
        // Entry columns take bits 0–19 and project columns 20–39: more
        // columns than that would make two selections share a key.
        assert!(log_entry::Column::iter().count() <= 20);
        assert!(project::Column::iter().count() <= 20);
        let with = |field: &'static str| {
            EntryParts::for_graphql(move |f| f == field, move |f| f == "status")
        };
        let keys: Vec<u64> = ["title", "tags", "project", "isDraft", "nothing"]
            .into_iter()
            .map(|field| with(field).key())
            .chain([EntryParts::all().key()])
            .collect();
        for (at, key) in keys.iter().enumerate() {
            assert!(!keys[at + 1..].contains(key), "{keys:?}");
        }
    }

    #[test]
    fn parts_say_which_columns_a_page_selects() {
        let parts = EntryParts::for_graphql(|field| field == "project", |field| field == "status");
        assert!(parts.selects(log_entry::Column::Id));
        assert!(!parts.selects(log_entry::Column::ActivityType));
        assert!(parts.selects_project(project::Column::Status));
        assert!(!parts.selects_project(project::Column::Name));
        let bare = EntryParts::for_graphql(|field| field == "title", |_| true);
        assert!(!bare.selects_project(project::Column::Id));
    }
}
