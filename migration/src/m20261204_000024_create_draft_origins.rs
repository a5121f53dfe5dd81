//! What a source last wrote into each of its drafts, as a fingerprint, so
//! a sync can tell "the source changed this item" (update the draft) from
//! "the person edited the draft" (leave it). One row per synced entry,
//! cascading from `log_entries` (and so from `users`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DraftOrigins {
    Table,
    LogEntryId,
    Fingerprint,
    SyncedAt,
}

#[derive(DeriveIden)]
enum LogEntries {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DraftOrigins::Table)
                    .col(uuid(DraftOrigins::LogEntryId).primary_key())
                    .col(string_len(DraftOrigins::Fingerprint, 64))
                    .col(timestamp_with_time_zone(DraftOrigins::SyncedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DraftOrigins::Table, DraftOrigins::LogEntryId)
                            .to(LogEntries::Table, LogEntries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DraftOrigins::Table).to_owned())
            .await
    }
}
