//! Writing enrichment jobs into the outbox, coalesced per entry: while an
//! entry's job waits unpublished (the debounce), a new edit rewrites that
//! job's snapshot instead of adding one; once it is published, the next
//! edit writes one new job. Rapid edits thus cost at most two model runs,
//! and a result for text that changed since is dropped on arrival.

use chrono::Utc;
use englog_core::enrichment::{EnrichmentEntry, EnrichmentJob, NamedProject, text_hash};
use englog_core::jobs::{CONTRACT_VERSION, Job};
use entity::{entry_enrichment, job, log_entry, project, tag};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::no_job_memo::NoJob;
use super::preference_probe;
use super::skills::vocabulary;
use crate::error::{AppError, AppResult};
use crate::jobs;
use crate::profile::preferences::Preferences;
use crate::state::AppState;

/// What every job of one person carries besides the entry: their current
/// projects, tags and skills (the worker never reads the database). Loaded
/// once per write, however many entries it queues.
struct Vocabulary {
    projects: Vec<NamedProject>,
    tags: Vec<String>,
    skills: Vec<String>,
}

impl Vocabulary {
    async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Self> {
        let projects = project::Entity::find()
            .filter(project::Column::UserId.eq(user_id))
            .order_by_asc(project::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|p| NamedProject {
                id: p.id,
                name: p.name,
            })
            .collect();
        let tags = tag::Entity::find()
            .filter(tag::Column::UserId.eq(user_id))
            .order_by_asc(tag::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        Ok(Self {
            projects,
            tags,
            skills: vocabulary(db, user_id).await?,
        })
    }

    /// The job for `entry`.
    fn job(&self, entry: &log_entry::Model, job_id: Uuid, batch_id: Option<Uuid>) -> EnrichmentJob {
        EnrichmentJob {
            version: CONTRACT_VERSION,
            job_id,
            user_id: entry.user_id,
            entry: EnrichmentEntry {
                id: entry.id,
                title: entry.title.clone(),
                description: entry.description.clone(),
            },
            text_hash: text_hash(&entry.title, entry.description.as_deref()),
            projects: self.projects.clone(),
            tags: self.tags.clone(),
            skills: self.skills.clone(),
            batch_id,
            attempt: 1,
            model_wait_since: None,
        }
    }
}

/// The batch a waiting job belongs to, kept when an edit rewrites it.
fn batch_of(row: &job::Model) -> Option<Uuid> {
    match serde_json::from_value::<Job>(row.payload.clone()) {
        Ok(Job::Enrichment(j)) => j.batch_id,
        _ => None,
    }
}

/// Asks for suggestions for one of the caller's entries. `force` writes a
/// job even when the text was already sent (bulk runs); otherwise unchanged
/// text writes nothing. Returns whether a job was written or rewritten.
pub async fn request(
    state: &AppState,
    user_id: Uuid,
    entry_id: Uuid,
    batch_id: Option<Uuid>,
    force: bool,
) -> AppResult<bool> {
    let txn = crate::db::begin_write(&state.db).await?;
    let debounce_ms = state.settings.reports.enrichment_debounce_ms;
    let words = Vocabulary::load(&txn, user_id).await?;
    let ask = Ask {
        debounce_ms,
        batch_id,
        force,
        // Asked for by the person (one entry, or a bulk run they started).
        room: NewJobs::Allowed,
    };
    let written = request_in(&txn, &words, user_id, entry_id, ask).await?;
    txn.commit().await?;
    Ok(written == Written::Job)
}

/// Whether a new job may be written (a rewrite of a waiting one always may).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NewJobs {
    Allowed,
    None,
}

/// How one entry's enrichment is asked for.
#[derive(Clone, Copy, Debug)]
struct Ask {
    debounce_ms: u64,
    batch_id: Option<Uuid>,
    /// Write a job even when the text was already sent.
    force: bool,
    room: NewJobs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Written {
    /// A job was written, or the waiting one rewritten.
    Job,
    /// The text was already sent: nothing to do.
    Unchanged,
    /// A new job was needed but the backlog is full.
    Deferred,
}

/// [`request`] inside the caller's transaction, which commits it: an
/// entry's write and its job then land together or not at all.
async fn request_in(
    txn: &DatabaseTransaction,
    words: &Vocabulary,
    user_id: Uuid,
    entry_id: Uuid,
    ask: Ask,
) -> AppResult<Written> {
    let Ask {
        debounce_ms,
        batch_id,
        force,
        room,
    } = ask;
    let Some(entry) = log_entry::Entity::find_by_id(entry_id)
        .filter(log_entry::Column::UserId.eq(user_id))
        .one(txn)
        .await?
    else {
        return Err(AppError::NotFound("entry"));
    };
    let hash = text_hash(&entry.title, entry.description.as_deref());
    let now = Utc::now();
    let debounce =
        chrono::Duration::milliseconds(i64::try_from(debounce_ms).unwrap_or(i64::MAX / 2));
    let available = now + debounce;
    let current = entry_enrichment::Entity::find_by_id(entry_id)
        .one(txn)
        .await?;
    if let Some(waiting) = current.as_ref().and_then(|c| c.pending_job_id)
        && let Some(row) = job::Entity::find_by_id(waiting).one(txn).await?
        && row.published_at.is_none()
    {
        let batch = batch_id.or_else(|| batch_of(&row));
        let rewritten = Job::Enrichment(words.job(&entry, waiting, batch));
        // Conditional on still being unpublished: the relay may claim it
        // between the read above and this write.
        if jobs::rewrite_unpublished(txn, &rewritten, available).await? {
            entry_enrichment::Entity::update_many()
                .col_expr(entry_enrichment::Column::TextHash, Expr::value(hash))
                .col_expr(entry_enrichment::Column::UpdatedAt, Expr::value(now))
                .filter(entry_enrichment::Column::EntryId.eq(entry_id))
                .exec(txn)
                .await?;
            return Ok(Written::Job);
        }
    }
    if !force && current.as_ref().is_some_and(|c| c.text_hash == hash) {
        return Ok(Written::Unchanged);
    }
    if room == NewJobs::None {
        return Ok(Written::Deferred);
    }
    write_job(txn, words, &entry, batch_id, available, current.is_some()).await?;
    Ok(Written::Job)
}

/// Writes a new job for `entry` and points its enrichment row at it
/// (`known`: the row exists already).
async fn write_job(
    txn: &DatabaseTransaction,
    words: &Vocabulary,
    entry: &log_entry::Model,
    batch_id: Option<Uuid>,
    available: chrono::DateTime<Utc>,
    known: bool,
) -> AppResult<()> {
    let entry_id = entry.id;
    let hash = text_hash(&entry.title, entry.description.as_deref());
    let now = Utc::now();
    let job_id = Uuid::now_v7();
    let built = Job::Enrichment(words.job(entry, job_id, batch_id));
    jobs::enqueue(txn, &built, available).await?;
    if known {
        entry_enrichment::Entity::update_many()
            .col_expr(entry_enrichment::Column::TextHash, Expr::value(hash))
            .col_expr(entry_enrichment::Column::PendingJobId, Expr::value(job_id))
            .col_expr(entry_enrichment::Column::UpdatedAt, Expr::value(now))
            .filter(entry_enrichment::Column::EntryId.eq(entry_id))
            .exec(txn)
            .await?;
    } else {
        entry_enrichment::ActiveModel {
            entry_id: Set(entry_id),
            user_id: Set(entry.user_id),
            text_hash: Set(hash),
            pending_job_id: Set(Some(job_id)),
            updated_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Reads `user_id`'s preference and backlog (one statement) and remembers
/// an answer that queues nothing: `None` when auto-enrich is off for them
/// (or they are gone), otherwise whether new jobs have room.
async fn probe(state: &AppState, user_id: Uuid) -> AppResult<Option<NewJobs>> {
    let max = state.settings.reports.enrichment_backlog_max;
    let statement = preference_probe::statement(state.db.get_database_backend(), user_id, max);
    let Some(row) = state.warm_db().query_one_raw(statement).await? else {
        return Ok(None);
    };
    let preferences: serde_json::Value = row.try_get_by_index(0)?;
    let full: bool = row.try_get_by_index(1)?;
    if !Preferences::from_json(&preferences).auto_enrich {
        state.no_job.remember(user_id, NoJob::Off);
        return Ok(None);
    }
    if full {
        state.no_job.remember(user_id, NoJob::BacklogFull);
        return Ok(Some(NewJobs::None));
    }
    Ok(Some(NewJobs::Allowed))
}

/// Enrichment of entries as they are written: present only when the
/// deployment and the person have it on. Its jobs are written in the
/// entry's own transaction (an outbox row like a report's), so a crash can
/// no longer keep the entry and lose its job.
///
/// Whether the person's backlog has room is read with their preference,
/// before the write (one statement): a write that will queue nothing then
/// needs no transaction of its own (issue 18), and the next writes within
/// a second skip the probe ([`super::no_job_memo`]). Concurrent writes
/// may each see room, as they could when the probe ran inside their
/// transactions.
#[derive(Clone, Copy, Debug)]
pub struct AutoEnrich {
    debounce_ms: u64,
    backlog_max: u64,
    room: NewJobs,
}

impl AutoEnrich {
    /// `None` when enrichment is off for the deployment or for `user_id`;
    /// otherwise whether their backlog has room for new jobs. An answer
    /// that queues nothing is remembered for
    /// [`NO_JOB_BOUND`](super::no_job_memo::NO_JOB_BOUND).
    pub async fn for_user(state: &AppState, user_id: Uuid) -> AppResult<Option<Self>> {
        if !state.settings.reports.enrichment {
            return Ok(None);
        }
        let room = match state.no_job.recall(&user_id) {
            Some(NoJob::Off) => return Ok(None),
            Some(NoJob::BacklogFull) => NewJobs::None,
            None => match probe(state, user_id).await? {
                Some(room) => room,
                None => return Ok(None),
            },
        };
        Ok(Some(Self {
            debounce_ms: state.settings.reports.enrichment_debounce_ms,
            backlog_max: state.settings.reports.enrichment_backlog_max,
            room,
        }))
    }

    /// Whether a write of new entries will queue jobs for them (otherwise
    /// [`queue_new`](Self::queue_new) only counts them as deferred).
    pub fn queues_new_jobs(self) -> bool {
        self.room == NewJobs::Allowed
    }

    /// Writes the jobs of entries just inserted in `txn`: what [`queue`]
    /// does for them, without reading back what the caller holds (a new
    /// entry has no enrichment row and no waiting job), and without
    /// loading the person's vocabulary when the backlog is full, as no job
    /// is written then.
    ///
    /// [`queue`]: Self::queue
    pub async fn queue_new(
        self,
        txn: &DatabaseTransaction,
        user_id: Uuid,
        entries: &[log_entry::Model],
    ) -> AppResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        if !self.queues_new_jobs() {
            self.count_deferred(entries.len() as u64);
            return Ok(());
        }
        let words = Vocabulary::load(txn, user_id).await?;
        let debounce =
            chrono::Duration::milliseconds(i64::try_from(self.debounce_ms).unwrap_or(i64::MAX / 2));
        let available = Utc::now() + debounce;
        for entry in entries {
            write_job(txn, &words, entry, None, available, false).await?;
        }
        Ok(())
    }

    /// Counts and logs entries written without a job because the
    /// person's backlog is full.
    pub fn count_deferred(self, deferred: u64) {
        metrics::counter!("englog_enrichment_deferred_total").increment(deferred);
        tracing::info!(
            entries = deferred,
            max = self.backlog_max,
            "enrichment backlog full; new entries get no suggestions job for now"
        );
    }

    /// Writes (or rewrites) the jobs of `entry_ids` in `txn`; an entry whose
    /// text was already sent gets none. When the person's backlog is full
    /// (the model or Redis away for a while), new entries get no job: the
    /// outbox holds at most `enrichment_backlog_max` unfinished enrichment
    /// jobs per person, plus one write's entries. Waiting jobs are still
    /// rewritten with new text (that adds nothing).
    pub async fn queue(
        self,
        txn: &DatabaseTransaction,
        user_id: Uuid,
        entry_ids: &[Uuid],
    ) -> AppResult<()> {
        let room = self.room;
        let words = Vocabulary::load(txn, user_id).await?;
        let mut deferred = 0u64;
        for id in entry_ids {
            let ask = Ask {
                debounce_ms: self.debounce_ms,
                batch_id: None,
                force: false,
                room,
            };
            let written = request_in(txn, &words, user_id, *id, ask).await?;
            if written == Written::Deferred {
                deferred += 1;
            }
        }
        if deferred > 0 {
            self.count_deferred(deferred);
        }
        Ok(())
    }
}
