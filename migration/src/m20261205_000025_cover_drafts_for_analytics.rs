//! Adds `is_draft` to the covering analytics index on PostgreSQL.
//!
//! The dashboard now reads `is_draft` to keep unconfirmed drafts out of its
//! numbers; without the column in the index every entry of the period
//! would cost a heap visit again (see `m20261122_000005`). Same key, so the
//! entry list's keyset pagination keeps using it. SQLite has no `INCLUDE`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LogEntries {
    Table,
    Id,
    UserId,
    ProjectId,
    ActivityType,
    StartTime,
    EndTime,
    ValueRating,
    ImpactLevel,
    IsDraft,
}

const BEFORE: &str = "ix_log_entries_user_start_covering";
const AFTER: &str = "ix_log_entries_user_start_covering_drafts";

fn covering(name: &str, with_drafts: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(name)
        .table(LogEntries::Table)
        .col(LogEntries::UserId)
        .col(LogEntries::StartTime)
        .col(LogEntries::Id)
        .include(LogEntries::EndTime)
        .include(LogEntries::ProjectId)
        .include(LogEntries::ActivityType)
        .include(LogEntries::ValueRating)
        .include(LogEntries::ImpactLevel);
    if with_drafts {
        index.include(LogEntries::IsDraft);
    }
    index.to_owned()
}

async fn swap(manager: &SchemaManager<'_>, create: &str, drop: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    manager
        .create_index(covering(create, create == AFTER))
        .await?;
    manager
        .drop_index(Index::drop().name(drop).table(LogEntries::Table).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        swap(manager, AFTER, BEFORE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        swap(manager, BEFORE, AFTER).await
    }
}
