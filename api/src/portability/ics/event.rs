//! One `VEVENT` as the import needs it.

use chrono::Duration;
use ical::parser::ical::component::IcalEvent;

use super::values::{EventTime, duration, time, times, unescape_text};

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
        })
    }

    pub fn is_all_day(&self) -> bool {
        matches!(self.start, EventTime::Date(_))
    }
}
