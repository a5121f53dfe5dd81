//! GraphQL faces of the domain enums; `remote` keeps them in lockstep with
//! `englog_core` (a variant added there fails to compile here).

use async_graphql::Enum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Serialize, Deserialize)]
#[graphql(name = "ActivityType", remote = "englog_core::ActivityType")]
#[serde(rename_all = "lowercase")]
pub enum ActivityTypeGql {
    Meeting,
    Code,
    Debug,
    Docs,
    Mentoring,
    Review,
    Planning,
    Learning,
    Ops,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "ValueRating", remote = "englog_core::ValueRating")]
pub enum ValueRatingGql {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "ImpactLevel", remote = "englog_core::ImpactLevel")]
pub enum ImpactLevelGql {
    Personal,
    Team,
    Product,
    Company,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "ProjectStatus", remote = "englog_core::ProjectStatus")]
pub enum ProjectStatusGql {
    Active,
    Completed,
    OnHold,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "TagCategory", remote = "englog_core::TagCategory")]
pub enum TagCategoryGql {
    Priority,
    Technology,
    ActivityFocus,
    Collaboration,
    Skills,
    Custom,
}

/// Reads a stored enum column; a value no variant matches means the row was
/// written by something other than this API, which is an internal error.
pub fn parse_stored<T: std::str::FromStr>(value: &str) -> anyhow::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    value
        .parse::<T>()
        .map_err(|e| anyhow::Error::new(e).context("stored enum value"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "ReportType", remote = "englog_core::ReportType")]
pub enum ReportTypeGql {
    Daily,
    Weekly,
    Sprint,
    Monthly,
    Quarterly,
    Annual,
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "InsightStatus", remote = "englog_core::InsightStatus")]
pub enum InsightStatusGql {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
