//! User preferences, stored as JSON on the user row. Unknown keys from older
//! or newer versions are ignored; missing keys take their defaults.

use async_graphql::{Enum, InputObject, SimpleObject};
use serde::{Deserialize, Serialize};

use crate::graphql::enums::ActivityTypeGql;
use crate::nudge::rules::{Workday, default_workdays, in_week_order};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum, Default)]
#[serde(rename_all = "lowercase")]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, SimpleObject)]
#[serde(default)]
pub struct Preferences {
    /// Language of generated reports (BCP 47, e.g. `en`, `pt-BR`).
    pub report_language: String,
    pub week_start: WeekStart,
    /// Type preselected in the quick-add form.
    pub default_activity_type: ActivityTypeGql,
    /// Email me when a report I requested is ready.
    pub email_report_ready: bool,
    /// Send me a weekly report every Monday morning.
    pub email_weekly_summary: bool,
    /// Let the worker suggest what new and edited entries leave out.
    pub auto_enrich: bool,
    /// On a workday morning, when nothing is confirmed for the previous
    /// workday and drafts are waiting, mail me (once) and show a banner.
    pub missed_day_nudge: bool,
    /// The days I work, in the order of my week (`weekStart`); the nudge
    /// comes only on these and checks the previous one.
    pub workdays: Vec<Workday>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            report_language: "en".into(),
            week_start: WeekStart::Monday,
            default_activity_type: ActivityTypeGql::Code,
            email_report_ready: false,
            email_weekly_summary: false,
            auto_enrich: true,
            missed_day_nudge: false,
            workdays: default_workdays(),
        }
    }
}

impl Preferences {
    pub fn from_json(value: &serde_json::Value) -> Self {
        // Deserialised from the borrowed value, not a copy of it: every
        // create reads the person's preferences (issue 18).
        let mut prefs = Self::deserialize(value).unwrap_or_default();
        prefs.workdays = in_week_order(&prefs.workdays, prefs.week_start);
        prefs
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({}))
    }
}

/// A partial update: absent fields keep their value.
#[derive(Debug, InputObject)]
pub struct PreferencesInput {
    pub report_language: Option<String>,
    pub week_start: Option<WeekStart>,
    pub default_activity_type: Option<ActivityTypeGql>,
    pub email_report_ready: Option<bool>,
    pub email_weekly_summary: Option<bool>,
    pub auto_enrich: Option<bool>,
    pub missed_day_nudge: Option<bool>,
    /// Replaces the list (an empty list: no workday, so no nudge).
    pub workdays: Option<Vec<Workday>>,
}
