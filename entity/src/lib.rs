//! One module per table. Columns holding domain enums are plain strings in
//! their `englog_core` stored form, so SQLite and PostgreSQL read alike.

pub mod api_token;
pub mod connector;
pub mod dismissed_draft;
pub mod draft_origin;
pub mod enrichment_batch;
pub mod entry_enrichment;
pub mod entry_suggestion;
pub mod insight;
pub mod job;
pub mod log_entry;
pub mod log_entry_tag;
pub mod missed_day_nudge;
pub mod oauth_identity;
pub mod oauth_login_state;
pub mod project;
pub mod refresh_token;
pub mod running_timer;
pub mod scheduled_deletion;
pub mod tag;
pub mod user;
pub mod user_skill;
