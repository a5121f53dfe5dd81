//! One sync of one connector: claim it (one sync at a time per person,
//! across API instances), open its token, fetch from its source, write the
//! drafts and record the outcome the person sees. A failure leaves earlier
//! drafts and entries untouched and schedules a retry with backoff.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use entity::{connector, user};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::calendar::access::CalendarAccess;
use super::drafts::{DraftCounts, DraftSet, check};
use super::grouping::Grouping;
use super::kind::{ConnectorKind, ConnectorStatus};
use super::service::StoredSettings;
use super::source::{Fetched, Source, SourceError};
use super::vault::Vault;
use super::{calendar, github, gitlab, upsert};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What a call to [`run`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Another sync of this person holds the lease; try later.
    Busy,
    Synced(DraftCounts),
    /// The source failed; the message is the connector's `lastError`.
    Failed(String),
}

/// Takes the connector for a sync if neither it nor another connector of
/// the same person is being synced. The conditions sit in the UPDATE, so
/// two instances cannot both win.
async fn claim(state: &AppState, row: &connector::Model, now: DateTime<Utc>) -> AppResult<bool> {
    use sea_orm::sea_query::ExprTrait as _;
    let lease = now + Duration::seconds(i64::from(state.settings.connectors.lease_secs));
    // Two claims for one person's connectors (two instances, or two tasks
    // of one pass) queue on the person's row: the second then sees the
    // first's lease. Without it, PostgreSQL's read-committed snapshots let
    // both see no live lease and both win. (SQLite: one writer at a time.)
    let txn = crate::db::begin_write(&state.db).await?;
    entity::user::Entity::find_by_id(row.user_id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let busy_users = Query::select()
        .column(connector::Column::UserId)
        .from(connector::Entity)
        .and_where(Expr::col(connector::Column::LeaseUntil).gt(now))
        .to_owned();
    let claimed = connector::Entity::update_many()
        .col_expr(connector::Column::LeaseUntil, Expr::value(lease))
        .col_expr(
            connector::Column::Status,
            Expr::value(ConnectorStatus::Syncing.as_str()),
        )
        .filter(connector::Column::Id.eq(row.id))
        .filter(
            Condition::any()
                .add(connector::Column::LeaseUntil.is_null())
                .add(connector::Column::LeaseUntil.lte(now)),
        )
        .filter(connector::Column::UserId.not_in_subquery(busy_users))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(claimed.rows_affected == 1)
}

/// When a connector that failed `failures` times in a row is tried again.
pub fn backoff(
    state: &AppState,
    failures: i32,
    error: &SourceError,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    if let SourceError::RateLimited { until } = error {
        return (*until).max(now + Duration::seconds(1));
    }
    let s = &state.settings.connectors;
    let exponent = u32::try_from(failures.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
    let secs = u64::from(s.backoff_base_secs)
        .saturating_mul(1u64 << exponent)
        .min(u64::from(s.backoff_max_secs));
    now + Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 2))
}

/// Why a sync failed before or outside the source, worded for the person.
enum Failure {
    Source(SourceError),
    /// The credentials could not be opened (key changed or missing).
    Credentials(String),
    Internal(AppError),
}

/// What a fetch brings: the drafts to write and the next cursor.
pub struct Harvest {
    pub set: DraftSet,
    pub cursor: String,
}

/// The drafts of a forge's activity, grouped the shared way.
async fn grouped(
    state: &AppState,
    row: &connector::Model,
    fetched: Fetched,
) -> Result<Harvest, Failure> {
    let tz = user_tz(&state.db, row.user_id)
        .await
        .map_err(Failure::Internal)?;
    let stored = StoredSettings::from_json(&row.settings);
    let namespace = namespace(&row.kind, &row.base_url);
    let grouping = Grouping {
        namespace: &namespace,
        tz,
        projects: &stored.projects,
    };
    Ok(Harvest {
        set: grouping.drafts(&fetched.items),
        cursor: fetched.cursor,
    })
}

/// A calendar, read whole: its meetings in the window as drafts.
async fn calendar_harvest(
    state: &AppState,
    row: &connector::Model,
    vault: &Vault,
    first_since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Harvest, Failure> {
    let access = CalendarAccess::open(vault, row.id, &row.sealed_credentials)
        .map_err(|e| Failure::Credentials(e.to_string()))?;
    let text = calendar::read(&access, &state.settings.connectors)
        .await
        .map_err(Failure::Source)?;
    let meetings = calendar::meetings_of(state, row, &access)
        .await
        .map_err(Failure::Internal)?;
    let window = calendar::window(row.cursor.as_deref(), first_since, now);
    let set = meetings.drafts(&text, window).map_err(Failure::Source)?;
    Ok(Harvest {
        set,
        cursor: now.to_rfc3339(),
    })
}

async fn fetch(
    state: &AppState,
    row: &connector::Model,
    now: DateTime<Utc>,
) -> Result<Harvest, Failure> {
    let vault =
        Vault::from_settings(&state.settings).map_err(|e| Failure::Credentials(e.to_string()))?;
    let kind = ConnectorKind::parse(&row.kind).map_err(Failure::Internal)?;
    let first_since = now - Duration::days(i64::from(state.settings.connectors.first_sync_days));
    let token = || {
        vault
            .open(row.id, &row.sealed_credentials)
            .map_err(|e| Failure::Credentials(e.to_string()))
    };
    let cursor = row.cursor.as_deref();
    let result = match kind {
        ConnectorKind::Calendar => {
            return calendar_harvest(state, row, &vault, first_since, now).await;
        }
        ConnectorKind::Github => {
            let source =
                github::GithubSource::new(&row.base_url, &token()?, &state.settings.connectors)
                    .map_err(Failure::Source)?;
            source.fetch(cursor, first_since, now).await
        }
        ConnectorKind::Gitlab => {
            let source =
                gitlab::GitlabSource::new(&row.base_url, &token()?, &state.settings.connectors)
                    .map_err(Failure::Source)?;
            source.fetch(cursor, first_since, now).await
        }
    };
    grouped(state, row, result.map_err(Failure::Source)?).await
}

async fn user_tz(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Tz> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    Ok(u.timezone.parse().unwrap_or(chrono_tz::UTC))
}

/// Writes the drafts and the connector's success in one transaction.
async fn record_success(
    state: &AppState,
    row: &connector::Model,
    harvest: Harvest,
    now: DateTime<Utc>,
) -> AppResult<DraftCounts> {
    let Harvest { mut set, cursor } = harvest;
    // A draft the rules refuse (it should not happen: titles are clipped)
    // is left out and logged rather than failing the whole sync.
    set.upserts.retain_mut(|d| {
        let errors = check("", d);
        if !errors.is_empty() {
            tracing::warn!(connector = %row.id, uid = %d.external_uid, ?errors, "draft left out");
        }
        errors.is_empty()
    });
    let txn = crate::db::begin_write(&state.db).await?;
    let counts = upsert::apply(&txn, row.user_id, &row.kind, &set).await?;
    let count = |n: usize| Expr::value(i32::try_from(n).unwrap_or(i32::MAX));
    connector::Entity::update_many()
        .col_expr(connector::Column::Cursor, Expr::value(cursor))
        .col_expr(
            connector::Column::Status,
            Expr::value(ConnectorStatus::Ok.as_str()),
        )
        .col_expr(
            connector::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(connector::Column::LastSyncAt, Expr::value(now))
        .col_expr(connector::Column::LastSuccessAt, Expr::value(now))
        .col_expr(
            connector::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .col_expr(connector::Column::ConsecutiveFailures, Expr::value(0))
        .col_expr(connector::Column::LastCreated, count(counts.created))
        .col_expr(connector::Column::LastUpdated, count(counts.updated))
        .col_expr(connector::Column::LastRemoved, count(counts.removed))
        .col_expr(
            connector::Column::NextSyncAt,
            Expr::value(now + Duration::seconds(i64::from(row.interval_secs))),
        )
        .col_expr(connector::Column::UpdatedAt, Expr::value(now))
        .filter(connector::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(counts)
}

async fn record_failure(
    state: &AppState,
    row: &connector::Model,
    message: &str,
    next: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    connector::Entity::update_many()
        .col_expr(
            connector::Column::Status,
            Expr::value(ConnectorStatus::Failed.as_str()),
        )
        .col_expr(
            connector::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(connector::Column::LastSyncAt, Expr::value(now))
        .col_expr(connector::Column::LastError, Expr::value(message))
        .col_expr(
            connector::Column::ConsecutiveFailures,
            Expr::value(row.consecutive_failures.saturating_add(1)),
        )
        .col_expr(connector::Column::NextSyncAt, Expr::value(next))
        .col_expr(connector::Column::UpdatedAt, Expr::value(now))
        .filter(connector::Column::Id.eq(row.id))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// The prefix of a connector's external ids: its kind and API host, so
/// github.com and an Enterprise server never share an id. A calendar's is
/// the hash of its address (two calendars on one host stay apart).
pub fn namespace(kind: &str, base_url: &str) -> String {
    if let Some((_, identity)) = base_url.split_once('#') {
        return format!("{kind}:{identity}");
    }
    let host = reqwest::Url::parse(base_url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| u.port().map_or(h.to_owned(), |p| format!("{h}:{p}")))
        })
        .unwrap_or_else(|| base_url.to_owned());
    format!("{kind}:{host}")
}

/// Syncs one connector now, if it can be claimed.
#[tracing::instrument(skip_all, fields(connector = %connector_id))]
pub async fn run(state: &AppState, connector_id: Uuid) -> AppResult<SyncOutcome> {
    let now = Utc::now();
    let Some(row) = connector::Entity::find_by_id(connector_id)
        .one(&state.db)
        .await?
    else {
        return Err(AppError::NotFound("connector"));
    };
    if !claim(state, &row, now).await? {
        return Ok(SyncOutcome::Busy);
    }
    let failure = match fetch(state, &row, now).await {
        Ok(fetched) => match record_success(state, &row, fetched, now).await {
            Ok(counts) => {
                tracing::info!(?counts, "connector synced");
                return Ok(SyncOutcome::Synced(counts));
            }
            Err(err) => Failure::Internal(err),
        },
        Err(failure) => failure,
    };
    let failures = row.consecutive_failures.saturating_add(1);
    let (message, next) = match &failure {
        Failure::Source(e) => (e.to_string(), backoff(state, failures, e, now)),
        Failure::Credentials(m) => (
            m.clone(),
            backoff(state, failures, &SourceError::Unauthorized, now),
        ),
        Failure::Internal(_) => (
            "internal error while syncing; the server log has the cause".to_owned(),
            backoff(state, failures, &SourceError::BadAnswer(String::new()), now),
        ),
    };
    if let Failure::Internal(err) = failure {
        let err: async_graphql::Error = err.into();
        tracing::error!(error = %err.message, "connector sync failed internally");
    } else {
        tracing::warn!(error = %message, "connector sync failed");
    }
    record_failure(state, &row, &message, next, now).await?;
    Ok(SyncOutcome::Failed(message))
}
