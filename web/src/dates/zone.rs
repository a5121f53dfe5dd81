//! Wall-clock time in the profile's time zone. The browser already holds a
//! time-zone database (`Intl.DateTimeFormat` with `timeZone`), so the wasm
//! carries none: a tiny JS function reads an instant's wall clock in a
//! zone, and the way back (wall clock → instant) is solved from it.

use dioxus::prelude::*;
use wasm_bindgen::prelude::*;

use super::Day;
use crate::components::Profile;

#[wasm_bindgen(inline_js = r#"
const formats = new Map();
function format(zone) {
  let f = formats.get(zone);
  if (!f) {
    const o = { hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" };
    try { f = new Intl.DateTimeFormat("en-US", zone ? { ...o, timeZone: zone } : o); }
    catch (e) { f = new Intl.DateTimeFormat("en-US", o); }
    formats.set(zone, f);
  }
  return f;
}
export function browser_zone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
}
export function wall_clock(ms, zone) {
  const p = {};
  for (const { type, value } of format(zone).formatToParts(ms)) p[type] = +value;
  return [p.year, p.month, p.day, p.hour, p.minute];
}
"#)]
extern "C" {
    /// `[year, month 1–12, day, hour, minute]` of `ms` in `zone` (an IANA
    /// name; empty or unknown: the browser's zone).
    fn wall_clock(ms: f64, zone: &str) -> Vec<f64>;
    /// The browser's own IANA zone ("" if it does not say).
    pub fn browser_zone() -> String;
}

const MINUTE_MS: f64 = 60_000.0;
const DAY_MINUTES: i64 = 24 * 60;

/// The profile's IANA time zone; empty until the profile has loaded, which
/// means the browser's own zone.
#[derive(Clone, PartialEq, Default, Debug)]
pub struct Zone(pub String);

/// The signed-in person's zone, from the profile in context. Components
/// that call it re-render when the profile arrives.
pub fn use_zone() -> Zone {
    let profile: Profile = use_context();
    let zone = profile.read().as_ref().map(|me| me.timezone.clone());
    Zone(zone.unwrap_or_default())
}

/// Whether the profile's weeks start on Sunday (else Monday).
pub fn use_sunday_first() -> bool {
    let profile: Profile = use_context();
    let start = profile
        .read()
        .as_ref()
        .map(|me| crate::format::enum_name(&me.preferences.week_start));
    start.as_deref() == Some("SUNDAY")
}

/// A wall-clock reading: the day and the minute of that day.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Wall {
    pub day: Day,
    pub minute: i64,
}

impl Wall {
    /// "09:05".
    pub fn hh_mm(self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }

    /// Minutes since 1970-01-01 00:00 on this wall clock.
    fn minutes(self) -> i64 {
        self.day.0 * DAY_MINUTES + self.minute
    }
}

impl Zone {
    /// The wall clock in this zone at the instant `ms` (epoch milliseconds).
    pub fn wall(&self, ms: f64) -> Wall {
        let p = wall_clock(ms, &self.0);
        let at = |i: usize| p.get(i).copied().unwrap_or(0.0) as i64;
        Wall {
            day: Day::from_ymd(at(0), at(1) as u32, at(2) as u32),
            minute: at(3) * 60 + at(4),
        }
    }

    /// The instant this zone's clocks read `wall`. Solved from the zone's
    /// offset near that time, then once more at the answer, so a DST change
    /// in between is honoured. A time skipped by a spring-forward lands an
    /// hour later, as clocks do.
    pub fn instant(&self, wall: Wall) -> f64 {
        let naive = wall.minutes() as f64 * MINUTE_MS;
        let offset = |at: f64| self.wall(at).minutes() as f64 * MINUTE_MS - at;
        let first = naive - offset(naive);
        let second = naive - offset(first);
        if self.wall(second) == wall {
            second
        } else {
            first
        }
    }

    /// Midnight at the start of `day` in this zone.
    pub fn midnight(&self, day: Day) -> f64 {
        self.instant(Wall { day, minute: 0 })
    }

    pub fn today(&self) -> Day {
        self.wall(js_sys::Date::now()).day
    }

    /// The day of an RFC 3339 instant; `None` if it is not one.
    pub fn day_of(&self, rfc3339: &str) -> Option<Day> {
        instant_of(rfc3339).map(|ms| self.wall(ms).day)
    }

    /// "2025-03-14 09:30" for an RFC 3339 instant (the form the start field
    /// reads back); the text itself if it is not one.
    pub fn datetime(&self, rfc3339: &str) -> String {
        match instant_of(rfc3339) {
            Some(ms) => {
                let wall = self.wall(ms);
                format!("{} {}", wall.day, wall.hh_mm())
            }
            None => rfc3339.to_owned(),
        }
    }

    /// "09:30" for an RFC 3339 instant.
    pub fn time(&self, rfc3339: &str) -> String {
        instant_of(rfc3339)
            .map(|ms| self.wall(ms).hh_mm())
            .unwrap_or_default()
    }
}

/// Epoch milliseconds of an RFC 3339 instant.
fn instant_of(rfc3339: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(rfc3339);
    (!ms.is_nan()).then_some(ms)
}
