//! Reading iCalendar property values: date-times with their `TZID`, text
//! escapes and durations (RFC 5545 §3.3).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use ical::property::Property;

use crate::portability::timezones::{to_utc, zone_named};

/// A `DTSTART`-like value as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventTime {
    /// `VALUE=DATE`: an all-day value.
    Date(NaiveDate),
    /// A UTC time (`…Z`).
    Utc(DateTime<Utc>),
    /// A wall-clock time in a named zone (`TZID=…`).
    Zoned(NaiveDateTime, Tz),
    /// A wall-clock time with no zone: the person's own.
    Floating(NaiveDateTime),
}

impl EventTime {
    /// The instant, reading floating times in `home`; `None` for dates.
    pub fn instant(self, home: Tz) -> Option<DateTime<Utc>> {
        match self {
            EventTime::Date(_) => None,
            EventTime::Utc(t) => Some(t),
            EventTime::Zoned(local, tz) => to_utc(tz, local),
            EventTime::Floating(local) => to_utc(home, local),
        }
    }

    /// The zone recurrences of this start are computed in.
    pub fn zone(self, home: Tz) -> Tz {
        match self {
            EventTime::Zoned(_, tz) => tz,
            EventTime::Utc(_) => Tz::UTC,
            EventTime::Date(_) | EventTime::Floating(_) => home,
        }
    }
}

pub fn param<'a>(prop: &'a Property, name: &str) -> Option<&'a str> {
    prop.params
        .as_ref()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, values)| values.first())
        .map(String::as_str)
}

fn parse_one(raw: &str, tzid: Option<&str>, is_date: bool) -> Result<EventTime, String> {
    let raw = raw.trim();
    if is_date || raw.len() == 8 {
        return NaiveDate::parse_from_str(raw, "%Y%m%d")
            .map(EventTime::Date)
            .map_err(|_| format!("`{raw}` is not a date (YYYYMMDD)"));
    }
    let (text, utc) = match raw.strip_suffix('Z').or_else(|| raw.strip_suffix('z')) {
        Some(t) => (t, true),
        None => (raw, false),
    };
    let local = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("`{raw}` is not a date-time (YYYYMMDDTHHMMSS)"))?;
    if utc {
        return Ok(EventTime::Utc(local.and_utc()));
    }
    match tzid {
        Some(name) => zone_named(name)
            .map(|tz| EventTime::Zoned(local, tz))
            .ok_or_else(|| format!("unknown time zone `{name}`")),
        None => Ok(EventTime::Floating(local)),
    }
}

/// Every value of a date-time property (EXDATE may list several).
pub fn times(prop: &Property) -> Result<Vec<EventTime>, String> {
    let value = prop
        .value
        .as_deref()
        .ok_or_else(|| format!("{} has no value", prop.name))?;
    let is_date = param(prop, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    let tzid = param(prop, "TZID");
    value
        .split(',')
        .filter(|v| !v.trim().is_empty())
        .map(|v| parse_one(v, tzid, is_date).map_err(|e| format!("{}: {e}", prop.name)))
        .collect()
}

pub fn time(prop: &Property) -> Result<EventTime, String> {
    times(prop)?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{} has no value", prop.name))
}

/// TEXT values escape `\\`, `\;`, `\,` and newlines as `\n`.
pub fn unescape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// An RFC 5545 duration such as `PT1H30M`, `P1D` or `P1W`.
pub fn duration(raw: &str) -> Result<Duration, String> {
    let bad = || format!("`{raw}` is not a duration (e.g. PT1H30M)");
    let text = raw.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let text = text.strip_prefix('P').ok_or_else(bad)?;
    let mut total = Duration::zero();
    let mut number = String::new();
    let mut in_time = false;
    for c in text.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() => in_time = true,
            unit => {
                let n: i64 = number.parse().map_err(|_| bad())?;
                number.clear();
                total += match (unit, in_time) {
                    ('W', false) => Duration::weeks(n),
                    ('D', false) => Duration::days(n),
                    ('H', true) => Duration::hours(n),
                    ('M', true) => Duration::minutes(n),
                    ('S', true) => Duration::seconds(n),
                    _ => return Err(bad()),
                };
            }
        }
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_text_read_as_written() {
        assert_eq!(duration("PT1H30M"), Ok(Duration::minutes(90)));
        assert_eq!(duration("P1DT2H"), Ok(Duration::hours(26)));
        assert_eq!(duration("P1W"), Ok(Duration::days(7)));
        assert!(duration("1H").is_err());
        assert!(duration("PT1X").is_err());
        assert_eq!(
            unescape_text(r"Sync\, weekly\;\nnotes\\"),
            "Sync, weekly;\nnotes\\"
        );
    }
}
