use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::cascade_from_user;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    UserId,
    Name,
    Description,
    Status,
    StartDate,
    EndDate,
    Color,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LogEntries {
    Table,
    Id,
    UserId,
    ProjectId,
    Title,
    Description,
    ActivityType,
    StartTime,
    EndTime,
    DurationMinutes,
    ValueRating,
    ImpactLevel,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Tags {
    Table,
    Id,
    UserId,
    Name,
    Category,
    Color,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LogEntryTags {
    Table,
    LogEntryId,
    TagId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(uuid(Projects::Id).primary_key())
                    .col(uuid(Projects::UserId))
                    .col(string_len(Projects::Name, 200))
                    .col(text_null(Projects::Description))
                    .col(string_len(Projects::Status, 20).default("active"))
                    .col(date_null(Projects::StartDate))
                    .col(date_null(Projects::EndDate))
                    .col(string_len_null(Projects::Color, 7))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .col(timestamp_with_time_zone(Projects::UpdatedAt))
                    .foreign_key(&mut cascade_from_user(Projects::Table, Projects::UserId))
                    .to_owned(),
            )
            .await?;
        // Project names are unique per user; also serves "projects of a user".
        manager
            .create_index(
                Index::create()
                    .name("ux_projects_user_name")
                    .table(Projects::Table)
                    .col(Projects::UserId)
                    .col(Projects::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LogEntries::Table)
                    .col(uuid(LogEntries::Id).primary_key())
                    .col(uuid(LogEntries::UserId))
                    .col(uuid_null(LogEntries::ProjectId))
                    .col(string_len(LogEntries::Title, 200))
                    .col(text_null(LogEntries::Description))
                    .col(string_len(LogEntries::ActivityType, 20))
                    .col(timestamp_with_time_zone(LogEntries::StartTime))
                    .col(timestamp_with_time_zone(LogEntries::EndTime))
                    .col(integer(LogEntries::DurationMinutes))
                    .col(string_len(LogEntries::ValueRating, 10).default("medium"))
                    .col(string_len(LogEntries::ImpactLevel, 10).default("personal"))
                    .col(timestamp_with_time_zone(LogEntries::CreatedAt))
                    .col(timestamp_with_time_zone(LogEntries::UpdatedAt))
                    .check(Expr::col(LogEntries::EndTime).gt(Expr::col(LogEntries::StartTime)))
                    .foreign_key(&mut cascade_from_user(
                        LogEntries::Table,
                        LogEntries::UserId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LogEntries::Table, LogEntries::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // The journal's main access path: a user's entries, newest first, with
        // the id as tie-breaker for keyset pagination and period aggregation.
        manager
            .create_index(
                Index::create()
                    .name("ix_log_entries_user_start")
                    .table(LogEntries::Table)
                    .col(LogEntries::UserId)
                    .col(LogEntries::StartTime)
                    .col(LogEntries::Id)
                    .to_owned(),
            )
            .await?;
        // Project totals and the ON DELETE SET NULL of a project.
        manager
            .create_index(
                Index::create()
                    .name("ix_log_entries_project_start")
                    .table(LogEntries::Table)
                    .col(LogEntries::ProjectId)
                    .col(LogEntries::StartTime)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tags::Table)
                    .col(uuid(Tags::Id).primary_key())
                    .col(uuid(Tags::UserId))
                    .col(string_len(Tags::Name, 50))
                    .col(string_len(Tags::Category, 20).default("custom"))
                    .col(string_len_null(Tags::Color, 7))
                    .col(timestamp_with_time_zone(Tags::CreatedAt))
                    .col(timestamp_with_time_zone(Tags::UpdatedAt))
                    .foreign_key(&mut cascade_from_user(Tags::Table, Tags::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_tags_user_name")
                    .table(Tags::Table)
                    .col(Tags::UserId)
                    .col(Tags::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LogEntryTags::Table)
                    .col(uuid(LogEntryTags::LogEntryId))
                    .col(uuid(LogEntryTags::TagId))
                    .primary_key(
                        Index::create()
                            .col(LogEntryTags::LogEntryId)
                            .col(LogEntryTags::TagId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LogEntryTags::Table, LogEntryTags::LogEntryId)
                            .to(LogEntries::Table, LogEntries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LogEntryTags::Table, LogEntryTags::TagId)
                            .to(Tags::Table, Tags::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Tag filters and tag usage counts go from tag to entries.
        manager
            .create_index(
                Index::create()
                    .name("ix_log_entry_tags_tag")
                    .table(LogEntryTags::Table)
                    .col(LogEntryTags::TagId)
                    .col(LogEntryTags::LogEntryId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LogEntryTags::Table.into_iden(),
            Tags::Table.into_iden(),
            LogEntries::Table.into_iden(),
            Projects::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
