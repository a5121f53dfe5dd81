//! Log entry queries and mutations.

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::cursor::EntryCursor;
use super::details::EntryDetails;
use super::drafts;
use super::list::{self, EntryFilter};
use super::listed::ListedEntry;
use super::listed_page::ListedPage;
use super::row_page::PageRows;
use super::service::{self, EntryChanges, NewEntry};
use super::views::{EntryParts, EntryView};
use crate::auth::require_user;
use crate::enrichment::queue::AutoEnrich;
use crate::error::AppError;
use crate::graphql::enums::{ActivityTypeGql, ImpactLevelGql, ValueRatingGql, parse_stored};
use crate::graphql::maybe::patch;
use crate::projects::graphql::Project;
use crate::projects::service as projects_service;
use crate::state::AppState;

/// One logged activity.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct LogEntry {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityTypeGql,
    pub project_id: Option<Uuid>,
    pub project: Option<Project>,
    /// Tag names, alphabetical.
    pub tags: Vec<String>,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    /// Whole minutes from start to end.
    pub duration_minutes: i32,
    pub value_rating: ValueRatingGql,
    pub impact_level: ImpactLevelGql,
    /// Imported and not yet reviewed (e.g. a calendar event to rate);
    /// `updateLogEntry(input: {isDraft: false})` confirms it.
    pub is_draft: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<EntryView> for LogEntry {
    type Error = AppError;
    fn try_from(mut v: EntryView) -> Result<Self, AppError> {
        let e = &v.entry;
        let activity_type = parse_stored(&e.activity_type)?;
        let value_rating = parse_stored(&e.value_rating)?;
        let impact_level = parse_stored(&e.impact_level)?;
        let project = v.project.take().map(Project::bare).transpose()?;
        Ok(Self::with(
            v,
            activity_type,
            value_rating,
            impact_level,
            project,
        ))
    }
}

impl LogEntry {
    /// An entry of a list page, which holds only the columns `parts`
    /// selected: the stored enums of the others are empty placeholders
    /// (`views::views_of`), answered as defaults no reader asked for.
    pub(super) fn listed(mut v: EntryView, parts: &EntryParts) -> Result<Self, AppError> {
        use entity::log_entry::Column as C;
        let e = &v.entry;
        let activity_type = if parts.selects(C::ActivityType) {
            parse_stored(&e.activity_type)?
        } else {
            englog_core::ActivityType::Code
        };
        let value_rating = stored_or_default(&e.value_rating, parts.selects(C::ValueRating))?;
        let impact_level = stored_or_default(&e.impact_level, parts.selects(C::ImpactLevel))?;
        let selects_status = parts.selects_project(entity::project::Column::Status);
        let project = v
            .project
            .take()
            .map(|project| Project::listed(project, selects_status))
            .transpose()?;
        Ok(Self::with(
            v,
            activity_type,
            value_rating,
            impact_level,
            project,
        ))
    }

    fn with(
        v: EntryView,
        activity_type: englog_core::ActivityType,
        value_rating: englog_core::ValueRating,
        impact_level: englog_core::ImpactLevel,
        project: Option<Project>,
    ) -> Self {
        let e = v.entry;
        Self {
            id: e.id,
            title: e.title,
            description: e.description,
            activity_type: activity_type.into(),
            project_id: e.project_id,
            project,
            tags: v.tags,
            start_time: e.start_time,
            end_time: e.end_time,
            duration_minutes: e.duration_minutes,
            value_rating: value_rating.into(),
            impact_level: impact_level.into(),
            is_draft: e.is_draft,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A stored enum of a listed entry: parsed when its column was selected,
/// else the default (the column holds an empty placeholder).
fn stored_or_default<T>(text: &str, selected: bool) -> anyhow::Result<T>
where
    T: std::str::FromStr + Default,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    if selected {
        parse_stored(text)
    } else {
        Ok(T::default())
    }
}

fn to_entries(views: Vec<EntryView>) -> Result<Vec<LogEntry>, AppError> {
    views.into_iter().map(LogEntry::try_from).collect()
}

/// What an entry says apart from its times; its fields are part of
/// `CreateLogEntryInput` and `StartTimerInput` (flattened, so the schema
/// shows no type of this name).
#[derive(InputObject)]
pub struct EntryDetailsInput {
    /// At most 200 characters.
    pub title: String,
    /// At most 2,000 characters.
    pub description: Option<String>,
    pub activity_type: ActivityTypeGql,
    pub project_id: Option<Uuid>,
    /// Tag names; unknown names become new tags.
    #[graphql(default)]
    pub tags: Vec<String>,
    /// Defaults to MEDIUM.
    pub value_rating: Option<ValueRatingGql>,
    /// Defaults to PERSONAL.
    pub impact_level: Option<ImpactLevelGql>,
}

impl From<EntryDetailsInput> for EntryDetails {
    fn from(i: EntryDetailsInput) -> Self {
        Self {
            title: i.title,
            description: i.description,
            activity_type: i.activity_type.into(),
            project_id: i.project_id,
            tags: i.tags,
            value_rating: i.value_rating.map(Into::into),
            impact_level: i.impact_level.map(Into::into),
        }
    }
}

#[derive(InputObject)]
pub struct CreateLogEntryInput {
    #[graphql(flatten)]
    pub details: EntryDetailsInput,
    pub start_time: DateTime<Utc>,
    /// Must be after `startTime`, at most 24 hours later.
    pub end_time: DateTime<Utc>,
    /// Create it as a draft to review, like an imported entry (e.g. one an
    /// assistant wrote); `false` by default.
    #[graphql(default)]
    pub is_draft: bool,
}

impl From<CreateLogEntryInput> for NewEntry {
    fn from(i: CreateLogEntryInput) -> Self {
        Self {
            details: i.details.into(),
            start_time: i.start_time,
            end_time: i.end_time,
            is_draft: i.is_draft,
        }
    }
}

/// Absent fields are kept; `null` clears `description` or `projectId`;
/// `tags` replaces the whole set.
#[derive(InputObject)]
pub struct UpdateLogEntryInput {
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub activity_type: Option<ActivityTypeGql>,
    pub project_id: MaybeUndefined<Uuid>,
    pub tags: Option<Vec<String>>,
    pub start_time: Option<DateTime<Utc>>,
    pub end_time: Option<DateTime<Utc>>,
    pub value_rating: Option<ValueRatingGql>,
    pub impact_level: Option<ImpactLevelGql>,
    /// `false` confirms a draft (an imported entry once reviewed).
    pub is_draft: Option<bool>,
}

/// Every field narrows the list; list fields match any of their values.
#[derive(InputObject, Default)]
pub struct LogEntryFilter {
    /// Entries starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Entries starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub project_id: Option<Uuid>,
    pub types: Option<Vec<ActivityTypeGql>>,
    /// Entries carrying any of these tags.
    pub tags: Option<Vec<String>>,
    pub value_ratings: Option<Vec<ValueRatingGql>>,
    pub impact_levels: Option<Vec<ImpactLevelGql>>,
    /// Case-insensitive text in the title or description.
    pub search: Option<String>,
    /// Only drafts (`true`) or only reviewed entries (`false`).
    pub draft: Option<bool>,
}

impl From<LogEntryFilter> for EntryFilter {
    fn from(f: LogEntryFilter) -> Self {
        fn conv<A: Into<B>, B>(v: Option<Vec<A>>) -> Vec<B> {
            v.unwrap_or_default().into_iter().map(Into::into).collect()
        }
        Self {
            from: f.from,
            to: f.to,
            project_id: f.project_id,
            types: conv(f.types),
            tags: f.tags.unwrap_or_default(),
            value_ratings: conv(f.value_ratings),
            impact_levels: conv(f.impact_levels),
            search: f.search,
            draft: f.draft,
        }
    }
}

#[derive(Default)]
pub struct EntriesQuery;

#[Object]
impl EntriesQuery {
    async fn log_entry(&self, ctx: &Context<'_>, id: Uuid) -> Result<LogEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::get(&state.db, user_id, id).await?.try_into()?)
    }

    /// The caller's entries, newest first. `first` is 1 to 100 (default 20);
    /// pass the last `endCursor` as `after` for the next page.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn log_entries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<LogEntryFilter>,
    ) -> Result<ListedPage> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let first = usize::try_from(first.unwrap_or(20)).unwrap_or(0);
        let filter: EntryFilter = filter.unwrap_or_default().into();
        let parts = asked_parts(ctx);
        let page = list::list_rows(
            &state.warm_db(),
            user_id,
            &filter,
            first,
            after.as_deref(),
            &parts,
        )
        .await?;
        let rows = PageRows {
            rows: page.rows,
            parts,
            has_previous_page: after.is_some(),
            has_next_page: page.has_next_page,
        };
        if asks_project_totals(ctx) {
            let mut connection = rows.decode()?;
            add_project_totals(state, user_id, &mut connection).await?;
            return Ok(ListedPage::Decoded(connection));
        }
        // Read as the selection needs when answered: over HTTP, straight
        // from the rows to JSON.
        Ok(ListedPage::Rows(rows))
    }
}

#[derive(Default)]
pub struct EntriesMutation;

#[Object]
impl EntriesMutation {
    async fn create_log_entry(
        &self,
        ctx: &Context<'_>,
        input: CreateLogEntryInput,
    ) -> Result<ListedEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let enrich = AutoEnrich::for_user(state, user_id).await?;
        let view = service::create(&state.warm_db(), user_id, input.into(), enrich).await?;
        // Answered in one pass (`ListedEntry`): the same `LogEntry` type.
        Ok(ListedEntry(view.try_into()?))
    }

    /// Creates up to 100 entries, all or none.
    async fn bulk_create_log_entries(
        &self,
        ctx: &Context<'_>,
        inputs: Vec<CreateLogEntryInput>,
    ) -> Result<Vec<LogEntry>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let inputs = inputs.into_iter().map(Into::into).collect();
        let enrich = AutoEnrich::for_user(state, user_id).await?;
        let views = service::bulk_create(&state.db, user_id, inputs, enrich).await?;
        Ok(to_entries(views)?)
    }

    async fn update_log_entry(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UpdateLogEntryInput,
    ) -> Result<LogEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let text_changed = input.title.is_some() || !input.description.is_undefined();
        let changes = EntryChanges {
            title: input.title,
            description: patch(input.description),
            activity_type: input.activity_type.map(Into::into),
            project_id: patch(input.project_id),
            tags: input.tags,
            start_time: input.start_time,
            end_time: input.end_time,
            value_rating: input.value_rating.map(Into::into),
            impact_level: input.impact_level.map(Into::into),
            is_draft: input.is_draft,
        };
        // Only a text change (title, description) is sent for enrichment.
        let enrich = if text_changed {
            AutoEnrich::for_user(state, user_id).await?
        } else {
            None
        };
        let view = service::update(&state.db, user_id, id, changes, enrich).await?;
        Ok(view.try_into()?)
    }

    /// Deletes an entry. Returns its id.
    async fn delete_log_entry(&self, ctx: &Context<'_>, id: Uuid) -> Result<Uuid> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::delete(&state.db, user_id, id).await?;
        Ok(id)
    }

    /// Deletes up to 100 entries; returns the ids actually deleted (ids
    /// that are not the caller's are skipped).
    async fn bulk_delete_log_entries(
        &self,
        ctx: &Context<'_>,
        ids: Vec<Uuid>,
    ) -> Result<Vec<Uuid>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::bulk_delete(&state.db, user_id, ids).await?)
    }

    /// Confirms up to 100 drafts at once (imports, connectors); returns the
    /// ids confirmed. Ids that are not the caller's drafts are skipped.
    /// Confirmed entries count in the dashboard and reports from then on.
    async fn confirm_drafts(&self, ctx: &Context<'_>, ids: Vec<Uuid>) -> Result<Vec<Uuid>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(drafts::confirm(&state.db, user_id, ids).await?)
    }
}

/// Whether the page's document asks for the entries' projects' totals
/// (through `edges { node }` or `nodes`, fragments included).
/// The parts of an entry the page's nodes select, through `edges` or
/// `nodes`, fragments included.
fn asked_parts(ctx: &Context<'_>) -> EntryParts {
    let page = ctx.look_ahead();
    let entries = [page.field("edges").field("node"), page.field("nodes")];
    EntryParts::for_graphql(
        |name| entries.iter().any(|entry| entry.field(name).exists()),
        |name| {
            entries
                .iter()
                .any(|entry| entry.field("project").field(name).exists())
        },
    )
}

fn asks_project_totals(ctx: &Context<'_>) -> bool {
    let page = ctx.look_ahead();
    [page.field("edges").field("node"), page.field("nodes")]
        .iter()
        .map(|entry| entry.field("project"))
        .any(|project| {
            project.field("entryCount").exists() || project.field("totalMinutes").exists()
        })
}

/// The totals of the page's projects in one grouped query, instead of one
/// query per entry when each embedded project is resolved (the page's
/// entries are resolved one after another, so nothing would batch them).
async fn add_project_totals(
    state: &AppState,
    user_id: Uuid,
    connection: &mut Connection<EntryCursor, ListedEntry>,
) -> Result<()> {
    let mut ids: Vec<Uuid> = connection
        .edges
        .iter()
        .filter_map(|edge| edge.node.0.project.as_ref().map(|project| project.id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let totals = projects_service::totals_for(&state.db, user_id, ids).await?;
    for edge in &mut connection.edges {
        if let Some(project) = edge.node.0.project.as_mut() {
            project.set_totals(totals.get(&project.id).copied().unwrap_or_default());
        }
    }
    Ok(())
}
