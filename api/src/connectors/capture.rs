//! `upsertDrafts`: drafts captured on the person's machine (`englog
//! capture git`) written through the same idempotent path as the
//! server-side connectors. The client's ids are namespaced by source, so
//! running a capture twice changes nothing.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use englog_core::{FieldError, Limits};

use super::drafts::{Draft, DraftCounts, DraftSet, check};
use super::upsert;
use crate::auth::require_user;
use crate::error::AppError;
use crate::graphql::enums::ActivityTypeGql;
use crate::state::AppState;

/// Drafts per call: a capture sends them in batches of this size.
pub const DRAFTS_MAX: usize = 200;

/// Sources that capture on the person's machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum CaptureSource {
    /// Local git repositories (`englog capture git`).
    Git,
}

impl CaptureSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureSource::Git => "git",
        }
    }
}

#[derive(InputObject)]
pub struct DraftInput {
    /// The item's stable id in its source (for git, a repository and the
    /// first commit of a work session); at most 240 characters.
    pub external_id: String,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityTypeGql,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    #[graphql(default)]
    pub tags: Vec<String>,
    /// A project by name (case-insensitive); unknown names leave the draft
    /// without a project.
    pub project: Option<String>,
}

#[derive(SimpleObject)]
pub struct DraftSyncResult {
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub removed: i32,
    /// Items whose entry the person already confirmed: left as they are.
    pub kept_confirmed: i32,
    /// Items whose entry the person deleted earlier: not brought back.
    pub skipped_deleted: i32,
}

impl From<DraftCounts> for DraftSyncResult {
    fn from(c: DraftCounts) -> Self {
        let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
        Self {
            created: n(c.created),
            updated: n(c.updated),
            unchanged: n(c.unchanged),
            removed: n(c.removed),
            kept_confirmed: n(c.kept_confirmed),
            skipped_deleted: n(c.skipped_deleted),
        }
    }
}

fn to_set(
    source: CaptureSource,
    drafts: Vec<DraftInput>,
    removed: Vec<String>,
) -> Result<DraftSet, AppError> {
    let count = drafts.len() + removed.len();
    if count == 0 || count > DRAFTS_MAX {
        return Err(AppError::field(
            "drafts",
            format!("send 1 to {DRAFTS_MAX} drafts and removals per call"),
        ));
    }
    let namespaced = |id: &str| format!("{}:{}", source.as_str(), id.trim());
    let mut errors: Vec<FieldError> = Vec::new();
    let mut upserts = Vec::with_capacity(drafts.len());
    for (i, d) in drafts.into_iter().enumerate() {
        let mut draft = Draft {
            external_uid: namespaced(&d.external_id),
            title: d.title,
            description: d.description,
            activity_type: d.activity_type.into(),
            start_time: d.start_time,
            end_time: d.end_time,
            tags: d.tags,
            project: d.project,
        };
        if d.external_id.trim().is_empty() {
            errors.push(FieldError::new(
                format!("drafts[{i}].externalId"),
                "must not be empty",
            ));
        }
        if let Some(p) = &draft.project
            && p.chars().count() > Limits::PROJECT_NAME_MAX
        {
            errors.push(FieldError::new(format!("drafts[{i}].project"), "too long"));
        }
        errors.extend(check(&format!("drafts[{i}]."), &mut draft));
        upserts.push(draft);
    }
    let removals: Vec<String> = removed.iter().map(|id| namespaced(id)).collect();
    if removed
        .iter()
        .any(|id| id.trim().is_empty() || id.len() > 240)
    {
        errors.push(FieldError::new(
            "removedExternalIds",
            "ids must be 1 to 240 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(DraftSet {
        upserts,
        removals,
        sweep: None,
    })
}

#[derive(Default)]
pub struct CaptureMutation;

#[Object]
impl CaptureMutation {
    /// Creates or updates draft entries by their source's ids, in one
    /// transaction: a new id makes a draft, a known draft is updated, an
    /// entry the person confirmed is never changed; `removedExternalIds`
    /// deletes those ids' drafts (never confirmed entries).
    async fn upsert_drafts(
        &self,
        ctx: &Context<'_>,
        source: CaptureSource,
        drafts: Vec<DraftInput>,
        #[graphql(default)] removed_external_ids: Vec<String>,
    ) -> Result<DraftSyncResult> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let set = to_set(source, drafts, removed_external_ids)?;
        let txn = crate::db::begin_write(&state.db)
            .await
            .map_err(AppError::from)?;
        let counts = upsert::apply(&txn, user_id, source.as_str(), &set).await?;
        txn.commit().await.map_err(AppError::from)?;
        Ok(counts.into())
    }
}
