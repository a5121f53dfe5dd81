//! Jobs by owner, kind and status: the enrichment backlog check on every
//! entry write (`enrichment::queue`) counts a person's unfinished
//! enrichment jobs, and account deletion looks up a person's unfinished
//! jobs; without it both scan the table, finished jobs included.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    UserId,
    Kind,
    Status,
}

const INDEX: &str = "ix_jobs_user_kind_status";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Jobs::Table)
                    .col(Jobs::UserId)
                    .col(Jobs::Kind)
                    .col(Jobs::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Jobs::Table).to_owned())
            .await
    }
}
