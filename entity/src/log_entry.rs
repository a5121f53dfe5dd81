use sea_orm::entity::prelude::*;

/// One logged activity. `duration_minutes` is derived from the times on every
/// write so aggregations never recompute it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "log_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub project_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    /// `englog_core::ActivityType` stored form.
    pub activity_type: String,
    pub start_time: DateTimeUtc,
    pub end_time: DateTimeUtc,
    pub duration_minutes: i32,
    /// `englog_core::ValueRating` stored form.
    pub value_rating: String,
    /// `englog_core::ImpactLevel` stored form.
    pub impact_level: String,
    /// Imported but not yet reviewed (e.g. a calendar event to rate).
    pub is_draft: bool,
    /// Where an imported entry came from (`ics`, `toggl_csv`, …).
    pub source: Option<String>,
    /// The source's identity of the row (event UID and occurrence, …);
    /// unique per user, so importing a file twice adds nothing.
    pub external_uid: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
