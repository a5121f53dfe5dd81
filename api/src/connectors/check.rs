//! "Test connection": open the stored credentials and ask the source whose
//! they are (a calendar: read and parse it, and count its events); a
//! success remembers the account for display.

use chrono::{Duration, Utc};
use entity::connector;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::calendar::{self, access::CalendarAccess, meetings::calendar_name};
use super::kind::ConnectorKind;
use super::service::StoredSettings;
use super::source::{Source, SourceError};
use super::{github::GithubSource, gitlab::GitlabSource, vault::Vault};
use crate::error::AppResult;
use crate::state::AppState;

/// A successful test: the account, and a note for the person.
pub struct Checked {
    pub account: String,
    pub note: Option<String>,
}

async fn forge(
    state: &AppState,
    kind: ConnectorKind,
    row: &connector::Model,
    token: &str,
) -> Result<Checked, SourceError> {
    let settings = &state.settings.connectors;
    let account = match kind {
        ConnectorKind::Github => {
            GithubSource::new(&row.base_url, token, settings)?
                .whoami()
                .await
        }
        _ => {
            GitlabSource::new(&row.base_url, token, settings)?
                .whoami()
                .await
        }
    }?;
    Ok(Checked {
        account,
        note: None,
    })
}

/// Reads the calendar as a sync would; counts its events and the meetings
/// a sync would bring in now.
async fn calendar_check(
    state: &AppState,
    row: &connector::Model,
    access: &CalendarAccess,
) -> AppResult<Result<Checked, SourceError>> {
    let text = match calendar::read(access, &state.settings.connectors).await {
        Ok(text) => text,
        Err(e) => return Ok(Err(e)),
    };
    let meetings = calendar::meetings_of(state, row, access).await?;
    let now = Utc::now();
    let first_since = now - Duration::days(i64::from(state.settings.connectors.first_sync_days));
    let window = calendar::window(row.cursor.as_deref(), first_since, now);
    let set = match meetings.drafts(&text, window) {
        Ok(set) => set,
        Err(e) => return Ok(Err(e)),
    };
    let events = text
        .lines()
        .filter(|l| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT"))
        .count();
    let account = calendar_name(&text).unwrap_or_else(|| calendar::access::redact(&access.url));
    Ok(Ok(Checked {
        account,
        note: Some(format!(
            "read {events} events; {} meetings in the sync window",
            set.upserts.len()
        )),
    }))
}

/// `Ok(Ok(checked))`, or `Ok(Err(message for the person))`.
pub async fn whoami(
    state: &AppState,
    row: &connector::Model,
) -> AppResult<Result<Checked, String>> {
    let vault = match Vault::from_settings(&state.settings) {
        Ok(vault) => vault,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let kind = ConnectorKind::parse(&row.kind)?;
    let answer = if kind == ConnectorKind::Calendar {
        match CalendarAccess::open(&vault, row.id, &row.sealed_credentials) {
            Ok(access) => calendar_check(state, row, &access).await?,
            Err(e) => return Ok(Err(e.to_string())),
        }
    } else {
        match vault.open(row.id, &row.sealed_credentials) {
            Ok(token) => forge(state, kind, row, &token).await,
            Err(e) => return Ok(Err(e.to_string())),
        }
    };
    match answer {
        Ok(checked) => {
            let mut stored = StoredSettings::from_json(&row.settings);
            stored.account = Some(checked.account.clone());
            let mut active = row.clone().into_active_model();
            active.settings = Set(serde_json::to_value(&stored).map_err(anyhow::Error::new)?);
            active.update(&state.db).await?;
            Ok(Ok(checked))
        }
        Err(e) => Ok(Err(e.to_string())),
    }
}
