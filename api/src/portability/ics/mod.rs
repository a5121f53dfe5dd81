//! iCalendar import: each timed event (each occurrence of a recurring one)
//! inside the window becomes a draft `meeting` entry the person then rates.
//!
//! - Identity: `ics:<UID>` for single events, `ics:<UID>#<original start>`
//!   for occurrences, so importing a file again adds nothing.
//! - Times: `Z` times are UTC, `TZID` names an IANA or Windows zone,
//!   floating times are the person's time zone.
//! - Recurrences (`RRULE`) are expanded in the event's zone, minus
//!   `EXDATE`s; an override (`RECURRENCE-ID`) replaces its occurrence, or
//!   removes it when cancelled.
//! - Left out, with a reason: all-day events (not work time), cancelled
//!   events, events the person declined or is only copied in on (their
//!   `ATTENDEE` has `PARTSTAT=DECLINED` or `ROLE=NON-PARTICIPANT`), events without an end or longer than 24 hours, events outside
//!   the window.

mod event;
mod expand;
mod values;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use englog_core::{ActivityType, ImpactLevel, Limits, ValueRating};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::BufReader;

use super::entry_writer::ImportedEntry;
use super::report::{ImportProblem, ParsedFile};
use crate::error::{AppError, AppResult};
use event::Event;

pub struct IcsOptions {
    /// The person's time zone, for floating times.
    pub home: Tz,
    /// Occurrences starting in `[from, to)` are imported.
    pub window: (DateTime<Utc>, DateTime<Utc>),
    pub max_rows: usize,
    /// The person's addresses (lower-cased): an event where one of them
    /// declined, or is only copied in, is not their meeting.
    pub me: Vec<String>,
}

fn not_a_calendar(detail: &str) -> AppError {
    AppError::field("content", format!("not an iCalendar file: {detail}"))
}

/// Lines (1-based) of each `BEGIN:VEVENT`, in file order, so problems can
/// point into the file.
fn event_lines(content: &str) -> Vec<usize> {
    content
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT"))
        .map(|(i, _)| i + 1)
        .collect()
}

fn read_events(content: &str) -> AppResult<(Vec<Event>, Vec<ImportProblem>)> {
    let trimmed = content.trim_start_matches('\u{feff}').trim_start();
    if !trimmed
        .get(..15)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(not_a_calendar("it must start with BEGIN:VCALENDAR"));
    }
    let lines = event_lines(trimmed);
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut index = 0;
    for calendar in ical::IcalParser::new(BufReader::new(trimmed.as_bytes())) {
        let calendar = calendar.map_err(|e| not_a_calendar(&e.to_string()))?;
        for raw in &calendar.events {
            let line = lines.get(index).copied().unwrap_or(0);
            index += 1;
            match Event::read(raw, line) {
                Ok(event) => events.push(event),
                Err(message) => errors.push(ImportProblem::at_line(line, message)),
            }
        }
    }
    Ok((events, errors))
}

/// The external id of an event or occurrence; hashed when a UID would not
/// fit the column.
fn external_uid(uid: &str, occurrence: Option<DateTime<Utc>>) -> String {
    let key = match occurrence {
        Some(at) => format!("{uid}#{}", at.format("%Y%m%dT%H%M%SZ")),
        None => uid.to_owned(),
    };
    if key.len() <= 240 {
        format!("ics:{key}")
    } else {
        let digest = Sha256::digest(key.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("ics:sha256:{hex}")
    }
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Collects the rows of a file, checking each candidate occurrence.
struct Collector<'a> {
    options: &'a IcsOptions,
    parsed: ParsedFile,
}

impl Collector<'_> {
    fn skip(&mut self, event: &Event, reason: &str) {
        self.parsed
            .skipped
            .push(ImportProblem::at_line(event.line, reason).with_item(event.uid.clone()));
    }

    fn error(&mut self, event: &Event, message: impl Into<String>) {
        self.parsed
            .errors
            .push(ImportProblem::at_line(event.line, message).with_item(event.uid.clone()));
    }

    /// The end of an event that starts at `start`.
    fn end_of(&self, event: &Event, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match (event.end, event.duration) {
            (Some(end), _) => end.instant(self.options.home),
            (None, Some(length)) => Some(start + length),
            (None, None) => None,
        }
    }

    /// Adds one occurrence running `start..end`, identified by `occurrence`.
    fn add(
        &mut self,
        event: &Event,
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
        occurrence: Option<DateTime<Utc>>,
    ) {
        let (from, to) = self.options.window;
        if start < from || start >= to {
            self.skip(event, "outside the import window");
            return;
        }
        let Some(end) = end.filter(|end| *end > start) else {
            self.skip(event, "no duration (no end after its start)");
            return;
        };
        if (end - start).num_minutes() > Limits::ENTRY_MAX_MINUTES {
            self.skip(event, "longer than 24 hours: not a work session");
            return;
        }
        let title = event
            .summary
            .as_deref()
            .map(|s| truncate(s, Limits::TITLE_MAX))
            .unwrap_or_else(|| "Meeting".to_owned());
        self.parsed.rows.push(ImportedEntry {
            line: event.line,
            item: Some(event.uid.clone()),
            title,
            description: event
                .description
                .as_deref()
                .map(|d| truncate(d, Limits::DESCRIPTION_MAX)),
            activity_type: ActivityType::Meeting,
            project: None,
            tags: Vec::new(),
            start_time: start,
            end_time: end,
            value_rating: ValueRating::default(),
            impact_level: ImpactLevel::default(),
            is_draft: true,
            source: Some("ics".into()),
            external_uid: Some(external_uid(&event.uid, occurrence)),
            created_at: None,
            updated_at: None,
        });
    }

    fn single(&mut self, event: &Event) {
        let Some(start) = event.start.instant(self.options.home) else {
            return self.error(event, "DTSTART: not a valid local time");
        };
        let end = self.end_of(event, start);
        self.add(event, start, end, None);
    }

    /// A recurring event: its occurrences in the window, minus EXDATEs,
    /// with overrides applied. Returns the overrides it used.
    fn recurring(
        &mut self,
        event: &Event,
        rule: &str,
        overrides: &HashMap<DateTime<Utc>, &Event>,
    ) -> Vec<DateTime<Utc>> {
        let home = self.options.home;
        let Some(first) = event.start.instant(home) else {
            self.error(event, "DTSTART: not a valid local time");
            return Vec::new();
        };
        let length = self.end_of(event, first).map(|end| end - first);
        let starts = match expand::occurrences(
            rule,
            first,
            event.start.zone(home),
            self.options.window,
            self.options.max_rows,
        ) {
            Ok(starts) => starts,
            Err(message) => {
                self.error(event, message);
                return Vec::new();
            }
        };
        let excluded: Vec<DateTime<Utc>> = event
            .exdates
            .iter()
            .filter_map(|t| t.instant(home))
            .collect();
        let mut used = Vec::new();
        for start in starts {
            if excluded.contains(&start) {
                continue;
            }
            if let Some(moved) = overrides.get(&start) {
                used.push(start);
                self.overridden(moved, start);
                continue;
            }
            self.add(
                event,
                start,
                length.map(|l: Duration| start + l),
                Some(start),
            );
        }
        used
    }

    /// An override of the occurrence originally at `original`.
    fn overridden(&mut self, moved: &Event, original: DateTime<Utc>) {
        if moved.cancelled {
            return self.skip(moved, "cancelled occurrence");
        }
        if moved.not_attended_by(&self.options.me) {
            return self.skip(moved, "declined, or only copied in");
        }
        if moved.is_all_day() {
            return self.skip(moved, "all-day event: not work time");
        }
        let Some(start) = moved.start.instant(self.options.home) else {
            return self.error(moved, "DTSTART: not a valid local time");
        };
        let end = self.end_of(moved, start);
        self.add(moved, start, end, Some(original));
    }
}

/// Reads a calendar into draft meeting rows. File-level problems (not a
/// calendar, too many occurrences) are errors; event-level ones go to the
/// report.
pub fn parse(content: &str, options: &IcsOptions) -> AppResult<ParsedFile> {
    let (events, errors) = read_events(content)?;
    let mut collector = Collector {
        options,
        parsed: ParsedFile {
            errors,
            ..ParsedFile::default()
        },
    };
    let home = options.home;
    let mut overrides: HashMap<&str, HashMap<DateTime<Utc>, &Event>> = HashMap::new();
    for event in &events {
        if let Some(original) = event.recurrence_id.and_then(|r| r.instant(home)) {
            overrides
                .entry(&event.uid)
                .or_default()
                .insert(original, event);
        }
    }
    let no_overrides = HashMap::new();
    for event in events.iter().filter(|e| e.recurrence_id.is_none()) {
        if event.cancelled {
            collector.skip(event, "cancelled event");
            continue;
        }
        if event.is_all_day() {
            collector.skip(event, "all-day event: not work time");
            continue;
        }
        if event.not_attended_by(&options.me) {
            collector.skip(event, "declined, or only copied in");
            continue;
        }
        let mine = overrides.get(event.uid.as_str()).unwrap_or(&no_overrides);
        match &event.rrule {
            Some(rule) => {
                let used = collector.recurring(event, rule, mine);
                // Overrides of occurrences outside the window may have been
                // moved into it.
                for (original, moved) in mine {
                    if !used.contains(original) {
                        collector.overridden(moved, *original);
                    }
                }
            }
            None => collector.single(event),
        }
        if collector.parsed.rows.len() > options.max_rows {
            return Err(AppError::field(
                "content",
                format!(
                    "more than {} events in the window: narrow the window or split the file",
                    options.max_rows
                ),
            ));
        }
    }
    // Overrides whose series is not in the file are imported on their own.
    for event in events.iter().filter(|e| e.recurrence_id.is_some()) {
        let has_master = events
            .iter()
            .any(|m| m.recurrence_id.is_none() && m.uid == event.uid);
        if !has_master {
            let original = event.recurrence_id.and_then(|r| r.instant(home));
            if let Some(original) = original {
                collector.overridden(event, original);
            } else {
                collector.skip(event, "all-day event: not work time");
            }
        }
    }
    if collector.parsed.rows.len() > options.max_rows {
        return Err(AppError::field(
            "content",
            format!("more than {} events in the window", options.max_rows),
        ));
    }
    Ok(collector.parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("timestamp")
    }

    fn options(max_rows: usize) -> IcsOptions {
        IcsOptions {
            home: Tz::Europe__Paris,
            window: (utc("2026-10-01T00:00:00Z"), utc("2026-11-01T00:00:00Z")),
            max_rows,
            me: vec!["ada@example.com".into()],
        }
    }

    fn calendar(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    }

    const DAILY: &str = "BEGIN:VEVENT\r\nUID:daily\r\nDTSTART:20260925T090000Z\r\nDTEND:20260925T091500Z\r\nRRULE:FREQ=DAILY;COUNT=10\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n";

    #[test]
    fn an_override_moved_into_the_window_comes_in_and_a_cancelled_one_does_not() {
        let moved_in = "BEGIN:VEVENT\r\nUID:daily\r\nRECURRENCE-ID:20260926T090000Z\r\nDTSTART:20261002T120000Z\r\nDTEND:20261002T123000Z\r\nSUMMARY:Standup (moved)\r\nEND:VEVENT\r\n";
        let cancelled = "BEGIN:VEVENT\r\nUID:daily\r\nRECURRENCE-ID:20261003T090000Z\r\nDTSTART:20261003T090000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n";
        let parsed = parse(
            &calendar(&format!("{DAILY}{moved_in}{cancelled}")),
            &options(100),
        )
        .expect("parses");
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let mut got: Vec<(String, DateTime<Utc>, Option<String>)> = parsed
            .rows
            .iter()
            .map(|r| (r.title.clone(), r.start_time, r.external_uid.clone()))
            .collect();
        got.sort_by_key(|g| g.1);
        // 25 Sep – 4 Oct daily: 1, 2 and 4 October in the window (3rd
        // cancelled), plus the 26 September instance moved to 2 October.
        assert_eq!(
            got,
            [
                (
                    "Standup".into(),
                    utc("2026-10-01T09:00:00Z"),
                    Some("ics:daily#20261001T090000Z".into())
                ),
                (
                    "Standup".into(),
                    utc("2026-10-02T09:00:00Z"),
                    Some("ics:daily#20261002T090000Z".into())
                ),
                (
                    "Standup (moved)".into(),
                    utc("2026-10-02T12:00:00Z"),
                    Some("ics:daily#20260926T090000Z".into())
                ),
                (
                    "Standup".into(),
                    utc("2026-10-04T09:00:00Z"),
                    Some("ics:daily#20261004T090000Z".into())
                ),
            ]
        );
        assert!(
            parsed
                .skipped
                .iter()
                .any(|s| s.message == "cancelled occurrence"),
            "{:?}",
            parsed.skipped
        );
    }

    #[test]
    fn an_event_the_person_declined_or_is_only_copied_in_on_is_left_out() {
        let event = |uid: &str, attendee: &str| {
            format!(
                "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:20261005T090000Z\r\nDTEND:20261005T100000Z\r\n\
                 ORGANIZER:mailto:bob@example.com\r\n{attendee}\r\nEND:VEVENT\r\n"
            )
        };
        let parsed = parse(
            &calendar(&format!(
                "{}{}{}",
                event(
                    "declined",
                    "ATTENDEE;PARTSTAT=DECLINED:mailto:Ada@Example.com"
                ),
                event(
                    "copied",
                    "ATTENDEE;ROLE=NON-PARTICIPANT:mailto:ada@example.com"
                ),
                event(
                    "others",
                    "ATTENDEE;PARTSTAT=DECLINED:mailto:eve@example.com"
                ),
            )),
            &options(10),
        )
        .expect("parses");
        let uids: Vec<_> = parsed.rows.iter().map(|r| r.item.clone()).collect();
        assert_eq!(uids, [Some("others".to_owned())]);
    }

    #[test]
    fn too_many_occurrences_refuse_the_file() {
        let err = parse(&calendar(DAILY), &options(2)).expect_err("over the limit");
        assert!(matches!(err, AppError::Validation(ref f) if f[0].field == "content"));
    }

    #[test]
    fn a_file_that_is_not_a_calendar_is_refused() {
        assert!(parse("Subject,Start\r\nx,y\r\n", &options(10)).is_err());
        assert!(parse("", &options(10)).is_err());
    }
}
