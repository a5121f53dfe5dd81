use sea_orm::entity::prelude::*;

/// A person's running timer (at most one): the entry it becomes when
/// stopped, minus the end. See `api::timer`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "running_timers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub activity_type: String,
    pub project_id: Option<Uuid>,
    /// JSON array of cleaned tag names.
    pub tags: String,
    pub value_rating: String,
    pub impact_level: String,
    pub started_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
