use englog_core::{JobKind, JobStatus};
use sea_orm::entity::prelude::*;

/// Transactional outbox: a job is written with the row it concerns and
/// published to the broker by a relay; `published_at` is null until then.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: JobKind,
    pub insight_id: Option<Uuid>,
    pub payload: Json,
    pub status: JobStatus,
    pub attempts: i32,
    pub available_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
