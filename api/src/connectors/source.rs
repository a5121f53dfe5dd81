//! The seam every source sits behind: fetch the activity since a cursor as
//! normalised [`ActivityItem`]s. Turning items into drafts
//! ([`super::grouping`]) and writing them ([`super::upsert`]) are shared,
//! so a new source is one module that speaks its API.

use chrono::{DateTime, Utc};
use std::fmt;

/// What kind of work an item records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// A pull/merge request the person opened (merged or not).
    ChangeAuthored,
    /// One review (approval, comments, changes requested) the person gave.
    ReviewGiven,
    /// An issue the person closed (or that was closed on their behalf).
    IssueClosed,
}

/// One piece of the person's activity, as every source reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityItem {
    pub kind: ItemKind,
    /// `owner/name` (GitHub) or the project path (GitLab).
    pub repository: String,
    /// The PR, MR or issue number shown to people (`#812`, `!812`).
    pub number: u64,
    /// `#` for GitHub PRs and issues, `!` for GitLab merge requests.
    pub sigil: char,
    pub title: String,
    pub url: String,
    /// When the work began, if the source knows (a PR's first commit).
    pub started_at: Option<DateTime<Utc>>,
    /// When the work happened (opened, reviewed, closed).
    pub at: DateTime<Utc>,
    pub labels: Vec<String>,
    /// Merged (changes), approved (reviews).
    pub accepted: bool,
    /// Deleted, dismissed or reopened at the source: its draft goes away.
    pub gone: bool,
}

/// A fetch: the items and the cursor to start from next time.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    pub items: Vec<ActivityItem>,
    pub cursor: String,
}

/// Re-read a day before the cursor: reviews are grouped per day, and an
/// item updated while the last sync ran is not missed.
const OVERLAP: chrono::Duration = chrono::Duration::days(1);

/// Where a fetch starts: a day before the stored cursor (an RFC 3339
/// instant), or `first_since` on the first sync or an unreadable cursor.
pub fn fetch_since(cursor: Option<&str>, first_since: DateTime<Utc>) -> DateTime<Utc> {
    cursor
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map_or(first_since, |c| c.with_timezone(&Utc) - OVERLAP)
}

/// Why a source could not be read, worded for the person (this text is
/// the connector's `lastError`). Never holds a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// 401: the token is wrong, expired or revoked.
    Unauthorized,
    /// 403 without a rate limit: the token lacks a scope or access.
    Forbidden(String),
    /// 404 on the account or the API: wrong base URL or user.
    NotFound(String),
    /// The API asked us to wait until this instant.
    RateLimited { until: DateTime<Utc> },
    /// No answer (DNS, refused, timeout).
    Unreachable(String),
    /// An answer we cannot use (5xx, truncated or unexpected body).
    BadAnswer(String),
    /// A calendar could not be read; the text says why, for the person
    /// (never the calendar's address).
    Calendar(String),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Unauthorized => f.write_str(
                "the token was rejected (401): it is wrong, expired or revoked; enter a new one",
            ),
            SourceError::Forbidden(what) => write!(
                f,
                "access denied (403) to {what}: the token lacks a scope or access to it"
            ),
            SourceError::NotFound(what) => write!(
                f,
                "not found (404): {what}; check the base URL and the account"
            ),
            SourceError::RateLimited { until } => write!(
                f,
                "rate limited by the API until {}; the next sync waits until then",
                until.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            SourceError::Unreachable(why) => write!(f, "cannot reach the API: {why}"),
            SourceError::BadAnswer(why) => write!(f, "the API gave an unusable answer: {why}"),
            SourceError::Calendar(why) => f.write_str(why),
        }
    }
}

/// A source of activity. Implementations know their API and nothing of
/// drafts or the database.
pub trait Source {
    /// Checks the credentials; returns the account they belong to.
    fn whoami(&self) -> impl Future<Output = Result<String, SourceError>> + Send;

    /// The activity between the cursor (or `first_since` on a first sync)
    /// and `now`. Sources may return items seen before: writing is
    /// idempotent.
    fn fetch(
        &self,
        cursor: Option<&str>,
        first_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Fetched, SourceError>> + Send;
}
