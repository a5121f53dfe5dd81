//! The source items a person deleted from their journal (by the entry's
//! `external_uid`), so a later sync or capture that still lists the item —
//! a connector re-reads an overlap window every time — does not bring it
//! back. One row per deleted item, cascading from `users`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DismissedDrafts {
    Table,
    UserId,
    ExternalUid,
    DismissedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DismissedDrafts::Table)
                    .col(uuid(DismissedDrafts::UserId))
                    .col(string(DismissedDrafts::ExternalUid))
                    .col(timestamp_with_time_zone(DismissedDrafts::DismissedAt))
                    .primary_key(
                        Index::create()
                            .col(DismissedDrafts::UserId)
                            .col(DismissedDrafts::ExternalUid),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DismissedDrafts::Table, DismissedDrafts::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DismissedDrafts::Table).to_owned())
            .await
    }
}
