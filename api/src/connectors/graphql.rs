//! Connector queries and mutations: list, configure, test the connection,
//! sync now, remove. Fields are polling-friendly: a client that asked for
//! a sync reads `status`, `lastSyncAt` and `lastError` until the status
//! leaves SYNCING. Credentials are write-only.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

use super::kind::{ConnectorKind, ConnectorStatus};
use super::service::{self, ConnectorInput, StoredSettings};
use super::{check, vault::Vault};
use crate::auth::require_user;
use crate::error::AppError;
use crate::state::AppState;

#[derive(SimpleObject, Clone)]
pub struct ProjectRule {
    /// `owner/name`, or only `name` for every owner.
    pub repository: String,
    /// A project name; drafts go to it when it exists.
    pub project: String,
}

#[derive(InputObject)]
pub struct ProjectRuleInput {
    pub repository: String,
    pub project: String,
}

/// What the last successful sync did to drafts.
#[derive(SimpleObject, Clone)]
pub struct SyncResult {
    pub created: i32,
    pub updated: i32,
    pub removed: i32,
}

#[derive(SimpleObject, Clone)]
pub struct Connector {
    pub id: Uuid,
    pub kind: ConnectorKind,
    /// The API root (`https://api.github.com`, an Enterprise URL); for a
    /// calendar only `scheme://host/…` (its address is a secret).
    pub base_url: String,
    /// The account the token belongs to, once a test or sync saw it.
    pub account: Option<String>,
    pub interval_minutes: i32,
    pub project_rules: Vec<ProjectRule>,
    pub status: ConnectorStatus,
    /// A sync is due and waiting to start (after `syncConnector`, or when
    /// the interval or backoff has passed); it starts within the
    /// scheduler's tick.
    pub sync_pending: bool,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// When the scheduler syncs it next (later after failures: backoff).
    pub next_sync_at: DateTime<Utc>,
    /// Why the last sync failed, worded for people; null after a success.
    pub last_error: Option<String>,
    pub consecutive_failures: i32,
    pub last_result: SyncResult,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<entity::connector::Model> for Connector {
    type Error = AppError;
    fn try_from(m: entity::connector::Model) -> Result<Self, AppError> {
        let stored = StoredSettings::from_json(&m.settings);
        let status = ConnectorStatus::parse(&m.status)?;
        Ok(Self {
            id: m.id,
            kind: ConnectorKind::parse(&m.kind)?,
            base_url: super::calendar::access::shown_base_url(&m.base_url).to_owned(),
            account: stored.account,
            interval_minutes: m.interval_secs / 60,
            project_rules: stored
                .projects
                .into_iter()
                .map(|(repository, project)| ProjectRule {
                    repository,
                    project,
                })
                .collect(),
            status,
            sync_pending: status != ConnectorStatus::Syncing && m.next_sync_at <= Utc::now(),
            last_sync_at: m.last_sync_at,
            last_success_at: m.last_success_at,
            next_sync_at: m.next_sync_at,
            last_error: m.last_error,
            consecutive_failures: m.consecutive_failures,
            last_result: SyncResult {
                created: m.last_created,
                updated: m.last_updated,
                removed: m.last_removed,
            },
            created_at: m.created_at,
        })
    }
}

#[derive(InputObject)]
pub struct ConfigureConnectorInput {
    pub kind: ConnectorKind,
    /// The API root; default the public service's
    /// (`https://api.github.com`). Enterprise: `https://HOST/api/v3`.
    /// CALENDAR: the calendar's ICS feed or CalDAV collection address
    /// (required; kept sealed like a token, shown only as `https://host/…`).
    pub base_url: Option<String>,
    /// A personal access token. Required the first time; absent keeps
    /// the stored one. Never returned. CALENDAR: the optional CalDAV
    /// password.
    pub token: Option<String>,
    /// CALENDAR only: the CalDAV user name (HTTP basic auth); absent
    /// keeps the stored one, empty removes it.
    pub username: Option<String>,
    /// Minutes between syncs (default from the server's configuration).
    pub interval_minutes: Option<u32>,
    /// Replaces the rules when given.
    pub project_rules: Option<Vec<ProjectRuleInput>>,
}

#[derive(SimpleObject)]
pub struct ConnectorTest {
    pub ok: bool,
    /// The account the token belongs to (a calendar: its name, or its
    /// host).
    pub account: Option<String>,
    /// Why the test failed, worded for people; for a calendar that was
    /// read, how many events it holds.
    pub message: Option<String>,
}

#[derive(Default)]
pub struct ConnectorsQuery;

#[Object]
impl ConnectorsQuery {
    /// The caller's connectors, oldest first.
    async fn connectors(&self, ctx: &Context<'_>) -> Result<Vec<Connector>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let rows = service::list(&state.db, user_id).await?;
        Ok(rows
            .into_iter()
            .map(Connector::try_from)
            .collect::<Result<_, AppError>>()?)
    }

    /// One connector, e.g. to poll its sync status.
    async fn connector(&self, ctx: &Context<'_>, id: Uuid) -> Result<Connector> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::get(&state.db, user_id, id).await?.try_into()?)
    }
}

#[derive(Default)]
pub struct ConnectorsMutation;

fn vault(state: &AppState) -> Result<Vault, AppError> {
    Vault::from_settings(&state.settings).map_err(|e| AppError::field("token", e.to_string()))
}

#[Object]
impl ConnectorsMutation {
    /// Adds a connector, or changes the caller's connector of the same kind
    /// and base URL; it syncs at the scheduler's next pass.
    async fn configure_connector(
        &self,
        ctx: &Context<'_>,
        input: ConfigureConnectorInput,
    ) -> Result<Connector> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let vault = vault(state)?;
        let projects = input.project_rules.map(|rules| {
            rules
                .into_iter()
                .map(|r| (r.repository.trim().to_owned(), r.project.trim().to_owned()))
                .collect::<BTreeMap<_, _>>()
        });
        let row = service::configure(
            &state.db,
            &vault,
            &state.settings.connectors,
            user_id,
            ConnectorInput {
                kind: input.kind,
                base_url: input.base_url,
                token: input.token,
                interval_minutes: input.interval_minutes,
                projects,
                username: input.username,
            },
        )
        .await?;
        Ok(row.try_into()?)
    }

    /// Checks the stored token against the source now.
    async fn test_connector(&self, ctx: &Context<'_>, id: Uuid) -> Result<ConnectorTest> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let row = service::get(&state.db, user_id, id).await?;
        Ok(match check::whoami(state, &row).await? {
            Ok(checked) => ConnectorTest {
                ok: true,
                account: Some(checked.account),
                message: checked.note,
            },
            Err(message) => ConnectorTest {
                ok: false,
                account: None,
                message: Some(message),
            },
        })
    }

    /// Syncs now (in the background): poll `connector(id) { status }`.
    async fn sync_connector(&self, ctx: &Context<'_>, id: Uuid) -> Result<Connector> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let row = service::request_sync(&state.db, user_id, id).await?;
        let background = state.clone();
        tokio::spawn(async move {
            // Busy (another sync of this person runs): the scheduler takes
            // it at its next pass, as it is due now.
            if let Err(err) = super::sync::run(&background, id).await {
                let err: async_graphql::Error = err.into();
                tracing::warn!(connector = %id, error = %err.message, "sync now failed");
            }
        });
        Ok(row.try_into()?)
    }

    /// Removes the connector and its credentials; its drafts stay.
    async fn remove_connector(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::remove(&state.db, user_id, id).await?;
        Ok(true)
    }
}
