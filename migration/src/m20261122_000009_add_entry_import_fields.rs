//! Imported entries: calendar events arrive as drafts the person then
//! rates, and every imported row remembers where it came from so importing
//! the same file again adds nothing (`external_uid` is unique per user).
//!
//! SQLite alters one column per statement, hence one `ALTER` each.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LogEntries {
    Table,
    UserId,
    IsDraft,
    Source,
    ExternalUid,
}

const UNIQUE_EXTERNAL_UID: &str = "ux_log_entries_user_external_uid";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            boolean(LogEntries::IsDraft).default(false).to_owned(),
            string_len_null(LogEntries::Source, 20),
            string_len_null(LogEntries::ExternalUid, 255),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(LogEntries::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // NULLs never collide, so hand-written entries are unaffected.
        manager
            .create_index(
                Index::create()
                    .name(UNIQUE_EXTERNAL_UID)
                    .table(LogEntries::Table)
                    .col(LogEntries::UserId)
                    .col(LogEntries::ExternalUid)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(UNIQUE_EXTERNAL_UID)
                    .table(LogEntries::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            LogEntries::ExternalUid,
            LogEntries::Source,
            LogEntries::IsDraft,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(LogEntries::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
