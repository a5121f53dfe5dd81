use englog_core::SuggestionStatus;
use sea_orm::entity::prelude::*;

/// A value the worker suggests for one field of an entry, stored beside the
/// entry (never in it) until the person accepts or dismisses it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "entry_suggestions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub entry_id: Uuid,
    /// `englog_core::enrichment::SuggestionField` stored form.
    pub field: String,
    pub value: Json,
    pub reason: String,
    pub status: SuggestionStatus,
    /// Text hash of the entry the suggestion was made for.
    pub text_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
