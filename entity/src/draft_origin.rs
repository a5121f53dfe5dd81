use sea_orm::entity::prelude::*;

/// The fingerprint of what a connector (or a capture) last wrote into one
/// of its entries: a sync updates a draft only when the source's version
/// changed, so the person's own edits to a draft survive.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_origins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub log_entry_id: Uuid,
    /// SHA-256 (hex) of the draft's fields as the source gave them.
    pub fingerprint: String,
    pub synced_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
