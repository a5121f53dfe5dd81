//! `importEntries` and `importAccount`: the SPA reads the file and sends
//! its text.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::csv_formats::CsvFormat;
use super::report::ImportReport;
use super::service::{self, EntryFormat, EntryImport};
use crate::auth::require_user;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ImportFormat {
    /// iCalendar (`.ics`): events become draft meetings to rate.
    Ics,
    /// EngLog's own entry CSV.
    EnglogCsv,
    /// Toggl Track's detailed report CSV.
    TogglCsv,
    /// Clockify's detailed report CSV.
    ClockifyCsv,
}

impl From<ImportFormat> for EntryFormat {
    fn from(f: ImportFormat) -> Self {
        match f {
            ImportFormat::Ics => EntryFormat::Ics,
            ImportFormat::EnglogCsv => EntryFormat::Csv(CsvFormat::Englog),
            ImportFormat::TogglCsv => EntryFormat::Csv(CsvFormat::Toggl),
            ImportFormat::ClockifyCsv => EntryFormat::Csv(CsvFormat::Clockify),
        }
    }
}

#[derive(InputObject)]
pub struct ImportEntriesInput {
    pub format: ImportFormat,
    /// The file's text (at most `imports.max_content_bytes`).
    pub content: String,
    /// ICS: import occurrences starting at or after this instant
    /// (default: 365 days ago).
    pub window_start: Option<DateTime<Utc>>,
    /// ICS: … and before this one (default: 90 days ahead).
    pub window_end: Option<DateTime<Utc>>,
    /// Check and count only; nothing is written.
    #[graphql(default)]
    pub dry_run: bool,
}

/// How big an import may be, so a client can refuse a file before sending
/// it (`[imports]` in the configuration).
#[derive(SimpleObject)]
pub struct ImportLimits {
    /// Largest file content accepted, in bytes (UTF-8).
    pub max_file_bytes: u64,
    /// Most rows (CSV records, calendar occurrences, account entries).
    pub max_rows: u64,
    /// Longest calendar window, in days.
    pub max_window_days: i64,
}

#[derive(Default)]
pub struct PortabilityQuery;

#[Object]
impl PortabilityQuery {
    /// The server's import limits.
    async fn import_limits(&self, ctx: &Context<'_>) -> Result<ImportLimits> {
        require_user(ctx)?;
        let limits = &ctx.data::<AppState>()?.settings.imports;
        Ok(ImportLimits {
            max_file_bytes: u64::try_from(limits.max_content_bytes).unwrap_or(u64::MAX),
            max_rows: u64::try_from(limits.max_rows).unwrap_or(u64::MAX),
            max_window_days: limits.max_window_days,
        })
    }
}

#[derive(Default)]
pub struct PortabilityMutation;

#[Object]
impl PortabilityMutation {
    /// Imports entries from a calendar or a CSV file, all or nothing: with
    /// any bad row nothing is written and `errors` lists every bad row.
    async fn import_entries(
        &self,
        ctx: &Context<'_>,
        input: ImportEntriesInput,
    ) -> Result<ImportReport> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let import = EntryImport {
            format: input.format.into(),
            content: input.content,
            window_start: input.window_start,
            window_end: input.window_end,
            dry_run: input.dry_run,
        };
        Ok(service::import_entries(state, user_id, import).await?)
    }

    /// Imports an account export (`GET /export/account.json`) into the
    /// caller's account, all or nothing.
    async fn import_account(
        &self,
        ctx: &Context<'_>,
        content: String,
        #[graphql(default)] dry_run: bool,
    ) -> Result<ImportReport> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::import_account(state, user_id, &content, dry_run).await?)
    }
}
