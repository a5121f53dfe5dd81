use englog_core::InsightStatus;
use sea_orm::entity::prelude::*;

/// A generated report and its lifecycle.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "insights")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `englog_core::ReportType` stored form.
    pub report_type: String,
    pub period_start: Date,
    pub period_end: Date,
    /// JSON array of focus-area strings.
    pub focus_areas: Json,
    /// JSON array of project ids the report is limited to (empty: all).
    pub project_ids: Json,
    pub status: InsightStatus,
    /// The report as Markdown.
    #[sea_orm(column_type = "Text", nullable)]
    pub content: Option<String>,
    pub sections: Option<Json>,
    pub metrics: Option<Json>,
    /// Entry ids each statement rests on.
    pub citations: Option<Json>,
    pub model: Option<String>,
    pub prompt_tokens: Option<i32>,
    pub completion_tokens: Option<i32>,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub error: Option<String>,
    /// JSON array of the quality gate's reservations about a succeeded
    /// report (sentences a person reads); NULL: none.
    pub warnings: Option<Json>,
    /// The client's name for the request that made this report: a resent
    /// request with the same name returns this report (unique per user).
    pub client_request_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
