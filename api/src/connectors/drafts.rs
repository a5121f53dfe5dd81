//! A draft entry as a source proposes it, keyed by the source item's
//! stable external id, and the checks it must pass before anything is
//! written (the same rules as `createLogEntry`).

use chrono::{DateTime, Utc};
use englog_core::validation::{
    validate_optional_text, validate_required_text, validate_time_range,
};
use englog_core::{ActivityType, FieldError, Limits};

use crate::tags::service::clean_names;

/// Longest external id, namespace included (the column holds 255).
pub const EXTERNAL_ID_MAX: usize = 255;

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Unique per person across sources: `<source>:<the source's id>`.
    pub external_uid: String,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityType,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub tags: Vec<String>,
    /// A project by name, matched case-insensitively among the person's
    /// projects (never created by a sync).
    pub project: Option<String>,
}

/// Drafts to write and the external ids whose unconfirmed drafts go away
/// (the item was deleted, cancelled or dismissed at the source).
#[derive(Debug, Default, Clone)]
pub struct DraftSet {
    pub upserts: Vec<Draft>,
    pub removals: Vec<String>,
    /// For a source read whole (a calendar): its unconfirmed drafts in
    /// this window that the set does not hold are gone at the source.
    pub sweep: Option<Sweep>,
}

/// Unconfirmed drafts whose external id starts with `prefix` and that
/// start in `[from, to)`.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub prefix: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// What applying a [`DraftSet`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DraftCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Items whose entry the person already confirmed: left alone.
    pub kept_confirmed: usize,
    /// Items whose entry the person deleted earlier: not brought back.
    pub skipped_deleted: usize,
}

/// Checks one draft; `prefix` locates it in a request (`drafts[3].`).
pub fn check(prefix: &str, draft: &mut Draft) -> Vec<FieldError> {
    let at = |f: &str| format!("{prefix}{f}");
    let mut errors = Vec::new();
    let uid_len = draft.external_uid.chars().count();
    if draft.external_uid.trim().is_empty() || uid_len > EXTERNAL_ID_MAX {
        errors.push(FieldError::new(
            at("externalId"),
            format!("must be 1 to {EXTERNAL_ID_MAX} characters with its source"),
        ));
    }
    errors.extend(validate_required_text(&at("title"), &draft.title, Limits::TITLE_MAX).err());
    if let Some(d) = &draft.description {
        errors.extend(validate_optional_text(&at("description"), d, Limits::DESCRIPTION_MAX).err());
    }
    if let Err(mut e) = validate_time_range(draft.start_time, draft.end_time) {
        e.field = at(&e.field);
        errors.push(e);
    }
    match clean_names(&at("tags"), &draft.tags) {
        Ok(tags) => draft.tags = tags,
        Err(e) => errors.push(e),
    }
    draft.project = draft
        .project
        .take()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    errors
}
