//! Domain rules shared by the API and the worker. Nothing here touches a
//! database, the network or the clock, so every rule is testable in isolation.

pub mod enrichment;
pub mod enums;
pub mod generation;
pub mod jobs;
pub mod metrics;
pub mod predefined_tags;
pub mod quick_add;
pub mod report;
pub mod validation;

pub use enums::{
    ActivityType, ImpactLevel, InsightStatus, JobKind, JobStatus, ProjectStatus, ReportType,
    SuggestionStatus, TagCategory, ValueRating,
};
pub use validation::{FieldError, Limits};
