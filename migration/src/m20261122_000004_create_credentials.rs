use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_users::cascade_from_user;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    FamilyId,
    UserId,
    TokenHash,
    UserAgent,
    ExpiresAt,
    RotatedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    Scope,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OauthIdentities {
    Table,
    Id,
    UserId,
    Provider,
    Subject,
    Email,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScheduledDeletions {
    Table,
    Id,
    UserId,
    Mode,
    RequestedAt,
    DueAt,
    CancelledAt,
    ProcessedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::Id).primary_key())
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(uuid(RefreshTokens::UserId))
                    .col(string_len(RefreshTokens::TokenHash, 64).unique_key())
                    .col(string_len_null(RefreshTokens::UserAgent, 200))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RotatedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .foreign_key(&mut cascade_from_user(
                        RefreshTokens::Table,
                        RefreshTokens::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        // Revoking a family, and a user's sessions.
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_user")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(uuid(ApiTokens::Id).primary_key())
                    .col(uuid(ApiTokens::UserId))
                    .col(string_len(ApiTokens::Name, 100))
                    .col(string_len(ApiTokens::TokenHash, 64).unique_key())
                    .col(string_len(ApiTokens::Prefix, 16))
                    .col(string_len(ApiTokens::Scope, 20))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .foreign_key(&mut cascade_from_user(ApiTokens::Table, ApiTokens::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_api_tokens_user")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OauthIdentities::Table)
                    .col(uuid(OauthIdentities::Id).primary_key())
                    .col(uuid(OauthIdentities::UserId))
                    .col(string_len(OauthIdentities::Provider, 50))
                    .col(string_len(OauthIdentities::Subject, 255))
                    .col(string_len_null(OauthIdentities::Email, 254))
                    .col(timestamp_with_time_zone(OauthIdentities::CreatedAt))
                    .foreign_key(&mut cascade_from_user(
                        OauthIdentities::Table,
                        OauthIdentities::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_oauth_identities_provider_subject")
                    .table(OauthIdentities::Table)
                    .col(OauthIdentities::Provider)
                    .col(OauthIdentities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_oauth_identities_user")
                    .table(OauthIdentities::Table)
                    .col(OauthIdentities::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ScheduledDeletions::Table)
                    .col(uuid(ScheduledDeletions::Id).primary_key())
                    .col(uuid(ScheduledDeletions::UserId).unique_key())
                    .col(string_len(ScheduledDeletions::Mode, 20))
                    .col(timestamp_with_time_zone(ScheduledDeletions::RequestedAt))
                    .col(timestamp_with_time_zone(ScheduledDeletions::DueAt))
                    .col(timestamp_with_time_zone_null(
                        ScheduledDeletions::CancelledAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        ScheduledDeletions::ProcessedAt,
                    ))
                    .foreign_key(&mut cascade_from_user(
                        ScheduledDeletions::Table,
                        ScheduledDeletions::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        // The scheduler looks for due, open requests.
        manager
            .create_index(
                Index::create()
                    .name("ix_scheduled_deletions_due")
                    .table(ScheduledDeletions::Table)
                    .col(ScheduledDeletions::DueAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ScheduledDeletions::Table.into_iden(),
            OauthIdentities::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
