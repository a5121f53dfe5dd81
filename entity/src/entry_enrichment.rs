use sea_orm::entity::prelude::*;

/// Per entry: the text last sent for enrichment and the job still waiting
/// in the outbox, which later edits update instead of adding jobs.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "entry_enrichments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub entry_id: Uuid,
    pub user_id: Uuid,
    pub text_hash: String,
    pub pending_job_id: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
