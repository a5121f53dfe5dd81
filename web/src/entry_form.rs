//! What the quick add and the entry editor share: per-field refusals and
//! the entry's start and end from what was typed, in the profile's zone.

use crate::api::ops::projects::ProjectsProjects as Project;
use crate::dates::{self, Zone};

const MINUTE_MS: f64 = 60_000.0;

/// Refusals by field (`title`, `start`, `duration`, `end`, `project`):
/// each shown next to its field, and any of them means nothing is sent.
#[derive(Default, Clone, PartialEq)]
pub struct Problems(Vec<(&'static str, String)>);

impl Problems {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `aria-describedby` for the input `input` of `field`: its error line
    /// when it has one.
    pub fn described_by(&self, field: &str, input: &str) -> String {
        match self.get(field) {
            Some(_) => format!("{input}-error"),
            None => String::new(),
        }
    }
}

/// Start and end (epoch ms) from a typed start, duration and end. An end,
/// when given, wins over the duration; an empty start means "ended now"
/// when there is no end. Refusals go to `problems`.
pub fn times(
    start: &str,
    duration: &str,
    end: &str,
    zone: &Zone,
    now: f64,
    problems: &mut Problems,
) -> Option<(f64, f64)> {
    let end = end.trim();
    let minutes = if end.is_empty() {
        match dates::parse_duration(duration) {
            Ok(m) => Some(m),
            Err(message) => {
                problems.add("duration", format!("Duration: {message}"));
                None
            }
        }
    } else {
        None
    };
    let start_ms = if start.trim().is_empty() {
        minutes.map(|m| now - m as f64 * MINUTE_MS)
    } else {
        dates::parse_start(start, now, zone)
            .map_err(|message| problems.add("start", format!("Start: {message}")))
            .ok()
    };
    let start_ms = start_ms?;
    if end.is_empty() {
        return Some((start_ms, start_ms + minutes? as f64 * MINUTE_MS));
    }
    match dates::parse_end(end, start_ms, zone) {
        Ok(end_ms) => Some((start_ms, end_ms)),
        Err(message) => {
            problems.add("end", format!("End: {message}"));
            None
        }
    }
}

/// The person's project with this name, ignoring case (as `+payments`
/// would be typed for "Payments").
pub fn project_named<'a>(projects: &'a [Project], name: &str) -> Option<&'a Project> {
    let name = name.trim().to_lowercase();
    projects
        .iter()
        .find(|p| p.name.trim().to_lowercase() == name)
}

/// "api, Rust ,, ops" → ["api", "Rust", "ops"].
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A core enum's stored name (`high`) as the GraphQL one (`HIGH`).
pub fn graphql_name(stored: &str) -> String {
    stored.to_ascii_uppercase()
}
