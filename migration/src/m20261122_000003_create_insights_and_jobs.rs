use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Insights {
    Table,
    Id,
    UserId,
    ReportType,
    PeriodStart,
    PeriodEnd,
    FocusAreas,
    ProjectIds,
    Status,
    Content,
    Sections,
    Metrics,
    Citations,
    Model,
    PromptTokens,
    CompletionTokens,
    StartedAt,
    FinishedAt,
    Error,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    UserId,
    Kind,
    InsightId,
    Payload,
    Status,
    Attempts,
    AvailableAt,
    PublishedAt,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Insights::Table)
                    .col(uuid(Insights::Id).primary_key())
                    .col(uuid(Insights::UserId))
                    .col(string_len(Insights::ReportType, 20))
                    .col(date(Insights::PeriodStart))
                    .col(date(Insights::PeriodEnd))
                    .col(json(Insights::FocusAreas))
                    .col(json(Insights::ProjectIds))
                    .col(string_len(Insights::Status, 20))
                    .col(text_null(Insights::Content))
                    .col(json_null(Insights::Sections))
                    .col(json_null(Insights::Metrics))
                    .col(json_null(Insights::Citations))
                    .col(string_len_null(Insights::Model, 100))
                    .col(integer_null(Insights::PromptTokens))
                    .col(integer_null(Insights::CompletionTokens))
                    .col(timestamp_with_time_zone_null(Insights::StartedAt))
                    .col(timestamp_with_time_zone_null(Insights::FinishedAt))
                    .col(text_null(Insights::Error))
                    .col(timestamp_with_time_zone(Insights::CreatedAt))
                    .col(timestamp_with_time_zone(Insights::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Insights::Table, Insights::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Reports list newest first; reuse of stored reports looks up by period.
        manager
            .create_index(
                Index::create()
                    .name("ix_insights_user_created")
                    .table(Insights::Table)
                    .col(Insights::UserId)
                    .col(Insights::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_insights_user_period")
                    .table(Insights::Table)
                    .col(Insights::UserId)
                    .col(Insights::ReportType)
                    .col(Insights::PeriodStart)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(uuid(Jobs::Id).primary_key())
                    .col(uuid(Jobs::UserId))
                    .col(string_len(Jobs::Kind, 40))
                    .col(uuid_null(Jobs::InsightId))
                    .col(json(Jobs::Payload))
                    .col(string_len(Jobs::Status, 20))
                    .col(integer(Jobs::Attempts).default(0))
                    .col(timestamp_with_time_zone(Jobs::AvailableAt))
                    .col(timestamp_with_time_zone_null(Jobs::PublishedAt))
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Jobs::Table, Jobs::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The outbox relay scans for unpublished jobs in creation order.
        manager
            .create_index(
                Index::create()
                    .name("ix_jobs_published_created")
                    .table(Jobs::Table)
                    .col(Jobs::PublishedAt)
                    .col(Jobs::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_jobs_insight")
                    .table(Jobs::Table)
                    .col(Jobs::InsightId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Insights::Table).to_owned())
            .await
    }
}
