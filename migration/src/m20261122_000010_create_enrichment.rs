//! Entry enrichment: suggestions stored beside entries, the per-entry
//! coalescing state, each person's skills vocabulary and bulk runs. Every
//! table cascades from `users` (and `log_entries`), so deleting an account
//! or an entry erases its enrichment.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum LogEntries {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum EntrySuggestions {
    Table,
    Id,
    UserId,
    EntryId,
    Field,
    Value,
    Reason,
    Status,
    TextHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum EntryEnrichments {
    Table,
    EntryId,
    UserId,
    TextHash,
    PendingJobId,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum UserSkills {
    Table,
    UserId,
    Name,
    Removed,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum EnrichmentBatches {
    Table,
    Id,
    UserId,
    Total,
    Done,
    CreatedAt,
    UpdatedAt,
}

fn user_fk(table: impl IntoIden + Clone, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn entry_fk(table: impl IntoIden + Clone, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(LogEntries::Table, LogEntries::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EntrySuggestions::Table)
                    .col(uuid(EntrySuggestions::Id).primary_key())
                    .col(uuid(EntrySuggestions::UserId))
                    .col(uuid(EntrySuggestions::EntryId))
                    .col(string_len(EntrySuggestions::Field, 20))
                    .col(json(EntrySuggestions::Value))
                    .col(text(EntrySuggestions::Reason))
                    .col(string_len(EntrySuggestions::Status, 20))
                    .col(string_len(EntrySuggestions::TextHash, 32))
                    .col(timestamp_with_time_zone(EntrySuggestions::CreatedAt))
                    .col(timestamp_with_time_zone(EntrySuggestions::UpdatedAt))
                    .foreign_key(&mut user_fk(
                        EntrySuggestions::Table,
                        EntrySuggestions::UserId,
                    ))
                    .foreign_key(&mut entry_fk(
                        EntrySuggestions::Table,
                        EntrySuggestions::EntryId,
                    ))
                    .to_owned(),
            )
            .await?;
        // One suggestion per entry and field; trends scan a user's rows.
        manager
            .create_index(
                Index::create()
                    .name("ux_entry_suggestions_entry_field")
                    .table(EntrySuggestions::Table)
                    .col(EntrySuggestions::EntryId)
                    .col(EntrySuggestions::Field)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_entry_suggestions_user_field")
                    .table(EntrySuggestions::Table)
                    .col(EntrySuggestions::UserId)
                    .col(EntrySuggestions::Field)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EntryEnrichments::Table)
                    .col(uuid(EntryEnrichments::EntryId).primary_key())
                    .col(uuid(EntryEnrichments::UserId))
                    .col(string_len(EntryEnrichments::TextHash, 32))
                    .col(uuid_null(EntryEnrichments::PendingJobId))
                    .col(timestamp_with_time_zone(EntryEnrichments::UpdatedAt))
                    .foreign_key(&mut user_fk(
                        EntryEnrichments::Table,
                        EntryEnrichments::UserId,
                    ))
                    .foreign_key(&mut entry_fk(
                        EntryEnrichments::Table,
                        EntryEnrichments::EntryId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserSkills::Table)
                    .col(uuid(UserSkills::UserId))
                    .col(string_len(UserSkills::Name, 50))
                    .col(boolean(UserSkills::Removed).default(false))
                    .col(timestamp_with_time_zone(UserSkills::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(UserSkills::UserId)
                            .col(UserSkills::Name),
                    )
                    .foreign_key(&mut user_fk(UserSkills::Table, UserSkills::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EnrichmentBatches::Table)
                    .col(uuid(EnrichmentBatches::Id).primary_key())
                    .col(uuid(EnrichmentBatches::UserId))
                    .col(integer(EnrichmentBatches::Total))
                    .col(integer(EnrichmentBatches::Done).default(0))
                    .col(timestamp_with_time_zone(EnrichmentBatches::CreatedAt))
                    .col(timestamp_with_time_zone(EnrichmentBatches::UpdatedAt))
                    .foreign_key(&mut user_fk(
                        EnrichmentBatches::Table,
                        EnrichmentBatches::UserId,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EnrichmentBatches::Table.into_iden(),
            UserSkills::Table.into_iden(),
            EntryEnrichments::Table.into_iden(),
            EntrySuggestions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
