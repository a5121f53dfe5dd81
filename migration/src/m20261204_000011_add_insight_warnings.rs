//! Reports the quality gate let through with reservations carry the
//! reasons, so the person sees them beside the report (a JSON array of
//! sentences; NULL for reports written before the gate, read as none).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Insights {
    Table,
    Warnings,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Insights::Table)
                    .add_column(json_null(Insights::Warnings))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Insights::Table)
                    .drop_column(Insights::Warnings)
                    .to_owned(),
            )
            .await
    }
}
