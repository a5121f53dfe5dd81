//! A client may name its report request (`requestInsight(input: {
//! clientRequestId })`): a resent request with the same name from the same
//! person returns the first report instead of making a second. Unique per
//! user; NULLs (unnamed requests) never collide.
//!
//! SQLite alters one column per statement, hence the separate index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Insights {
    Table,
    UserId,
    ClientRequestId,
}

const UNIQUE_CLIENT_REQUEST: &str = "ux_insights_user_client_request";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Insights::Table)
                    .add_column(string_len_null(Insights::ClientRequestId, 100))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(UNIQUE_CLIENT_REQUEST)
                    .table(Insights::Table)
                    .col(Insights::UserId)
                    .col(Insights::ClientRequestId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(UNIQUE_CLIENT_REQUEST)
                    .table(Insights::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Insights::Table)
                    .drop_column(Insights::ClientRequestId)
                    .to_owned(),
            )
            .await
    }
}
