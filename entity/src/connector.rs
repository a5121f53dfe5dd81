use sea_orm::entity::prelude::*;

/// One person's link to one source of activity (GitHub, GitLab, …): its
/// settings, its sealed credentials and the state of its syncs.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "connectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `ConnectorKind` stored form (`github`, `gitlab`).
    pub kind: String,
    /// The API's base URL (`https://api.github.com`, an Enterprise server).
    pub base_url: String,
    /// Non-secret settings (login, project rules), as JSON.
    pub settings: Json,
    /// The credentials, encrypted with the configured key (AES-256-GCM,
    /// bound to the row's id); never returned by the API.
    pub sealed_credentials: String,
    /// Where the last successful sync stopped; the source's own format.
    pub cursor: Option<String>,
    /// Seconds between two syncs.
    pub interval_secs: i32,
    /// `ConnectorStatus` stored form.
    pub status: String,
    pub next_sync_at: DateTimeUtc,
    /// While set and in the future, a sync holds the row.
    pub lease_until: Option<DateTimeUtc>,
    pub last_sync_at: Option<DateTimeUtc>,
    pub last_success_at: Option<DateTimeUtc>,
    /// What went wrong last, worded for the person.
    pub last_error: Option<String>,
    pub consecutive_failures: i32,
    /// Drafts the last sync created, updated and removed.
    pub last_created: i32,
    pub last_updated: i32,
    pub last_removed: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
