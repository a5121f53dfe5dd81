//! "Test connection": open the stored token and ask the source whose it
//! is; a success remembers the account for display.

use entity::connector;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::kind::ConnectorKind;
use super::service::StoredSettings;
use super::source::Source;
use super::{github::GithubSource, gitlab::GitlabSource, vault::Vault};
use crate::error::AppResult;
use crate::state::AppState;

/// `Ok(Ok(account))`, or `Ok(Err(message for the person))`.
pub async fn whoami(state: &AppState, row: &connector::Model) -> AppResult<Result<String, String>> {
    let token = match Vault::from_settings(&state.settings)
        .and_then(|vault| vault.open(row.id, &row.sealed_credentials))
    {
        Ok(token) => token,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let answer = match ConnectorKind::parse(&row.kind)? {
        ConnectorKind::Github => {
            match GithubSource::new(&row.base_url, &token, &state.settings.connectors) {
                Ok(source) => source.whoami().await,
                Err(e) => Err(e),
            }
        }
        ConnectorKind::Gitlab => {
            match GitlabSource::new(&row.base_url, &token, &state.settings.connectors) {
                Ok(source) => source.whoami().await,
                Err(e) => Err(e),
            }
        }
    };
    match answer {
        Ok(account) => {
            let mut stored = StoredSettings::from_json(&row.settings);
            stored.account = Some(account.clone());
            let mut active = row.clone().into_active_model();
            active.settings = Set(serde_json::to_value(&stored).map_err(anyhow::Error::new)?);
            active.update(&state.db).await?;
            Ok(Ok(account))
        }
        Err(e) => Ok(Err(e.to_string())),
    }
}
