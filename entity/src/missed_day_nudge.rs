use sea_orm::entity::prelude::*;

/// The last local day a person was sent a missed-day nudge; the claim
/// that keeps it to one a day, across restarts and API instances.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "missed_day_nudges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// The person's local date of the last nudge sent.
    pub last_sent_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
