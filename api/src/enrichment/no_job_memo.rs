//! People whose new entries queue no enrichment job — auto-enrich is off
//! for them, or their backlog of unfinished jobs is full — as this
//! instance found a moment ago. Within [`NO_JOB_BOUND`] an entry write
//! trusts that answer instead of running the preference probe
//! ([`super::preference_probe`]): a create is then its one insert
//! statement (issue 18).
//!
//! Only answers that write nothing are remembered, so the outbox bound
//! (`reports.enrichment_backlog_max`) holds as before: a memo can only
//! leave an entry without a job, never add one. What the bound costs: an
//! entry written within a second after the backlog drained, or after
//! auto-enrich was turned on by another instance, gets no job, as if it
//! had been written a second earlier. Turning auto-enrich on or importing
//! preferences through this instance forgets at once.

use std::time::Duration;
use uuid::Uuid;

use crate::recent_memo::RecentMemo;

/// Longest an instance trusts that a person's writes queue no new job.
pub const NO_JOB_BOUND: Duration = NoJobMemo::LIFETIME;

/// Why a person's new entries get no job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoJob {
    /// Auto-enrich is off in their preferences.
    Off,
    /// Their backlog holds `reports.enrichment_backlog_max` unfinished jobs.
    BacklogFull,
}

/// Person → why their writes queue no job; forgotten when their
/// preferences change.
pub type NoJobMemo = RecentMemo<Uuid, NoJob, 1_000>;
