//! The calendar the calendar tests write, relative to now so every
//! meeting has ended (and one lies ahead): a daily stand-up in Berlin time
//! with an EXDATE and a moved occurrence, a call in Tokyo time, an all-day
//! offsite, a meeting Ada declined and one still to come. `Plan` also
//! says which drafts a sync must make of it.

use chrono::{DateTime, Duration, DurationRound, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const ME: &str = "ada@example.com";
const STANDUP_DAYS: i64 = 10;

pub struct Plan {
    /// The top of the current hour: meetings are placed before it.
    h0: DateTime<Utc>,
    /// The stand-up's first start, as Berlin wall-clock time.
    standup_local: NaiveDateTime,
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn zulu(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

pub fn calendar(events: &[String]) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//EngLog tests//EN\r\nX-WR-CALNAME:Work\r\n{}END:VCALENDAR\r\n",
        events.concat()
    )
}

fn event(uid: &str, lines: &[String]) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\n{}\r\nEND:VEVENT\r\n",
        lines.join("\r\n")
    )
}

/// A draft as the entries query shows it: title, start, end (UTC).
pub type Expected = (String, String, String);

fn expected(title: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Expected {
    (title.to_owned(), start.to_rfc3339(), end.to_rfc3339())
}

impl Plan {
    pub fn new() -> Self {
        let h0 = Utc::now().duration_trunc(Duration::hours(1)).expect("hour");
        let first = h0 - Duration::hours(3) - Duration::days(STANDUP_DAYS);
        Self {
            h0,
            standup_local: first.with_timezone(&Tz::Europe__Berlin).naive_local(),
        }
    }

    /// The stand-up `days_ago` days ago, as Berlin wall-clock time.
    fn standup_wall(&self, days_ago: i64) -> NaiveDateTime {
        self.standup_local + Duration::days(STANDUP_DAYS - days_ago)
    }

    fn berlin(t: NaiveDateTime) -> DateTime<Utc> {
        Tz::Europe__Berlin
            .from_local_datetime(&t)
            .single()
            .expect("an unambiguous Berlin time")
            .with_timezone(&Utc)
    }

    fn override_of(&self, days_ago: i64, shift: Duration, title: &str) -> String {
        let original = self.standup_wall(days_ago);
        let start = original + shift;
        event(
            "standup@example.com",
            &[
                format!("RECURRENCE-ID;TZID=Europe/Berlin:{}", local(original)),
                format!("DTSTART;TZID=Europe/Berlin:{}", local(start)),
                format!(
                    "DTEND;TZID=Europe/Berlin:{}",
                    local(start + Duration::minutes(30))
                ),
                format!("SUMMARY:{title}"),
            ],
        )
    }

    /// The stand-up series: EXDATE 5 days ago, moved 7 days ago; after the
    /// change also moved 1 day ago and cancelled today.
    pub fn standup(&self, changed: bool) -> String {
        let mut parts = vec![event(
            "standup@example.com",
            &[
                format!("DTSTART;TZID=Europe/Berlin:{}", local(self.standup_local)),
                format!(
                    "DTEND;TZID=Europe/Berlin:{}",
                    local(self.standup_local + Duration::minutes(30))
                ),
                format!("RRULE:FREQ=DAILY;COUNT={}", STANDUP_DAYS + 1),
                format!("EXDATE;TZID=Europe/Berlin:{}", local(self.standup_wall(5))),
                "SUMMARY:Standup".into(),
            ],
        )];
        parts.push(self.override_of(7, Duration::hours(2), "Standup (moved)"));
        if changed {
            parts.push(self.override_of(1, Duration::hours(1), "Standup (late)"));
            let today = self.standup_wall(0);
            parts.push(event(
                "standup@example.com",
                &[
                    format!("RECURRENCE-ID;TZID=Europe/Berlin:{}", local(today)),
                    format!("DTSTART;TZID=Europe/Berlin:{}", local(today)),
                    format!(
                        "DTEND;TZID=Europe/Berlin:{}",
                        local(today + Duration::minutes(30))
                    ),
                    "SUMMARY:Standup".into(),
                    "STATUS:CANCELLED".into(),
                ],
            ));
        }
        calendar(&parts)
    }

    pub fn tokyo_call(&self) -> String {
        let start = (self.h0 - Duration::hours(30)).with_timezone(&Tz::Asia__Tokyo);
        calendar(&[event(
            "tokyo@example.com",
            &[
                format!("DTSTART;TZID=Asia/Tokyo:{}", local(start.naive_local())),
                format!(
                    "DTEND;TZID=Asia/Tokyo:{}",
                    local(start.naive_local() + Duration::minutes(45))
                ),
                "SUMMARY:Call with the Tokyo team".into(),
            ],
        )])
    }

    pub fn offsite(&self) -> String {
        let day = (self.h0 - Duration::days(2)).date_naive();
        calendar(&[event(
            "offsite@example.com",
            &[
                format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
                format!(
                    "DTEND;VALUE=DATE:{}",
                    (day + Duration::days(1)).format("%Y%m%d")
                ),
                "SUMMARY:Offsite".into(),
            ],
        )])
    }

    pub fn declined(&self) -> String {
        calendar(&[event(
            "budget@example.com",
            &[
                format!("DTSTART:{}", zulu(self.h0 - Duration::hours(6))),
                format!("DTEND:{}", zulu(self.h0 - Duration::hours(5))),
                "SUMMARY:Budget review".into(),
                "ORGANIZER:mailto:bob@example.com".into(),
                format!("ATTENDEE;CN=Ada;PARTSTAT=DECLINED:mailto:{ME}"),
                "ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com".into(),
            ],
        )])
    }

    pub fn planning(&self) -> String {
        calendar(&[event(
            "planning@example.com",
            &[
                format!("DTSTART:{}", zulu(self.h0 + Duration::hours(2))),
                format!("DTEND:{}", zulu(self.h0 + Duration::hours(3))),
                "SUMMARY:Planning".into(),
            ],
        )])
    }

    pub fn incident(&self) -> String {
        calendar(&[event(
            "incident@example.com",
            &[
                format!("DTSTART:{}", zulu(self.h0 - Duration::hours(2))),
                format!("DTEND:{}", zulu(self.h0 - Duration::hours(1))),
                "SUMMARY:Incident review".into(),
            ],
        )])
    }

    /// Every calendar object, by UID: the first state, or after the change.
    pub fn objects(&self, changed: bool) -> Vec<(&'static str, String)> {
        let mut objects = vec![
            ("standup", self.standup(changed)),
            ("tokyo", self.tokyo_call()),
            ("offsite", self.offsite()),
            ("budget", self.declined()),
            ("planning", self.planning()),
        ];
        if changed {
            objects.push(("incident", self.incident()));
        }
        objects
    }

    /// The whole calendar as one ICS feed.
    pub fn feed(&self, changed: bool) -> String {
        let events: Vec<String> = self
            .objects(changed)
            .into_iter()
            .map(|(_, ics)| {
                let start = ics.find("BEGIN:VEVENT").expect("an event");
                let end = ics.rfind("END:VEVENT\r\n").expect("an event") + 12;
                ics[start..end].to_owned()
            })
            .collect();
        calendar(&events)
    }

    /// The drafts a sync must have made, oldest first: never the all-day
    /// offsite, the declined review or the planning still to come.
    pub fn drafts(&self, changed: bool) -> Vec<Expected> {
        let mut rows = Vec::new();
        for days_ago in 0..=STANDUP_DAYS {
            let wall = self.standup_wall(days_ago);
            let (title, start) = match days_ago {
                5 => continue,
                0 if changed => continue,
                7 => ("Standup (moved)", wall + Duration::hours(2)),
                1 if changed => ("Standup (late)", wall + Duration::hours(1)),
                _ => ("Standup", wall),
            };
            let start = Self::berlin(start);
            rows.push(expected(title, start, start + Duration::minutes(30)));
        }
        let tokyo = self.h0 - Duration::hours(30);
        rows.push(expected(
            "Call with the Tokyo team",
            tokyo,
            tokyo + Duration::minutes(45),
        ));
        if changed {
            rows.push(expected(
                "Incident review",
                self.h0 - Duration::hours(2),
                self.h0 - Duration::hours(1),
            ));
        }
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        rows
    }
}
