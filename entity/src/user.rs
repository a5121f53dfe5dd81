use sea_orm::entity::prelude::*;

/// A person with a journal. `email` is stored lowercased, which makes the
/// unique index case-insensitive on every backend.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    /// Argon2id PHC string; `None` for accounts created through OAuth only.
    pub password_hash: Option<String>,
    pub email_verified: bool,
    pub first_name: String,
    pub last_name: String,
    pub timezone: String,
    pub preferences: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
