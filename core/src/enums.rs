//! The closed vocabularies of the domain model (brief §4). They are stored as
//! their lowercase `as_str()` form so the same rows read the same on
//! PostgreSQL and SQLite.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Raised when a stored or submitted string names no variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`")]
pub struct UnknownVariant {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal, { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        // A column of this type stores `as_str()` (through Display/FromStr).
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownVariant { kind: $kind, value: s.to_owned() }),
                }
            }
        }
    };
}

string_enum!(
    /// What kind of work an entry records.
    ActivityType, "activity type", {
    Meeting => "meeting", Code => "code", Debug => "debug", Docs => "docs",
    Mentoring => "mentoring", Review => "review", Planning => "planning",
    Learning => "learning", Ops => "ops", Admin => "admin",
});

string_enum!(
    /// How valuable the person judged the activity; medium unless said.
    #[derive(Default)]
    ValueRating, "value rating", { Low => "low", #[default] Medium => "medium", High => "high" });

string_enum!(
    /// Who benefits from the activity; personal unless said.
    #[derive(Default)]
    ImpactLevel, "impact level", {
    #[default] Personal => "personal", Team => "team", Product => "product", Company => "company",
});

string_enum!(
    /// Lifecycle of a project; new projects are active.
    #[derive(Default)]
    ProjectStatus, "project status", {
    #[default] Active => "active", Completed => "completed", OnHold => "on_hold", Cancelled => "cancelled",
});

string_enum!(
    /// Kinds of generated report.
    ReportType, "report type", {
    Daily => "daily", Weekly => "weekly", Sprint => "sprint", Monthly => "monthly",
    Quarterly => "quarterly", Annual => "annual", Custom => "custom",
});

string_enum!(
    /// Lifecycle of a generated report.
    InsightStatus, "insight status", {
    Queued => "queued", Running => "running", Succeeded => "succeeded",
    Failed => "failed", Cancelled => "cancelled",
});

string_enum!(
    /// Lifecycle of a row of the job outbox (`jobs.status`): `pending` until a
    /// worker starts it, `retrying` while a retry waits, then one of the
    /// finished three.
    JobStatus, "job status", {
    Pending => "pending", Running => "running", Retrying => "retrying",
    Done => "done", Failed => "failed", Cancelled => "cancelled",
});

string_enum!(
    /// What a job row carries (`jobs.kind`): one variant per job kind.
    JobKind, "job kind", { Report => "report", Enrichment => "enrichment" });

string_enum!(
    /// Where an enrichment suggestion stands (`entry_suggestions.status`).
    SuggestionStatus, "suggestion status", {
    Pending => "pending", Accepted => "accepted", Dismissed => "dismissed",
});

impl JobStatus {
    /// No event moves a job out of these.
    pub const FINISHED: [JobStatus; 3] = [JobStatus::Done, JobStatus::Failed, JobStatus::Cancelled];
    /// What a broker may hold: published, not finished.
    pub const IN_FLIGHT: [JobStatus; 3] =
        [JobStatus::Pending, JobStatus::Running, JobStatus::Retrying];

    /// Whether no event may move a job out of this status.
    pub fn is_finished(self) -> bool {
        Self::FINISHED.contains(&self)
    }
}

impl InsightStatus {
    /// Not finished yet: a worker may still change it.
    pub const ACTIVE: [InsightStatus; 2] = [InsightStatus::Queued, InsightStatus::Running];

    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }

    /// Whether nothing can change it any more.
    pub fn is_finished(self) -> bool {
        !self.is_active()
    }
}

string_enum!(
    /// Grouping of tags, from the seed's predefined categories plus `custom`.
    TagCategory, "tag category", {
    Priority => "priority", Technology => "technology", ActivityFocus => "activity_focus",
    Collaboration => "collaboration", Skills => "skills", Custom => "custom",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_round_trips_through_its_stored_form() {
        for t in ActivityType::ALL {
            assert_eq!(t.as_str().parse::<ActivityType>().unwrap(), *t);
        }
        for s in ProjectStatus::ALL {
            assert_eq!(s.as_str().parse::<ProjectStatus>().unwrap(), *s);
        }
        for c in TagCategory::ALL {
            assert_eq!(c.as_str().parse::<TagCategory>().unwrap(), *c);
        }
    }

    #[test]
    fn unknown_text_is_rejected_with_its_kind() {
        let err = "coding".parse::<ActivityType>().unwrap_err();
        assert_eq!(err.to_string(), "unknown activity type `coding`");
    }
}
