//! Pending OAuth sign-ins: the `state` sent to the provider, the browser it
//! is bound to and the PKCE verifier, kept server-side so every API
//! instance can finish a sign-in and each one finishes at most once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OauthLoginStates {
    Table,
    Id,
    StateHash,
    BrowserHash,
    Provider,
    PkceVerifier,
    ExpiresAt,
    ConsumedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OauthLoginStates::Table)
                    .col(uuid(OauthLoginStates::Id).primary_key())
                    .col(string_len(OauthLoginStates::StateHash, 64).unique_key())
                    .col(string_len(OauthLoginStates::BrowserHash, 64))
                    .col(string_len(OauthLoginStates::Provider, 50))
                    .col(string_len(OauthLoginStates::PkceVerifier, 128))
                    .col(timestamp_with_time_zone(OauthLoginStates::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OauthLoginStates::ConsumedAt))
                    .col(timestamp_with_time_zone(OauthLoginStates::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Clean-up of expired rows.
        manager
            .create_index(
                Index::create()
                    .name("ix_oauth_login_states_expires")
                    .table(OauthLoginStates::Table)
                    .col(OauthLoginStates::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OauthLoginStates::Table).to_owned())
            .await
    }
}
