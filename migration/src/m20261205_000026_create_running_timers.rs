//! The running timer: at most one per person (the key is the user), kept on
//! the server so it survives a reload and shows on every device. Stopping
//! it turns the row into a log entry; the row cascades with the user and
//! loses its project if the project is deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RunningTimers {
    Table,
    UserId,
    Title,
    Description,
    ActivityType,
    ProjectId,
    Tags,
    ValueRating,
    ImpactLevel,
    StartedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RunningTimers::Table)
                    .col(uuid(RunningTimers::UserId).primary_key())
                    .col(string_len(RunningTimers::Title, 200))
                    .col(text_null(RunningTimers::Description))
                    .col(string_len(RunningTimers::ActivityType, 20))
                    .col(uuid_null(RunningTimers::ProjectId))
                    // A JSON array of cleaned tag names: the tags are made
                    // when the entry is, not while the timer runs.
                    .col(text(RunningTimers::Tags))
                    .col(string_len(RunningTimers::ValueRating, 10))
                    .col(string_len(RunningTimers::ImpactLevel, 10))
                    .col(timestamp_with_time_zone(RunningTimers::StartedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunningTimers::Table, RunningTimers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunningTimers::Table, RunningTimers::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RunningTimers::Table).to_owned())
            .await
    }
}
