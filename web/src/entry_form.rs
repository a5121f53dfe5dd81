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
/// when given, wins over the duration; without a start, the entry ends at
/// the end given, or now. Every refusal goes to `problems`, so each field
/// with a mistake says so at once.
pub fn times(
    start: &str,
    duration: &str,
    end: &str,
    zone: &Zone,
    now: f64,
    problems: &mut Problems,
) -> Option<(f64, f64)> {
    let (start, end) = (start.trim(), end.trim());
    let mut minutes = || match dates::parse_duration(duration) {
        Ok(m) => Some(m as f64 * MINUTE_MS),
        Err(message) => {
            problems.add("duration", format!("Duration: {message}"));
            None
        }
    };
    let window = match (start.is_empty(), end.is_empty()) {
        (true, true) => minutes().map(|d| (now - d, now)),
        (true, false) => {
            let length = minutes();
            let until = dates::parse_time(end, now, zone)
                .map_err(|message| problems.add("end", format!("End: {message}")))
                .ok();
            Some((until? - length?, until?))
        }
        (false, true) => {
            let length = minutes();
            let from = parse_start(start, zone, now, problems);
            Some((from?, from? + length?))
        }
        (false, false) => {
            let from = parse_start(start, zone, now, problems)?;
            match dates::parse_end(end, from, zone) {
                Ok(until) => Some((from, until)),
                Err(message) => {
                    problems.add("end", format!("End: {message}"));
                    None
                }
            }
        }
    };
    window.filter(|_| problems.is_empty())
}

fn parse_start(text: &str, zone: &Zone, now: f64, problems: &mut Problems) -> Option<f64> {
    dates::parse_start(text, now, zone)
        .map_err(|message| problems.add("start", format!("Start: {message}")))
        .ok()
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
