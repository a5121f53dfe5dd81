//! The last local day each person was sent a missed-day nudge, so no more
//! than one goes out a day. A conditional `UPDATE` on this row is the
//! claim that keeps two API instances (or a restart) from sending twice.
//! One row per person who was ever considered, cascading from `users`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MissedDayNudges {
    Table,
    UserId,
    LastSentOn,
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
                    .table(MissedDayNudges::Table)
                    .col(uuid(MissedDayNudges::UserId).primary_key())
                    .col(date_null(MissedDayNudges::LastSentOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MissedDayNudges::Table, MissedDayNudges::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MissedDayNudges::Table).to_owned())
            .await
    }
}
