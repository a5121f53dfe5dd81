//! The filtered, newest-first, keyset-paginated entry list.

use chrono::{DateTime, Utc};
use englog_core::{ActivityType, ImpactLevel, Limits, ValueRating};
use entity::{log_entry, log_entry_tag, tag};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QueryResult,
    QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use uuid::Uuid;

use super::cursor::EntryCursor;
use super::page_sql;
use super::views::{EntryParts, EntryView, page_statement, views_of};
use crate::error::{AppError, AppResult};
use crate::tags::service::clean_names;

#[derive(Default, Debug)]
pub struct EntryFilter {
    /// Entries starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Entries starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub project_id: Option<Uuid>,
    pub types: Vec<ActivityType>,
    /// Entries carrying any of these tags.
    pub tags: Vec<String>,
    pub value_ratings: Vec<ValueRating>,
    pub impact_levels: Vec<ImpactLevel>,
    /// Case-insensitive substring of the title or description.
    pub search: Option<String>,
    /// Only drafts (`true`) or only reviewed entries (`false`).
    pub draft: Option<bool>,
}

impl EntryFilter {
    /// No filter: every entry of the person's.
    pub fn is_empty(&self) -> bool {
        let Self {
            from,
            to,
            project_id,
            types,
            tags,
            value_ratings,
            impact_levels,
            search,
            draft,
        } = self;
        from.is_none()
            && to.is_none()
            && project_id.is_none()
            && types.is_empty()
            && tags.is_empty()
            && value_ratings.is_empty()
            && impact_levels.is_empty()
            && search.is_none()
            && draft.is_none()
    }
}

pub struct EntryPage {
    pub entries: Vec<EntryView>,
    pub has_next_page: bool,
}

/// A page as its statement answered it: the rows of [`page_statement`] for
/// the `parts` asked for, read later ([`views_of`], or straight to JSON).
pub struct RowPage {
    pub rows: Vec<QueryResult>,
    pub has_next_page: bool,
}

/// Escapes LIKE wildcards so a search for `100%` finds that text.
fn like_pattern(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

fn conditions(user_id: Uuid, filter: &EntryFilter) -> AppResult<Condition> {
    let mut cond = Condition::all().add(log_entry::Column::UserId.eq(user_id));
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to <= from
    {
        return Err(AppError::field("filter.to", "must be after filter.from"));
    }
    if let Some(from) = filter.from {
        cond = cond.add(log_entry::Column::StartTime.gte(from));
    }
    if let Some(to) = filter.to {
        cond = cond.add(log_entry::Column::StartTime.lt(to));
    }
    if let Some(project_id) = filter.project_id {
        cond = cond.add(log_entry::Column::ProjectId.eq(project_id));
    }
    if let Some(draft) = filter.draft {
        cond = cond.add(log_entry::Column::IsDraft.eq(draft));
    }
    if !filter.types.is_empty() {
        cond = cond
            .add(log_entry::Column::ActivityType.is_in(filter.types.iter().map(|t| t.as_str())));
    }
    if !filter.value_ratings.is_empty() {
        cond = cond.add(
            log_entry::Column::ValueRating.is_in(filter.value_ratings.iter().map(|v| v.as_str())),
        );
    }
    if !filter.impact_levels.is_empty() {
        cond = cond.add(
            log_entry::Column::ImpactLevel.is_in(filter.impact_levels.iter().map(|v| v.as_str())),
        );
    }
    if !filter.tags.is_empty() {
        let names = clean_names("filter.tags", &filter.tags)?;
        let tagged = log_entry_tag::Entity::find()
            .select_only()
            .column(log_entry_tag::Column::LogEntryId)
            .filter(
                log_entry_tag::Column::TagId.in_subquery(
                    tag::Entity::find()
                        .select_only()
                        .column(tag::Column::Id)
                        .filter(tag::Column::UserId.eq(user_id))
                        .filter(tag::Column::Name.is_in(names))
                        .into_query(),
                ),
            )
            .into_query();
        cond = cond.add(log_entry::Column::Id.in_subquery(tagged));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if search.chars().count() > 200 {
            return Err(AppError::field(
                "filter.search",
                "must be at most 200 characters",
            ));
        }
        let pattern = like_pattern(search);
        let matches = |col: log_entry::Column| {
            Expr::expr(Func::lower(Expr::col((log_entry::Entity, col))))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        cond = cond.add(
            Condition::any()
                .add(matches(log_entry::Column::Title))
                .add(matches(log_entry::Column::Description)),
        );
    }
    Ok(cond)
}

pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    filter: &EntryFilter,
    first: usize,
    after: Option<&str>,
    parts: &EntryParts,
) -> AppResult<EntryPage> {
    let page = list_rows(db, user_id, filter, first, after, parts).await?;
    Ok(EntryPage {
        entries: views_of(&page.rows, parts)?,
        has_next_page: page.has_next_page,
    })
}

/// [`list`]'s page as rows, not yet read.
pub async fn list_rows(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    filter: &EntryFilter,
    first: usize,
    after: Option<&str>,
    parts: &EntryParts,
) -> AppResult<RowPage> {
    if first == 0 || first > Limits::PAGE_MAX {
        return Err(AppError::field(
            "first",
            format!("must be between 1 and {}", Limits::PAGE_MAX),
        ));
    }
    let mut cond = conditions(user_id, filter)?;
    let cursor = match after {
        Some(after) => Some(
            EntryCursor::decode(after)
                .ok_or_else(|| AppError::field("after", "is not a cursor from this list"))?,
        ),
        None => None,
    };
    if let Some(cursor) = &cursor {
        // Strictly older than the cursor in (start_time, id) order.
        cond = cond.add(
            Condition::any()
                .add(log_entry::Column::StartTime.lt(cursor.start_time))
                .add(
                    Condition::all()
                        .add(log_entry::Column::StartTime.eq(cursor.start_time))
                        .add(log_entry::Column::Id.lt(cursor.id)),
                ),
        );
    }
    let backend = db.get_database_backend();
    let limit = (first + 1) as u64;
    let build = || {
        let page = log_entry::Entity::find()
            .filter(cond)
            .order_by_desc(log_entry::Column::StartTime)
            .order_by_desc(log_entry::Column::Id)
            .limit(limit);
        page_sql::literal_limit(page_statement(backend, page, parts), limit)
    };
    let statement = if filter.is_empty() {
        page_sql::statement(backend, user_id, cursor.as_ref(), limit, parts, build)
    } else {
        build()
    };
    let mut rows = db.query_all_raw(statement).await?;
    let has_next_page = rows.len() > first;
    rows.truncate(first);
    Ok(RowPage {
        rows,
        has_next_page,
    })
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_text_is_literal() {
        assert_eq!(like_pattern("100%_Done"), "%100\\%\\_done%");
    }
}
