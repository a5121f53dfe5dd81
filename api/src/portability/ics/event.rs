//! One `VEVENT` as the import needs it.

use chrono::Duration;
use ical::parser::ical::component::IcalEvent;

use super::values::{EventTime, duration, param, time, times, unescape_text};

/// `mailto:Ada@Example.com` → `ada@example.com`.
pub fn address(value: &str) -> String {
    let v = value.trim();
    let v = v
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        .map_or(v, |_| &v[7..]);
    v.trim().to_lowercase()
}

#[derive(Debug, Clone)]
pub struct Event {
    /// Line of its `BEGIN:VEVENT`.
    pub line: usize,
    pub uid: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub start: EventTime,
    pub end: Option<EventTime>,
    pub duration: Option<Duration>,
    pub rrule: Option<String>,
    pub exdates: Vec<EventTime>,
    /// Set on an override of one occurrence of a recurring event.
    pub recurrence_id: Option<EventTime>,
    pub cancelled: bool,
    /// `ATTENDEE` addresses (lower-cased, without `mailto:`) that declined
    /// or were copied in for information only (`ROLE=NON-PARTICIPANT`).
    pub not_attending: Vec<String>,
}

impl Event {
    /// Reads the properties the import uses; anything else is ignored.
    pub fn read(raw: &IcalEvent, line: usize) -> Result<Self, String> {
        let mut uid = None;
        let mut summary = None;
        let mut description = None;
        let mut start = None;
        let mut end = None;
        let mut length = None;
        let mut rrule = None;
        let mut exdates = Vec::new();
        let mut recurrence_id = None;
        let mut cancelled = false;
        let mut not_attending = Vec::new();
        for prop in &raw.properties {
            let value = prop.value.as_deref().unwrap_or_default();
            match prop.name.to_ascii_uppercase().as_str() {
                "UID" => uid = Some(value.trim().to_owned()),
                "SUMMARY" => summary = Some(unescape_text(value).trim().to_owned()),
                "DESCRIPTION" => description = Some(unescape_text(value).trim().to_owned()),
                "DTSTART" => start = Some(time(prop)?),
                "DTEND" => end = Some(time(prop)?),
                "DURATION" => length = Some(duration(value).map_err(|e| format!("DURATION: {e}"))?),
                "RRULE" => rrule = Some(value.trim().to_owned()),
                "EXDATE" => exdates.extend(times(prop)?),
                "RECURRENCE-ID" => recurrence_id = Some(time(prop)?),
                "STATUS" => cancelled = value.trim().eq_ignore_ascii_case("CANCELLED"),
                "ATTENDEE" => {
                    let declined =
                        param(prop, "PARTSTAT").is_some_and(|v| v.eq_ignore_ascii_case("DECLINED"));
                    let informed = param(prop, "ROLE")
                        .is_some_and(|v| v.eq_ignore_ascii_case("NON-PARTICIPANT"));
                    if declined || informed {
                        not_attending.push(address(value));
                    }
                }
                _ => {}
            }
        }
        Ok(Self {
            line,
            uid: uid
                .filter(|u| !u.is_empty())
                .ok_or("the event has no UID")?,
            summary: summary.filter(|s| !s.is_empty()),
            description: description.filter(|d| !d.is_empty()),
            start: start.ok_or("the event has no DTSTART")?,
            end,
            duration: length,
            rrule,
            exdates,
            recurrence_id,
            cancelled,
            not_attending,
        })
    }

    /// Whether one of `me` (the person's addresses, lower-cased) declined
    /// the event or is only copied in: not the person's meeting.
    pub fn not_attended_by(&self, me: &[String]) -> bool {
        self.not_attending.iter().any(|a| me.contains(a))
    }

    pub fn is_all_day(&self) -> bool {
        matches!(self.start, EventTime::Date(_))
    }
}
