//! Runs an import: checks the size, reads the file, validates every row,
//! then writes everything in one transaction, or nothing.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use entity::user;
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::csv_formats::{self, CsvFormat, CsvOptions};
use super::entry_writer;
use super::ics::{self, IcsOptions};
use super::report::{ImportReport, ParsedFile, count};
use super::{account_checks, account_import};
use crate::error::{AppError, AppResult};
use crate::profile::preferences::Preferences;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryFormat {
    Ics,
    Csv(CsvFormat),
}

pub struct EntryImport {
    pub format: EntryFormat,
    pub content: String,
    /// ICS only: occurrences starting in `[start, end)`.
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
    pub dry_run: bool,
}

fn check_size(state: &AppState, content: &str) -> AppResult<()> {
    let max = state.settings.imports.max_content_bytes;
    if content.len() > max {
        return Err(AppError::field(
            "content",
            format!("the file is larger than {max} bytes"),
        ));
    }
    Ok(())
}

/// The import window: by default the last 365 days and the next 90.
fn window(state: &AppState, input: &EntryImport) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let now = Utc::now();
    let start = input.window_start.unwrap_or(now - Duration::days(365));
    let end = input.window_end.unwrap_or(now + Duration::days(90));
    if end <= start {
        return Err(AppError::field("windowEnd", "must be after windowStart"));
    }
    let max_days = state.settings.imports.max_window_days;
    if (end - start).num_days() > max_days {
        return Err(AppError::field(
            "windowEnd",
            format!("the window may span at most {max_days} days"),
        ));
    }
    Ok((start, end))
}

pub async fn import_entries(
    state: &AppState,
    user_id: Uuid,
    input: EntryImport,
) -> AppResult<ImportReport> {
    check_size(state, &input.content)?;
    let person = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let home: Tz = person.timezone.parse().unwrap_or(Tz::UTC);
    let max_rows = state.settings.imports.max_rows;
    let parsed = match input.format {
        EntryFormat::Ics => ics::parse(
            &input.content,
            &IcsOptions {
                home,
                window: window(state, &input)?,
                max_rows,
                me: vec![person.email.to_lowercase()],
            },
        )?,
        EntryFormat::Csv(format) => csv_formats::parse(
            format,
            &input.content,
            &CsvOptions {
                home,
                default_type: Preferences::from_json(&person.preferences)
                    .default_activity_type
                    .into(),
                max_rows,
            },
        )?,
    };
    write_rows(state, user_id, parsed, input.dry_run).await
}

async fn write_rows(
    state: &AppState,
    user_id: Uuid,
    mut parsed: ParsedFile,
    dry_run: bool,
) -> AppResult<ImportReport> {
    parsed
        .errors
        .extend(entry_writer::validate(&mut parsed.rows));
    if !parsed.errors.is_empty() {
        parsed.errors.sort_by_key(|p| p.line);
        return Ok(ImportReport::rejected(dry_run, parsed.errors));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let written = entry_writer::write(&txn, user_id, &parsed.rows).await?;
    finish(txn, dry_run).await?;
    let mut skipped = parsed.skipped;
    skipped.extend(written.skipped.iter().cloned());
    Ok(ImportReport {
        dry_run,
        imported: count(written.imported()),
        skipped: count(skipped.len()),
        skipped_rows: skipped,
        errors: Vec::new(),
    })
}

/// A dry run rolls back what it wrote: its counts are the real ones.
async fn finish(txn: sea_orm::DatabaseTransaction, dry_run: bool) -> AppResult<()> {
    if dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
    }
    Ok(())
}

pub async fn import_account(
    state: &AppState,
    user_id: Uuid,
    content: &str,
    dry_run: bool,
) -> AppResult<ImportReport> {
    check_size(state, content)?;
    let doc = account_checks::read(content)?;
    let mut errors = account_checks::validate(&doc, state.settings.imports.max_rows)?;
    let mut rows = account_import::entry_rows(&doc);
    errors.extend(entry_writer::validate(&mut rows));
    if !errors.is_empty() {
        return Ok(ImportReport::rejected(dry_run, errors));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let outcome = account_import::write(&txn, user_id, &doc, &rows).await?;
    finish(txn, dry_run).await?;
    // The import replaced the person's preferences (auto-enrich among them).
    state.no_job.forget(&user_id);
    Ok(ImportReport {
        dry_run,
        imported: count(outcome.imported),
        skipped: count(outcome.skipped.len()),
        skipped_rows: outcome.skipped,
        errors: Vec::new(),
    })
}
