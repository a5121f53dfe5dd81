//! The schema's enums as the API spells them (`CODE`, `HIGH`), wrapping the
//! domain enums of `englog-core` so the client parses and prints the same
//! vocabulary as the server. `graphql_client` uses these instead of
//! generating one copy per operation (`extern_enums` in [`super::ops`]).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! api_enum {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub englog_core::$name);

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0.as_str().to_uppercase())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.to_lowercase()
                    .parse()
                    .map($name)
                    .map_err(serde::de::Error::custom)
            }
        }

        impl fmt::Display for $name {
            /// The lowercase word people type (`code`, `high`).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0.as_str())
            }
        }

        impl From<englog_core::$name> for $name {
            fn from(v: englog_core::$name) -> Self {
                $name(v)
            }
        }
    };
}

api_enum!(
    /// What kind of work an entry records.
    ActivityType
);
api_enum!(ValueRating);
api_enum!(ImpactLevel);
api_enum!(ReportType);
api_enum!(InsightStatus);

impl InsightStatus {
    /// Nothing more will happen to the report.
    pub fn is_final(self) -> bool {
        use englog_core::InsightStatus as S;
        matches!(self.0, S::Succeeded | S::Failed | S::Cancelled)
    }
}

/// The first day of the person's week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WeekStart {
    Monday,
    Sunday,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_travel_in_the_schema_spelling() {
        let t = ActivityType(englog_core::ActivityType::Code);
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"CODE\"");
        let back: ActivityType = serde_json::from_str("\"REVIEW\"").unwrap();
        assert_eq!(back.0, englog_core::ActivityType::Review);
        assert_eq!(back.to_string(), "review");
        assert!(serde_json::from_str::<ValueRating>("\"URGENT\"").is_err());
    }
}
