use sea_orm::entity::prelude::*;

/// A GDPR erasure request, processed after its grace period.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "scheduled_deletions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub user_id: Uuid,
    /// `delete` or `anonymize`.
    pub mode: String,
    pub requested_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
    pub processed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
