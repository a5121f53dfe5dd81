//! Dates. The profile's time zone is the one to show and ask in: [`Zone`]
//! reads wall clocks through the browser's `Intl` (no time-zone database in
//! the wasm), [`Day`] is calendar arithmetic, and `input` reads typed starts,
//! ends and durations with a message for each refusal. Every page asks and
//! shows days in the profile's zone; the browser's own zone is only read
//! to say when it differs ([`browser_zone`]).

mod day;
mod input;
mod zone;

pub use day::Day;
pub use input::{parse_duration, parse_end, parse_start, parse_time};
pub use zone::{Wall, Zone, browser_zone, use_sunday_first, use_zone};

use js_sys::Date;

/// Epoch milliseconds as RFC 3339 (UTC).
pub fn iso(ms: f64) -> String {
    Date::new(&ms.into()).to_iso_string().into()
}
