//! The SQL behind the dashboard: the entries that overlap a UTC window, and
//! their tag names. Two statements whatever the period or the history, both
//! driven by a `(user_id, start_time)` index (on PostgreSQL the tag links
//! have their own, see [`tags_by_entry`]).
//!
//! Unconfirmed drafts (imports, connectors) are read with the rest — one
//! scan — but kept apart: they count in no share until the person confirms
//! them, and the dashboard only says how many wait.

use chrono::{DateTime, Duration, Utc};
use englog_core::metrics::EntryFacts;
use englog_core::{ActivityType, ImpactLevel, Limits, ValueRating};
use entity::{log_entry, log_entry_tag, tag};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QueryResult, QuerySelect, QueryTrait, RelationDef, Statement,
};
use uuid::Uuid;

use crate::db_read::{column, parsed_column};
use crate::db_warm::WarmDb;
use crate::error::AppResult;

/// Which entries to load: the caller's, overlapping `[start, read_until)`,
/// and optionally of one project. `[start, end)` is the period counted;
/// `read_until` (at or after `end`) lets the dashboard read a few days
/// more for its trend weeks in the same statement. Drafts are counted in
/// `[start, end)` only.
pub struct Window {
    pub user_id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub read_until: DateTime<Utc>,
    pub project_id: Option<Uuid>,
}

impl Window {
    /// Reads exactly the counted period.
    pub fn of(
        user_id: Uuid,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        project_id: Option<Uuid>,
    ) -> Self {
        Self {
            user_id,
            start,
            end,
            read_until: end,
            project_id,
        }
    }

    /// Overlap test written so the index range on `start_time` stays tight:
    /// an entry lasts at most a day, so one overlapping the window starts at
    /// most a day before it.
    fn condition(&self) -> Condition {
        let mut cond = Condition::all()
            .add(log_entry::Column::UserId.eq(self.user_id))
            .add(log_entry::Column::StartTime.gte(self.earliest()))
            .add(log_entry::Column::StartTime.lt(self.read_until))
            .add(log_entry::Column::EndTime.gt(self.start));
        if let Some(project_id) = self.project_id {
            cond = cond.add(log_entry::Column::ProjectId.eq(project_id));
        }
        cond
    }

    /// The earliest start of an entry that can overlap the window.
    fn earliest(&self) -> DateTime<Utc> {
        self.start - Duration::minutes(Limits::ENTRY_MAX_MINUTES)
    }
}

/// `(log_entry_id, tag name)`.
type TagRow = (Uuid, String);

/// `(tag name, ids of its entries)`.
type TagGroup = (String, Vec<Uuid>);

/// Tag names per entry id. Hashed with foldhash: the keys are this
/// server's own entry ids, and a year's 10,000 links hashed with the
/// standard SipHash were ~2 % of the dashboard's CPU (issue 18).
type TagsByEntry = foldhash::HashMap<Uuid, Vec<String>>;

fn entry_tag_to_tag() -> RelationDef {
    log_entry_tag::Entity::belongs_to(tag::Entity)
        .from(log_entry_tag::Column::TagId)
        .to(tag::Column::Id)
        .into()
}

fn entry_tag_to_entry() -> RelationDef {
    log_entry_tag::Entity::belongs_to(log_entry::Entity)
        .from(log_entry_tag::Column::LogEntryId)
        .to(log_entry::Column::Id)
        .into()
}

/// The statement of the window's entry rows, in start order; [`entries`]
/// reads them by column position (`ENTRY_COLUMNS`) as they arrive, through
/// [`crate::db_read`] rather than as sea-orm tuples: on PostgreSQL its
/// reader skips sqlx's per-value type check and a `String` per enum value
/// (issue 18, eleventh pass).
fn entry_statement(window: &Window, backend: DbBackend) -> Statement {
    log_entry::Entity::find()
        .select_only()
        .columns(ENTRY_COLUMNS)
        .filter(window.condition())
        .order_by_asc(log_entry::Column::StartTime)
        .order_by_asc(log_entry::Column::Id)
        .build(backend)
}

/// The columns [`entry_statement`] selects, in the order [`entry_facts`]
/// reads.
const ENTRY_COLUMNS: [log_entry::Column; 8] = [
    log_entry::Column::Id,
    log_entry::Column::ProjectId,
    log_entry::Column::ActivityType,
    log_entry::Column::StartTime,
    log_entry::Column::EndTime,
    log_entry::Column::ValueRating,
    log_entry::Column::ImpactLevel,
    log_entry::Column::IsDraft,
];

/// An entry row's facts (no tags yet) and whether it is a draft.
fn entry_facts(row: &QueryResult) -> AppResult<(EntryFacts, bool)> {
    let facts = EntryFacts {
        id: column(row, 0)?,
        project_id: column(row, 1)?,
        activity_type: parsed_column::<ActivityType>(row, 2)?,
        start: column(row, 3)?,
        end: column(row, 4)?,
        value_rating: parsed_column::<ValueRating>(row, 5)?,
        impact_level: parsed_column::<ImpactLevel>(row, 6)?,
        tags: Vec::new(),
    };
    Ok((facts, column(row, 7)?))
}

async fn tags_by_entry(
    db: &impl ConnectionTrait,
    window: &Window,
    with_tags: bool,
) -> AppResult<TagsByEntry> {
    let mut tags = TagsByEntry::default();
    if !with_tags {
        return Ok(tags);
    }
    let links = log_entry_tag::Entity::find()
        .select_only()
        .join(JoinType::InnerJoin, entry_tag_to_tag());
    if db.get_database_backend() == DbBackend::Postgres {
        // The links carry their entry's owner and start (migration
        // m20261206_000032): one index range, no join to the entries. It
        // may answer a few links of entries the window's end-time test or
        // project filter leaves out; `entries` drops those.
        // One row per tag with its entries' ids in an array: a year's
        // 40,000 links as 40,000 rows cost the server more than
        // PostgreSQL (sqlx checks and decodes every row of a stream;
        // docs/PERFORMANCE.md, "Tenth pass").
        use sea_orm::sea_query::ExprTrait;
        let link = |column: &'static str| Expr::col((log_entry_tag::Entity, Alias::new(column)));
        let groups: Vec<TagGroup> = links
            .column(tag::Column::Name)
            .expr(Expr::cust(r#"array_agg("log_entry_tags"."log_entry_id")"#))
            .filter(link("user_id").eq(window.user_id))
            // Redundant for the answer, but the join then hashes the
            // person's tags, not everyone's.
            .filter(tag::Column::UserId.eq(window.user_id))
            .filter(link("start_time").gte(window.earliest()))
            .filter(link("start_time").lt(window.read_until))
            .group_by(tag::Column::Name)
            .into_tuple()
            .all(db)
            .await?;
        for (name, entry_ids) in groups {
            for entry_id in entry_ids {
                tags.entry(entry_id).or_default().push(name.clone());
            }
        }
    } else {
        let rows: Vec<TagRow> = links
            .column(log_entry_tag::Column::LogEntryId)
            .column(tag::Column::Name)
            .join(JoinType::InnerJoin, entry_tag_to_entry())
            .filter(window.condition())
            .into_tuple()
            .all(db)
            .await?;
        for (entry_id, name) in rows {
            tags.entry(entry_id).or_default().push(name);
        }
    }
    Ok(tags)
}

/// Unconfirmed drafts overlapping a window: not counted anywhere else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DraftsWaiting {
    pub entries: u64,
    /// Their minutes inside the window.
    pub minutes: u64,
}

impl DraftsWaiting {
    /// Counts a draft that overlaps the window's counted period.
    fn add(&mut self, window: &Window, start: DateTime<Utc>, end: DateTime<Utc>) {
        if start >= window.end || end <= window.start {
            return;
        }
        let inside = end.min(window.end) - start.max(window.start);
        self.entries += 1;
        self.minutes += u64::try_from(inside.num_minutes()).unwrap_or(0);
    }
}

/// What a window holds: the confirmed entries read, in start order (those
/// read past the counted period included), and the drafts of the counted
/// period still waiting for review.
pub struct Loaded {
    pub entries: Vec<EntryFacts>,
    pub drafts: DraftsWaiting,
}

/// The entries overlapping the window, in start order, with their tag names
/// when `with_tags` (the second statement is skipped otherwise).
pub async fn entries(db: &WarmDb<'_>, window: &Window, with_tags: bool) -> AppResult<Loaded> {
    let mut drafts = DraftsWaiting::default();
    let mut entries = Vec::new();
    // Each row is decoded as it arrives, while PostgreSQL sends the next
    // (a year's dashboard answered ~12 % sooner than with every row read
    // first; counting each entry as it arrives too gained nothing, the
    // server's thread being the busier side). The tag links are read on a
    // second connection at the same time.
    let read_entries = db.for_each_row(
        entry_statement(window, db.get_database_backend()),
        |row| -> AppResult<()> {
            let (facts, is_draft) = entry_facts(&row)?;
            if is_draft {
                drafts.add(window, facts.start, facts.end);
            } else {
                entries.push(facts);
            }
            Ok(())
        },
    );
    let (mut tags, ()) = tokio::try_join!(tags_by_entry(db, window, with_tags), read_entries)?;
    if !tags.is_empty() {
        for facts in &mut entries {
            if let Some(names) = tags.remove(&facts.id) {
                facts.tags = names;
            }
        }
    }
    Ok(Loaded { entries, drafts })
}
