//! Connectors: one row per person and source (GitHub, GitLab, …) holding
//! its settings, its sealed credentials, where the last sync stopped (the
//! cursor) and what the person is shown about syncing (status, last sync,
//! last error). The scheduler claims a row by its lease, so one sync runs
//! at a time per person even with several API instances.
//!
//! Rows cascade from `users`: an erased account leaves no credential.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::cascade_from_user;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Connectors {
    Table,
    Id,
    UserId,
    Kind,
    BaseUrl,
    Settings,
    SealedCredentials,
    Cursor,
    IntervalSecs,
    Status,
    NextSyncAt,
    LeaseUntil,
    LastSyncAt,
    LastSuccessAt,
    LastError,
    ConsecutiveFailures,
    LastCreated,
    LastUpdated,
    LastRemoved,
    CreatedAt,
    UpdatedAt,
}

const UNIQUE_SOURCE: &str = "ux_connectors_user_kind_base_url";
const DUE: &str = "ix_connectors_next_sync_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Connectors::Table)
                    .col(uuid(Connectors::Id).primary_key())
                    .col(uuid(Connectors::UserId))
                    .col(string_len(Connectors::Kind, 20))
                    .col(string_len(Connectors::BaseUrl, 500))
                    .col(json(Connectors::Settings))
                    .col(text(Connectors::SealedCredentials))
                    .col(text_null(Connectors::Cursor))
                    .col(integer(Connectors::IntervalSecs))
                    .col(string_len(Connectors::Status, 20))
                    .col(timestamp_with_time_zone(Connectors::NextSyncAt))
                    .col(timestamp_with_time_zone_null(Connectors::LeaseUntil))
                    .col(timestamp_with_time_zone_null(Connectors::LastSyncAt))
                    .col(timestamp_with_time_zone_null(Connectors::LastSuccessAt))
                    .col(text_null(Connectors::LastError))
                    .col(integer(Connectors::ConsecutiveFailures).default(0))
                    .col(integer(Connectors::LastCreated).default(0))
                    .col(integer(Connectors::LastUpdated).default(0))
                    .col(integer(Connectors::LastRemoved).default(0))
                    .col(timestamp_with_time_zone(Connectors::CreatedAt))
                    .col(timestamp_with_time_zone(Connectors::UpdatedAt))
                    .foreign_key(&mut cascade_from_user(
                        Connectors::Table,
                        Connectors::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(UNIQUE_SOURCE)
                    .table(Connectors::Table)
                    .col(Connectors::UserId)
                    .col(Connectors::Kind)
                    .col(Connectors::BaseUrl)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(DUE)
                    .table(Connectors::Table)
                    .col(Connectors::NextSyncAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Connectors::Table).to_owned())
            .await
    }
}
