use sea_orm::entity::prelude::*;

/// A source item the person deleted from their journal: syncs and captures
/// that list it again skip it instead of writing a new draft.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dismissed_drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// The deleted entry's `external_uid` (namespaced by its source).
    #[sea_orm(primary_key, auto_increment = false)]
    pub external_uid: String,
    pub dismissed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
