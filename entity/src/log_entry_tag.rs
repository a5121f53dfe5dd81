use sea_orm::entity::prelude::*;

/// Which tags an entry carries.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "log_entry_tags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub log_entry_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
