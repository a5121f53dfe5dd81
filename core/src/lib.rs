//! Domain rules shared by the API and the worker. Nothing here touches a
//! database, the network or the clock, so every rule is testable in isolation.
//!
//! Without the default `server` feature only `enums`, `validation` (less the
//! time-zone check) and `quick_add` remain: what the web app shares.

#[cfg(feature = "server")]
pub mod enrichment;
pub mod enums;
#[cfg(feature = "server")]
pub mod generation;
#[cfg(feature = "server")]
pub mod jobs;
#[cfg(feature = "server")]
pub mod metrics;
#[cfg(feature = "server")]
pub mod predefined_tags;
pub mod quick_add;
#[cfg(feature = "server")]
pub mod report;
pub mod text;
pub mod validation;

pub use enums::{
    ActivityType, ImpactLevel, InsightStatus, JobKind, JobStatus, ProjectStatus, ReportType,
    SuggestionStatus, TagCategory, ValueRating,
};
pub use validation::{FieldError, Limits};
