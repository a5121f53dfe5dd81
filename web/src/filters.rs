//! The journal's filters: what the filter form edits, what the address bar
//! carries (`#/?from=2026-03-01&to=2026-03-07&value=HIGH&impact=COMPANY
//! &type=CODE&project=<uuid>&tag=ops&draft=true` (or `draft=false`: only
//! confirmed entries), any subset; the
//! dashboard links with it) and what the API is asked. Dates are days in
//! the profile's zone, `to` included.

use crate::api::ops::log_entries::LogEntryFilter;
use crate::dates::{self, Day, Zone};
use crate::format::{ACTIVITY_TYPES, IMPACT_LEVELS, VALUE_RATINGS, enum_value, label};
use crate::route::{query_pair, query_value};

/// The filters, as typed or as found in the address bar.
#[derive(Clone, PartialEq, Default)]
pub struct Filters {
    /// Not in the address bar: it changes with every keystroke.
    pub search: String,
    pub from: String,
    pub to: String,
    pub project_id: String,
    pub activity: String,
    pub value: String,
    pub impact: String,
    pub tag: String,
    /// Only imported entries not yet reviewed.
    pub drafts_only: bool,
    /// Only confirmed entries (`draft=false`): what the dashboard counts,
    /// so its links open exactly the entries behind a number.
    pub confirmed_only: bool,
}

/// One active filter, for the "active filters" line: which field, how to
/// say it, and whether it is one the journal cannot use (then it is said
/// why, and ignored).
#[derive(Clone, PartialEq)]
pub struct Active {
    pub key: &'static str,
    pub text: String,
    pub problem: Option<String>,
}

impl Filters {
    pub fn from_query(query: &str) -> Self {
        let get = |k: &str| query_value(query, k).unwrap_or_default();
        Self {
            search: String::new(),
            from: get("from"),
            to: get("to"),
            project_id: get("project"),
            activity: get("type"),
            value: get("value"),
            impact: get("impact"),
            tag: get("tag"),
            drafts_only: get("draft") == "true",
            confirmed_only: get("draft") == "false",
        }
    }

    pub fn to_query(&self) -> String {
        let mut pairs = Vec::new();
        for (key, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("value", &self.value),
            ("impact", &self.impact),
            ("type", &self.activity),
            ("project", &self.project_id),
            ("tag", &self.tag),
        ] {
            if !value.trim().is_empty() {
                pairs.push(query_pair(key, value.trim()));
            }
        }
        if self.drafts_only {
            pairs.push("draft=true".into());
        } else if self.confirmed_only {
            pairs.push("draft=false".into());
        }
        pairs.join("&")
    }

    /// The API's filter; values the journal cannot read are left out (and
    /// said by [`Filters::active`]).
    pub fn to_input(&self, zone: &Zone) -> LogEntryFilter {
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let day = |s: &str| Day::parse(s).ok();
        let known = |s: &str, names: &[&str]| names.contains(&s).then(|| s.to_owned());
        LogEntryFilter {
            search: text(&self.search),
            from: day(&self.from).map(|d| dates::iso(zone.midnight(d))),
            to: day(&self.to).map(|d| dates::iso(zone.midnight(d.plus(1)))),
            project_id: text(&self.project_id),
            types: known(&self.activity, &ACTIVITY_TYPES)
                .and_then(|t| enum_value(&t))
                .map(|t| vec![t]),
            tags: text(&self.tag).map(|t| vec![t]),
            impact_levels: known(&self.impact, &IMPACT_LEVELS)
                .and_then(|t| enum_value(&t))
                .map(|t| vec![t]),
            value_ratings: known(&self.value, &VALUE_RATINGS)
                .and_then(|t| enum_value(&t))
                .map(|t| vec![t]),
            draft: if self.drafts_only {
                Some(true)
            } else {
                self.confirmed_only.then_some(false)
            },
        }
    }

    /// The filters in force, in words, with a problem for any the journal
    /// cannot use (an impossible date, an unknown value).
    pub fn active(&self, project_name: impl Fn(&str) -> Option<String>) -> Vec<Active> {
        let mut out = Vec::new();
        let mut push =
            |key, text: String, problem: Option<String>| out.push(Active { key, text, problem });
        for (key, name, value) in [("from", "From", &self.from), ("to", "To", &self.to)] {
            if !value.is_empty() {
                push(key, format!("{name} {value}"), Day::parse(value).err());
            }
        }
        for (key, name, value, names) in [
            ("value", "Value", &self.value, &VALUE_RATINGS[..]),
            ("impact", "Impact", &self.impact, &IMPACT_LEVELS[..]),
            ("type", "Type", &self.activity, &ACTIVITY_TYPES[..]),
        ] {
            if !value.is_empty() {
                let problem = (!names.contains(&value.as_str()))
                    .then(|| format!("“{value}” is not a {}.", name.to_lowercase()));
                push(key, format!("{name}: {}", label(value)), problem);
            }
        }
        if !self.project_id.is_empty() {
            let name = project_name(&self.project_id);
            let problem = name.is_none().then(|| "No such project.".to_owned());
            push(
                "project",
                format!("Project: {}", name.unwrap_or_default()),
                problem,
            );
        }
        if !self.tag.is_empty() {
            push("tag", format!("Tag: {}", self.tag), None);
        }
        if self.drafts_only {
            push("draft", "Drafts only".into(), None);
        } else if self.confirmed_only {
            push("draft", "Confirmed only".into(), None);
        }
        if !self.search.trim().is_empty() {
            push("search", format!("“{}”", self.search.trim()), None);
        }
        out
    }

    /// Without the filter named `key` (as [`Active::key`]).
    pub fn without(&self, key: &str) -> Self {
        let mut next = self.clone();
        match key {
            "from" => next.from.clear(),
            "to" => next.to.clear(),
            "value" => next.value.clear(),
            "impact" => next.impact.clear(),
            "type" => next.activity.clear(),
            "project" => next.project_id.clear(),
            "tag" => next.tag.clear(),
            "draft" => {
                next.drafts_only = false;
                next.confirmed_only = false;
            }
            _ => next.search.clear(),
        }
        next
    }
}
