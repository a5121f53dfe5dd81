//! Capture on the person's machine: local activity → draft entries sent
//! with `upsertDrafts` (idempotent by each item's id).

pub mod git_log;
pub mod sessions;
